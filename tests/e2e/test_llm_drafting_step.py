"""The drafting step with a model configured, against a local OpenAI-compatible server (a fake
speaking the wire protocol, not a model): what the step reads for the prompt (the thread's first
comments, the therapist's recent approved replies), what never reaches the model (other
threads, secrets, crisis and help-seekers' threads), and what it makes of the answer."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from engage.app import Engage, make_engage
from engage.desk import queue_drafts
from engage.desk.writing import draft_on_demand
from engage.models import Comment, Draft, Match, Thread
from tests.fakes.openai import ChatCompletionsServer

pytestmark = pytest.mark.usefixtures("app_database")

REPLY = "MOVE: ask\nPacing matters here; what has helped me is [an example from your practice]."
QUESTION = "How long do you prepare a couple before a formal disclosure of compulsive porn use?"


@pytest.fixture
def server() -> Iterator[ChatCompletionsServer]:
    pytest.importorskip("llm")
    with ChatCompletionsServer(REPLY) as running:
        yield running


@pytest.fixture
def config(tmp_path: Path, server: ChatCompletionsServer) -> Path:
    path = tmp_path / "engage.toml"
    path.write_text(
        '[profile]\nname = "Grace Lee"\ncredentials = "LMFT, CSAT"\n'
        "[profile.specialties]\nsex_addiction = 1.0\n"
        f'[llm]\nmodel = "local-model"\napi_base = "{server.api_base}"\n'
        'key_env = "CANARY_LLM_KEY"\n'
    )
    return path


@pytest.fixture
def engage(config: Path) -> Iterator[Engage]:
    app = make_engage(config)
    yield app
    app.close()


def seed_thread(
    engage: Engage, key: str, title: str, body: str = QUESTION, *, comments: tuple[str, ...] = (),
    **match: Any,
) -> int:  # fmt: skip
    """A fresh Reddit thread matched as a colleague's consult question (`match` overrides),
    with top-level `comments`, oldest first."""
    now = datetime.now(UTC)
    with engage.db.write() as session:
        thread = Thread(platform="reddit", external_id=key, community="r/therapists",
                        title=title, body=body, url=f"https://www.reddit.com/comments/{key}/",
                        created_at=now)  # fmt: skip
        session.add(thread)
        session.flush()
        values: dict[str, Any] = {"intent": "consult_question", "reasons": [], **match}
        session.add(Match(thread_id=thread.id, score=1.0, profile_hash="t", **values))
        for n, text in enumerate(comments):
            session.add(Comment(thread_id=thread.id, platform="reddit", external_id=f"{key}c{n}",
                                parent_external_id=key, author=f"colleague{n}", body=text,
                                created_at=now + timedelta(minutes=n)))  # fmt: skip
        return thread.id


def seed_reply(engage: Engage, thread_id: int, text: str, status: str = "approved") -> None:
    """A reply to `thread_id` in `status` (approved an hour ago when approved or published)."""
    sent = status in ("approved", "published")
    approved_at = datetime.now(UTC) - timedelta(hours=1) if sent else None
    with engage.db.write() as session:
        session.add(Draft(kind="reply", move="ask", thread_id=thread_id, platform="reddit",
                          target="t3_x", text=text, status=status,
                          approved_at=approved_at))  # fmt: skip


def bodies(server: ChatCompletionsServer) -> str:
    """Every request body the model server received, as one text."""
    return "\n".join(request.body.decode() for request in server.requests)


def system_message(server: ChatCompletionsServer) -> str:
    (chat,) = server.chats
    return str(next(m["content"] for m in chat["messages"] if m["role"] == "system"))


def user_message(server: ChatCompletionsServer) -> str:
    (chat,) = server.chats
    return str(chat["messages"][-1]["content"])


def stored_drafts(engage: Engage) -> list[Draft]:
    from sqlalchemy import select

    with engage.db.read() as session:
        return list(session.scalars(select(Draft).order_by(Draft.id)))


def test_the_prompt_carries_the_threads_first_comments(
    engage: Engage, server: ChatCompletionsServer
) -> None:
    comments = ("We give couples six weeks of preparation.", "Stabilise the partner first.")
    seed_thread(engage, "t1", "Disclosure preparation", comments=comments)
    assert queue_drafts(engage) == 1
    assert all(comment in user_message(server) for comment in comments)


def test_removed_comments_and_the_therapists_own_are_not_sent(
    engage: Engage, server: ChatCompletionsServer
) -> None:
    thread_id = seed_thread(engage, "t1", "Disclosure preparation", comments=("Kept comment.",))
    with engage.db.write() as session:
        session.add(Comment(thread_id=thread_id, platform="reddit", external_id="gone",
                            parent_external_id="t1", body="Removed words", removed=True,
                            created_at=datetime.now(UTC)))  # fmt: skip
        session.add(Comment(thread_id=thread_id, platform="reddit", external_id="mine",
                            parent_external_id="t1", body="My own earlier words", mine=True,
                            created_at=datetime.now(UTC)))  # fmt: skip
    queue_drafts(engage)
    prompt = user_message(server)
    assert "Kept comment." in prompt
    assert "Removed words" not in prompt and "My own earlier words" not in prompt


def test_the_prompt_carries_the_therapists_approved_and_published_replies_as_voice(
    engage: Engage, server: ChatCompletionsServer
) -> None:
    elsewhere = seed_thread(engage, "old", "An older thread")
    seed_reply(engage, elsewhere, "Honestly, slowing down saved that disclosure.", "approved")
    seed_reply(engage, elsewhere, "I lean on check-ins between sessions.", "published")
    seed_thread(engage, "t1", "Disclosure preparation")
    assert queue_drafts(engage) == 1
    system = system_message(server)
    assert "Honestly, slowing down saved that disclosure." in system
    assert "I lean on check-ins between sessions." in system


def test_pending_and_rejected_drafts_are_not_voice_samples(
    engage: Engage, server: ChatCompletionsServer
) -> None:
    elsewhere = seed_thread(engage, "old", "An older thread")
    seed_reply(engage, elsewhere, "A pending draft the therapist never approved.", "pending")
    seed_reply(engage, elsewhere, "A rejected draft in a voice not theirs.", "rejected")
    seed_thread(engage, "t1", "Disclosure preparation")
    queue_drafts(engage)
    assert "never approved" not in bodies(server) and "not theirs" not in bodies(server)


def test_a_reply_approved_for_the_same_thread_is_not_a_voice_sample(
    engage: Engage, server: ChatCompletionsServer
) -> None:
    thread_id = seed_thread(engage, "t1", "Disclosure preparation")
    seed_reply(engage, thread_id, "My approved answer to this very thread.")
    draft_on_demand(engage, thread_id, None, actor="test")
    assert "this very thread" not in bodies(server)


def test_nothing_from_another_thread_reaches_the_model(
    engage: Engage, server: ChatCompletionsServer
) -> None:
    seed_thread(engage, "other", "Quokka sandtray supervision", "Marzipan tokens in play therapy?",
                comments=("Zanzibar workshop notes.",))  # fmt: skip
    drafted = seed_thread(engage, "t1", "Disclosure preparation", comments=("Six weeks.",))
    draft_on_demand(engage, drafted, None, actor="test")
    sent = bodies(server).lower()
    assert "disclosure preparation" in sent
    assert not any(word in sent for word in ("quokka", "sandtray", "marzipan", "zanzibar"))


def test_no_secret_in_the_environment_or_a_dotenv_file_reaches_a_request_body(
    engage: Engage, server: ChatCompletionsServer, config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    canaries = {
        "CANARY_LLM_KEY": "sk-canary-llm-4f1d",
        "ENGAGE_REDDIT_CLIENT_SECRET": "canary-reddit-secret-9a2c",
        "ENGAGE_REDDIT_PASSWORD": "canary-reddit-password-77e1",
        "ENGAGE_SMTP_PASSWORD": "canary-smtp-password-3b8e",
    }
    for name, value in canaries.items():
        monkeypatch.setenv(name, value)
    (config.parent / ".env").write_text("ENGAGE_LINKEDIN_CLIENT_SECRET=canary-dotenv-5c6d\n")
    seed_thread(engage, "t1", "Disclosure preparation", comments=("Six weeks.",))
    assert queue_drafts(engage) == 1
    sent = bodies(server)
    assert not any(secret in sent for secret in [*canaries.values(), "canary-dotenv-5c6d"])


def test_the_configured_key_goes_only_in_the_authorization_header(
    engage: Engage, server: ChatCompletionsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CANARY_LLM_KEY", "sk-canary-llm-4f1d")
    seed_thread(engage, "t1", "Disclosure preparation")
    queue_drafts(engage)
    (request,) = server.requests
    assert request.headers["authorization"] == "Bearer sk-canary-llm-4f1d"
    assert "sk-canary-llm-4f1d" not in request.body.decode()


def test_crisis_and_help_seeker_threads_are_drafted_without_the_model(
    engage: Engage, server: ChatCompletionsServer
) -> None:
    seed_thread(engage, "k1", "I can't go on", "I have a plan to end my life tonight.",
                comments=("Please call 988.",), crisis=True, flags=["crisis"])  # fmt: skip
    seed_thread(engage, "h1", "Should I leave my husband?", "My husband lied again, help.",
                intent="client_seeking_help", client_side=True)  # fmt: skip
    assert queue_drafts(engage) == 2
    assert server.requests == []


def test_a_move_the_thread_does_not_allow_gets_the_templates_draft_instead(
    engage: Engage, server: ChatCompletionsServer
) -> None:
    server.reply = "MOVE: agree_example\nAgreed, wholeheartedly, with what you said."
    seed_thread(engage, "t1", "Disclosure preparation")  # a question without a view: ask only
    assert queue_drafts(engage) == 1
    (draft,) = stored_drafts(engage)
    assert draft.move == "ask" and "wholeheartedly" not in draft.text


def test_the_guard_checks_the_models_draft(engage: Engage, server: ChatCompletionsServer) -> None:
    server.reply = "MOVE: ask\nSend me a private message to book a session with me this week."
    seed_thread(engage, "t1", "Disclosure preparation")
    queue_drafts(engage)
    (draft,) = stored_drafts(engage)
    assert draft.text == "Send me a private message to book a session with me this week."
    assert "solicitation" in {warning["slug"] for warning in draft.warnings}
