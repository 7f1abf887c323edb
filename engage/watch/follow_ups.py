"""Follow-ups: which stored threads a conversational platform (Reddit's API) keeps reading for
new comments, its current state and replies to the therapist.

Must not fetch or store: it only chooses the threads, a bounded number, recent and relevant.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from engage.models import Draft, Match, Thread, utcnow

if TYPE_CHECKING:
    from engage.db import Database

#: Threads followed per poll (comments, state); refreshing them costs one request per 100.
FOLLOW_LIMIT = 300


def followed_threads(
    db: Database, platform: str, max_age_days: float, limit: int = FOLLOW_LIMIT
) -> list[str]:
    """A platform's threads worth following: matched (not crisis) or drafted for, and recent."""
    from sqlalchemy import or_, select

    since = utcnow() - timedelta(days=max_age_days)
    drafted = select(Draft.thread_id).where(Draft.thread_id.is_not(None))
    matched = select(Match.thread_id).where(Match.crisis.is_(False), Match.score > 0)
    query = (
        select(Thread.external_id)
        .where(Thread.platform == platform, Thread.first_seen_at >= since,
               Thread.removed.is_(False), or_(Thread.id.in_(matched), Thread.id.in_(drafted)))
        .order_by(Thread.first_seen_at.desc())
        .limit(limit)
    )  # fmt: skip
    with db.read() as session:
        return list(session.scalars(query))
