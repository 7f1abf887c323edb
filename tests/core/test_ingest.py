"""Ingest: idempotent upserts by (platform, external id), removals mirrored, schedules kept."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from engage.db import Database
from engage.ingest import record_failure, record_success, retry_delay, store_posts
from engage.models import Comment, Source, Thread
from engage.types import FetchedComment, FetchedPost, Platform

WHEN = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def post(n: int, **changes: object) -> FetchedPost:
    base = FetchedPost(
        platform=Platform.REDDIT,
        external_id=f"t3_{n:x}",
        community="r/therapists",
        title=f"Consult question {n}",
        body="Has anyone worked with betrayal trauma after disclosure?",
        url=f"https://www.reddit.com/r/therapists/comments/{n:x}/",
        created_at=WHEN,
        author="clinician42",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def count(db: Database, model: type[Thread] | type[Comment]) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_new_posts_are_inserted_and_reported(db: Database) -> None:
    with db.write() as session:
        result = store_posts(session, [post(1), post(2)])
    assert len(result.new) == 2 and result.updated == []
    assert count(db, Thread) == 2


def test_storing_the_same_posts_again_changes_nothing(db: Database) -> None:
    with db.write() as session:
        store_posts(session, [post(1), post(2)])
    with db.write() as session:
        again = store_posts(session, [post(1), post(2)])
    assert (again.new, again.updated) == ([], [])
    assert count(db, Thread) == 2


def test_duplicates_within_one_batch_collapse(db: Database) -> None:
    with db.write() as session:
        result = store_posts(session, [post(1), post(1, num_comments=3)])
    assert len(result.new) == 1
    with db.read() as session:
        assert session.scalar(select(Thread.num_comments)) == 3


def test_changed_counts_are_updated_and_reported(db: Database) -> None:
    with db.write() as session:
        first = store_posts(session, [post(1)])
    with db.write() as session:
        result = store_posts(session, [post(1, num_comments=7, locked=True)])
    assert result.updated == first.new
    with db.read() as session:
        thread = session.scalars(select(Thread)).one()
    assert (thread.num_comments, thread.locked) == (7, True)


def test_content_removed_on_the_platform_is_removed_here(db: Database) -> None:
    with db.write() as session:
        store_posts(session, [post(1)])
    with db.write() as session:
        store_posts(session, [post(1, removed=True, author=None)])
    with db.read() as session:
        thread = session.scalars(select(Thread)).one()
    assert (thread.body, thread.author, thread.removed) == ("", None, True)


def test_comments_are_stored_once_with_their_thread(db: Database) -> None:
    comment = FetchedComment("t1_c1", "t3_1", "colleague", "Following!", WHEN)
    with db.write() as session:
        first = store_posts(session, [post(1, comments=(comment,))])
    with db.write() as session:
        second = store_posts(session, [post(1, comments=(comment,))])
    assert (first.comments_new, second.comments_new) == (1, 0)
    assert count(db, Comment) == 1


def test_a_successful_poll_stores_the_checkpoint_and_schedules_the_next(db: Database) -> None:
    with db.write() as session:
        source = Source(kind="feed", target="https://example.org/feed", poll_minutes=60)
        session.add(source)
        session.flush()
        record_failure(session, [source], "boom")
        record_success(session, [source], {"etag": "x"})
    with db.read() as session:
        stored = session.scalars(select(Source)).one()
    assert stored.checkpoint == {"etag": "x"}
    assert (stored.failures, stored.last_error) == (0, None)
    assert stored.next_poll_at is not None and stored.last_ok_at is not None
    assert stored.next_poll_at - stored.last_ok_at == timedelta(minutes=60)


def test_a_failed_poll_keeps_the_checkpoint_and_records_the_error(db: Database) -> None:
    with db.write() as session:
        source = Source(kind="feed", target="https://example.org/feed", checkpoint={"etag": "a"})
        session.add(source)
        session.flush()
        record_failure(session, [source], "HTTP 503 from example.org")
    with db.read() as session:
        stored = session.scalars(select(Source)).one()
    assert stored.checkpoint == {"etag": "a"}
    assert (stored.failures, stored.last_error) == (1, "HTTP 503 from example.org")


def test_backoff_grows_with_failures_and_is_capped() -> None:
    delays = [retry_delay(15, n) for n in (1, 2, 3, 12)]
    assert delays[0] < delays[1] < delays[2]
    assert timedelta(minutes=15) <= delays[0] <= timedelta(minutes=18)
    assert delays[3] <= timedelta(hours=6) * 1.2
