"""One watch cycle: which sources to poll, how to build them, and recording what each returned.

Sources are rows in the database (from the config file or `engage sources add`), so the
schedule survives restarts. All watched subreddits form one group polled through one
multireddit listing; how they are read (API or public RSS) follows the config's
`[reddit] mode`. Each feed is its own group. A failing group never stops the others.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

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
from engage.sources.base import Conversational
from engage.types import FetchedComment, FetchedPost, Platform, SourceKind

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from engage.db import Database
    from engage.sources.base import Source as Fetcher
    from engage.sources.http import Limits

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
    rows += [
        {"kind": SourceKind.MASTODON.value, "target": tag.lstrip("#").lower(), "own": False,
         "poll_minutes": settings.mastodon.poll_minutes,
         "options": {"instance": settings.mastodon.instance}}
        for tag in settings.mastodon.tags
    ]  # fmt: skip
    rows += [
        {"kind": SourceKind.BLUESKY.value, "target": term, "own": False,
         "poll_minutes": settings.bluesky.poll_minutes}
        for term in settings.bluesky.terms
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
            row.options = values.get("options", {})
    for key, row in existing.items():
        if row.from_config and key not in wanted:
            row.enabled = False


def add_source(
    session: Session,
    kind: SourceKind,
    target: str,
    *,
    own: bool = False,
    poll_minutes: float = 15,
    options: dict[str, Any] | None = None,
) -> Source:
    from sqlalchemy import select

    if kind == SourceKind.MASTODON and options and options.get("instance"):
        target = _mastodon_target(session, target, str(options["instance"]))
    query = select(Source).where(Source.kind == kind, Source.target == target)
    row = session.scalars(query).first()
    if row is not None:  # added again: on again, and marked own if asked (never un-marked)
        row.enabled, row.own, row.options = True, row.own or own, options or row.options
        return row
    row = Source(kind=kind.value, target=target, own=own, poll_minutes=poll_minutes,
                 options=options or {})  # fmt: skip
    session.add(row)
    session.flush()
    return row


def _mastodon_target(session: Session, tag: str, instance: str) -> str:
    """The row target for `tag` on `instance`: the tag itself for its first instance, then
    `tag@host` for each other one, so one tag can be watched on several instances."""
    from urllib.parse import urlsplit

    from sqlalchemy import or_, select

    rows = session.scalars(
        select(Source).where(
            Source.kind == SourceKind.MASTODON,
            or_(Source.target == tag, Source.target.startswith(f"{tag}@", autoescape=True)),
        )
    ).all()
    for row in rows:
        if str((row.options or {}).get("instance") or "").rstrip("/") == instance.rstrip("/"):
            return row.target
    taken = {row.target for row in rows}
    for candidate in (tag, f"{tag}@{urlsplit(instance).netloc}", f"{tag}@{instance}"):
        if candidate not in taken:
            return candidate
    raise UsageError(f"#{tag} on {instance}: every name for that row is taken (see sources list)")


def mastodon_tag(row: Source) -> str:
    """The hashtag a Mastodon row watches (its target, less any `@instance`)."""
    return row.target.partition("@")[0]


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
            build = _feed(row.target, row.own, config)
            groups.append(Group(row.target, [row], build, own=row.own, key=f"feed:{row.target}"))
    by_instance: dict[str, list[Source]] = {}
    for row in rows:
        if row.kind == SourceKind.MASTODON:
            instance = str(row.options.get("instance") or settings.mastodon.instance)
            by_instance.setdefault(instance, []).append(row)
    for instance, members in by_instance.items():
        tags = sorted({mastodon_tag(row) for row in members})
        label, key = f"mastodon {instance} ({len(tags)} tags)", f"mastodon:{instance}:{tags}"
        groups.append(Group(label, members, _mastodon(instance, tags, config), key=key))
    bluesky = [row for row in rows if row.kind == SourceKind.BLUESKY]
    if bluesky:
        terms = sorted(row.target for row in bluesky)
        groups.append(Group(f"bluesky ({len(terms)} searches)", bluesky, _bluesky(terms, config),
                            key=f"bluesky:{terms}"))  # fmt: skip
    return groups


def limits(config: Config) -> Limits:
    """The deadline and byte cap of every request, from the config's [network] section."""
    from engage.sources.http import Limits

    network = config.settings.network
    return Limits(
        deadline=network.request_deadline_seconds,
        max_bytes=int(network.max_response_mb * 1_000_000),
    )


def _pages(config: Config, page_size: int, default: int, least: int = 1) -> int:
    """A source's page budget per listing, so one poll reads at most max_items_per_poll posts
    from it (paged sources continue where they stopped on the next poll)."""
    wanted = math.ceil(config.settings.network.max_items_per_poll / page_size)
    return max(least, min(default, wanted))


def _reddit(names: list[str], config: Config) -> Callable[[], Fetcher]:
    reddit = config.settings.reddit

    def build() -> Fetcher:
        from engage.sources.listing import PAGE_SIZE

        if reddit.mode == "rss":
            from engage.sources.reddit_rss import DEFAULT_MAX_PAGES as RSS_PAGES
            from engage.sources.reddit_rss import RedditRssSource

            return RedditRssSource(
                names, base_url=reddit.rss_url, user_agent=reddit.user_agent,
                limits=limits(config), max_pages=_pages(config, PAGE_SIZE, RSS_PAGES, 2),
            )  # fmt: skip
        from engage.sources.reddit import DEFAULT_MAX_PAGES, RedditSource

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
                "max_pages": _pages(config, PAGE_SIZE, DEFAULT_MAX_PAGES, 2),
            },
            names,
            limits=limits(config),
        )

    return build


def resolve_reddit_thread(config: Config, post: FetchedPost) -> FetchedPost:
    """A Reddit thread added by URL, completed from the API when an app is configured."""
    reddit = config.settings.reddit
    if reddit.mode != "api" or not config.secret(reddit.client_id_env):
        return post
    fetcher = _reddit([post.community.removeprefix("r/")], config)()
    if not isinstance(fetcher, Conversational):
        return post
    found = fetcher.refresh([post.external_id])
    return found[0] if found else post


def _feed(url: str, own: bool, config: Config) -> Callable[[], Fetcher]:
    def build() -> Fetcher:
        from engage.sources.feeds import FeedSource

        return FeedSource(
            url, own=own, limits=limits(config),
            max_items=config.settings.network.max_items_per_poll,
        )  # fmt: skip

    return build


def _mastodon(instance: str, tags: list[str], config: Config) -> Callable[[], Fetcher]:
    def build() -> Fetcher:
        from engage.sources.mastodon import DEFAULT_MAX_PAGES, PAGE_SIZE, MastodonSource

        token = config.secret(config.settings.mastodon.access_token_env)
        return MastodonSource(
            instance, tags, access_token=token, limits=limits(config),
            max_pages=_pages(config, PAGE_SIZE, DEFAULT_MAX_PAGES),
        )  # fmt: skip

    return build


def _bluesky(terms: list[str], config: Config) -> Callable[[], Fetcher]:
    settings = config.settings.bluesky

    def build() -> Fetcher:
        from engage.sources.bluesky import DEFAULT_MAX_PAGES, PAGE_SIZE, BlueskySource

        return BlueskySource(
            terms, handle=config.secret(settings.handle_env),
            app_password=config.secret(settings.app_password_env),
            api_url=settings.api_url, auth_url=settings.auth_url, limits=limits(config),
            max_pages=_pages(config, PAGE_SIZE, DEFAULT_MAX_PAGES),
        )  # fmt: skip

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
        rows = claim_due(session) if only_due else list(
            session.scalars(select(Source).where(Source.enabled).order_by(Source.id))
        )  # fmt: skip
        session.expunge_all()
    report = WatchReport()
    groups = build_groups(rows, config)
    max_age = config.settings.publishing.thread_max_age_days

    def follow() -> list[str]:
        return followed_reddit_threads(db, max_age)

    for done, group in enumerate(groups):
        if progress:
            progress(done, len(groups), group.label)
        report.groups.append(_poll(db, group, cache, report, on_ingested, follow))
    return report


def claim_due(session: Session, lease: timedelta = LEASE) -> list[Source]:
    """Take the sources that are due, so no other worker polls them meanwhile.

    A claim lasts a lease; recording the poll's success or failure ends it. On PostgreSQL rows
    another worker is claiming are skipped (FOR UPDATE SKIP LOCKED); on SQLite the write
    transaction is already exclusive. A Reddit group is claimed whole when any of its
    communities is due, as they are read by one listing.
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
    if any(row.kind == SourceKind.REDDIT for row in claimed):
        claimed += session.scalars(
            select(Source)
            .where(Source.enabled, free, Source.kind == SourceKind.REDDIT, ~due)
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
            result.comments_new += store_comments(session, Platform.REDDIT.value, comments)
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


def followed_reddit_threads(
    db: Database, max_age_days: float, limit: int = FOLLOW_LIMIT
) -> list[str]:
    """Reddit threads worth following: matched (not crisis) or drafted for, and recent."""
    from sqlalchemy import or_, select

    since = utcnow() - timedelta(days=max_age_days)
    drafted = select(Draft.thread_id).where(Draft.thread_id.is_not(None))
    matched = select(Match.thread_id).where(Match.crisis.is_(False), Match.score > 0)
    query = (
        select(Thread.external_id)
        .where(Thread.platform == Platform.REDDIT.value, Thread.first_seen_at >= since,
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
