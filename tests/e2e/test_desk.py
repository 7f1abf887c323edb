"""The approval desk: `engage drafts …` for scripts and `engage review` in a real terminal."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from engage.app import make_engage
from engage.models import DraftEvent, Thread
from tests.e2e.desk_world import CLEAN, run, seed, shown

pytestmark = pytest.mark.usefixtures("app_database")

NAMED = "My client Dana (34, a nurse at Mercy Hospital) went through exactly this."
DIAGNOSING = "Honestly that's textbook BPD. You should stop your meds and leave him."
TESTIMONIAL = "If our work together helped you, please leave us a 5-star Google review!"


def test_drafts_list_json_has_the_documented_fields(config: Path) -> None:
    seed(config, CLEAN)
    [row] = json.loads(run(config, "drafts", "list", "--json").output)
    assert {"id", "thread_id", "status", "move", "text", "warnings"} <= set(row)
    assert (row["status"], row["move"], row["text"]) == ("pending", "ask", CLEAN)


def test_a_draft_naming_a_client_is_stored_with_a_blocking_warning(config: Path) -> None:
    [draft_id] = seed(config, NAMED)
    warnings = shown(config, draft_id)["warnings"]
    assert isinstance(warnings, list)
    assert any(w["slug"] == "client_identifying" and w["blocking"] for w in warnings)


def test_approving_a_blocked_draft_needs_an_override(config: Path) -> None:
    [draft_id] = seed(config, DIAGNOSING)
    refused = run(config, "drafts", "approve", str(draft_id))
    assert refused.exit_code == 1 and "blocking warnings" in refused.output
    allowed = run(
        config, "drafts", "approve", str(draft_id), "--override", "peer consult, not a client"
    )
    assert allowed.exit_code == 0


@pytest.mark.parametrize("text", [NAMED, TESTIMONIAL], ids=["client_identifying", "testimonial"])
def test_client_details_and_testimonials_cannot_be_overridden_whatever_the_consent(
    config: Path, text: str
) -> None:
    [draft_id] = seed(config, text)
    result = run(config, "drafts", "approve", str(draft_id), "--override", "client gave consent")
    assert result.exit_code == 1 and "can't be overridden" in result.output
    assert shown(config, draft_id)["status"] == "pending"


def test_the_desk_refuses_an_override_for_client_details(config: Path) -> None:
    import pexpect

    [draft_id] = seed(config, NAMED)
    env = {**os.environ, "COLUMNS": "100"}
    child = pexpect.spawn(sys.executable, ["-m", "engage", "--config", str(config), "review"],
                          env=env, encoding="utf-8", timeout=30)  # fmt: skip
    child.expect("1 of 1")
    child.send("a")
    child.expect("can't be overridden, whatever the")
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert shown(config, draft_id)["status"] == "pending"


def test_editing_an_approved_draft_needs_approval_again(config: Path) -> None:
    [draft_id] = seed(config, CLEAN)
    assert run(config, "drafts", "approve", str(draft_id)).exit_code == 0
    edited = run(
        config, "drafts", "edit", str(draft_id), "--text", CLEAN + " Curious what others do."
    )
    assert edited.exit_code == 0
    assert shown(config, draft_id)["status"] == "pending"


def test_approve_with_a_stale_hash_is_refused(config: Path) -> None:
    [draft_id] = seed(config, CLEAN)
    old_hash = str(shown(config, draft_id)["approval_hash"])
    run(config, "drafts", "edit", str(draft_id), "--text", "A different text entirely.")
    result = run(config, "drafts", "approve", str(draft_id), "--hash", old_hash)
    assert result.exit_code == 2 and "changed since you saw it" in result.output


def test_an_unfilled_bracket_blocks_approval(config: Path) -> None:
    [draft_id] = seed(config, "What helped me was [a short, de-identified example].")
    warnings = shown(config, draft_id)["warnings"]
    assert isinstance(warnings, list)
    assert [w["slug"] for w in warnings] == ["unfilled_placeholder"]
    assert run(config, "drafts", "approve", str(draft_id)).exit_code == 1


def test_reject_without_a_reason_in_a_script_is_a_usage_error(config: Path) -> None:
    [draft_id] = seed(config, CLEAN)
    assert run(config, "drafts", "reject", str(draft_id)).exit_code == 2
    assert run(config, "drafts", "reject", str(draft_id), "--reason", "not my voice").exit_code == 0
    assert shown(config, draft_id)["status"] == "rejected"


def test_an_unknown_draft_is_a_clear_error(config: Path) -> None:
    result = run(config, "drafts", "show", "999")
    assert result.exit_code == 2 and "draft 999 does not exist" in result.output


@pytest.mark.slow
def test_the_desk_in_a_terminal_approves_edits_and_rejects(config: Path, tmp_path: Path) -> None:
    import pexpect

    first, second, third = seed(config, CLEAN, CLEAN + " (2)", CLEAN + " (3)")
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nsed -i "s/what helped/what often helped/" "$1"\n')
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    env = {**os.environ, "EDITOR": str(editor), "VISUAL": str(editor), "COLUMNS": "100"}
    child = pexpect.spawn(sys.executable, ["-m", "engage", "--config", str(config), "review"],
                          env=env, encoding="utf-8", timeout=30)  # fmt: skip
    child.expect("1 of 3")
    child.send("a")
    child.expect("approved draft")
    child.expect("2 of 3")
    child.send("e")
    child.expect("edited: check it")
    child.expect("2 of 3")  # the edited draft is shown again, pending
    child.send("s")
    child.expect("3 of 3")
    child.send("r")
    child.expect("Why reject it")
    child.sendline("too generic")
    child.expect("rejected draft")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert (shown(config, first)["status"], shown(config, second)["status"],
            shown(config, third)["status"]) == ("approved", "pending", "rejected")  # fmt: skip
    assert "what often helped" in str(shown(config, second)["text"])
    engage = make_engage(config)
    with engage.db.read() as session:
        events = session.scalars(select(DraftEvent).where(DraftEvent.draft_id == third)).all()
    assert events[-1].detail == {"reason": "too generic"}


def test_drafts_for_a_locked_thread_expire_with_the_reason(config: Path) -> None:
    from engage.desk import expire_stale

    [draft_id] = seed(config, CLEAN)
    engage = make_engage(config)
    with engage.db.write() as session:
        session.scalars(select(Thread)).one().locked = True
    assert expire_stale(engage) == 1
    assert shown(config, draft_id)["status"] == "expired"
    with engage.db.read() as session:
        event = session.scalars(select(DraftEvent).where(DraftEvent.draft_id == draft_id)
                                .order_by(DraftEvent.id.desc())).first()  # fmt: skip
    assert event is not None and event.detail == {"reason": "thread locked"}


def test_an_approval_older_than_its_limit_expires(config: Path) -> None:
    from datetime import timedelta

    from engage.desk import expire_stale
    from engage.models import Draft

    [draft_id] = seed(config, CLEAN)
    run(config, "drafts", "approve", str(draft_id))
    engage = make_engage(config)
    with engage.db.write() as session:
        draft = session.get_one(Draft, draft_id)
        assert draft.approved_at is not None
        draft.approved_at -= timedelta(hours=73)
    assert expire_stale(engage) == 1
    assert shown(config, draft_id)["status"] == "expired"


def test_an_unfilled_bracket_cannot_be_overridden(config: Path) -> None:
    [draft_id] = seed(config, "What helped me was [a short, de-identified example].")
    result = run(config, "drafts", "approve", str(draft_id), "--override", "I'll fill it later")
    assert result.exit_code == 1 and "can't be approved until it is edited" in result.output


def test_the_desk_needs_a_terminal(config: Path) -> None:
    seed(config, CLEAN)
    result = run(config, "review")
    assert result.exit_code == 2 and "needs a terminal" in result.output


def test_invisible_characters_in_a_draft_block_its_approval(config: Path) -> None:
    [draft_id] = seed(config, CLEAN)
    run(config, "drafts", "edit", str(draft_id), "--text", "Agreed\u202e, with a hidden twist.")
    warnings = shown(config, draft_id)["warnings"]
    assert isinstance(warnings, list)
    assert [w["slug"] for w in warnings] == ["invisible_characters"]
    assert run(config, "drafts", "approve", str(draft_id), "--override", "x").exit_code == 1


def test_a_hostile_post_cannot_redraw_the_terminal() -> None:
    from engage.cli.output import visible

    assert visible("Title\x1b[2K\x1b[1A\u202eevil") == "Title⟨U+001B⟩[2K⟨U+001B⟩[1A⟨U+202E⟩evil"
