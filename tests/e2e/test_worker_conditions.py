"""The worker's log stays readable: a problem that persists is warned about once (again when it
changes, and an info line when it clears), not every tick; and a job run whose process was killed
is marked interrupted when the next run starts, instead of staying "running" for ever."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from engage.db import Database
from engage.jobs import job_run, mark_interrupted
from engage.models import JobRun, utcnow
from engage.worker import Conditions
from tests import app_db
from tests.fakes.feeds import Document, FeedServer, rss
from tests.fakes.server import Fault

ROOT = Path(__file__).resolve().parents[2]


def wait_for(condition: Callable[[], bool], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def job_rows(home: Path) -> list[tuple[str, str]]:
    """The jobs' runs, in order (not the worker's own row, its heartbeat)."""
    url = app_db.app_url({**os.environ, "ENGAGE_HOME": str(home)})
    sql = "SELECT job, status FROM job_runs WHERE job <> 'worker' ORDER BY id"
    return [(str(job), str(status)) for job, status in app_db.rows(url, sql)]


@pytest.mark.usefixtures("app_database")
@pytest.mark.slow
def test_the_worker_warns_once_about_problems_that_persist_tick_after_tick(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    home = tmp_path / "home"
    config = tmp_path / "engage.toml"
    config.write_text(
        f'[[feeds]]\nurl = "{feed_server.url}/missing.xml"\npoll_minutes = 0.005\n'
        '[digest]\nenabled = true\nto = "grace@example.org"\nsender = "engage@example.org"\n'
        'send_at = "00:00"\nsmtp_username = "grace"\n'  # and no ENGAGE_SMTP_PASSWORD
    )
    env = {**os.environ, "ENGAGE_CONFIG": str(config), "ENGAGE_HOME": str(home)}
    env.pop("ENGAGE_SMTP_PASSWORD", None)
    worker = subprocess.Popen(
        [sys.executable, str(ROOT / "scheduler.py"), "--tick", "0.2", "-v"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for(lambda: feed_server.count("/missing.xml") >= 3 and len(job_rows(home)) >= 10)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
    log = (home / "logs" / "engage.log").read_text()
    warnings = [line for line in log.splitlines() if " WARNING " in line]
    assert len([w for w in warnings if "digest not sent: the SMTP password is missing" in w]) == 1
    assert len([w for w in warnings if "missing.xml" in w]) == 1
    assert len(warnings) == 2, warnings


def test_a_condition_is_warned_again_when_it_changes_and_noted_when_it_clears(
    caplog: pytest.LogCaptureFixture,
) -> None:
    conditions = Conditions()
    with caplog.at_level(logging.INFO, logger="engage.worker"):
        for _ in range(3):
            conditions.warn("source r/x", "source r/x: HTTP 503")
        conditions.warn("source r/x", "source r/x: HTTP 404")
        conditions.clear("source r/x", "source r/x: ok again")
        conditions.clear("source r/x", "source r/x: ok again")
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("WARNING", "source r/x: HTTP 503"),
        ("WARNING", "source r/x: HTTP 404"),
        ("INFO", "source r/x: ok again"),
    ]


@pytest.mark.usefixtures("app_database")
@pytest.mark.slow
@pytest.mark.parametrize("runner", ["watch", "worker"])
def test_a_job_run_killed_mid_poll_is_marked_interrupted_when_the_next_run_starts(
    tmp_path: Path, runner: str
) -> None:
    home = tmp_path / "home"
    with FeedServer() as feeds:
        feeds.serve("/slow.xml", Document(rss([], title="a slow blog")))
        feeds.inject(Fault(delay=120, path="/slow.xml"))
        config = tmp_path / "engage.toml"
        config.write_text(f'[[feeds]]\nurl = "{feeds.url}/slow.xml"\n')
        env = {**os.environ, "ENGAGE_CONFIG": str(config), "ENGAGE_HOME": str(home)}
        argv = (
            [sys.executable, "-m", "engage", "watch", "--once"] if runner == "watch"
            else [sys.executable, str(ROOT / "scheduler.py"), "--tick", "0.2"]
        )  # fmt: skip
        killed = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)  # fmt: skip
        wait_for(lambda: feeds.count("/slow.xml") >= 1)
        killed.send_signal(signal.SIGKILL)
        killed.wait()
        assert job_rows(home) == [("watch", "running")]
        if runner == "watch":
            done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr
        else:
            restarted = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL)  # fmt: skip
            try:
                wait_for(lambda: ("watch", "ok") in job_rows(home))
            finally:
                restarted.send_signal(signal.SIGTERM)
                restarted.wait(timeout=60)
    assert job_rows(home)[0] == ("watch", "interrupted")
    url = app_db.app_url({**os.environ, "ENGAGE_HOME": str(home)})
    first_watch = "SELECT error FROM job_runs WHERE job = 'watch' ORDER BY id LIMIT 1"
    [(error,)] = app_db.rows(url, first_watch)
    assert error.startswith("interrupted:")


def test_a_job_run_whose_process_is_alive_is_left_running(db: Database) -> None:
    with job_run(db, "watch"):
        assert mark_interrupted(db) == 0
        with db.read() as session:
            assert session.get_one(JobRun, 1).status == "running"
    with db.read() as session:
        assert session.get_one(JobRun, 1).status == "ok"


def test_a_job_run_older_than_its_lease_is_marked_interrupted_wherever_it_ran(
    db: Database,
) -> None:
    with db.write() as session:
        session.add(JobRun(job="watch", status="running", summary={"host": "elsewhere", "pid": 1},
                           started_at=utcnow() - timedelta(hours=13)))  # fmt: skip
        session.add(JobRun(job="watch", status="running", summary={"host": "elsewhere", "pid": 1},
                           started_at=utcnow() - timedelta(minutes=5)))  # fmt: skip
    assert mark_interrupted(db) == 1
    with db.read() as session:
        assert [r.status for r in session.query(JobRun).order_by(JobRun.id)] == [
            "interrupted",
            "running",
        ]
