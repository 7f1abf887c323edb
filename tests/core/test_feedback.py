"""Learning from the desk: the factor and a thread's kind (pure), and on both engines the
rejections kept as feedback, undone, applied where threads are ranked (threads worth joining,
the digest), and the therapist's edits kept before and after."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from engage.config import DigestSettings
from engage.db import Database
from engage.desk import states
from engage.desk.feedback import active_lowerings, draft_edits, list_lowerings, undo_feedback
from engage.digest.build import build_digest
from engage.digest.render import render_digest
from engage.errors import NotFoundError, UsageError
from engage.feedback import FACTOR, FLOOR, factor, kind_of, label, lowered, lowerings, note
from engage.models import Draft, DraftEvent, Feedback, Match, Thread
from engage.threads import list_threads
from engage.types import DraftKind
from engage.types.feedback import Rejection, ThreadKind

SHORT = {"couples": "couples work", "sex_addiction": "sex addiction"}
REFERRAL_COUPLES = ThreadKind("referral_request", "couples")
NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)


def rejection(n: int, reason: str = "not my population", kind: ThreadKind = REFERRAL_COUPLES
              ) -> Rejection:  # fmt: skip
    return Rejection(n, kind, reason, draft_id=10 + n, thread_id=20 + n, at=NOW + timedelta(n))


# The pure part


def test_no_rejection_leaves_the_score_as_matching_gave_it() -> None:
    assert factor(0) == 1.0


def test_each_rejection_of_a_kind_lowers_it_by_the_factor() -> None:
    assert factor(1) == FACTOR
    assert factor(2) == pytest.approx(FACTOR * FACTOR)


def test_many_rejections_never_lower_a_kind_below_the_floor() -> None:
    assert factor(50) == FLOOR


def test_a_threads_kind_is_its_intent_and_its_leading_specialty() -> None:
    assert kind_of("referral_request", ["couples", "trauma"]) == REFERRAL_COUPLES


def test_a_thread_naming_no_specialty_is_of_its_intent_alone() -> None:
    assert kind_of("discussion", []) == ThreadKind("discussion", None)


def test_a_kind_is_named_in_the_taxonomys_words_never_its_slugs() -> None:
    assert label(REFERRAL_COUPLES, SHORT) == "referral requests about couples work"


def test_a_kind_with_no_specialty_is_named_by_what_its_author_wants() -> None:
    assert label(ThreadKind("business", None), SHORT) == "practice questions"


def test_rejections_are_grouped_by_kind_newest_first() -> None:
    other = ThreadKind("discussion", "sex_addiction")
    found = lowerings([rejection(1), rejection(2), rejection(3, "off topic", other)], SHORT)
    assert [r.id for r in found[REFERRAL_COUPLES].rejections] == [2, 1]
    assert (found[REFERRAL_COUPLES].factor, found[other].factor) == (factor(2), factor(1))


def test_a_thread_of_a_lowered_kind_ranks_by_the_lowered_score() -> None:
    found = lowerings([rejection(1)], SHORT)
    score, lowering = lowered(0.8, REFERRAL_COUPLES, found)
    assert score == pytest.approx(0.8 * FACTOR)
    assert lowering == found[REFERRAL_COUPLES]


def test_a_thread_of_another_kind_is_not_lowered() -> None:
    found = lowerings([rejection(1)], SHORT)
    assert lowered(0.8, ThreadKind("referral_request", "trauma"), found) == (0.8, None)


def test_the_note_says_how_many_drafts_on_what_kind_and_why() -> None:
    found = lowerings([rejection(1), rejection(2, "too far away")], SHORT)
    assert note(found[REFERRAL_COUPLES]) == (
        "ranked lower: you turned down 2 drafts on referral requests about couples work — "
        "'too far away'; 'not my population'"
    )


def test_the_note_for_one_rejection_says_a_draft() -> None:
    assert note(lowerings([rejection(1)], SHORT)[REFERRAL_COUPLES]).startswith(
        "ranked lower: you turned down a draft on referral requests"
    )


# Stored, on both engines


def seed(
    db: Database, title: str, score: float, intent: str = "referral_request",
    specialties: tuple[str, ...] = ("couples",), *, draft: str | None = None,
    kind: DraftKind = DraftKind.REPLY, crisis: bool = False,
) -> tuple[int, int | None]:  # fmt: skip
    """A fresh matched thread, and a pending draft on it when `draft` is its text."""
    with db.write() as session:
        thread = Thread(platform="reddit", external_id=title, community="r/therapists",
                        title=title, url=f"https://www.reddit.com/r/therapists/comments/{title}/",
                        created_at=datetime.now(UTC) - timedelta(hours=1))  # fmt: skip
        session.add(thread)
        session.flush()
        session.add(Match(thread_id=thread.id, score=score, intent=intent, crisis=crisis,
                          specialties=list(specialties), profile_hash="t"))  # fmt: skip
        draft_id = None
        if draft is not None:
            row = Draft(kind=kind, move="ask", thread_id=thread.id, platform="reddit",
                        target=f"t3_{title}", text=draft, status="pending")  # fmt: skip
            session.add(row)
            session.flush()
            draft_id = row.id
        return thread.id, draft_id


def worth(db: Database) -> list[int]:
    return [thread.id for thread in list_threads(db, worth=True)]


def test_a_rejected_reply_is_kept_as_feedback_on_its_threads_kind(db: Database) -> None:
    thread, draft = seed(db, "t1", 0.9, draft="Happy to help.")
    assert draft is not None
    feedback = states.reject(db, draft, reason="not my population", actor="test")
    with db.read() as session:
        row = session.get(Feedback, feedback)
        assert row is not None
        assert (row.intent, row.specialty, row.reason, row.thread_id, row.draft_id) == (
            "referral_request", "couples", "not my population", thread, draft)  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "crisis"),
    [(DraftKind.CRISIS_REPLY, True), (DraftKind.BLOG_SHARE, False)],
    ids=["crisis reply", "blog share"],
)
def test_rejecting_what_is_not_a_networking_reply_lowers_nothing(
    db: Database, kind: DraftKind, crisis: bool
) -> None:
    _, draft = seed(db, "t1", 0.9, draft="Please call 988.", kind=kind, crisis=crisis)
    assert draft is not None
    assert states.reject(db, draft, reason="wrong", actor="test") is None
    assert list_lowerings(db) == []


def test_threads_worth_joining_rank_a_rejected_kind_lower_and_say_why(db: Database) -> None:
    first, draft = seed(db, "t1", 0.9, draft="Happy to help.")
    second, _ = seed(db, "t2", 0.8)
    other, _ = seed(db, "t3", 0.7, "consult_question", ("sex_addiction",))
    assert draft is not None
    assert worth(db) == [first, second, other]
    states.reject(db, draft, reason="not my population", actor="test")
    assert worth(db) == [other, first, second]
    lowered_view = list_threads(db, worth=True)[2]
    assert lowered_view.match is not None
    assert lowered_view.match.ranked_score == pytest.approx(0.8 * FACTOR)
    assert lowered_view.match.lowered == (
        "ranked lower: you turned down a draft on referral requests about couples work — "
        "'not my population'"
    )


def test_a_rejected_kind_naming_no_specialty_lowers_only_threads_naming_none(
    db: Database,
) -> None:
    plain, draft = seed(db, "t1", 0.9, "discussion", (), draft="Happy to help.")
    named, _ = seed(db, "t2", 0.8, "discussion", ("couples",))
    unnamed, _ = seed(db, "t3", 0.7, "discussion", ())
    assert draft is not None
    states.reject(db, draft, reason="off topic", actor="test")
    assert worth(db) == [named, plain, unnamed]


def test_undone_feedback_lowers_nothing(db: Database) -> None:
    first, draft = seed(db, "t1", 0.9, draft="Happy to help.")
    other, _ = seed(db, "t2", 0.7, "consult_question", ("sex_addiction",))
    assert draft is not None
    feedback = states.reject(db, draft, reason="not my population", actor="test")
    assert undo_feedback(db, feedback) == [feedback]
    assert worth(db) == [first, other]
    with db.read() as session:
        assert active_lowerings(session) == {}


def test_undo_all_undoes_every_active_rejection(db: Database) -> None:
    drafts = [seed(db, f"t{n}", 0.9, draft="Happy to help.")[1] for n in range(2)]
    ids = {states.reject(db, d, reason="no", actor="test") for d in drafts if d is not None}
    assert set(undo_feedback(db, None)) == ids
    assert list_lowerings(db) == []


def test_undoing_feedback_twice_is_a_usage_error(db: Database) -> None:
    _, draft = seed(db, "t1", 0.9, draft="Happy to help.")
    assert draft is not None
    feedback = states.reject(db, draft, reason="no", actor="test")
    undo_feedback(db, feedback)
    with pytest.raises(UsageError, match="already undone"):
        undo_feedback(db, feedback)


def test_undoing_unknown_feedback_says_so(db: Database) -> None:
    with pytest.raises(NotFoundError, match="feedback 99 does not exist"):
        undo_feedback(db, 99)


def test_the_digest_ranks_a_rejected_kind_lower_and_says_why(db: Database) -> None:
    first, draft = seed(db, "t1", 0.9, draft="Happy to help.")
    other, _ = seed(db, "t2", 0.7, "consult_question", ("sex_addiction",))
    assert draft is not None
    states.reject(db, draft, reason="not my population", actor="test")
    with db.read() as session:
        data = build_digest(session, DigestSettings(), since=None)
    [(_, threads)] = data.communities
    assert [(t.id, t.lowered.split(" — ")[0]) for t in threads] == [
        (other, ""),
        (first, "ranked lower: you turned down a draft on referral requests about couples work"),
    ]


def test_the_digest_email_says_why_a_thread_ranks_lower_and_how_to_undo_it(db: Database) -> None:
    _, draft = seed(db, "t1", 0.9, draft="Happy to help.")
    assert draft is not None
    states.reject(db, draft, reason="not my population", actor="test")
    with db.read() as session:
        rendered = render_digest(build_digest(session, DigestSettings(), since=None))
    said = "ranked lower: you turned down a draft on referral requests about couples work"
    assert f"({said}" in rendered.text and "engage feedback to undo" in rendered.text
    assert said in rendered.html


def test_the_digest_leaves_out_a_thread_lowered_below_its_minimum(db: Database) -> None:
    _, draft = seed(db, "t1", 0.5, draft="Happy to help.")
    assert draft is not None
    states.reject(db, draft, reason="not my population", actor="test")
    with db.read() as session:
        data = build_digest(session, DigestSettings(min_score=0.4), since=None)
    assert data.communities == []


def test_an_edit_by_hand_is_kept_before_and_after(db: Database) -> None:
    thread, draft = seed(db, "t1", 0.9, draft="Happy to help.")
    assert draft is not None
    states.edit(db, draft, text="Happy to help: I see couples in Irvine.", warnings=[],
                actor="test")  # fmt: skip
    [edit] = draft_edits(db)
    assert (edit.draft_id, edit.before, edit.after, edit.thread_id, edit.thread_title) == (
        draft, "Happy to help.", "Happy to help: I see couples in Irvine.", thread, "t1",
    )  # fmt: skip


def test_a_drafters_rewrite_is_not_listed_as_the_therapists_edit(db: Database) -> None:
    _, draft = seed(db, "t1", 0.9, draft="Happy to help.")
    assert draft is not None
    states.edit(db, draft, text="What has helped you?", warnings=[], actor="test",
                move="ask", by_hand=False)  # fmt: skip
    assert draft_edits(db) == []
    with db.read() as session:
        [event] = session.scalars(select(DraftEvent).where(DraftEvent.draft_id == draft)).all()
    assert (event.detail["before"], event.detail["after"]) == ("Happy to help.",
                                                               "What has helped you?")  # fmt: skip


def test_edits_come_newest_first_within_the_limit(db: Database) -> None:
    _, draft = seed(db, "t1", 0.9, draft="One.")
    assert draft is not None
    for text in ("Two.", "Three."):
        states.edit(db, draft, text=text, warnings=[], actor="test")
    assert [edit.after for edit in draft_edits(db, limit=1)] == ["Three."]
