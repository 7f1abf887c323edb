"""Store fetched posts idempotently and move each source's checkpoint and schedule.

A poll's posts and its new checkpoint are written in one transaction, so the checkpoint never
covers a post that was not committed: a crash in between loses nothing and duplicates nothing
(posts are keyed by platform and external id).

Only http(s) URLs are stored (engage.sources.base.web_url): a thread whose own URL is anything
else is skipped and logged, a shared link or comment URL that is anything else is dropped, so
nothing downstream (the desk's `o`, the digest's links) can be handed `javascript:` or `file:`.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from engage.models import BlogPost, Comment, Source, Thread, utcnow
from engage.sources.base import web_url
from engage.types import FetchedComment, FetchedPost

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

#: Rows looked up per IN (...) query; well under SQLite's bound-parameter limit.
LOOKUP_CHUNK = 500
#: A failing source backs off exponentially up to this, so a dead feed doesn't hammer anyone.
MAX_BACKOFF = timedelta(hours=6)

# The fields a later fetch may change; a change means the thread must be matched again.
MUTABLE = ("title", "body", "author", "num_comments", "score", "locked", "removed", "link_url")


@dataclass(slots=True)
class IngestResult:
    """Database ids of threads that are new and of threads whose content changed, and of the
    therapist's new blog posts."""

    new: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    comments_new: int = 0
    blog_posts: list[int] = field(default_factory=list)

    def add(self, other: IngestResult) -> None:
        self.new += other.new
        self.updated += other.updated
        self.comments_new += other.comments_new
        self.blog_posts += other.blog_posts


def store_posts(
    session: Session, posts: Iterable[FetchedPost], source_id: int | None = None
) -> IngestResult:
    """Insert new threads, update changed ones; return which. Duplicates in `posts` collapse."""
    from sqlalchemy import insert, update

    latest = {(post.platform.value, post.external_id): post for post in _with_web_urls(posts)}
    existing = _existing_threads(session, latest)
    result = IngestResult()
    now = utcnow()
    fresh = [
        _thread_row(post, source_id, now) for key, post in latest.items() if key not in existing
    ]
    if fresh:
        inserted = session.execute(insert(Thread).returning(Thread.id), fresh)
        result.new = list(inserted.scalars())
    for key, (thread_id, current) in existing.items():
        incoming = _mutable_values(latest[key])
        if incoming != current:
            session.execute(
                update(Thread).where(Thread.id == thread_id).values(**incoming, updated_at=now)
            )
            result.updated.append(thread_id)
    for platform in {platform for platform, _ in latest}:
        comments = [c for (p, _), post in latest.items() if p == platform for c in post.comments]
        result.comments_new += store_comments(session, platform, comments)
    return result


def store_blog_posts(session: Session, posts: Iterable[FetchedPost], source_id: int) -> list[int]:
    """The therapist's own articles (from a feed marked own); returns the new ones' ids."""
    from sqlalchemy import insert, select

    latest = {post.url: post for post in _with_web_urls(posts)}
    known: set[str] = set()
    for chunk in _chunks(sorted(latest)):
        known.update(session.scalars(select(BlogPost.url).where(BlogPost.url.in_(chunk))))
    fresh = [
        {"source_id": source_id, "url": url, "title": post.title, "summary": post.body[:2000],
         "published_at": post.created_at}
        for url, post in latest.items()
        if url not in known
    ]  # fmt: skip
    if not fresh:
        return []
    return list(session.execute(insert(BlogPost).returning(BlogPost.id), fresh).scalars())


def store_comments(session: Session, platform: str, comments: Sequence[FetchedComment]) -> int:
    """Comments on threads we already have (others are skipped); returns how many were new."""
    from sqlalchemy import insert, select

    if not comments:
        return 0
    thread_ids: dict[str, int] = {}
    for chunk in _chunks(sorted({c.thread_external_id for c in comments})):
        rows = session.execute(
            select(Thread.external_id, Thread.id).where(
                Thread.platform == platform, Thread.external_id.in_(chunk)
            )
        )
        thread_ids.update({external_id: thread_id for external_id, thread_id in rows})
    known: set[str] = set()
    for chunk in _chunks(sorted({c.external_id for c in comments})):
        known.update(
            session.scalars(
                select(Comment.external_id).where(
                    Comment.platform == platform, Comment.external_id.in_(chunk)
                )
            )
        )
    rows_to_add: dict[str, dict[str, Any]] = {}
    for comment in comments:
        thread_id = thread_ids.get(comment.thread_external_id)
        if thread_id is None or comment.external_id in known:
            continue
        rows_to_add[comment.external_id] = {
            "thread_id": thread_id,
            "platform": platform,
            "external_id": comment.external_id,
            "parent_external_id": comment.parent_id,
            "author": comment.author,
            "body": "" if comment.removed else comment.body,
            "url": web_url(comment.url),
            "created_at": comment.created_at,
            "removed": comment.removed,
        }
    if rows_to_add:
        session.execute(insert(Comment), list(rows_to_add.values()))
    return len(rows_to_add)


def _with_web_urls(posts: Iterable[FetchedPost]) -> Iterable[FetchedPost]:
    for post in posts:
        url = web_url(post.url)
        if url is not None:
            yield post if url == post.url else replace(post, url=url)
        else:
            log.warning("skipped %s post %.200r: its URL %.200r is not a web address",
                        post.platform.value, post.external_id, post.url)  # fmt: skip


def _existing_threads(
    session: Session, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], tuple[int, dict[str, Any]]]:
    from sqlalchemy import select

    by_platform: dict[str, list[str]] = {}
    for platform, external_id in keys:
        by_platform.setdefault(platform, []).append(external_id)
    columns = [getattr(Thread, name) for name in MUTABLE]
    found: dict[tuple[str, str], tuple[int, dict[str, Any]]] = {}
    for platform, external_ids in by_platform.items():
        for chunk in _chunks(external_ids):
            rows = session.execute(
                select(Thread.external_id, Thread.id, *columns).where(
                    Thread.platform == platform, Thread.external_id.in_(chunk)
                )
            )
            for external_id, thread_id, *values in rows:
                found[(platform, external_id)] = (
                    thread_id,
                    dict(zip(MUTABLE, values, strict=True)),
                )
    return found


def _mutable_values(post: FetchedPost) -> dict[str, Any]:
    """What a fetch says now. Content removed or deleted on the platform is removed here too."""
    return {
        "title": post.title,
        "body": "" if post.removed else post.body,
        "author": post.author,
        "num_comments": post.num_comments,
        "score": post.score,
        "locked": post.locked,
        "removed": post.removed,
        "link_url": web_url(post.link_url),
    }


def _thread_row(post: FetchedPost, source_id: int | None, now: datetime) -> dict[str, Any]:
    return {
        **_mutable_values(post),
        "platform": post.platform.value,
        "external_id": post.external_id,
        "source_id": source_id,
        "community": post.community,
        "url": post.url,
        "created_at": post.created_at,
        "first_seen_at": now,
        "updated_at": now,
    }


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), LOOKUP_CHUNK):
        yield items[start : start + LOOKUP_CHUNK]


def record_success(
    session: Session, sources: Sequence[Source], checkpoint: dict[str, Any] | None
) -> None:
    """The poll worked: store its checkpoint and schedule the next one."""
    now = utcnow()
    for source in sources:
        source.checkpoint = checkpoint
        source.last_poll_at = source.last_ok_at = now
        source.last_error = None
        source.failures = 0
        source.next_poll_at = now + timedelta(minutes=source.poll_minutes)
        source.claimed_until = None
    session.add_all(sources)


def record_failure(session: Session, sources: Sequence[Source], error: str) -> None:
    """The poll failed: keep the checkpoint, show the error, back off with jitter."""
    now = utcnow()
    for source in sources:
        source.failures += 1
        source.last_poll_at = source.last_error_at = now
        source.last_error = error[:2000]
        source.next_poll_at = now + retry_delay(source.poll_minutes, source.failures)
        source.claimed_until = None
    session.add_all(sources)


def retry_delay(poll_minutes: float, failures: int, rng: random.Random | None = None) -> timedelta:
    """Exponential backoff from the normal interval, capped, with up to 20% jitter."""
    base = timedelta(minutes=poll_minutes) * (2 ** min(failures - 1, 10))
    jitter: float = 1 + (rng or random).random() * 0.2
    capped: timedelta = min(base, MAX_BACKOFF)
    return capped * jitter
