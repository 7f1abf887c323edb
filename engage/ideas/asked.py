"""The step behind `engage ideas`: reads the matched threads of the last weeks (with what
matching stored about each) and hands them to the pure grouping (engage.ideas.grouping). Reads
only; must not change a thread, a match or a draft."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from engage.models import Match, Thread, utcnow
from engage.types import DraftInput, MatchFlag
from engage.types.ideas import ArticleIdeas, AskedThread

if TYPE_CHECKING:
    from engage.app import Engage
    from engage.db import Database


def ideas(
    engage: Engage, *, weeks: int = 4, limit: int = 0, now: datetime | None = None
) -> ArticleIdeas:
    """The article ideas of the last `weeks` weeks, best first; `limit` 0: all of them."""
    from engage.ideas.grouping import article_ideas

    now = now or utcnow()
    matcher = engage.matcher.matcher
    found = article_ideas(
        asked_threads(engage.db, now - timedelta(weeks=weeks)),
        matcher.profile,
        matcher.taxonomy,
        now=now,
        weeks=weeks,
    )
    shown = found[:limit] if limit else found
    return ArticleIdeas(weeks, sum(idea.count for idea in found), len(found), tuple(shown))


def asked_threads(db: Database, since: datetime) -> list[AskedThread]:
    """Matched threads posted since `since`, never a crisis or a help-seeker's thread, nor one
    removed since, each with what matching stored about it."""
    from sqlalchemy import select

    query = (
        select(Thread, Match)
        .join(Match, Match.thread_id == Thread.id)
        .where(
            Thread.created_at >= since,
            Thread.removed.is_(False),
            Match.crisis.is_(False),
            Match.client_side.is_(False),
        )
        .order_by(Thread.created_at.desc(), Thread.id.desc())
    )
    with db.read() as session:
        return [_asked(thread, match) for thread, match in session.execute(query)]


def _asked(thread: Thread, match: Match) -> AskedThread:
    stored = {
        "intent": match.intent,
        "specialties": match.specialties,
        "reasons": match.reasons,
        "flags": match.flags,
        "crisis": match.crisis,
        "client_side": match.client_side,
    }
    return AskedThread(
        id=thread.id,
        created_at=thread.created_at,
        thread=DraftInput.from_stored(
            stored,
            title=thread.title,
            body=thread.body,
            community=thread.community,
            url=thread.url,
            platform=thread.platform,
        ),
        excluded=MatchFlag.EXCLUDED.value in (match.flags or ()),
    )
