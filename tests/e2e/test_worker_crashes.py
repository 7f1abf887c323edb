"""The worker killed where it hurts, then started again: a real `engage run` process on the real
scheduler against the fake Reddit on loopback, SIGKILLed while a poll or a publish is in flight
(the server stalls that answer), and another process holding the SQLite file's exclusive lock
for 30 seconds. Nothing is lost, nothing is done twice, and the worker carries on.

The publishing world (an approved reply to t3_abc0, its fake Reddit, the secrets, the process
starter) is tests/e2e/test_publishing_reddit.py's, shared rather than copied."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from engage.app import Engage, make_engage
from engage.jobs import job_run
from engage.worker import BACKOFF, JOBS, Job, Worker
from tests import app_db
from tests.e2e import test_publishing_reddit as publishing
from tests.e2e.desk_world import CLEAN, shown
from tests.e2e.test_publishing_reddit import (
    COMMENT,
    approved,
    backdate_claim,
    killed,
    logged,
    ours,
    posts,
    wait_for,
)
from tests.e2e.test_worker import lease_runs_out
from tests.e2e.test_worker_conditions import job_rows
from tests.e2e.test_worker_health import status
from tests.e2e.test_worker_time import Clock
from tests.fakes.reddit import FakeReddit, generate_submissions
from tests.fakes.server import Fault

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("app_database")]

Start = Callable[..., subprocess.Popen[str]]
TICK = ("run", "--tick", "0.2")
SUBREDDITS = ["therapists", "psychotherapy", "socialwork"]
#: Long enough that the kill always lands while the server holds the answer.
STALL = 60.0

# The publishing tests' world, shared: an approved reply's thread on the fake Reddit, the
# Reddit secrets in the environment, and `engage_process(*args)` (killed at the end).
secrets, reddit, engage_process = publishing.secrets, publishing.reddit, publishing.engage_process


@pytest.fixture
def config(tmp_path: Path, reddit: FakeReddit) -> Path:
    """The publishing tests' config, plus three watched subreddits polled every 0.6 s and a
    therapist whose specialties the fake Reddit's posts speak of (so the worker drafts)."""
    path = publishing.write_config(tmp_path / "engage.toml", reddit)
    text = path.read_text().replace(
        "[profile.specialties]\n", "[profile.specialties]\nperinatal = 1.0\nanxiety_ocd = 1.0\n"
    ).replace("[reddit]\n", f"[reddit]\nsubreddits = {json.dumps(SUBREDDITS)}\n"
              "poll_minutes = 0.01\n")  # fmt: skip
    path.write_text(text)
    return path


def app_env() -> dict[str, str]:
    return dict(os.environ)


def home() -> Path:
    return Path(os.environ["ENGAGE_HOME"])


def stored(sql: str) -> list[tuple[Any, ...]]:
    return app_db.rows(app_db.app_url(app_env()), sql)


def thread_ids() -> list[str]:
    return [str(external_id) for (external_id,) in stored("SELECT external_id FROM threads")]


def drafted_threads() -> list[int]:
    return [int(thread) for (thread,) in stored("SELECT thread_id FROM drafts")]


def more_polls(worker: subprocess.Popen[str], polls: int = 5) -> None:
    watched = job_rows(home()).count(("watch", "ok"))
    wait_for(lambda: job_rows(home()).count(("watch", "ok")) >= watched + polls,
             what=f"{polls} more polls", process=worker)  # fmt: skip


# --- kill -9 mid-poll --------------------------------------------------------------------------


def test_a_worker_killed_mid_poll_stores_every_thread_once_and_drafts_each_once_on_restart(
    reddit: FakeReddit, engage_process: Start
) -> None:
    posted = generate_submissions(150, SUBREDDITS, start=time.time() - 3600)  # two pages
    reddit.store.add_many("t3", posted)
    # The first page is answered, the second is held: the kill lands inside the poll.
    reddit.inject(Fault(path="/r/"), Fault(delay=STALL, path="/r/"))
    worker = engage_process(*TICK)
    wait_for(lambda: reddit.count("/r/") >= 2, what="the held page", process=worker)
    killed(worker)
    assert ("watch", "running") in job_rows(home())
    if "ENGAGE_DATABASE_URL" in os.environ:  # PostgreSQL: the dead worker's claim runs out
        lease_runs_out(app_env())

    restarted = engage_process(*TICK)
    expected = {"abc0"} | {str(post["id"]) for post in posted}  # and the publishing world's
    wait_for(lambda: set(thread_ids()) == expected, what="every thread", process=restarted)
    more_polls(restarted)  # the poll's drafting done
    drafted = sorted(drafted_threads())
    more_polls(restarted)
    assert sorted(thread_ids()) == sorted(expected)  # each once
    assert len(drafted) > 1 and len(set(drafted)) == len(drafted)  # one draft a thread
    assert sorted(drafted_threads()) == drafted  # and none again
    assert job_rows(home())[0] == ("watch", "interrupted")
    assert restarted.poll() is None


# --- kill -9 mid-publish -----------------------------------------------------------------------


@pytest.fixture
def publishing_config(tmp_path: Path, reddit: FakeReddit) -> Path:
    """The publishing tests' own config (no subreddits watched): only the publish matters."""
    return publishing.write_config(tmp_path / "publishing.toml", reddit)


def publish_runs() -> int:
    return job_rows(home()).count(("publish", "ok"))


def test_a_worker_killed_after_reddit_made_the_comment_finds_it_on_restart_and_never_posts_again(
    publishing_config: Path, reddit: FakeReddit, engage_process: Start
) -> None:
    draft_id = approved(publishing_config)
    reddit.inject(Fault(after_route=True, delay=STALL, path=COMMENT))  # made, answer held
    worker = engage_process(*TICK, config_path=publishing_config)
    wait_for(lambda: len(ours(reddit)) == 1, what="the comment on the server", process=worker)
    killed(worker)
    backdate_claim(publishing_config, draft_id)  # ten minutes later: the claim's lease is over

    restarted = engage_process(*TICK, config_path=publishing_config)
    wait_for(lambda: shown(publishing_config, draft_id)["status"] == "published",
             what="the draft published", process=restarted)  # fmt: skip
    runs = publish_runs()
    wait_for(lambda: publish_runs() >= runs + 5, what="five more publish runs", process=restarted)
    [comment] = ours(reddit)
    assert posts(reddit) == 1 and comment.data["body"] == CLEAN
    assert [entry["external_id"] for entry in logged(publishing_config)] == [comment.data["id"]]


def test_a_worker_killed_while_the_post_was_held_leaves_it_unknown_and_never_posts_it_again(
    publishing_config: Path, reddit: FakeReddit, engage_process: Start
) -> None:
    draft_id = approved(publishing_config)
    reddit.inject(Fault(delay=STALL, status=502, path=COMMENT))  # held, nothing made
    worker = engage_process(*TICK, config_path=publishing_config)
    wait_for(lambda: posts(reddit) == 1, what="the post held by the server", process=worker)
    killed(worker)
    backdate_claim(publishing_config, draft_id)

    restarted = engage_process(*TICK, config_path=publishing_config)
    wait_for(lambda: shown(publishing_config, draft_id)["status"] == "unknown",
             what="the outcome unknown", process=restarted)  # fmt: skip
    runs = publish_runs()
    wait_for(lambda: publish_runs() >= runs + 5, what="five more publish runs", process=restarted)
    assert posts(reddit) == 1 and ours(reddit) == []  # may have been sent: never blindly again
    assert shown(publishing_config, draft_id)["status"] == "unknown"
    assert logged(publishing_config) == []


# --- an exclusive lock held for 30 s ------------------------------------------------------------

HOLD_SECONDS = 30
#: Another process holding the SQLite file's exclusive lock (a backup tool, a DB browser).
HOLDER = f"""
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep({HOLD_SECONDS})
connection.execute("COMMIT")
"""


@pytest.fixture
def holder() -> Iterator[Callable[[Path], subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []

    def hold(database: Path) -> subprocess.Popen[str]:
        process = subprocess.Popen([sys.executable, "-c", HOLDER, str(database)], text=True,
                                   stdout=subprocess.PIPE)  # fmt: skip
        started.append(process)
        return process

    yield hold
    for process in started:
        if process.poll() is None:
            process.kill()
        process.communicate()


@pytest.mark.sqlite_only("an exclusive lock on the SQLite file (PostgreSQL: test_worker_health)")
def test_a_worker_outlasts_another_process_holding_the_database_locked_for_30_seconds(
    publishing_config: Path, engage_process: Start,
    holder: Callable[[Path], subprocess.Popen[str]],
) -> None:  # fmt: skip
    worker = engage_process(*TICK, config_path=publishing_config)
    wait_for(lambda: publish_runs() >= 1, what="a first publish run", process=worker)
    lock = holder(home() / "engage.db")
    assert lock.stdout is not None and lock.stdout.readline().strip() == "locked"
    locked_beat = status(app_env())["worker"]["last_heartbeat"]
    runs = len(job_rows(home()))
    assert lock.wait(timeout=HOLD_SECONDS + 30) == 0

    assert worker.poll() is None
    wait_for(lambda: publish_runs() >= 3 and len(job_rows(home())) > runs + 2, seconds=120,
             what="jobs running again", process=worker)  # fmt: skip
    assert status(app_env())["worker"]["last_heartbeat"] > locked_beat
    log = (home() / "logs" / "engage.log").read_text()
    assert "database is locked" in log  # said, and backed off
    assert "Traceback" not in log  # in one line each
    jobs = status(app_env())["jobs"].values()
    assert LOCKED in [job["last_error"] for job in jobs]  # the failed runs recorded, once it could
    assert worker.poll() is None


# --- runs that failed while the database could not be written ---------------------------------

#: The worker with its publishing job alone (a publish run writes its job_runs row every time).
PUBLISH_ONLY = tuple(job for job in JOBS if job.name == "publish")
LOCKED = "OperationalError: database is locked"


@pytest.fixture
def short_busy_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite's wait for a busy file cut to a fifth of a second: a locked write fails at once."""
    monkeypatch.setattr("engage.db.BUSY_TIMEOUT_MS", 200)


@contextmanager
def locked_database() -> Iterator[None]:
    """Another connection holding the SQLite file's exclusive lock (as HOLDER does) while the
    block runs: the worker can read, not write."""
    connection = sqlite3.connect(home() / "engage.db", isolation_level=None)
    connection.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        connection.execute("COMMIT")
        connection.close()


def job_records() -> list[tuple[str, str, str | None]]:
    """(job, status, error) of every job run, in order."""
    sql = "SELECT job, status, error FROM job_runs WHERE job <> 'worker' ORDER BY id"
    return [(str(job), str(state), error) for job, state, error in stored(sql)]


@contextmanager
def worker_on(config: Path, jobs: tuple[Job, ...]) -> Iterator[tuple[Worker, Clock]]:
    """A worker in this process with these jobs on a clock the test moves (past each backoff)."""
    app = make_engage(config)
    app.db.ensure_schema()  # the file made before anyone locks it, as the worker's start does
    clock = Clock()
    try:
        yield Worker(app, 60.0, jobs=jobs, now=clock), clock
    finally:
        app.close()


@pytest.fixture
def publish_worker(publishing_config: Path) -> Iterator[tuple[Worker, Clock]]:
    with worker_on(publishing_config, PUBLISH_ONLY) as running:
        yield running


def later(clock: Clock) -> None:
    clock.at += BACKOFF[-1]


@pytest.mark.sqlite_only("an exclusive lock on the SQLite file (a lost PostgreSQL connection "
                         "is taken again at once by the pool: test_worker_health)")  # fmt: skip
@pytest.mark.usefixtures("short_busy_wait")
def test_a_run_that_failed_while_the_database_was_locked_is_recorded_once_it_takes_writes_again(
    publish_worker: tuple[Worker, Clock],
) -> None:
    worker, clock = publish_worker
    with locked_database():
        for _ in range(3):  # the first run fails; the next ticks back off until it is recorded
            worker.tick()
            later(clock)
        assert job_records() == []  # not even its start could be written
    worker.tick()
    later(clock)
    worker.tick()
    assert job_records() == [("publish", "failed", LOCKED)] + [("publish", "ok", None)] * 2
    publish = status(app_env())["jobs"]["publish"]
    assert (publish["status"], publish["last_error"]) == ("ok", LOCKED)


@pytest.mark.sqlite_only("an exclusive lock on the SQLite file, taken in the middle of a run")
@pytest.mark.usefixtures("short_busy_wait")
def test_a_run_whose_end_could_not_be_written_is_ended_later_and_not_recorded_twice(
    publishing_config: Path,
) -> None:
    lock = ExitStack()
    runs: list[int] = []

    def locked_mid_run(app: Engage, now: datetime) -> None:
        with job_run(app.db, "publish"):
            runs.append(1)
            if len(runs) == 1:  # another process takes the lock, then this run fails
                lock.enter_context(locked_database())
                raise RuntimeError("the server hung up")

    job = Job("publish", locked_mid_run, "publishing failed")
    with worker_on(publishing_config, (job,)) as (worker, clock):
        worker.tick()
        assert job_records() == [("publish", "running", None)]  # its end could not be written
        lock.close()
        later(clock)
        worker.tick()
        later(clock)
        worker.tick()
    assert job_records() == [("publish", "failed", LOCKED)] + [("publish", "ok", None)] * 2


@pytest.mark.sqlite_only("an exclusive lock on the SQLite file")
@pytest.mark.usefixtures("short_busy_wait")
@pytest.mark.parametrize("verbose", [False, True], ids=["default", "verbose"])
def test_a_locked_database_is_warned_about_in_one_line_with_its_traceback_only_when_verbose(
    publish_worker: tuple[Worker, Clock], caplog: pytest.LogCaptureFixture, verbose: bool
) -> None:
    worker, _ = publish_worker
    level = logging.DEBUG if verbose else logging.INFO
    with caplog.at_level(level, logger="engage.worker"), locked_database():
        worker.tick()
    [warning] = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert warning.getMessage() == f"publishing failed ({LOCKED}); trying again with backoff"
    assert bool(warning.exc_info) == verbose
