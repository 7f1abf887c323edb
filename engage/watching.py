"""One watch cycle: which sources to poll, how to build them, and recording what each returned.

Sources are rows in the database (from the config file or `engage sources add`), so the
schedule survives restarts. All watched subreddits form one group polled through one
multireddit listing; how they are read (API or public RSS) follows the config's
`[reddit] mode`. Each feed is its own group. A failing group never stops the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from engage import platforms as registry
from engage.config import Config, Settings
from engage.errors import EngageError, UsageError
from engage.ingest import (
    IngestResult,
    record_failure,
    record_success,
    store_blog_posts,
    store_comments,
    store_posts,
)
from engage.models import Draft, Match, Source, Thread, utcnow
from engage.platforms import declared_sources
from engage.platforms.spec import FetchGroup, NewSource, Watched
from engage.sources.base import Conversational
from engage.types import FetchedComment, FetchedPost, SourceRow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from engage.db import Database
    from engage.sources.base import Source as Fetcher

log = logging.getLogger(__name__)

#: How long a claimed source is left alone by other workers while one polls it.
LEASE = timedelta(minutes=10)
#: Threads followed per poll (comments, state); refreshing them costs one request per 100.
FOLLOW_LIMIT = 300


@dataclass(slots=True)
class GroupOutcome:
    label: str
    ok: bool
    new: int = 0
    updated: int = 0
    error: str | None = None


@dataclass(slots=True)
class WatchReport:
    groups: list[GroupOutcome] = field(default_factory=list)
    ingested: IngestResult = field(default_factory=IngestResult)

    @property
    def sources_ok(self) -> int:
        return sum(1 for group in self.groups if group.ok)

    @property
    def sources_failed(self) -> int:
        return sum(1 for group in self.groups if not group.ok)

    def summary(self) -> str:
        errors = f", {self.sources_failed} error" + ("s" if self.sources_failed != 1 else "")
        return (
            f"{self.sources_ok} source{'s' if self.sources_ok != 1 else ''} ok"
            f"{errors if self.sources_failed else ''}; "
            f"{len(self.ingested.new)} new threads, {len(self.ingested.updated)} updated"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "sources_ok": self.sources_ok,
            "sources_failed": self.sources_failed,
            "new_threads": len(self.ingested.new),
            "updated_threads": len(self.ingested.updated),
            "new_comments": self.ingested.comments_new,
            "groups": [
                {
                    "source": g.label,
                    "ok": g.ok,
                    "new": g.new,
                    "updated": g.updated,
                    "error": g.error,
                }
                for g in self.groups
            ],
        }


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


def sync_config_sources(session: Session, settings: Settings) -> None:
    """Make the config's sources rows; disable rows the config no longer declares.

    Rows added with `engage sources add` are left alone.
    """
    from sqlalchemy import select

    existing = {(row.kind, row.target): row for row in session.scalars(select(Source))}
    wanted = {(row.kind, row.target): row for row in declared_sources(settings)}
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


def add_source(session: Session, new: NewSource) -> Source:
    """Store a source to watch (or turn it on again), named as its platform names rows."""
    from sqlalchemy import select

    same_kind = session.scalars(select(Source).where(Source.kind == new.kind))
    taken = [watched(row) for row in same_kind]
    target = registry.watching(new.kind).row_target(new.target, new.options, taken)
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


def sync_sources(db: Database, settings: Settings) -> None:
    """The config file's sources made rows (before they are listed or polled)."""
    with db.write() as session:
        sync_config_sources(session, settings)


def remove_sources(db: Database, source_ids: Sequence[int], config_file: object) -> list[SourceRow]:
    """Stop watching sources added by hand (their threads are kept); all of them or none: an
    unknown id or a source from the config file (`config_file` names it) is refused."""
    from engage.errors import NotFoundError

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


def build_groups(rows: Sequence[Source], config: Config) -> list[Group]:
    """The rows grouped by fetcher, each platform grouping its own (engage.platforms)."""
    by_id = {row.id: row for row in rows}
    return [
        Group(plan, [by_id[source_id] for source_id in plan.source_ids])
        for plan in registry.fetch_groups([watched(row) for row in rows], config)
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
    together = sorted({row.kind for row in claimed if registry.claimed_together(row.kind)})
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
