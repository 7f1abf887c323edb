"""Claims: a worker takes the sources that are due for a lease, so no other worker polls them
meanwhile; a single worker starting up releases any claim left by a dead one.

Must not fetch, store posts or decide what a source is: it only marks rows claimed.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from engage import platforms
from engage.models import Source, utcnow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

#: How long a claimed source is left alone by other workers while one polls it.
LEASE = timedelta(minutes=10)


def claim_due(session: Session, lease: timedelta = LEASE) -> list[Source]:
    """Take the sources that are due, so no other worker polls them meanwhile.

    A claim lasts a lease; recording the poll's success or failure ends it. On PostgreSQL rows
    another worker is claiming are skipped (FOR UPDATE SKIP LOCKED); on SQLite the write
    transaction is already exclusive. A platform whose rows are read by one listing (Reddit's
    multireddit) has them claimed whole when any of them is due.
    """
    from sqlalchemy import or_, select

    now = utcnow()
    free = or_(Source.claimed_until.is_(None), Source.claimed_until <= now)
    due = or_(Source.next_poll_at.is_(None), Source.next_poll_at <= now)
    claimed = list(
        session.scalars(
            select(Source).where(Source.enabled, free, due).order_by(Source.id)
            .with_for_update(skip_locked=True)
        )
    )  # fmt: skip
    together = sorted({row.kind for row in claimed if platforms.claimed_together(row.kind)})
    if together:
        claimed += session.scalars(
            select(Source)
            .where(Source.enabled, free, Source.kind.in_(together), ~due)
            .with_for_update(skip_locked=True)
        ).all()
    for row in claimed:
        row.claimed_until = now + lease
    session.flush()
    return claimed


def release_claims(session: Session) -> None:
    """Forget every claim: for a single worker starting up, any claim is a dead worker's."""
    from sqlalchemy import update

    session.execute(update(Source).values(claimed_until=None))
