"""The worker runs for months unattended and says so when it can't: a job that always raises
leaves it up with the error in `engage status`; one worker per database (both engines); its
heartbeat says whether it runs; SIGTERM lets the running job finish, a second signal stops at
once; and a job's interval (housekeeping: daily) holds across a restart. Real processes and the
real scheduler; nothing asserts on timing."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from engage.config import load_config
from engage.db import Database
from engage.models import JobRun, utcnow
from engage.status import stuck as stuck_now
from engage.worker import say_if_down_long
from tests import app_db
from tests.e2e.test_worker_conditions import job_rows, wait_for
from tests.fakes.feeds import Document, FeedServer, rss
from tests.fakes.server import Fault

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("app_database")]

#: A worker whose housekeeping always raises (the real worker, with tidy replaced).
BROKEN_HOUSEKEEPING = """
import sys
import engage.housekeeping

def tidy(*args, **kwargs):
    raise RuntimeError("the disk is on fire")

engage.housekeeping.tidy = tidy
from engage.cli import cli
cli(["run", *sys.argv[1:]], prog_name="engage")
"""

Start = Callable[..., subprocess.Popen[str]]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def env(tmp_path: Path, home: Path) -> dict[str, str]:
    config = tmp_path / "engage.toml"
    config.write_text("")
    return {**os.environ, "ENGAGE_CONFIG": str(config), "ENGAGE_HOME": str(home)}


@pytest.fixture
def start(env: dict[str, str]) -> Iterator[Start]:
    started: list[subprocess.Popen[str]] = []

    def start_worker(*argv: str) -> subprocess.Popen[str]:
        command = list(argv) or [sys.executable, str(ROOT / "scheduler.py")]
        process = subprocess.Popen([*command, "--tick", "0.2"], env=env, text=True,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
        started.append(process)
        return process

    yield start_worker
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def status(env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "engage", "status", "--json"], env=env,
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def stop(worker: subprocess.Popen[str]) -> None:
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=60) == 0


def test_a_job_that_always_raises_leaves_the_worker_up_and_status_shows_its_error(
    env: dict[str, str], home: Path, start: Start
) -> None:
    worker = start(sys.executable, "-c", BROKEN_HOUSEKEEPING)
    wait_for(lambda: ("housekeeping", "failed") in job_rows(home))
    watched = job_rows(home).count(("watch", "ok"))
    wait_for(lambda: job_rows(home).count(("watch", "ok")) >= watched + 3)  # still ticking
    assert worker.poll() is None
    report = status(env)
    housekeeping = report["jobs"]["housekeeping"]
    assert housekeeping["status"] == "failed"
    assert housekeeping["last_error"] == "RuntimeError: the disk is on fire"
    assert report["jobs"]["watch"]["status"] in ("ok", "running")
    assert report["worker"]["alive"]
    stop(worker)
    log = (home / "logs" / "engage.log").read_text()
    assert "housekeeping failed (RuntimeError: the disk is on fire)" in log


def test_of_two_workers_started_together_one_runs_and_the_other_names_it(
    env: dict[str, str], home: Path, start: Start
) -> None:
    both = [start(), start()]
    wait_for(lambda: any(worker.poll() is not None for worker in both))
    [loser] = [worker for worker in both if worker.poll() is not None]
    [winner] = [worker for worker in both if worker is not loser]
    assert loser.returncode != 0
    assert loser.stderr is not None
    said = loser.stderr.read()
    assert "another engage worker is already running" in said
    assert f"pid {winner.pid} on " in said
    wait_for(lambda: ("watch", "ok") in job_rows(home))
    assert winner.poll() is None
    stop(winner)


def test_status_shows_the_worker_alive_while_it_runs_and_not_after_it_stops(
    env: dict[str, str], start: Start
) -> None:
    assert not status(env)["worker"]["alive"]
    worker = start()
    wait_for(lambda: status(env)["worker"]["alive"])
    running = status(env)["worker"]
    assert running["pid"] == worker.pid and running["last_heartbeat"]
    stop(worker)
    stopped = status(env)["worker"]
    assert not stopped["alive"]
    assert stopped["last_heartbeat"] and stopped["stopped_at"]


def test_a_killed_worker_is_not_alive_even_before_its_heartbeat_is_old(
    env: dict[str, str], start: Start
) -> None:
    worker = start()
    wait_for(lambda: status(env)["worker"]["alive"])
    worker.kill()
    worker.wait()
    assert not status(env)["worker"]["alive"]


def test_a_daily_job_does_not_run_again_when_the_worker_restarts(
    env: dict[str, str], home: Path, start: Start
) -> None:
    first = start()
    wait_for(lambda: ("housekeeping", "ok") in job_rows(home))
    stop(first)
    watched = job_rows(home).count(("watch", "ok"))
    second = start()
    wait_for(lambda: job_rows(home).count(("watch", "ok")) >= watched + 5)
    stop(second)
    assert job_rows(home).count(("housekeeping", "ok")) == 1


@pytest.fixture
def slow_feed(tmp_path: Path, env: dict[str, str]) -> Iterator[FeedServer]:
    with FeedServer() as feeds:
        feeds.serve("/slow.xml", Document(rss([], title="a slow blog")))
        (tmp_path / "engage.toml").write_text(f'[[feeds]]\nurl = "{feeds.url}/slow.xml"\n')
        yield feeds


def test_sigterm_while_a_job_runs_lets_it_finish_ok(
    home: Path, start: Start, slow_feed: FeedServer
) -> None:
    slow_feed.inject(Fault(delay=2.0, path="/slow.xml"))
    worker = start()
    wait_for(lambda: slow_feed.count("/slow.xml") >= 1)
    stop(worker)
    runs = job_rows(home)
    assert ("watch", "ok") in runs
    assert all(state == "ok" for _, state in runs), runs


def test_a_second_signal_stops_the_worker_at_once(
    home: Path, start: Start, slow_feed: FeedServer
) -> None:
    slow_feed.inject(Fault(delay=120, path="/slow.xml"))
    worker = start()
    wait_for(lambda: slow_feed.count("/slow.xml") >= 1)
    worker.send_signal(signal.SIGTERM)
    time.sleep(0.5)  # not a timing assert: two signals, not one delivered twice at once
    worker.send_signal(signal.SIGINT)
    assert worker.wait(timeout=60) == 1
    assert ("watch", "running") in job_rows(home)  # cut short: the next start marks it


def test_a_worker_down_more_than_a_day_says_so_when_it_starts_again(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    long_ago = utcnow() - timedelta(days=3)
    with db.write() as session:
        beat = {"beat_at": long_ago.isoformat()}
        session.add(JobRun(job="worker", status="ok", started_at=long_ago - timedelta(days=1),
                           finished_at=long_ago, summary=beat))  # fmt: skip
    with caplog.at_level(logging.WARNING, logger="engage.worker"):
        say_if_down_long(db)
    [said] = [r.getMessage() for r in caplog.records]
    assert said.startswith("the worker was not running for 3 days")


def test_status_names_a_publishing_claim_past_its_lease_and_a_late_digest(
    tmp_path: Path,
) -> None:
    from engage.publishing import LEASE

    path = tmp_path / "engage.toml"
    path.write_text(
        '[digest]\nenabled = true\nto = "grace@example.org"\n'
        'sender = "engage@example.org"\nsend_at = "07:30"\n'
    )
    config = load_config(path)
    now = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
    answers: dict[str, list[tuple[Any, ...]]] = {
        "drafts": [(7, now - LEASE - timedelta(minutes=1)), (8, now - timedelta(minutes=1))],
        "digest_runs": [(0,)],
    }

    def query(sql: str) -> list[tuple[Any, ...]]:
        return answers["drafts" if "FROM drafts" in sql else "digest_runs"]

    stuck = stuck_now(config, query, now)
    assert len(stuck) == 2
    assert stuck[0].startswith("draft 7 has been publishing since")
    assert stuck[1] == "the digest of 2026-06-01 is not sent (due at 07:30 UTC)"
    answers["digest_runs"] = [(1,)]
    assert len(stuck_now(config, query, now)) == 1
    answers["drafts"], answers["digest_runs"] = [], [(0,)]
    assert stuck_now(config, query, now.replace(hour=7, minute=45)) == []  # not late yet


def _digest_config(tmp_path: Path, send_at: str) -> Any:
    path = tmp_path / "engage.toml"
    path.write_text(
        '[digest]\nenabled = true\nto = "grace@example.org"\nsender = "engage@example.org"\n'
        f'send_at = "{send_at}"\ntimezone = "America/New_York"\n'
    )
    return load_config(path)


def _unsent(sql: str) -> list[tuple[Any, ...]]:
    return [] if "FROM drafts" in sql else [(0,)]


def test_a_digest_due_in_the_skipped_hour_is_not_late_minutes_after_the_clocks_go_forward(
    tmp_path: Path,
) -> None:
    config = _digest_config(tmp_path, "02:30")  # 2027-03-14 has no 02:30 in New York
    five_past_three = datetime(2027, 3, 14, 7, 5, tzinfo=UTC)  # 03:05 EDT: sent at 03:00

    assert stuck_now(config, _unsent, five_past_three) == []
    assert stuck_now(config, _unsent, five_past_three + timedelta(minutes=30)) != []


def test_a_digest_due_in_the_repeated_hour_is_late_half_an_hour_after_its_first_passing(
    tmp_path: Path,
) -> None:
    config = _digest_config(tmp_path, "01:30")  # 2027-11-07 has 01:30 twice in New York
    first_passing = datetime(2027, 11, 7, 5, 30, tzinfo=UTC)  # 01:30 EDT

    assert stuck_now(config, _unsent, first_passing + timedelta(minutes=25)) == []
    assert stuck_now(config, _unsent, first_passing + timedelta(minutes=40)) != []


LOCK_HOLDERS = (
    "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = "
    "(SELECT oid FROM pg_database WHERE datname = current_database())"
)


@pytest.mark.postgres
def test_a_worker_whose_lock_connection_is_cut_takes_the_lock_again_and_runs_on(
    engine: str, env: dict[str, str], home: Path, start: Start
) -> None:
    if engine != "postgres":
        pytest.skip("the advisory lock is PostgreSQL's (SQLite's lock file can't be cut)")
    url = app_db.app_url(env)
    worker = start()
    wait_for(lambda: len(app_db.rows(url, LOCK_HOLDERS)) == 1)
    [(first,)] = app_db.rows(url, LOCK_HOLDERS)
    app_db.rows(url, f"SELECT pg_terminate_backend({first})")
    wait_for(lambda: [p for (p,) in app_db.rows(url, LOCK_HOLDERS)] not in ([], [first]))
    watched = job_rows(home).count(("watch", "ok"))
    wait_for(lambda: job_rows(home).count(("watch", "ok")) >= watched + 3)
    assert worker.poll() is None
    second = start()
    assert second.wait(timeout=60) != 0
    stop(worker)


EVERY_OTHER_CONNECTION = (
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
)


@pytest.mark.postgres
def test_a_worker_whose_database_connections_are_all_cut_runs_on(
    engine: str, env: dict[str, str], home: Path, start: Start
) -> None:
    if engine != "postgres":
        pytest.skip("a lost connection is PostgreSQL's (SQLite has none to lose)")
    url = app_db.app_url(env)
    worker = start()
    wait_for(lambda: job_rows(home).count(("watch", "ok")) >= 2)
    for _ in range(3):  # the pool's connections, the lock's, mid-job or between ticks
        app_db.rows(url, EVERY_OTHER_CONNECTION)
        time.sleep(0.3)
    watched = job_rows(home).count(("watch", "ok"))
    wait_for(lambda: job_rows(home).count(("watch", "ok")) >= watched + 3)
    assert worker.poll() is None
    stop(worker)
