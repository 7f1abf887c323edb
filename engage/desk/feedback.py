"""What the desk learns from the therapist, stored and read back: a rejection with a reason kept
with its thread's kind (feedback rows: active until undone), and the therapist's own edits of a
draft's text (before and after, kept in the draft's audit log by engage.desk.states.edit).

The factor and the kind's name are engage.feedback's (pure); `ranked_score` says the same in
SQL for the queries that rank threads for the therapist (threads worth joining, the digest, the
drafting step). Must not change a draft's status (engage.desk.states does) nor matching's
scores (the lowering is applied at read time, so an undo is immediate).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from engage.errors import NotFoundError, UsageError
from engage.feedback import kind_of, lowerings
from engage.models import Draft, DraftEvent, Feedback, Match, Thread, utcnow
from engage.types import DraftKind, DraftStatus
from engage.types.feedback import DraftEdit, Lowering, Rejection, ThreadKind

if TYPE_CHECKING:
    from sqlalchemy import SQLColumnExpression
    from sqlalchemy.orm import Session

    from engage.db import Database


def record_rejection(session: Session, draft_id: int, reason: str) -> int | None:
    """Keep a reply's rejection as feedback on its thread's kind; None when there is nothing to
    learn from (no reason, not a reply, no matched thread, a crisis). Returns the row's id."""
    from sqlalchemy import select

    if not reason.strip():
        return None
    row = session.execute(
        select(Draft.kind, Draft.thread_id, Match.intent, Match.specialties, Match.crisis)
        .join(Match, Match.thread_id == Draft.thread_id)
        .where(Draft.id == draft_id)
    ).first()
    if row is None or row.kind != DraftKind.REPLY or row.crisis:
        return None
    kind = kind_of(row.intent, row.specialties)
    feedback = Feedback(draft_id=draft_id, thread_id=row.thread_id, intent=kind.intent,
                        specialty=kind.specialty, reason=reason.strip())  # fmt: skip
    session.add(feedback)
    session.flush()
    return feedback.id


def active_lowerings(session: Session) -> dict[ThreadKind, Lowering]:
    """Every kind of thread ranked lower now, by kind (empty when nothing was turned down)."""
    from sqlalchemy import select

    from engage.matching import default_taxonomy

    rows = session.scalars(select(Feedback).where(Feedback.undone_at.is_(None)))
    rejections = [
        Rejection(row.id, ThreadKind(row.intent, row.specialty), row.reason, row.draft_id,
                  row.thread_id, row.created_at)
        for row in rows
    ]  # fmt: skip
    return lowerings(rejections, default_taxonomy().short_names) if rejections else {}


def ranked_score(by_kind: Mapping[ThreadKind, Lowering]) -> SQLColumnExpression[float]:
    """SQL: a match's score as ranked for the therapist, engage.feedback.lowered in SQL (the
    kind: the intent and the first of the specialties a match row stores strongest first), so
    a query orders, cuts and compares with its thresholds by it and reads only what it shows."""
    from sqlalchemy import and_, case

    if not by_kind:
        return Match.score
    first = Match.specialties[0].as_string()
    return Match.score * case(
        *[(and_(Match.intent == kind.intent,
                first.is_(None) if kind.specialty is None else first == kind.specialty),
           lowering.factor) for kind, lowering in by_kind.items()],
        else_=1.0,
    )  # fmt: skip


def list_lowerings(db: Database) -> list[Lowering]:
    """`engage feedback`: the kinds ranked lower, the most lowered first."""
    with db.read() as session:
        found = active_lowerings(session)
    return sorted(found.values(), key=lambda lowering: (lowering.factor, lowering.label))


def undo_feedback(db: Database, feedback_id: int | None) -> list[int]:
    """Undo one rejection's feedback (None: all of them); returns the ids undone. Undone feedback
    lowers nothing from now on; the row stays, for the record."""
    from sqlalchemy import select

    with db.write() as session:
        if feedback_id is None:
            rows = list(session.scalars(select(Feedback).where(Feedback.undone_at.is_(None))))
        else:
            row = session.get(Feedback, feedback_id)
            if row is None:
                raise NotFoundError(f"feedback {feedback_id} does not exist (see engage feedback)")
            if row.undone_at is not None:
                raise UsageError(f"feedback {feedback_id} was already undone")
            rows = [row]
        now = utcnow()
        for row in rows:
            row.undone_at = now
        return [row.id for row in rows]


def draft_edits(db: Database, limit: int = 0) -> list[DraftEdit]:
    """The therapist's own edits of drafts' texts, newest first (`limit` 0: all): what they
    changed, for them to look back on and for a drafter to learn their voice from."""
    from sqlalchemy import select

    query = (
        select(DraftEvent, Draft.thread_id, Draft.status, Thread.title)
        .join(Draft, Draft.id == DraftEvent.draft_id)
        .outerjoin(Thread, Thread.id == Draft.thread_id)
        .where(DraftEvent.from_status.in_([DraftStatus.PENDING, DraftStatus.APPROVED]),
               DraftEvent.to_status == DraftStatus.PENDING)
        .order_by(DraftEvent.at.desc(), DraftEvent.id.desc())
    )  # fmt: skip
    edits: list[DraftEdit] = []
    with db.read() as session:
        for event, thread_id, status, title in session.execute(query):
            detail = event.detail or {}
            if not detail.get("by_hand") or "before" not in detail:
                continue  # a redraft or a move to another channel, not the therapist's words
            edits.append(DraftEdit(event.draft_id, str(detail["before"]), str(detail["after"]),
                                   event.at, thread_id, title or "", status))  # fmt: skip
            if limit and len(edits) >= limit:
                break
    return edits
