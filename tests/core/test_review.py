"""The draft state machine: compare-and-set transitions and their audit log, on both engines."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import select

from engage.db import Database
from engage.desk import states as review
from engage.errors import TransitionError
from engage.models import Draft, DraftEvent
from engage.types import DraftStatus

TEXT = "I've seen this often with couples after disclosure; what helped was [your example]."


BLOCKING = [{"slug": "individual_clinical_advice", "message": "diagnoses a stranger",
             "span": [0, 4], "blocking": True}]  # fmt: skip


def new_draft(
    db: Database, text: str = TEXT, warnings: list[dict[str, object]] | None = None
) -> int:
    with db.write() as session:
        draft = Draft(kind="reply", platform="reddit", target="t3_abc", text=text,
                      warnings=warnings or [])  # fmt: skip
        session.add(draft)
        session.flush()
        return draft.id


def status_of(db: Database, draft_id: int) -> str:
    with db.read() as session:
        return session.scalars(select(Draft.status).where(Draft.id == draft_id)).one()


def events_of(db: Database, draft_id: int) -> list[tuple[str | None, str, str]]:
    with db.read() as session:
        rows = session.scalars(
            select(DraftEvent).where(DraftEvent.draft_id == draft_id).order_by(DraftEvent.id)
        )
        return [(e.from_status, e.to_status, e.actor) for e in rows]


def approve(db: Database, draft_id: int) -> None:
    review.approve(db, draft_id, seen_text=TEXT, seen_target="t3_abc", actor="cli")


def test_approval_records_the_hash_of_the_exact_text_and_target(db: Database) -> None:
    draft_id = new_draft(db)
    approve(db, draft_id)
    with db.read() as session:
        draft = session.get_one(Draft, draft_id)
    assert draft.status == "approved"
    assert draft.approved_hash == review.approval_hash(TEXT, "t3_abc")
    assert events_of(db, draft_id) == [("pending", "approved", "cli")]


def test_approving_text_other_than_the_stored_text_fails(db: Database) -> None:
    draft_id = new_draft(db)
    with pytest.raises(TransitionError, match="changed since you saw it"):
        review.approve(db, draft_id, seen_text="older text", seen_target="t3_abc", actor="cli")
    assert status_of(db, draft_id) == "pending"


def test_editing_an_approved_draft_returns_it_to_pending(db: Database) -> None:
    draft_id = new_draft(db)
    approve(db, draft_id)
    review.edit(db, draft_id, text="new words", warnings=[], actor="cli")
    with db.read() as session:
        draft = session.get_one(Draft, draft_id)
    assert (draft.status, draft.text, draft.approved_hash) == ("pending", "new words", None)


def test_a_draft_with_blocking_warnings_needs_an_override_reason(db: Database) -> None:
    draft_id = new_draft(db, warnings=BLOCKING)
    with pytest.raises(review.GuardBlockedError, match="individual_clinical_advice"):
        approve(db, draft_id)
    assert status_of(db, draft_id) == "pending"


def test_an_override_reason_is_kept_in_the_audit_log(db: Database) -> None:
    draft_id = new_draft(db, warnings=BLOCKING)
    review.approve(db, draft_id, seen_text=TEXT, seen_target="t3_abc", actor="cli",
                   override_reason="peer consultation, not advice to a client")  # fmt: skip
    with db.read() as session:
        event = session.scalars(select(DraftEvent).where(DraftEvent.draft_id == draft_id)).one()
    assert event.detail["override"] == "peer consultation, not advice to a client"
    assert event.detail["overridden"] == ["individual_clinical_advice"]


def test_a_rejected_draft_cannot_be_approved(db: Database) -> None:
    draft_id = new_draft(db)
    review.reject(db, draft_id, reason="not my voice", actor="cli")
    with pytest.raises(TransitionError, match="is rejected, not pending"):
        approve(db, draft_id)


def test_claiming_needs_an_approved_draft(db: Database) -> None:
    draft_id = new_draft(db)
    with pytest.raises(TransitionError, match="is pending, not approved"):
        review.claim(db, draft_id, actor="worker")


def test_an_impossible_transition_is_a_programming_error(db: Database) -> None:
    draft_id = new_draft(db)
    with db.write() as session, pytest.raises(ValueError, match="not a draft transition"):
        review.transition(
            session, draft_id, [DraftStatus.PENDING], DraftStatus.PUBLISHED, actor="x"
        )


def race(db_url: str, draft_id: int, actions: list[Callable[[Database, int], object]]) -> list[str]:
    """Run the actions at the same moment in separate threads and connections; list outcomes."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[str] = []

    def attempt(action: Callable[[Database, int], object]) -> None:
        database = Database(db_url)
        try:
            barrier.wait()
            action(database, draft_id)
            outcomes.append("won")
        except TransitionError:
            outcomes.append("lost")
        finally:
            database.dispose()

    threads = [threading.Thread(target=attempt, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_approve_racing_reject_has_exactly_one_winner(database_url: str, db: Database) -> None:
    for _ in range(8):
        draft_id = new_draft(db)
        outcomes = race(
            database_url,
            draft_id,
            [approve, lambda d, i: review.reject(d, i, reason="no", actor="other")],
        )
        assert sorted(outcomes) == ["lost", "won"]
        assert len(events_of(db, draft_id)) == 1
        assert status_of(db, draft_id) == events_of(db, draft_id)[0][1]


def test_two_claims_of_one_approved_draft_have_exactly_one_winner(
    database_url: str, db: Database
) -> None:
    for _ in range(8):
        draft_id = new_draft(db)
        approve(db, draft_id)
        claim = lambda d, i: review.claim(d, i, actor="worker")  # noqa: E731
        assert sorted(race(database_url, draft_id, [claim, claim])) == ["lost", "won"]
        assert [e[1] for e in events_of(db, draft_id)] == ["approved", "publishing"]


def test_a_claim_needs_an_approval_that_covers_the_stored_text(db: Database) -> None:
    draft_id = new_draft(db)
    approve(db, draft_id)
    with db.write() as session:  # as if some future code changed the text behind review's back
        session.get_one(Draft, draft_id).text = TEXT + " (changed)"
    with pytest.raises(TransitionError, match="not covered by an approval"):
        review.claim(db, draft_id, actor="worker")
    assert status_of(db, draft_id) == "approved"


def test_no_override_excuses_an_unfilled_bracket(db: Database) -> None:
    placeholder = [{"slug": "unfilled_placeholder", "message": "fill it", "span": [0, 3],
                    "blocking": True}]  # fmt: skip
    draft_id = new_draft(db, warnings=placeholder)
    with pytest.raises(review.GuardBlockedError, match="can't be approved until it is edited"):
        review.approve(db, draft_id, seen_text=TEXT, seen_target="t3_abc", actor="cli",
                       override_reason="I'll fill it in later")  # fmt: skip
