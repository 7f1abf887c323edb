"""A thread that discloses a crisis after a networking reply was drafted for it: the reply can't
be approved on its old warnings, and the thread still gets its crisis-resources reply."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from engage.app import make_engage
from engage.cli import cli
from engage.jobs import draft_waiting

pytestmark = pytest.mark.usefixtures("app_database")

URL = "https://www.facebook.com/groups/couples/posts/77"


def run(config: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--config", str(config), *args])


@pytest.fixture
def drafted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, int, int]:
    monkeypatch.setenv("ENGAGE_HOME", str(tmp_path / "home"))
    config = tmp_path / "engage.toml"
    config.write_text("[profile.specialties]\ncouples = 1.0\n")
    added = json.loads(run(config, "thread", "add", URL, "--title", "EFT after an affair", "--text",
                           "Couples therapists: how do you pace EFT after disclosure?",
                           "--json").output)  # fmt: skip
    thread_id = added["id"]
    draft = json.loads(run(config, "draft", str(thread_id), "--json").output)
    draft_id = draft["id"]
    assert run(config, "drafts", "edit", str(draft_id), "--text",
               "Great question! Happy to compare notes on pacing.").exit_code == 0  # fmt: skip
    changed = run(config, "thread", "add", URL, "--title", "EFT after an affair", "--text",
                  "Update: he left. I've been saving my pills and I picked a date.")  # fmt: skip
    assert changed.exit_code == 0
    return config, thread_id, draft_id


def test_the_networking_reply_cannot_be_approved_on_its_old_warnings(
    drafted: tuple[Path, int, int],
) -> None:
    config, _, draft_id = drafted
    result = run(config, "drafts", "approve", str(draft_id))
    assert result.exit_code == 1 and "crisis_mishandled" in result.output
    shown = json.loads(run(config, "drafts", "show", str(draft_id), "--json").output)
    assert shown["status"] == "pending"


def test_the_thread_still_gets_its_crisis_reply(drafted: tuple[Path, int, int]) -> None:
    config, thread_id, _ = drafted
    engage = make_engage(config)
    try:
        draft_waiting(engage)
    finally:
        engage.close()
    drafts = json.loads(run(config, "drafts", "list", "--json").output)
    kinds = {(d["thread_id"], d["kind"]) for d in drafts}
    assert (thread_id, "crisis_reply") in kinds
