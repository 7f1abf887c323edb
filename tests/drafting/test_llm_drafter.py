"""The LLM drafter, through the `llm` library, against a real OpenAI-compatible HTTP server on
loopback: what it sends (rules, voice, thread) and what it makes of the answer."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace

import pytest

from engage.drafting import DraftingError, LlmDrafter
from engage.types import BlogArticle, DraftKind, Intent, Move, Profile
from engage.types.matching import FitCheck
from tests.drafting.conftest import MakeInput
from tests.fakes.openai import ChatCompletionsServer
from tests.fakes.server import Fault

REPLY = (
    "Yes to pacing it. I'm an LMFT and CSAT in Southern California, and what has helped me is "
    "[a short, de-identified example from your practice]. Curious what others see."
)


@pytest.fixture
def server() -> Iterator[ChatCompletionsServer]:
    pytest.importorskip("llm")
    with ChatCompletionsServer(REPLY) as running:
        yield running


@pytest.fixture
def drafter(server: ChatCompletionsServer) -> LlmDrafter:
    return LlmDrafter("local-model", api_base=server.api_base)


def _messages(server: ChatCompletionsServer) -> dict[str, str]:
    (chat,) = server.chats
    return {m["role"]: m["content"] for m in chat["messages"]}


def test_the_models_answer_becomes_the_draft(
    drafter: LlmDrafter, thread: MakeInput, csat: Profile
) -> None:
    draft = drafter.draft(thread(), csat)  # a question without a view: ASK
    assert draft.text == REPLY
    assert (draft.move, draft.kind, draft.cites) == (Move.ASK, DraftKind.REPLY, ())
    assert draft.drafter == "llm:local-model"


def test_the_request_names_the_model_and_carries_the_hard_rules(
    drafter: LlmDrafter, server: ChatCompletionsServer, thread: MakeInput, csat: Profile
) -> None:
    drafter.draft(thread(), csat)
    assert server.chats[0]["model"] == "local-model"
    system = _messages(server)["system"]
    for rule in ("No client details", "No individual clinical advice", "No solicitation"):
        assert rule in system
    assert "Say you are a therapist" in system and "2 to 5 sentences" in system


def test_the_request_carries_the_therapists_voice_samples(
    drafter: LlmDrafter, server: ChatCompletionsServer, thread: MakeInput, csat: Profile
) -> None:
    drafter.draft(thread(), csat)
    system = _messages(server)["system"]
    assert all(sample in system for sample in csat.voice_samples)


def test_the_request_asks_for_the_move_line_before_the_reply(
    drafter: LlmDrafter, server: ChatCompletionsServer, thread: MakeInput, csat: Profile
) -> None:
    drafter.draft(thread(), csat)
    assert "`MOVE: ask`" in _messages(server)["system"]


def test_the_request_carries_the_therapists_recent_approved_replies_as_voice(
    drafter: LlmDrafter, server: ChatCompletionsServer, thread: MakeInput, csat: Profile
) -> None:
    drafter.draft(thread(past_replies=("Slowing the disclosure down saved that couple.",)), csat)
    assert "Slowing the disclosure down saved that couple." in _messages(server)["system"]


def test_a_recent_reply_is_sent_without_its_credential_line(
    drafter: LlmDrafter, server: ChatCompletionsServer, thread: MakeInput, csat: Profile
) -> None:
    reply = "I'm Grace Lee, an LMFT and CSAT in Southern California. Pacing saved that couple."
    drafter.draft(thread(past_replies=(reply,)), csat)
    system = _messages(server)["system"]
    assert "Pacing saved that couple." in system and "Grace Lee" not in system


def test_at_most_three_recent_replies_are_sent(
    drafter: LlmDrafter, server: ChatCompletionsServer, thread: MakeInput, csat: Profile
) -> None:
    replies = tuple(f"Approved reply number {n}." for n in range(1, 6))
    drafter.draft(thread(past_replies=replies), csat)
    system = _messages(server)["system"]
    assert [r in system for r in replies] == [True, True, True, False, False]


def test_the_request_carries_the_threads_first_comments(
    drafter: LlmDrafter, server: ChatCompletionsServer, thread: MakeInput, csat: Profile
) -> None:
    drafter.draft(thread(comments=("We wait six weeks.", "Stabilise the partner first.")), csat)
    user = _messages(server)["user"]
    assert "We wait six weeks." in user and "Stabilise the partner first." in user


def test_a_long_comment_is_cut(
    drafter: LlmDrafter, server: ChatCompletionsServer, thread: MakeInput, csat: Profile
) -> None:
    drafter.draft(thread(comments=("word " * 400 + "TAILEND",)), csat)
    user = _messages(server)["user"]
    assert "word word" in user and "TAILEND" not in user


def test_the_request_carries_the_threads_questions(
    drafter: LlmDrafter, server: ChatCompletionsServer, thread: MakeInput, csat: Profile
) -> None:
    drafter.draft(thread(), csat)
    assert (
        "Questions the thread asks:\n- How do you decide how much detail is helpful"
        in _messages(server)["user"]
    )


def test_the_request_carries_the_therapists_work_without_their_name(
    drafter: LlmDrafter, server: ChatCompletionsServer, thread: MakeInput, csat: Profile
) -> None:
    profile = replace(csat, modalities=("EFT",), languages=("English", "Spanish"))
    drafter.draft(thread(), profile)
    user = _messages(server)["user"]
    assert "specialties: sex addiction and betrayal trauma, couples therapy" in user
    assert "modalities: EFT" in user and "languages: English, Spanish" in user
    assert "Grace Lee" not in user


def test_a_referral_offer_carries_the_fit_of_what_it_asks_for(
    drafter: LlmDrafter, server: ChatCompletionsServer, thread: MakeInput, csat: Profile
) -> None:
    post = thread(intent=Intent.REFERRAL_REQUEST, title="CSAT who takes Aetna?", body="Anyone?")
    fit = (FitCheck("language", "Spanish", True), FitCheck("insurance", "Aetna", None))
    drafter.draft(post, csat, fit=fit)
    user = _messages(server)["user"]
    assert "- Spanish (language): the therapist meets it" in user
    assert "- Aetna (insurance): the profile doesn't say" in user


def test_the_request_carries_the_thread_the_move_and_who_is_speaking(
    drafter: LlmDrafter, server: ChatCompletionsServer, thread: MakeInput, csat: Profile
) -> None:
    post = thread()
    drafter.draft(post, csat, move=Move.ASK)
    user = _messages(server)["user"]
    assert post.title in user and post.body in user and "r/therapists" in user
    assert "ask one question about the topic itself" in user
    assert "Do not introduce the therapist's credentials" in user
    assert "I'm an LMFT and CSAT in Southern California" not in user


def test_a_referral_offer_introduces_the_therapist_unless_the_community_heard_it_lately(
    drafter: LlmDrafter, server: ChatCompletionsServer, thread: MakeInput, csat: Profile
) -> None:
    post = thread(intent=Intent.REFERRAL_REQUEST, title="CSAT in Orange County?", body="Anyone?")
    drafter.draft(post, csat)
    drafter.draft(post, csat, introduce=False)
    first, second = (chat["messages"][-1]["content"] for chat in server.chats)
    assert "I'm Grace Lee, an LMFT and CSAT in Southern California" in first
    assert "Grace Lee" not in second


def test_an_agree_draft_is_told_the_opinion_to_name(
    drafter: LlmDrafter, server: ChatCompletionsServer, thread: MakeInput, csat: Profile
) -> None:
    post = thread(body="In my experience, a full formal disclosure works best after stabilization.")
    drafter.draft(post, csat, move=Move.AGREE_EXAMPLE)
    assert (
        "The opinion to name: a full formal disclosure works best after stabilization"
        in (_messages(server)["user"])
    )


def test_an_article_share_sends_the_article_and_cites_it(
    drafter: LlmDrafter, server: ChatCompletionsServer, thread: MakeInput, csat: Profile
) -> None:
    article = BlogArticle("https://gracelee-therapy.com/blog/disclosure", "Pacing disclosure")
    server.reply = f"I'm a CSAT, and I wrote about this here: {article.url} Curious what you think."
    draft = drafter.draft(thread(), csat, article=article)
    assert article.url in _messages(server)["user"]
    assert (draft.move, draft.cites) == (Move.SHARE_ARTICLE, (article.url,))


def test_the_move_the_model_names_becomes_the_drafts_move(
    drafter: LlmDrafter, server: ChatCompletionsServer, thread: MakeInput, csat: Profile
) -> None:
    server.reply = f"MOVE: disagree_example\n{REPLY}"
    post = thread(body="In my experience, a full formal disclosure works best after stabilization.")
    draft = drafter.draft(post, csat, move=Move.AGREE_EXAMPLE)
    assert (draft.move, draft.text) == (Move.DISAGREE_EXAMPLE, REPLY)


def test_a_move_line_in_the_models_own_words_is_read(
    drafter: LlmDrafter, server: ChatCompletionsServer, thread: MakeInput, csat: Profile
) -> None:
    server.reply = f"**Move:** `Disagree`\n{REPLY}"
    post = thread(body="In my experience, a full formal disclosure works best after stabilization.")
    assert drafter.draft(post, csat, move=Move.AGREE_EXAMPLE).move is Move.DISAGREE_EXAMPLE


def test_a_json_answer_is_read(
    drafter: LlmDrafter, server: ChatCompletionsServer, thread: MakeInput, csat: Profile
) -> None:
    server.reply = '```json\n{"move": "ask", "text": "Pacing matters [your example]."}\n```'
    draft = drafter.draft(thread(), csat)
    assert (draft.move, draft.text) == (Move.ASK, "Pacing matters [your example].")


def test_an_unknown_move_falls_back_to_the_one_asked_for(
    drafter: LlmDrafter, server: ChatCompletionsServer, thread: MakeInput, csat: Profile
) -> None:
    server.reply = f"MOVE: empathise\n{REPLY}"
    draft = drafter.draft(thread(), csat, move=Move.ASK)
    assert (draft.move, draft.text) == (Move.ASK, REPLY)


def test_a_move_the_thread_does_not_allow_is_a_drafting_error(
    drafter: LlmDrafter, server: ChatCompletionsServer, thread: MakeInput, csat: Profile
) -> None:
    server.reply = f"MOVE: agree_example\n{REPLY}"  # the thread states no view to agree with
    with pytest.raises(DraftingError, match="move agree_example does not fit this thread"):
        drafter.draft(thread(), csat)


def test_a_crisis_reply_never_comes_from_the_model(
    drafter: LlmDrafter, server: ChatCompletionsServer, thread: MakeInput, csat: Profile
) -> None:
    draft = drafter.draft(thread(crisis=True), csat)
    assert draft.move is Move.CRISIS_RESOURCES and "988" in draft.text
    assert server.chats == []


def test_a_help_seeker_reply_never_comes_from_the_model(
    drafter: LlmDrafter, server: ChatCompletionsServer, thread: MakeInput, csat: Profile
) -> None:
    post = thread(client_side=True, intent=Intent.CLIENT_SEEKING_HELP)
    assert drafter.draft(post, csat).move is Move.FIND_A_PROFESSIONAL
    assert server.chats == []


def test_no_key_is_sent_unless_one_is_given(
    drafter: LlmDrafter, server: ChatCompletionsServer, thread: MakeInput, csat: Profile
) -> None:
    drafter.draft(thread(), csat)
    assert server.requests[0].headers["authorization"] == "Bearer DUMMY_KEY"


def test_a_given_key_is_sent_as_a_bearer_token(
    server: ChatCompletionsServer, thread: MakeInput, csat: Profile
) -> None:
    LlmDrafter("local-model", api_base=server.api_base, key="sk-test").draft(thread(), csat)
    assert server.requests[0].headers["authorization"] == "Bearer sk-test"


def test_a_server_error_is_a_drafting_error(
    drafter: LlmDrafter, server: ChatCompletionsServer, thread: MakeInput, csat: Profile
) -> None:
    server.inject(Fault(status=400))
    with pytest.raises(DraftingError, match="local-model did not answer"):
        drafter.draft(thread(), csat)


def test_an_empty_answer_is_a_drafting_error(
    drafter: LlmDrafter, server: ChatCompletionsServer, thread: MakeInput, csat: Profile
) -> None:
    server.reply = "  "
    with pytest.raises(DraftingError, match="empty"):
        drafter.draft(thread(), csat)


def test_an_unknown_model_is_a_drafting_error(thread: MakeInput, csat: Profile) -> None:
    pytest.importorskip("llm")
    with pytest.raises(DraftingError, match="unknown model"):
        LlmDrafter("no-such-model-anywhere").draft(thread(), csat)


def test_engage_drafts_without_the_llm_package_installed() -> None:
    code = "import sys, engage.drafting; assert 'llm' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_without_the_llm_package_the_llm_drafter_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, thread: MakeInput, csat: Profile
) -> None:
    monkeypatch.setitem(sys.modules, "llm", None)  # makes `import llm` fail
    with pytest.raises(DraftingError, match=r"pip install 'engage\[llm\]'"):
        LlmDrafter("local-model", api_base="http://127.0.0.1:9/v1").draft(thread(), csat)
