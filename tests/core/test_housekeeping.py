"""Housekeeping: content removed at its source is purged, threads that never matched are
forgotten after their retention, the therapist's records are never touched, and a live SQLite
database is backed up consistently."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from engage.cli import cli
from engage.config import HousekeepingSettings
from engage.db import Database
from engage.housekeeping import REMOVED_TITLE, backup, prune_unmatched, purge_removed, tidy
from engage.models import Comment, Draft, Engagement, JobRun, Match, Thread

NOW = datetime.now(UTC)
LONG_AGO = NOW - timedelta(days=60)


def thread(db: Database, name: str, *, seen: datetime = NOW, removed: bool = False,
           matched: bool = False) -> int:  # fmt: skip
    with db.write() as session:
        row = Thread(platform="reddit", external_id=name, community="r/therapists",
                     title=f"title of {name}", body=f"words of {name}", author="someone",
                     created_at=seen, first_seen_at=seen, removed=removed)  # fmt: skip
        session.add(row)
        session.flush()
        if matched:
            session.add(Match(thread_id=row.id, score=1.0, intent="consult_question",
                              profile_hash="h"))  # fmt: skip
        return row.id


def count(db: Database, model: type) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_thread_removed_at_its_source_loses_its_words_but_keeps_its_row(db: Database) -> None:
    thread_id = thread(db, "gone", removed=True)
    assert purge_removed(db) == (1, 0)
    with db.read() as session:
        row = session.get_one(Thread, thread_id)
    assert (row.title, row.body, row.author) == (REMOVED_TITLE, "", None)


def test_removed_comments_are_deleted(db: Database) -> None:
    thread_id = thread(db, "t")
    with db.write() as session:
        for n, removed in enumerate((True, False)):
            session.add(Comment(thread_id=thread_id, platform="reddit", external_id=f"c{n}",
                                body="x", created_at=NOW, removed=removed))  # fmt: skip
    assert purge_removed(db) == (0, 1)
    assert count(db, Comment) == 1


def test_an_old_thread_that_never_matched_is_forgotten(db: Database) -> None:
    thread(db, "old", seen=LONG_AGO)
    thread(db, "new")
    assert prune_unmatched(db, NOW - timedelta(days=30)) == 1
    assert count(db, Thread) == 1


def test_matched_and_engaged_threads_are_kept_however_old(db: Database) -> None:
    thread(db, "matched", seen=LONG_AGO, matched=True)
    engaged = thread(db, "engaged", seen=LONG_AGO)
    drafted = thread(db, "drafted", seen=LONG_AGO)
    with db.write() as session:
        session.add(Engagement(thread_id=engaged, platform="reddit", kind="reply"))
        session.add(Draft(thread_id=drafted, kind="reply", platform="reddit", text="hi"))
    assert prune_unmatched(db, NOW - timedelta(days=30)) == 0
    assert count(db, Thread) == 3


def test_old_job_runs_are_pruned_and_running_ones_kept(db: Database) -> None:
    with db.write() as session:
        session.add(JobRun(job="watch", started_at=LONG_AGO, status="ok"))
        session.add(JobRun(job="watch", started_at=LONG_AGO, status="running"))
        session.add(JobRun(job="watch", started_at=NOW, status="ok"))
    done = tidy(db, HousekeepingSettings(keep_job_runs_days=30))
    assert done.pruned_job_runs == 1
    assert count(db, JobRun) == 2


@pytest.mark.sqlite_only("the online backup and the WAL are SQLite's")
def test_a_backup_is_a_consistent_copy_of_the_live_database(db: Database, tmp_path: Path) -> None:
    thread(db, "kept")
    copy = backup(db, tmp_path / "copy.db")
    with sqlite3.connect(copy) as connection:
        assert connection.execute("SELECT count(*) FROM threads").fetchone() == (1,)
    assert copy.stat().st_mode & 0o777 == 0o600


@pytest.mark.sqlite_only("the online backup is SQLite's")
def test_a_backup_never_overwrites_a_file(db: Database, tmp_path: Path) -> None:
    from engage.errors import UsageError

    existing = tmp_path / "copy.db"
    existing.write_text("mine")
    with pytest.raises(UsageError, match="exists"):
        backup(db, existing)
    assert existing.read_text() == "mine"


@pytest.mark.usefixtures("app_database")
def test_db_tidy_reports_what_it_did(tmp_path: Path) -> None:
    config = tmp_path / "engage.toml"
    config.write_text('[profile]\nname = "Grace Lee"\n')
    result = CliRunner().invoke(cli, ["--config", str(config), "db", "tidy", "--json"])
    assert result.exit_code == 0, result.output
    assert '"purged_threads": 0' in result.output
