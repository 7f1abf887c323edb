"""The engagement log as people read it: `engage log`, the counts in `engage status` and the
digest. Must not write."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from engage.models import Engagement, Thread
from engage.types import EngagementView

if TYPE_CHECKING:
    from engage.db import Database


def engagements(db: Database, *, since: datetime | None = None) -> list[EngagementView]:
    """Every publication (by API or by hand), oldest first; only those at or after `since`."""
    from sqlalchemy import select

    query = (
        select(Engagement, Thread.title)
        .outerjoin(Thread, Thread.id == Engagement.thread_id)
        .order_by(Engagement.at, Engagement.id)
    )
    if since is not None:
        query = query.where(Engagement.at >= since)
    with db.read() as session:
        return [_view(row, title) for row, title in session.execute(query)]


def _view(row: Engagement, title: str | None) -> EngagementView:
    return EngagementView(
        id=row.id, at=row.at, platform=row.platform, community=row.community, kind=row.kind,
        move=row.move, via=row.via, url=row.url, external_id=row.external_id,
        draft_id=row.draft_id, thread_id=row.thread_id, thread_title=title,
    )  # fmt: skip
