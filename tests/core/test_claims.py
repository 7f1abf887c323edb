"""Workers claim due sources, so two workers never poll the same source at once."""

from __future__ import annotations

import threading

import pytest

from engage.db import Database
from engage.ingest import record_success
from engage.models import Source
from engage.watch.claims import claim_due, release_claims


@pytest.fixture(autouse=True)
def three_feeds(db: Database) -> None:
    with db.write() as session:
        session.add_all([Source(kind="feed", target=f"https://example.org/{n}") for n in range(3)])


def claim(db: Database) -> list[str]:
    with db.write() as session:
        return [row.target for row in claim_due(session)]


def test_a_claimed_source_is_not_claimed_again(db: Database) -> None:
    assert len(claim(db)) == 3
    assert claim(db) == []


def test_recording_the_poll_ends_the_claim_and_schedules_the_next(db: Database) -> None:
    with db.write() as session:
        rows = claim_due(session)
        record_success(session, rows, {"etag": "x"})
    assert claim(db) == []  # not due again until poll_minutes have passed
    with db.read() as session:
        assert all(row.claimed_until is None for row in session.query(Source))


def test_claims_left_by_a_dead_worker_can_be_released(db: Database) -> None:
    claim(db)
    with db.write() as session:
        release_claims(session)
    assert len(claim(db)) == 3


def test_two_workers_claiming_at_once_split_the_sources(database_url: str, db: Database) -> None:
    barrier = threading.Barrier(2)
    results: list[list[str]] = []

    def worker() -> None:
        database = Database(database_url)
        barrier.wait()
        results.append(claim(database))
        database.dispose()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    claimed = [target for result in results for target in result]
    assert sorted(claimed) == sorted(f"https://example.org/{n}" for n in range(3))
