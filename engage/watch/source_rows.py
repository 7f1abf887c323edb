"""The sources table: the config file's sources made rows, sources added and removed by hand.

Sources are rows, so the schedule survives restarts; the config's rows follow the file (a row it
no longer declares is switched off), rows added with `engage sources add` are left alone. What a
target may be, and how a row is named, is its platform's to say (engage.platforms). Must not
fetch or poll.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from engage import platforms
from engage.errors import NotFoundError, UsageError
from engage.models import Source
from engage.platforms.spec import NewSource, Watched
from engage.types import SourceRow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from engage.config import Settings
    from engage.db import Database


def sync_config_sources(session: Session, settings: Settings) -> None:
    """Make the config's sources rows; disable rows the config no longer declares.

    Rows added with `engage sources add` are left alone.
    """
    from sqlalchemy import select

    existing = {(row.kind, row.target): row for row in session.scalars(select(Source))}
    wanted = {(row.kind, row.target): row for row in platforms.declared_sources(settings)}
    for key, values in wanted.items():
        row = existing.get(key)
        if row is None:
            session.add(Source(kind=values.kind, target=values.target, own=values.own,
                               poll_minutes=values.poll_minutes, options=dict(values.options),
                               from_config=True, enabled=True))  # fmt: skip
        elif row.from_config:
            row.enabled, row.own, row.poll_minutes = True, values.own, values.poll_minutes
            row.options = dict(values.options)
    for key, row in existing.items():
        if row.from_config and key not in wanted:
            row.enabled = False


def sync_sources(db: Database, settings: Settings) -> None:
    """The config file's sources made rows (before they are listed or polled)."""
    with db.write() as session:
        sync_config_sources(session, settings)


def add_source(session: Session, new: NewSource) -> Source:
    """Store a source to watch (or turn it on again), named as its platform names rows."""
    from sqlalchemy import select

    same_kind = session.scalars(select(Source).where(Source.kind == new.kind))
    taken = [watched(row) for row in same_kind]
    target = platforms.watching(new.kind).row_target(new.target, new.options, taken)
    query = select(Source).where(Source.kind == new.kind, Source.target == target)
    row = session.scalars(query).first()
    if row is not None:  # added again: on again, and marked own if asked (never un-marked)
        row.enabled, row.own = True, row.own or new.own
        row.options = dict(new.options) or row.options
        return row
    row = Source(kind=new.kind, target=target, own=new.own, poll_minutes=new.poll_minutes,
                 options=dict(new.options))  # fmt: skip
    session.add(row)
    session.flush()
    return row


def add_sources(db: Database, wanted: Sequence[NewSource]) -> list[SourceRow]:
    """`engage sources add`: the sources stored (or turned on again), in one transaction."""
    with db.write() as session:
        rows = [add_source(session, new) for new in wanted]
        return [SourceRow(row.id, row.kind, row.target) for row in rows]


def remove_sources(db: Database, source_ids: Sequence[int], config_file: object) -> list[SourceRow]:
    """Stop watching sources added by hand (their threads are kept); all of them or none: an
    unknown id or a source from the config file (`config_file` names it) is refused."""
    removed = []
    with db.write() as session:
        for source_id in source_ids:
            row = session.get(Source, source_id)
            if row is None:
                raise NotFoundError(f"source {source_id} does not exist (see engage sources list)")
            if row.from_config:
                raise UsageError(f"source {source_id} ({row.target}) comes from the config file "
                                 f"{config_file}: remove it there")  # fmt: skip
            session.delete(row)
            removed.append(SourceRow(row.id, row.kind, row.target))
    return removed


def watched(row: Source) -> Watched:
    """A source row as its platform sees it."""
    return Watched(row.id, row.kind, row.target, row.own, dict(row.options or {}))
