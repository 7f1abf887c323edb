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
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from engage.config import Config, Settings
from engage.errors import EngageError, UsageError
from engage.ingest import (
    IngestResult,
    record_failure,
    record_success,
    store_blog_posts,
    store_posts,
)
from engage.models import Source, utcnow
from engage.types import FetchedPost, SourceKind

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from engage.db import Database
    from engage.sources.base import Source as Fetcher

log = logging.getLogger(__name__)

NOT_BUILT = {
    SourceKind.MASTODON: "watching Mastodon is not built yet",
    SourceKind.BLUESKY: "watching Bluesky is not built yet",
}


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
    """Rows polled together by one fetcher (all subreddits, or one feed)."""

    label: str
    rows: list[Source]
    build: Callable[[], Fetcher]
    own: bool = False
    key: str = ""

    def fetcher(self, cache: dict[str, Fetcher] | None) -> Fetcher:
        """Build once per worker: a Reddit client keeps its OAuth token between polls."""
        if cache is None:
            return self.build()
        if self.key not in cache:
            cache[self.key] = self.build()
        return cache[self.key]

    @property
    def checkpoint(self) -> dict[str, Any]:
        polled = [row for row in self.rows if row.checkpoint is not None]
        if not polled:
            return {}
        newest = max(polled, key=lambda row: row.last_ok_at or datetime.min.replace(tzinfo=UTC))
        return dict(newest.checkpoint or {})

    def due(self, now: datetime) -> bool:
        return any(row.next_poll_at is None or row.next_poll_at <= now for row in self.rows)


def desired_sources(settings: Settings) -> list[dict[str, Any]]:
    """The source rows the config file declares."""
    rows: list[dict[str, Any]] = [
        {"kind": SourceKind.REDDIT.value, "target": name, "own": False,
         "poll_minutes": settings.reddit.poll_minutes}
        for name in settings.reddit.subreddits
    ]  # fmt: skip
    rows += [
        {"kind": SourceKind.FEED.value, "target": feed.url, "own": feed.own,
         "poll_minutes": feed.poll_minutes}
        for feed in settings.feeds
    ]  # fmt: skip
    return rows


def sync_config_sources(session: Session, settings: Settings) -> None:
    """Make the config's sources rows; disable rows the config no longer declares.

    Rows added with `engage sources add` are left alone.
    """
    from sqlalchemy import select

    existing = {(row.kind, row.target): row for row in session.scalars(select(Source))}
    wanted = {(row["kind"], row["target"]): row for row in desired_sources(settings)}
    for key, values in wanted.items():
        row = existing.get(key)
        if row is None:
            session.add(Source(**values, from_config=True, enabled=True))
        elif row.from_config:
            row.enabled, row.own, row.poll_minutes = True, values["own"], values["poll_minutes"]
    for key, row in existing.items():
        if row.from_config and key not in wanted:
            row.enabled = False


def add_source(
    session: Session, kind: SourceKind, target: str, *, own: bool = False, poll_minutes: float = 15
) -> Source:
    from sqlalchemy import select

    if kind in NOT_BUILT:
        raise UsageError(NOT_BUILT[kind])
    row = session.scalars(
        select(Source).where(Source.kind == kind, Source.target == target)
    ).first()
    if row is not None:
        row.enabled, row.own = True, own
        return row
    row = Source(kind=kind.value, target=target, own=own, poll_minutes=poll_minutes)
    session.add(row)
    session.flush()
    return row


def build_groups(rows: Sequence[Source], config: Config) -> list[Group]:
    settings = config.settings
    reddit_rows = [row for row in rows if row.kind == SourceKind.REDDIT]
    groups: list[Group] = []
    if reddit_rows and settings.reddit.mode != "off":
        names = [row.target for row in reddit_rows]
        label = f"reddit ({len(names)} communities)"
        key = f"reddit:{settings.reddit.mode}:{'+'.join(sorted(names))}"
        groups.append(Group(label, reddit_rows, _reddit(names, config), key=key))
    for row in rows:
        if row.kind == SourceKind.FEED:
            build = _feed(row.target, row.own)
            groups.append(Group(row.target, [row], build, own=row.own, key=f"feed:{row.target}"))
    return groups


def _reddit(names: list[str], config: Config) -> Callable[[], Fetcher]:
    reddit = config.settings.reddit

    def build() -> Fetcher:
        if reddit.mode == "rss":
            from engage.sources.reddit_rss import RedditRssSource

            return RedditRssSource(names, base_url=reddit.rss_url, user_agent=reddit.user_agent)
        from engage.sources.reddit import RedditSource

        return RedditSource.from_settings(
            {
                "client_id": config.secret(reddit.client_id_env),
                "client_secret": config.secret(reddit.client_secret_env),
                "username": config.secret(reddit.username_env),
                "password": config.secret(reddit.password_env),
                "refresh_token": config.secret(reddit.refresh_token_env),
                "user_agent": reddit.user_agent,
                "api_url": reddit.api_url,
                "auth_url": reddit.auth_url,
            },
            names,
        )

    return build


def _feed(url: str, own: bool) -> Callable[[], Fetcher]:
    def build() -> Fetcher:
        from engage.sources.feeds import FeedSource

        return FeedSource(url, own=own)

    return build


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
    with db.read() as session:
        rows = list(session.scalars(select(Source).where(Source.enabled).order_by(Source.id)))
    report = WatchReport()
    now = utcnow()
    groups = [g for g in build_groups(rows, config) if not only_due or g.due(now)]
    for done, group in enumerate(groups):
        if progress:
            progress(done, len(groups), group.label)
        report.groups.append(_poll(db, group, cache, report, on_ingested))
    return report


def _poll(
    db: Database,
    group: Group,
    cache: dict[str, Fetcher] | None,
    report: WatchReport,
    on_ingested: Callable[[Session, IngestResult], None] | None,
) -> GroupOutcome:
    try:
        posts, checkpoint = group.fetcher(cache).fetch(group.checkpoint)
    except EngageError as exc:
        return _failed(db, group, str(exc))
    except Exception as exc:  # a bug in one source must not stop the others
        log.exception("source %s crashed", group.label)
        return _failed(db, group, f"internal error: {type(exc).__name__}: {exc}")
    with db.write() as session:
        rows = [session.get_one(Source, row.id) for row in group.rows]
        result = _store(session, posts, rows[0].id, group.own)
        record_success(session, rows, checkpoint)
        if on_ingested is not None:
            on_ingested(session, result)
    report.ingested.add(result)
    return GroupOutcome(group.label, True, len(result.new), len(result.updated))


def _store(session: Session, posts: list[FetchedPost], source_id: int, own: bool) -> IngestResult:
    if own:
        store_blog_posts(session, posts, source_id)
        return IngestResult()
    return store_posts(session, posts, source_id)


def _failed(db: Database, group: Group, error: str) -> GroupOutcome:
    log.warning("source %s failed: %s", group.label, error)
    with db.write() as session:
        record_failure(session, [session.get_one(Source, row.id) for row in group.rows], error)
    return GroupOutcome(group.label, False, error=error)
