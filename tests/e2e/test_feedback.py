"""Learning from the desk through the real CLI: a reply rejected with a reason ranks that kind of
thread lower (threads worth joining, the drafting step) and says why; `engage feedback` lists it
and `engage feedback undo` restores the ranking; edits are kept before and after."""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from engage.app import make_engage
from engage.desk import queue_drafts
from engage.models import Draft, Match, Thread
from engage.types import DraftKind
from tests.e2e.desk_world import run

pytestmark = pytest.mark.usefixtures("app_database")

REFERRAL = "Looking for a couples therapist in Irvine for a couple after an affair: who?"
CONSULT = "How long do you prepare a couple before a formal disclosure of compulsive porn use?"
LOWERED = (
    "ranked lower: you turned down a draft on referral requests about couples work — "
    "'not my population'"
)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "engage.toml"
    path.write_text('[profile]\nname = "Grace Lee"\ncredentials = "LMFT, CSAT"\n'
                    "[profile.specialties]\nsex_addiction = 1.0\ncouples = 1.0\n")  # fmt: skip
    return path


def seed(config: Path, key: str, score: float, intent: str, specialty: str, body: str, *,
         draft: str | None = None) -> tuple[int, int | None]:  # fmt: skip
    """A fresh Reddit thread matched with `intent` on `specialty`, and a pending reply on it
    when `draft` is its text."""
    engage = make_engage(config)
    with engage.db.write() as session:
        thread = Thread(platform="reddit", external_id=key, community="r/therapists",
                        title=f"{intent} {key}", body=body,
                        url=f"https://www.reddit.com/r/therapists/comments/{key}/",
                        created_at=datetime.now(UTC) - timedelta(hours=2))  # fmt: skip
        session.add(thread)
        session.flush()
        session.add(Match(thread_id=thread.id, score=score, intent=intent, profile_hash="t",
                          specialties=[specialty], reasons=[{"kind": "specialty",
                          "label": specialty, "text": specialty, "weight": 1.0}]))  # fmt: skip
        draft_id = None
        if draft is not None:
            row = Draft(kind=DraftKind.REPLY, move="ask", thread_id=thread.id,
                        platform="reddit", target=f"t3_{key}", text=draft)  # fmt: skip
            session.add(row)
            session.flush()
            draft_id = row.id
        thread_id = thread.id
    engage.close()
    return thread_id, draft_id


def worth(config: Path) -> list[dict[str, object]]:
    result = run(config, "threads", "list", "--worth", "--json")
    assert result.exit_code == 0, result.output
    rows: list[dict[str, object]] = json.loads(result.output)
    return rows


def order(config: Path) -> list[tuple[object, object]]:
    """(thread id, why it is lowered) in the order threads worth joining are listed."""
    return [(row["id"], row["match"]["lowered"]) for row in worth(config)]  # type: ignore[index]


def test_a_rejection_with_a_reason_ranks_that_kind_lower_until_undone(config: Path) -> None:
    rejected, draft = seed(config, "a1", 0.9, "referral_request", "couples", REFERRAL,
                           draft="Happy to help: I see couples in Irvine.")  # fmt: skip
    same_kind, _ = seed(config, "a2", 0.8, "referral_request", "couples", REFERRAL)
    other, _ = seed(config, "b1", 0.7, "consult_question", "sex_addiction", CONSULT)
    assert order(config) == [(rejected, None), (same_kind, None), (other, None)]

    said = run(config, "drafts", "reject", str(draft), "--reason", "not my population")
    assert said.exit_code == 0 and "threads of its kind rank lower now" in said.output
    assert order(config) == [(other, None), (rejected, LOWERED), (same_kind, LOWERED)]

    [lowering] = json.loads(run(config, "feedback", "--json").output)
    assert (lowering["label"], lowering["count"], lowering["rejections"][0]["reason"]) == (
        "referral requests about couples work", 1, "not my population")  # fmt: skip
    undone = run(config, "feedback", "undo", str(lowering["rejections"][0]["id"]))
    assert undone.exit_code == 0, undone.output
    assert order(config) == [(rejected, None), (same_kind, None), (other, None)]


def test_the_worth_list_in_words_says_why_a_thread_ranks_lower(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # one line a thread
    _, draft = seed(config, "a1", 0.9, "referral_request", "couples", REFERRAL, draft="Hi.")
    run(config, "drafts", "reject", str(draft), "--reason", "not my population")
    shown = run(config, "threads", "list", "--worth", "--limit", "5")
    assert f"({LOWERED})" in shown.output


def test_feedback_lists_each_kind_with_its_reasons_and_how_to_undo(config: Path) -> None:
    for n, reason in enumerate(("not my population", "too far away")):
        _, draft = seed(config, f"a{n}", 0.9, "referral_request", "couples", REFERRAL,
                        draft="Hi.")  # fmt: skip
        run(config, "drafts", "reject", str(draft), "--reason", reason)
    listed = run(config, "feedback")
    assert listed.exit_code == 0
    assert "referral requests about couples work: ranked x0.49 (2 drafts rejected)" in (
        listed.output
    )
    assert "'too far away'" in listed.output and "engage feedback undo ID" in listed.output


def test_undo_all_leaves_nothing_ranked_lower(config: Path) -> None:
    _, draft = seed(config, "a1", 0.9, "referral_request", "couples", REFERRAL, draft="Hi.")
    run(config, "drafts", "reject", str(draft), "--reason", "not my population")
    assert run(config, "feedback", "undo", "--all").exit_code == 0
    assert json.loads(run(config, "feedback", "--json").output) == []
    assert "nothing is ranked lower" in run(config, "feedback").output


@pytest.mark.parametrize("args", [[], ["1", "--all"]], ids=["neither", "both"])
def test_undo_needs_one_feedback_id_or_all(config: Path, args: list[str]) -> None:
    result = run(config, "feedback", "undo", *args)
    assert result.exit_code == 2 and "give a feedback ID" in result.output


def test_undoing_unknown_feedback_is_a_usage_error(config: Path) -> None:
    result = run(config, "feedback", "undo", "7")
    assert result.exit_code == 2 and "feedback 7 does not exist" in result.output


def test_the_drafting_step_passes_over_a_kind_lowered_below_its_threshold(config: Path) -> None:
    _, draft = seed(config, "a1", 0.9, "referral_request", "couples", REFERRAL, draft="Hi.")
    run(config, "drafts", "reject", str(draft), "--reason", "not my population")
    lowered, _ = seed(config, "a2", 0.6, "referral_request", "couples", REFERRAL)
    other, _ = seed(config, "b1", 0.6, "consult_question", "sex_addiction", CONSULT)
    engage = make_engage(config)
    try:
        assert queue_drafts(engage) == 1
    finally:
        engage.close()
    drafted = {row["thread_id"] for row in json.loads(run(config, "drafts", "list", "--status",
                                                          "pending", "--json").output)}  # fmt: skip
    assert other in drafted and lowered not in drafted


def test_edits_list_the_text_before_and_after(config: Path) -> None:
    _, draft = seed(config, "a1", 0.9, "referral_request", "couples", REFERRAL, draft="Hi.")
    edited = run(config, "drafts", "edit", str(draft), "--text", "Hi: I see couples in Irvine.")
    assert edited.exit_code == 0, edited.output
    [edit] = json.loads(run(config, "drafts", "edits", "--json").output)
    assert (edit["draft_id"], edit["before"], edit["after"], edit["thread_title"]) == (
        draft, "Hi.", "Hi: I see couples in Irvine.", "referral_request a1")  # fmt: skip
    assert "after:  Hi: I see couples in Irvine." in run(config, "drafts", "edits").output


def test_a_draft_on_a_lowered_kind_says_so_where_it_is_shown(config: Path) -> None:
    _, rejected = seed(config, "a1", 0.9, "referral_request", "couples", REFERRAL, draft="Hi.")
    _, waiting = seed(config, "a2", 0.9, "referral_request", "couples", REFERRAL, draft="Hi.")
    run(config, "drafts", "reject", str(rejected), "--reason", "not my population")
    shown = json.loads(run(config, "drafts", "show", str(waiting), "--json").output)
    assert shown["match"]["lowered"] == LOWERED


@pytest.mark.slow
def test_rejecting_at_the_desk_in_a_terminal_says_that_kind_ranks_lower(config: Path) -> None:
    import pexpect

    _, draft = seed(config, "a1", 0.9, "referral_request", "couples", REFERRAL,
                    draft="Happy to help: I see couples in Irvine.")  # fmt: skip
    seed(config, "a2", 0.9, "referral_request", "couples", REFERRAL, draft="Hi.")
    child = pexpect.spawn(sys.executable, ["-m", "engage", "--config", str(config), "review"],
                          env={**os.environ, "COLUMNS": "200"}, encoding="utf-8",
                          timeout=30)  # fmt: skip
    child.expect("1 of 2")
    child.send("r")
    child.expect("Why reject it")
    child.sendline("not my population")
    child.expect("threads of its kind rank lower now")
    child.expect("2 of 2")
    child.expect("ranked lower: you turned down a draft on referral requests")
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    [lowering] = json.loads(run(config, "feedback", "--json").output)
    assert lowering["rejections"][0]["draft_id"] == draft
