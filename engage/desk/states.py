"""The draft state machine: the only code that changes a draft's status.

Every transition is one compare-and-set UPDATE (`WHERE id = ? AND status IN (...)`) plus an
audit row, in one transaction. Two processes racing on the same draft therefore cannot both
win: the loser sees zero rows changed and gets a TransitionError naming the current state.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from engage.errors import EngageError, NotFoundError, TransitionError
from engage.types import DraftStatus

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from engage.db import Database

S = DraftStatus


class GuardBlockedError(EngageError):
    """Approval refused: the draft has blocking guard warnings and no override reason."""


# from-state -> the states it may move to (DESIGN.md, "Draft states").
# approved -> published and expired -> published: posted by hand (told, or found in the account's
# feed), so a reply posted by hand is never filed as expired. publishing -> approved: proven never
# sent (held back until it may be tried again). unknown -> approved: the therapist says it is not
# on the platform.
ALLOWED: Mapping[DraftStatus, frozenset[DraftStatus]] = {
    S.PENDING: frozenset({S.APPROVED, S.REJECTED, S.EXPIRED, S.PENDING}),
    S.APPROVED: frozenset({S.PUBLISHING, S.PUBLISHED, S.PENDING, S.EXPIRED}),
    S.PUBLISHING: frozenset({S.PUBLISHED, S.FAILED, S.UNKNOWN, S.APPROVED}),
    S.UNKNOWN: frozenset({S.PUBLISHED, S.FAILED, S.APPROVED}),
    S.FAILED: frozenset({S.PENDING}),
    S.PUBLISHED: frozenset(),
    S.REJECTED: frozenset(),
    S.EXPIRED: frozenset({S.PUBLISHED}),
}


def approval_hash(text: str, target: str) -> str:
    """What an approval covers: the exact text and where it goes."""
    return hashlib.sha256(f"{target}\x00{text}".encode()).hexdigest()


def transition(
    session: Session,
    draft_id: int,
    from_states: Iterable[DraftStatus],
    to_state: DraftStatus,
    *,
    actor: str,
    detail: Mapping[str, Any] | None = None,
    values: Mapping[str, Any] | None = None,
    expect: Mapping[str, Any] | None = None,
) -> DraftStatus:
    """Move a draft from one of `from_states` to `to_state`, or raise TransitionError.

    `expect` adds column equalities to the compare-and-set (e.g. the exact text approved).
    Returns the state the draft was in. The caller owns the transaction.
    """
    from sqlalchemy import select, update

    from engage.models import Draft, DraftEvent, utcnow

    sources = [S(state) for state in from_states]
    for state in sources:
        if to_state not in ALLOWED[state]:
            raise ValueError(f"{state} -> {to_state} is not a draft transition")
    current = session.scalar(select(Draft.status).where(Draft.id == draft_id))
    if current is None:
        raise NotFoundError(f"draft {draft_id} does not exist")
    conditions = [Draft.id == draft_id, Draft.status == current, Draft.status.in_(sources)]
    conditions += [getattr(Draft, column) == value for column, value in (expect or {}).items()]
    now = utcnow()
    changed = session.execute(
        update(Draft)
        .where(*conditions)
        .values(status=to_state, updated_at=now, **dict(values or {}))
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        raise TransitionError(_refusal(draft_id, current, sources, to_state, expect))
    session.add(
        DraftEvent(
            draft_id=draft_id,
            from_status=current,
            to_status=to_state,
            actor=actor,
            at=now,
            detail=dict(detail or {}),
        )
    )
    return S(current)


def _refusal(
    draft_id: int,
    current: str,
    sources: list[DraftStatus],
    to_state: DraftStatus,
    expect: Mapping[str, Any] | None,
) -> str:
    if current in sources and expect:
        return f"draft {draft_id} changed since you saw it (its text or target was edited)"
    wanted = " or ".join(sources)
    return f"draft {draft_id} is {current}, not {wanted}: it cannot become {to_state}"


#: Problems no override reason can excuse: a template's unfilled [bracket] would be posted as
#: is, a text too long for its platform would be refused there, a networking reply to someone
#: disclosing a crisis is never right, an approval must not cover characters the therapist could
#: not see, and professional codes forbid client-identifying details and client testimonials in
#: public whatever the client consented to: the therapist rewrites the text instead.
NEVER_OVERRIDDEN = frozenset(
    {
        "unfilled_placeholder",
        "crisis_mishandled",
        "invisible_characters",
        "client_identifying",
        "testimonial",
        "too_long",
    }
)


def blocking_slugs(warnings: Iterable[Mapping[str, Any]]) -> list[str]:
    """The slugs of stored guard warnings that need an override before approval."""
    return sorted({str(w["slug"]) for w in warnings if w.get("blocking")})


def approve(
    db: Database,
    draft_id: int,
    *,
    seen_text: str,
    seen_target: str,
    actor: str,
    override_reason: str | None = None,
) -> None:
    """Approve exactly the text and target the human saw; any edit since then makes this fail.

    A draft whose guard warnings include blocking ones needs `override_reason`, which is kept
    in the audit log with the slugs it overrode.
    """
    from sqlalchemy import select

    from engage.models import Draft, utcnow

    approved = approval_hash(seen_text, seen_target)
    with db.write() as session:
        warnings = session.scalar(select(Draft.warnings).where(Draft.id == draft_id)) or []
        blocking = blocking_slugs(warnings)
        absolute = sorted(NEVER_OVERRIDDEN.intersection(blocking))
        if absolute:
            raise GuardBlockedError(
                f"draft {draft_id} can't be approved until it is edited: {', '.join(absolute)} "
                "can't be overridden, whatever the consent"
            )
        if blocking and not (override_reason or "").strip():
            raise GuardBlockedError(
                f"draft {draft_id} has blocking warnings ({', '.join(blocking)}): edit it, or "
                "approve with an override reason"
            )
        detail: dict[str, Any] = {"hash": approved}
        if blocking:
            detail.update(override=override_reason, overridden=blocking)
        transition(
            session,
            draft_id,
            [S.PENDING],
            S.APPROVED,
            actor=actor,
            expect={"text": seen_text, "target": seen_target},
            values={
                "approved_hash": approved,
                "approved_by": actor,
                "approved_at": utcnow(),
            },
            detail=detail,
        )


def recheck(db: Database, draft_id: int, *, text: str, warnings: list[dict[str, Any]]) -> None:
    """Store guard warnings found again for the same text (the thread may have changed since it
    was drafted: a crisis disclosed in an edit, a re-score); no status changes here."""
    from sqlalchemy import update

    from engage.models import Draft

    with db.write() as session:
        session.execute(
            update(Draft).where(Draft.id == draft_id, Draft.text == text).values(warnings=warnings)
        )


def reject(db: Database, draft_id: int, *, reason: str, actor: str) -> int | None:
    """Reject a pending draft. A reply's reason is kept as feedback on its kind of thread, in
    the same transaction (engage.desk.feedback): returns that feedback's id, or None."""
    from engage.desk.feedback import record_rejection

    with db.write() as session:
        transition(
            session, draft_id, [S.PENDING], S.REJECTED, actor=actor, detail={"reason": reason}
        )
        return record_rejection(session, draft_id, reason)


def edit(
    db: Database,
    draft_id: int,
    *,
    text: str,
    warnings: list[dict[str, Any]],
    actor: str,
    move: str | None = None,
    channel: tuple[str, str] | None = None,
    by_hand: bool = True,
) -> None:
    """Replace the text (and its guard warnings, and the move if it changed, and a share's
    (platform, target) when it goes to another channel); an approved draft goes back to
    pending and needs approval again. A changed text is kept before and after in the audit
    event, with `by_hand` (the therapist's words, not a drafter's: engage drafts edits)."""
    from sqlalchemy import select

    from engage.models import Draft

    values: dict[str, Any] = {
        "text": text,
        "warnings": warnings,
        "approved_hash": None,
        "approved_at": None,
        "approved_by": None,
    }
    detail: dict[str, Any] = {
        "edited": True,
        "text_sha256": hashlib.sha256(text.encode()).hexdigest(),
        "by_hand": by_hand,
    }
    if move is not None:
        values["move"] = detail["move"] = move
    if channel is not None:
        values["platform"], values["target"] = channel
        detail["target"] = channel[1]
    with db.write() as session:
        before = session.scalar(select(Draft.text).where(Draft.id == draft_id))
        if before is not None and before != text:
            detail.update(before=before, after=text)
        transition(
            session, draft_id, [S.PENDING, S.APPROVED], S.PENDING, actor=actor,
            values=values, detail=detail,
        )  # fmt: skip


def claim(db: Database, draft_id: int, *, actor: str) -> str:
    """Take an approved draft for publishing; returns the attempt id that marks this attempt.

    The claim is committed before any network call, so a crash after it leaves a draft in
    `publishing` for reconciliation, never one that looks unpublished. The approval must still
    cover the stored text and target exactly (checked in the same transaction). On PostgreSQL
    the row is locked with SKIP LOCKED: a draft another worker is claiming is passed over.
    """
    from sqlalchemy import select

    from engage.models import Draft

    attempt = uuid.uuid4().hex
    with db.write() as session:
        row = session.execute(
            select(Draft.status, Draft.text, Draft.target, Draft.approved_hash, Draft.warnings)
            .where(Draft.id == draft_id)
            .with_for_update(skip_locked=True)
        ).first()
        if row is None and session.scalar(select(Draft.id).where(Draft.id == draft_id)):
            raise TransitionError(f"draft {draft_id} is being claimed by another worker")
        if row is not None and row.status != S.APPROVED:
            row = None  # the transition below explains what state it is in
        if row is not None and row.approved_hash != approval_hash(row.text, row.target):
            raise TransitionError(f"draft {draft_id}'s text is not covered by an approval")
        absolute = NEVER_OVERRIDDEN.intersection(blocking_slugs(row.warnings if row else []))
        if absolute:
            raise TransitionError(f"draft {draft_id} must be edited first ({', '.join(absolute)})")
        transition(
            session,
            draft_id,
            [S.APPROVED],
            S.PUBLISHING,
            actor=actor,
            values={"attempt_id": attempt, "publish_after": None},
            detail={"attempt_id": attempt},
            expect=None
            if row is None
            else {"text": row.text, "target": row.target, "approved_hash": row.approved_hash},
        )
    return attempt
