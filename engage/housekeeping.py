"""Housekeeping: what a worker running for months must clear away, and the database kept small.

- Content deleted at its source is purged here too (the platforms' terms require it): a removed
  thread keeps its row (drafts and the engagement log point at it) but loses its words; removed
  comments go.
- Threads that never matched anything are pruned after `[housekeeping] keep_unmatched_days`;
  matched threads, and any thread a draft or an engagement points at, are kept.
- Job runs are pruned after `keep_job_runs_days`.
- SQLite: the write-ahead log is checkpointed (and truncated), and the file is vacuumed when a
  large share of it is free pages, so it doesn't only ever grow. `engage db vacuum` does that
  now; `engage db backup PATH` copies a live database with SQLite's online backup.

Must not touch drafts, engagements, people or referrals: those are the therapist's records.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engage.errors import UsageError
from engage.models import Comment, Draft, Engagement, Interaction, JobRun, Match, Thread, utcnow

if TYPE_CHECKING:
    from engage.config import HousekeepingSettings
    from engage.db import Database

log = logging.getLogger(__name__)

#: Vacuum when at least this share of the SQLite file is free pages (and it is worth it).
VACUUM_FREE_SHARE = 0.25
VACUUM_MIN_FREE_BYTES = 8 * 1024 * 1024
#: What a removed thread's title becomes: the row stays for the records that point at it.
REMOVED_TITLE = "[removed at its source]"


@dataclass(frozen=True, slots=True)
class Housekeeping:
    purged_threads: int = 0
    purged_comments: int = 0
    pruned_threads: int = 0
    pruned_job_runs: int = 0
    checkpointed: bool = False
    vacuumed: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def tidy(db: Database, settings: HousekeepingSettings, now: datetime | None = None) -> Housekeeping:
    """One round of housekeeping (the worker runs it daily; safe to run at any time)."""
    now = now or utcnow()
    purged_threads, purged_comments = purge_removed(db)
    pruned = prune_unmatched(db, now - timedelta(days=settings.keep_unmatched_days))
    runs = prune_job_runs(db, now - timedelta(days=settings.keep_job_runs_days))
    checkpointed = vacuumed = False
    if db.is_sqlite:
        checkpointed = checkpoint(db)
        vacuumed = vacuum(db, only_if_worth_it=True)
    return Housekeeping(purged_threads, purged_comments, pruned, runs, checkpointed, vacuumed)


def purge_removed(db: Database) -> tuple[int, int]:
    """Words of threads and comments removed at their source, gone: (threads, comments)."""
    from sqlalchemy import delete, update

    with db.write() as session:
        threads = session.execute(
            update(Thread)
            .where(Thread.removed.is_(True), Thread.title != REMOVED_TITLE)
            .values(title=REMOVED_TITLE, body="", author=None, link_url=None, triage=None,
                    triage_version=None)
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]  # fmt: skip
        comments = session.execute(
            delete(Comment).where(Comment.removed.is_(True))
        ).rowcount  # type: ignore[attr-defined]
    return int(threads or 0), int(comments or 0)


def prune_unmatched(db: Database, before: datetime) -> int:
    """Threads first seen before `before` that never matched, and nothing points at."""
    from sqlalchemy import delete, select

    kept = (
        select(Match.thread_id).where(Match.thread_id == Thread.id).exists()
        | select(Draft.id).where(Draft.thread_id == Thread.id).exists()
        | select(Engagement.id).where(Engagement.thread_id == Thread.id).exists()
        | select(Interaction.id).where(Interaction.thread_id == Thread.id).exists()
    )
    with db.write() as session:
        doomed = select(Thread.id).where(Thread.first_seen_at < before, ~kept)
        pruned = session.execute(
            delete(Thread).where(Thread.id.in_(doomed)).execution_options(
                synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]  # fmt: skip
    return int(pruned or 0)


def prune_job_runs(db: Database, before: datetime) -> int:
    from sqlalchemy import delete

    with db.write() as session:
        pruned = session.execute(
            delete(JobRun).where(JobRun.started_at < before, JobRun.status != "running")
        ).rowcount  # type: ignore[attr-defined]
    return int(pruned or 0)


def checkpoint(db: Database) -> bool:
    """Fold the write-ahead log into the database file and truncate it (SQLite only)."""
    with db.engine.connect() as connection:
        busy = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()
    return bool(busy is not None and busy[0] == 0)


def vacuum(db: Database, *, only_if_worth_it: bool = False) -> bool:
    """Rewrite the SQLite file without its free pages; with `only_if_worth_it`, only when a
    large share of it is free. Returns whether it vacuumed."""
    if not db.is_sqlite:
        raise UsageError("engage db vacuum is for SQLite; PostgreSQL vacuums itself (autovacuum)")
    with db.engine.connect() as connection:
        page_size = connection.exec_driver_sql("PRAGMA page_size").scalar() or 4096
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar() or 0
        free = connection.exec_driver_sql("PRAGMA freelist_count").scalar() or 0
    free_bytes = int(free) * int(page_size)
    if only_if_worth_it and (
        free_bytes < VACUUM_MIN_FREE_BYTES or free < VACUUM_FREE_SHARE * max(int(pages), 1)
    ):
        return False
    with db.engine.connect() as connection:
        connection.exec_driver_sql("VACUUM")
    log.info("vacuumed the database: %d free pages given back", free)
    return True


def backup(db: Database, target: Path) -> Path:
    """A consistent copy of a live SQLite database (the online backup API: the worker may go
    on writing meanwhile)."""
    if not db.is_sqlite:
        raise UsageError("engage db backup copies SQLite databases; use pg_dump for PostgreSQL")
    if target.exists():
        raise UsageError(f"{target} exists: give a new file name (nothing is overwritten)")
    if not target.parent.is_dir():
        raise UsageError(f"{target.parent} is not a folder")
    source_path = db.engine.url.database
    if not source_path:
        raise UsageError("this SQLite database lives in memory: nothing to back up")
    with sqlite3.connect(source_path) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    target.chmod(0o600)
    return target
