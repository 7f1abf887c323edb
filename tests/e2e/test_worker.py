"""The worker as it runs for real: a separate process (`python scheduler.py`) polling a loopback
Reddit through praw on its schedule, surviving faults and a SIGKILL without loss or duplicates."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests import app_db
from tests.fakes.reddit import FIRST_POST_ID, FakeReddit, generate_submissions
from tests.fakes.server import Fault

ROOT = Path(__file__).resolve().parents[2]
SUBREDDITS = ["therapists", "psychotherapy", "socialwork"]

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("app_database")]


@pytest.fixture
def env(tmp_path: Path, fake_reddit: FakeReddit) -> dict[str, str]:
    config = tmp_path / "engage.toml"
    config.write_text(
        f'[reddit]\nmode = "api"\nsubreddits = {json.dumps(SUBREDDITS)}\n'
        f'api_url = "{fake_reddit.url}"\nauth_url = "{fake_reddit.url}"\n'
        "poll_minutes = 0.01\n"  # under a second, so the test sees several polls
    )
    return {
        **os.environ,
        "ENGAGE_CONFIG": str(config),
        "ENGAGE_HOME": str(tmp_path / "home"),
        "ENGAGE_REDDIT_CLIENT_ID": "test-client",
        "ENGAGE_REDDIT_CLIENT_SECRET": "test-secret",
    }


@pytest.fixture
def start_worker(
    env: dict[str, str], tmp_path: Path
) -> Iterator[Callable[[], subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []

    def start() -> subprocess.Popen[bytes]:
        log = (tmp_path / f"worker-{len(started)}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "scheduler.py"), "--tick", "0.2"],
            env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def status(env: dict[str, str]) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-m", "engage", "status", "--json"],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    report: dict[str, object] = json.loads(done.stdout)
    return report


def thread_count(env: dict[str, str]) -> int:
    counts = status(env)["counts"]
    assert isinstance(counts, dict)
    return int(counts["threads"])


def wait_for(condition: Callable[[], bool], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def test_the_worker_ingests_on_schedule_and_stops_cleanly_on_sigterm(
    fake_reddit: FakeReddit,
    env: dict[str, str],
    start_worker: Callable[[], subprocess.Popen[bytes]],
) -> None:
    fake_reddit.store.add_many("t3", generate_submissions(40, SUBREDDITS))
    worker = start_worker()
    wait_for(lambda: thread_count(env) == 40)
    fake_reddit.store.add_many(
        "t3", generate_submissions(10, SUBREDDITS, first_id=FIRST_POST_ID + 100_000, start=1.79e9)
    )
    wait_for(lambda: thread_count(env) == 50)
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=20) == 0


def test_the_worker_keeps_running_through_faults_and_shows_the_error(
    fake_reddit: FakeReddit,
    env: dict[str, str],
    start_worker: Callable[[], subprocess.Popen[bytes]],
) -> None:
    worker = start_worker()
    wait_for(lambda: status(env)["sources"] != [] and thread_count(env) == 0)
    fake_reddit.inject(*[Fault(status=503, path="/r/")] * 4)  # exhausts one poll's retries
    fake_reddit.inject(Fault(malformed=True, path="/r/"), Fault(reset=True, path="/r/"))
    fake_reddit.inject(Fault(status=429, retry_after="1", path="/r/"))
    fake_reddit.store.add_many("t3", generate_submissions(30, SUBREDDITS))

    def failing() -> bool:
        sources = status(env)["sources"]
        assert isinstance(sources, list)
        return any(source["last_error"] for source in sources)

    wait_for(failing)
    wait_for(lambda: thread_count(env) == 30 and not failing(), seconds=60)
    assert worker.poll() is None, "the worker must still be running"


def test_a_sigkilled_worker_loses_and_duplicates_nothing_when_restarted(
    fake_reddit: FakeReddit,
    env: dict[str, str],
    start_worker: Callable[[], subprocess.Popen[bytes]],
) -> None:
    fake_reddit.store.add_many("t3", generate_submissions(250, SUBREDDITS))
    fake_reddit.inject(*[Fault(delay=0.3, path="/r/")] * 3)  # slow pages: the kill lands mid-poll
    worker = start_worker()
    wait_for(lambda: fake_reddit.count("/r/") >= 2)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    if "ENGAGE_DATABASE_URL" in env:  # PostgreSQL: a dead worker's claims run out with their lease
        lease_runs_out(env)
    fake_reddit.store.add_many(
        "t3", generate_submissions(20, SUBREDDITS, first_id=FIRST_POST_ID + 100_000, start=1.79e9)
    )
    start_worker()
    wait_for(lambda: thread_count(env) == 270)
    time.sleep(1.5)  # a few more polls: still no duplicates, nothing re-fetched as new
    assert thread_count(env) == 270


def lease_runs_out(env: dict[str, str]) -> None:
    """What ten minutes do to a killed worker's claims on PostgreSQL, where several workers may
    run and a new one can't take the others' claims for dead (on SQLite it releases them)."""
    from sqlalchemy import update

    from engage.models import Source, utcnow

    with app_db.opened(app_db.app_url(env)) as database, database.write() as session:
        session.execute(update(Source).values(claimed_until=utcnow() - timedelta(seconds=1)))


def test_sigterm_during_a_poll_lets_the_poll_finish_and_store_its_threads(
    fake_reddit: FakeReddit,
    env: dict[str, str],
    start_worker: Callable[[], subprocess.Popen[bytes]],
) -> None:
    fake_reddit.store.add_many("t3", generate_submissions(25, SUBREDDITS))
    fake_reddit.inject(Fault(delay=2.0, path="/r/"))  # the first listing page is slow
    worker = start_worker()
    wait_for(lambda: fake_reddit.count("/r/") >= 1)
    worker.send_signal(signal.SIGTERM)  # (a second one would stop it at once: test_worker_health)
    assert worker.wait(timeout=30) == 0
    assert thread_count(env) == 25
