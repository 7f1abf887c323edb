"""One watch cycle: the sources due (or all), grouped by fetcher as their platforms say, each
group fetched and what it returned stored with its new checkpoint in one transaction.

A failing group never stops the others: its error is recorded on its rows (which back off) and
reported. This module composes the jobs beside it (source_rows, claims, follow_ups, report) and
engage.ingest; it must not know any platform by name (engage.platforms groups and builds the
fetchers) and must not match, draft or send anything (the caller hooks in through
`on_ingested`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from engage import platforms
from engage.config import Config
from engage.errors import EngageError
from engage.ingest import (
    IngestResult,
    record_failure,
    record_success,
    store_blog_posts,
    store_comments,
    store_posts,
)
from engage.models import Source
from engage.platforms.spec import FetchGroup
from engage.sources.base import Conversational
from engage.types import FetchedComment, FetchedPost
from engage.watch.claims import claim_due
from engage.watch.follow_ups import followed_threads
from engage.watch.report import GroupOutcome, WatchReport
from engage.watch.source_rows import sync_config_sources, watched

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from engage.db import Database
    from engage.sources.base import Source as Fetcher

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Group:
    """Rows polled together by one fetcher (all subreddits, or one feed), as the platform
    grouped them (engage.platforms)."""

    plan: FetchGroup
    rows: list[Source]

    @property
    def label(self) -> str:
        return self.plan.label

    @property
    def own(self) -> bool:
        return self.plan.own

    def fetcher(self, cache: dict[str, Fetcher] | None) -> Fetcher:
        """Build once per worker: a Reddit client keeps its OAuth token between polls."""
        if cache is None:
            return self.plan.build()
        if self.plan.key not in cache:
            cache[self.plan.key] = self.plan.build()
        return cache[self.plan.key]

    @property
    def checkpoint(self) -> dict[str, Any]:
        polled = [row for row in self.rows if row.checkpoint is not None]
        if not polled:
            return {}
        newest = max(polled, key=lambda row: row.last_ok_at or datetime.min.replace(tzinfo=UTC))
        return dict(newest.checkpoint or {})


def build_groups(rows: Sequence[Source], config: Config) -> list[Group]:
    """The rows grouped by fetcher, each platform grouping its own (engage.platforms)."""
    by_id = {row.id: row for row in rows}
    return [
        Group(plan, [by_id[source_id] for source_id in plan.source_ids])
        for plan in platforms.fetch_groups([watched(row) for row in rows], config)
    ]


#: Called before each group is polled: (groups done, groups in all, what is polled now).
Progress = Callable[[int, int, str], None]


def watch(
    db: Database,
    config: Config,
    *,
    only_due: bool = False,
    progress: Progress | None = None,
    on_ingested: Callable[[Session, IngestResult], None] | None = None,
    cache: dict[str, Fetcher] | None = None,
) -> WatchReport:
    """Poll the enabled sources (all, or only those due) and store what they return.

    `on_ingested` runs inside each group's transaction with what it stored (the matcher hooks
    in here, so matches are always current with the threads). `cache` keeps fetchers (and
    their connections and tokens) between calls.
    """
    from sqlalchemy import select

    with db.write() as session:
        sync_config_sources(session, config.settings)
        rows = claim_due(session) if only_due else list(
            session.scalars(select(Source).where(Source.enabled).order_by(Source.id))
        )  # fmt: skip
        session.expunge_all()
    report = WatchReport()
    groups = build_groups(rows, config)
    max_age = config.settings.publishing.thread_max_age_days

    for done, group in enumerate(groups):
        if progress:
            progress(done, len(groups), group.label)

        def follow(platform: str = group.plan.platform) -> list[str]:
            return followed_threads(db, platform, max_age)

        report.groups.append(_poll(db, group, cache, report, on_ingested, follow))
    return report


def _poll(
    db: Database,
    group: Group,
    cache: dict[str, Fetcher] | None,
    report: WatchReport,
    on_ingested: Callable[[Session, IngestResult], None] | None,
    followed: Callable[[], list[str]],
) -> GroupOutcome:
    try:
        posts, comments, checkpoint = _fetch(group.fetcher(cache), group.checkpoint, followed)
    except EngageError as exc:
        return _failed(db, group, str(exc))
    except Exception as exc:  # a bug in one source must not stop the others
        log.exception("source %s crashed", group.label)
        return _failed(db, group, f"internal error: {type(exc).__name__}: {exc}")
    try:
        with db.write() as session:
            rows = _current(session, group)
            if not rows:  # removed while it was being polled
                return GroupOutcome(group.label, False, error="source removed meanwhile")
            result = _store(session, posts, rows[0].id, group.own)
            result.comments_new += store_comments(session, group.plan.platform, comments)
            record_success(session, rows, checkpoint)
            if on_ingested is not None:
                on_ingested(session, result)
    except Exception as exc:  # e.g. the database busy past its timeout: nothing was stored
        log.exception("storing what %s returned failed", group.label)
        return _failed(db, group, f"could not store what it returned: {exc}")
    report.ingested.add(result)
    return GroupOutcome(group.label, True, len(result.new), len(result.updated))


def _current(session: Session, group: Group) -> list[Source]:
    """The group's rows as they are now (any removed since the poll began are left out)."""
    return [row for member in group.rows if (row := session.get(Source, member.id)) is not None]


def _fetch(
    fetcher: Fetcher, checkpoint: dict[str, Any], followed: Callable[[], list[str]]
) -> tuple[list[FetchedPost], list[FetchedComment], dict[str, Any]]:
    """New posts; for sources that follow threads also new comments on the followed threads,
    their current state (locked, removed, counts) and replies to the therapist."""
    posts, new_checkpoint = fetcher.fetch(checkpoint)
    comments: list[FetchedComment] = []
    if not isinstance(fetcher, Conversational):
        return posts, comments, new_checkpoint
    new_checkpoint["comments"] = checkpoint.get("comments", {})
    new_checkpoint["inbox"] = checkpoint.get("inbox", {})
    thread_ids = followed()
    if thread_ids:
        found, new_checkpoint["comments"] = fetcher.fetch_comments(
            thread_ids, checkpoint.get("comments", {})
        )
        comments += found
        posts = posts + fetcher.refresh(thread_ids)
    if fetcher.has_user:
        replies, new_checkpoint["inbox"] = fetcher.fetch_inbox(checkpoint.get("inbox", {}))
        comments += replies
    return posts, comments, new_checkpoint


def _store(session: Session, posts: list[FetchedPost], source_id: int, own: bool) -> IngestResult:
    if own:
        return IngestResult(blog_posts=store_blog_posts(session, posts, source_id))
    return store_posts(session, posts, source_id)


def _failed(db: Database, group: Group, error: str) -> GroupOutcome:
    from engage.redact import redact

    error = redact(error)  # stored, logged and shown: no password of a URL in it
    # Debug only: the caller reports the outcome (the CLI prints it, the worker logs it), and a
    # warning here would show every failure twice.
    log.debug("source %s failed: %s", group.label, error)
    try:
        with db.write() as session:
            record_failure(session, _current(session, group), error)
    except Exception:
        log.exception("could not record the failure of %s", group.label)
    return GroupOutcome(group.label, False, error=error)
