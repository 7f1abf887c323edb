"""Two processes act on the same draft at the same moment: one consistent outcome, told by the
audit log, on SQLite and on PostgreSQL."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from engage.db import Database
from engage.desk import states as review
from engage.errors import EngageError
from engage.models import Draft, DraftEvent

pytestmark = pytest.mark.slow

TEXT = "What helped me most was [a de-identified example]."
TARGET = "t3_abc"
ROUNDS = 3


def approve(db: Database, draft_id: int) -> None:
    review.approve(db, draft_id, seen_text=TEXT, seen_target=TARGET, actor="desk")


def edit(db: Database, draft_id: int) -> None:
    review.edit(db, draft_id, text=TEXT + " Edited.", warnings=[], actor="script")


def reject(db: Database, draft_id: int) -> None:
    review.reject(db, draft_id, reason="no", actor="script")


def claim(db: Database, draft_id: int) -> None:
    review.claim(db, draft_id, actor="worker")


ACTIONS: dict[str, Callable[[Database, int], None]] = {
    "approve": approve, "edit": edit, "reject": reject, "claim": claim,
}  # fmt: skip


def act(url: str, name: str, draft_id: int, barrier: Any, results: Any) -> None:
    database = Database(url)
    barrier.wait()
    try:
        ACTIONS[name](database, draft_id)
        results.put((name, "won"))
    except EngageError:
        results.put((name, "lost"))
    finally:
        database.dispose()


def new_draft(db: Database, status: str = "pending") -> int:
    with db.write() as session:
        draft = Draft(kind="reply", platform="reddit", target=TARGET, text=TEXT)
        session.add(draft)
        session.flush()
        draft_id = draft.id
    if status == "approved":
        approve(db, draft_id)
    return draft_id


def race(url: str, draft_id: int, names: tuple[str, str]) -> list[tuple[str, str]]:
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(2), context.Queue()
    processes = [context.Process(target=act, args=(url, name, draft_id, barrier, results))
                 for name in names]  # fmt: skip
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    return sorted(results.get(timeout=5) for _ in names)


def story(db: Database, draft_id: int) -> tuple[Draft, list[DraftEvent]]:
    with db.read() as session:
        draft = session.get_one(Draft, draft_id)
        events = list(session.scalars(
            select(DraftEvent).where(DraftEvent.draft_id == draft_id).order_by(DraftEvent.id)
        ))  # fmt: skip
    return draft, events


def assert_consistent(draft: Draft, events: list[DraftEvent]) -> None:
    """The audit log replays to the final state, and an approval always covers the exact text."""
    state = "pending"
    for event in events:
        assert event.from_status == state
        state = event.to_status
    assert state == draft.status
    if draft.status in ("approved", "publishing"):
        assert draft.approved_hash == review.approval_hash(draft.text, draft.target)


@pytest.mark.parametrize(
    ("names", "start"),
    [(("approve", "edit"), "pending"), (("approve", "reject"), "pending"),
     (("claim", "edit"), "approved"), (("claim", "claim"), "approved")],
)  # fmt: skip
def test_racing_processes_leave_one_consistent_story(
    database_url: str, db: Database, names: tuple[str, str], start: str
) -> None:
    for _ in range(ROUNDS):
        draft_id = new_draft(db, start)
        outcomes = race(database_url, draft_id, names)
        draft, events = story(db, draft_id)
        assert_consistent(draft, events)
        if names[0] == names[1] or "reject" in names:  # these exclude each other
            assert sorted(outcome for _, outcome in outcomes) == ["lost", "won"]
        if names == ("claim", "edit") and draft.status == "publishing":
            assert draft.text == TEXT  # whatever is being published is what was approved
