"""`engage ideas --outline N`: after `engage watch` brought colleagues' questions, the configured
model (a local OpenAI-compatible server: a fake speaking the wire protocol, not a model) drafts
an outline for one idea; it waits at the desk, is approved like any draft, and never goes out.
What the model is sent: the idea's questions and the therapist's work, nothing from other
threads, no secret."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from engage.app import Engage, make_engage
from engage.desk.expiry import expire_stale
from engage.digest.build import build_digest
from engage.models import Draft
from tests.e2e.test_ideas import run, watched
from tests.fakes.openai import ChatCompletionsServer

pytestmark = pytest.mark.usefixtures("app_database")

OUTLINE = (
    "Preparing a couple for a formal disclosure: how long is long enough\n"
    "- Preparation is measured in readiness, not weeks.\n"
    "- The betrayed partner needs support of their own first. [an example from your practice]\n"
    "- A rushed disclosure often leads to a second, partial one.\n"
    "- Agree on the ground rules for the session in advance."
)
KEY = "sk-canary-llm-4f1d"


@pytest.fixture
def server() -> Iterator[ChatCompletionsServer]:
    pytest.importorskip("llm")
    with ChatCompletionsServer(OUTLINE) as running:
        yield running


@pytest.fixture
def config(tmp_path: Path, server: ChatCompletionsServer) -> Iterator[Path]:
    yield from watched(
        tmp_path,
        f'[llm]\nmodel = "local-model"\napi_base = "{server.api_base}"\n'
        'key_env = "CANARY_LLM_KEY"\n',
    )


def outline(config: Path, *args: str) -> dict[str, Any]:
    result = run(config, "ideas", "--outline", "1", "--json", *args)
    assert result.exit_code == 0, result.output
    made: dict[str, Any] = json.loads(result.output)
    return made


def draft_row(config: Path, draft_id: int) -> dict[str, Any]:
    shown = run(config, "drafts", "show", str(draft_id), "--json")
    assert shown.exit_code == 0, shown.output
    row: dict[str, Any] = json.loads(shown.output)
    return row


def approved(config: Path) -> int:
    draft_id = int(outline(config)["draft_id"])
    result = run(config, "drafts", "approve", str(draft_id))
    assert result.exit_code == 0, result.output
    return draft_id


def sent(server: ChatCompletionsServer) -> str:
    return "\n".join(request.body.decode() for request in server.requests)


def user_message(server: ChatCompletionsServer) -> str:
    (chat,) = server.chats
    return str(chat["messages"][-1]["content"])


def test_the_models_outline_waits_at_the_desk_as_a_pending_outline(config: Path) -> None:
    made = outline(config)
    assert (made["idea"], made["text"]) == (1, OUTLINE)
    row = draft_row(config, made["draft_id"])
    assert (row["kind"], row["status"], row["platform"]) == ("outline", "pending", "manual")
    assert (row["thread_id"], row["target"]) == (None, "")


def test_the_command_says_which_draft_holds_the_outline(config: Path) -> None:
    result = run(config, "ideas", "--outline", "1")
    assert result.exit_code == 0, result.output
    said = re.fullmatch(r"outline for idea 1 queued as draft (\d+): engage review\n", result.output)
    assert said is not None and draft_row(config, int(said.group(1)))["kind"] == "outline"


def test_the_desk_shows_an_outline_as_one_for_your_article_never_posted(config: Path) -> None:
    result = run(config, "drafts", "show", str(outline(config)["draft_id"]))
    assert result.exit_code == 0, result.output
    assert "An outline for your article (never posted)" in result.output
    assert "goes to:" not in result.output


def test_an_outlines_brackets_do_not_block_its_approval(config: Path) -> None:
    draft_id = approved(config)
    assert draft_row(config, draft_id)["status"] == "approved"


def test_an_approved_outline_is_never_published(config: Path) -> None:
    draft_id = approved(config)
    result = run(config, "publish", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["drafts"] == []
    assert draft_row(config, draft_id)["status"] == "approved"


def test_an_outline_is_never_marked_posted(config: Path) -> None:
    draft_id = approved(config)
    result = run(config, "mark-posted", str(draft_id))
    assert result.exit_code == 2
    assert "an outline is for your own article; it is never posted" in result.output


@pytest.fixture
def engage(config: Path) -> Iterator[Engage]:
    app = make_engage(config)
    yield app
    app.close()


def approved_a_year_ago(engage: Engage, draft_id: int) -> None:
    """Its approval far older than any approval_max_age_hours."""
    with engage.db.write() as session:
        stored = session.get(Draft, draft_id)
        assert stored is not None and stored.approved_at is not None
        stored.approved_at -= timedelta(days=365)


def test_an_approved_outline_never_expires(config: Path, engage: Engage) -> None:
    draft_id = approved(config)
    approved_a_year_ago(engage, draft_id)
    assert expire_stale(engage) == 0
    assert draft_row(config, draft_id)["status"] == "approved"


def test_the_digest_counts_no_outline_as_waiting_to_go_out(config: Path, engage: Engage) -> None:
    approved_a_year_ago(engage, approved(config))
    with engage.db.read() as session:
        digest = build_digest(session, engage.config.settings.digest, since=None)
    assert (digest.approved_waiting, digest.approvals_expiring) == (0, 0)
    assert [w for w in digest.waiting if w.kind == "outline"] == []


def test_the_prompt_holds_the_ideas_questions_and_the_therapists_work(
    config: Path, server: ChatCompletionsServer
) -> None:
    ideas = json.loads(run(config, "ideas", "--json").output)["ideas"]
    outline(config)
    prompt = user_message(server)
    assert all(thread["question"] in prompt for thread in ideas[0]["threads"])
    assert "Gottman Method" in prompt
    assert "Grace Lee" not in sent(server)


def test_nothing_from_another_idea_or_thread_reaches_the_model(
    config: Path, server: ChatCompletionsServer
) -> None:
    outline(config)
    words = sent(server).lower()
    assert "formal disclosure" in words
    others = ("12-step", "slaa", "polygraph", "ending my life", "found the messages",
              "partner wants it within the month")  # fmt: skip
    assert not any(other in words for other in others)


def test_no_secret_in_the_environment_or_a_dotenv_file_reaches_the_model(
    config: Path, server: ChatCompletionsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    canaries = {
        "CANARY_LLM_KEY": KEY,
        "ENGAGE_REDDIT_CLIENT_SECRET": "canary-reddit-secret-9a2c",
        "ENGAGE_SMTP_PASSWORD": "canary-smtp-password-3b8e",
    }
    for name, value in canaries.items():
        monkeypatch.setenv(name, value)
    (config.parent / ".env").write_text("ENGAGE_LINKEDIN_CLIENT_SECRET=canary-dotenv-5c6d\n")
    outline(config)
    assert not any(secret in sent(server) for secret in [*canaries.values(), "canary-dotenv-5c6d"])


def test_the_key_goes_only_in_the_authorization_header(
    config: Path, server: ChatCompletionsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CANARY_LLM_KEY", KEY)
    outline(config)
    (request,) = server.requests
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert KEY not in request.body.decode()


def test_a_model_that_does_not_answer_is_one_line_and_exit_1(tmp_path: Path) -> None:
    pytest.importorskip("llm")
    with ChatCompletionsServer(OUTLINE) as server:
        llm = f'[llm]\nmodel = "local-model"\napi_base = "{server.url}/not-an-api"\n'
        for config in watched(tmp_path, llm):
            result = run(config, "ideas", "--outline", "1")
            assert result.exit_code == 1
            assert result.output.count("\n") == 1 and "local-model" in result.output


def test_without_a_model_an_outline_is_a_usage_error(tmp_path: Path) -> None:
    for config in watched(tmp_path, ""):
        result = run(config, "ideas", "--outline", "1")
        assert result.exit_code == 2
        assert "[llm] model" in result.output
        assert "Better drafts with a language model" in result.output
