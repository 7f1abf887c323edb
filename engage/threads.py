"""Threads for people: listed (newest first, or worth joining), shown in full, added by URL.

The steps behind `engage threads list/show/add` and the demo. They return ThreadView and
ThreadAdded values (engage.types); they must not print or format (the CLI does), and a thread
added by URL is stored and matched exactly like a watched one (engage.ingest, engage.match_rows).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from engage.errors import EngageError, NotFoundError
from engage.models import BlogPost, Comment, Match, Thread
from engage.types import MatchView, ThreadAdded, ThreadView

if TYPE_CHECKING:
    from engage.app import Engage
    from engage.db import Database
    from engage.matching import Matcher
    from engage.types import MatchView


#: Threads loaded per query when a long ranked list is shown.
CHUNK = 1000


def list_threads(
    db: Database,
    *,
    worth: bool = False,
    community: str | None = None,
    limit: int = 0,
) -> list[ThreadView]:
    """Newest first; with `worth`, matched threads only, best first as ranked for the therapist
    (matching's score lowered by the kinds of thread they turned down, engage.feedback), never
    a crisis (it gets crisis resources, apart). `limit` 0: all of them."""
    from sqlalchemy import select
    from sqlalchemy.orm import joinedload

    if worth:
        return _worth_joining(db, community, limit)
    query = select(Thread).options(joinedload(Thread.match))
    query = query.order_by(Thread.created_at.desc(), Thread.id.desc())
    if community:
        query = query.where(Thread.community == community)
    if limit:
        query = query.limit(limit)
    with db.read() as session:
        return [thread_view(thread) for thread in session.scalars(query).unique()]


def _worth_joining(db: Database, community: str | None, limit: int) -> list[ThreadView]:
    """Matched threads, never a crisis, best first by the score as ranked for the therapist,
    each saying why it ranks lower when it does. Ordered and cut in SQL on the matches alone
    (a sort of narrow rows), then only the threads shown are loaded."""
    from dataclasses import replace

    from sqlalchemy import select
    from sqlalchemy.orm import joinedload

    from engage.desk.feedback import active_lowerings, ranked_score
    from engage.feedback import kind_of, lowered, note

    with db.read() as session:
        by_kind = active_lowerings(session)
        query = (
            select(Match.thread_id).where(Match.crisis.is_(False))
            .order_by(ranked_score(by_kind).desc(), Match.thread_id)
        )  # fmt: skip
        if community:
            query = query.join(Thread).where(Thread.community == community)
        if limit:
            query = query.limit(limit)
        wanted = list(session.scalars(query))
        threads: dict[int, Thread] = {}
        for start in range(0, len(wanted), CHUNK):  # within every driver's parameter limit
            chunk = wanted[start : start + CHUNK]
            threads.update((thread.id, thread) for thread in session.scalars(
                select(Thread).options(joinedload(Thread.match)).where(Thread.id.in_(chunk))
            ).unique())  # fmt: skip
        views = []
        for thread_id in wanted:
            view = thread_view(threads[thread_id])
            assert view.match is not None  # selected through its match
            match = view.match
            score, lowering = lowered(match.score, kind_of(match.intent, match.specialties),
                                      by_kind)  # fmt: skip
            views.append(replace(view, match=replace(
                match, ranked_score=score, lowered=None if lowering is None else note(lowering),
                feedback=() if lowering is None else tuple(r.id for r in lowering.rejections),
            )))  # fmt: skip
        return views


def why(match: MatchView, matcher: Matcher) -> str:
    """The one sentence a therapist reads for a stored match (engage.matching.why_sentence):
    what the author wants, the therapist's specialty in their words, the place, the fit."""
    from engage.matching import why_sentence

    return why_sentence(match.intent, match.reasons, matcher.profile, matcher.taxonomy,
                        match.flags)  # fmt: skip


def show_thread(db: Database, thread_id: int) -> ThreadView:
    """One thread in full: its text, its shared link, how many comments are stored."""
    from dataclasses import replace

    from sqlalchemy import func, select

    with db.read() as session:
        thread = session.get(Thread, thread_id)
        if thread is None:
            raise NotFoundError(f"thread {thread_id} does not exist (see engage threads list)")
        comments = session.scalar(select(func.count()).where(Comment.thread_id == thread_id))
        return replace(thread_view(thread), body=thread.body, link_url=thread.link_url,
                       comments_stored=int(comments or 0))  # fmt: skip


def add_thread(
    engage: Engage,
    url: str,
    *,
    title: str | None = None,
    body: str | None = None,
    community: str | None = None,
) -> ThreadAdded:
    """A thread by URL, recognised by its platform (engage.platforms) and, unless the title and
    text were both given, completed from the platform's API; stored and matched (crisis triage
    included) like any watched thread."""
    from sqlalchemy import select

    from engage.ingest import store_posts
    from engage.match_rows import score_threads
    from engage.platforms import complete_thread, thread_from_url

    post = thread_from_url(url, title=title, body=body, community=community)
    warning = None
    if not (title and body):
        try:
            post = complete_thread(engage.config, post)
        except EngageError as exc:
            warning = f"could not fetch it from {post.platform.value.title()} ({exc})"
    scorer = engage.matcher
    with engage.db.write() as session:
        result = store_posts(session, [post])
        score_threads(session, scorer, result.new + result.updated)
        thread_id = session.scalar(
            select(Thread.id).where(
                Thread.platform == post.platform.value, Thread.external_id == post.external_id
            )
        )
    assert thread_id is not None  # stored just now
    return ThreadAdded(thread_id, bool(result.new), bool(result.updated), post.url, post.title,
                       warning)  # fmt: skip


def own_blog_post_count(db: Database) -> int:
    """How many posts of the therapist's own blog are stored (each becomes a share draft)."""
    from sqlalchemy import func, select

    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(BlogPost)) or 0)


def thread_view(thread: Thread) -> ThreadView:
    match = thread.match
    matched = None if match is None else MatchView(
        score=match.score, intent=match.intent, specialties=list(match.specialties),
        flags=list(match.flags), reasons=list(match.reasons),
    )  # fmt: skip
    return ThreadView(
        id=thread.id,
        platform=thread.platform,
        community=thread.community,
        title=thread.title,
        author=thread.author,
        url=thread.url,
        created_at=thread.created_at,
        num_comments=thread.num_comments,
        locked=thread.locked,
        removed=thread.removed,
        match=matched,
    )
