"""The worker's schedule across time: exactly one digest per local day in America/New_York
across both daylight-saving changes, and after six hours of downtime each job at most once on
start (no catch-up storm), the missed digest sent once if its local day is not over.

The daylight-saving and downtime walks drive the real worker's due-computation (Worker.tick,
its digest job, engage.digest.is_due) through its injectable clock against a real SMTP server,
tick by tick, without waiting. The restart test is a real process on the real scheduler, its
six hours of downtime made by moving every stored time back.

What the design says about a missed digest: the digest is due from send_at until its local
day ends (engage.digest.is_due reads today's run only). A worker that comes back the same
local day sends it once, on its first tick; a day that ended while the worker was down gets no
digest of its own (the next one covers everything since the last digest sent)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from engage.app import Engage, make_engage
from engage.models import DigestRun, JobRun, Source
from engage.worker import JOBS, Worker
from tests import app_db
from tests.digest import conftest as mail
from tests.digest.conftest import PASSWORD, SmtpServer, write_config
from tests.e2e.test_worker_conditions import job_rows, wait_for
from tests.fakes.feeds import Document, FeedServer, rss

pytestmark = pytest.mark.usefixtures("app_database")

ROOT = Path(__file__).resolve().parents[2]
NEW_YORK = ZoneInfo("America/New_York")
#: The worker as it runs, with only its digest job: the other jobs' schedules are stored times
#: of the real clock (the restart test below covers them).
DIGEST_ONLY = tuple(job for job in JOBS if job.name == "digest")
#: A worker ticking every ten minutes.
STEP = timedelta(minutes=10)

# The SMTP server of the digest tests (STARTTLS, a test CA), shared rather than copied.
ca, ca_file, smtp_server = mail.ca, mail.ca_file, mail.smtp_server


class Clock:
    """The worker's clock, moved by the test."""

    def __init__(self) -> None:
        self.at = datetime(2027, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sent(smtp_server: SmtpServer, clock: Clock) -> list[datetime]:
    """When (on the worker's clock, New York time) each digest reached the server."""
    times: list[datetime] = []
    smtp_server.mailbox.on_accept = lambda: times.append(clock.at.astimezone(NEW_YORK))
    return times


@pytest.fixture
def app(
    tmp_path: Path, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[str], Engage]]:
    """`app(send_at)`: engage with a digest to New York at send_at, sent even on quiet days."""
    monkeypatch.setenv("ENGAGE_SMTP_PASSWORD", PASSWORD)
    made: list[Engage] = []

    def make(send_at: str) -> Engage:
        path = write_config(tmp_path / "engage.toml", smtp_server, timezone="America/New_York",
                            send_at=send_at, quiet_day="note")  # fmt: skip
        made.append(make_engage(path))
        return made[-1]

    yield make
    for engage in made:
        engage.close()


def run_worker(engage: Engage, clock: Clock, start: datetime, end: datetime) -> None:
    """A worker started at `start` (a fresh one: a restart), ticking every STEP until `end`."""
    worker = Worker(engage, STEP.total_seconds(), jobs=DIGEST_ONLY, now=clock)
    clock.at = start.astimezone(UTC)  # in UTC, as the real clock: a step over 02:00 is 10 minutes
    while clock.at < end:
        worker.tick()
        clock.at += STEP


def local(day: date, hour: int, minute: int = 0, *, fold: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=NEW_YORK, fold=fold)


def digest_days(engage: Engage) -> list[tuple[date, str]]:
    with engage.db.read() as session:
        runs = session.scalars(select(DigestRun).order_by(DigestRun.local_date))
        return [(run.local_date, run.status) for run in runs]


def utc(moments: list[datetime]) -> list[datetime]:
    """Moments compared as instants (a New York wall time alone is ambiguous on fall-back)."""
    return [moment.astimezone(UTC) for moment in moments]


# --- daylight-saving changes ----------------------------------------------------------------


def test_on_the_spring_forward_day_a_send_time_in_the_skipped_hour_sends_one_digest_at_3am(
    app: Callable[[str], Engage], clock: Clock, sent: list[datetime]
) -> None:
    engage = app("02:30")  # 2027-03-14: 02:00 EST is followed by 03:00 EDT
    run_worker(engage, clock, local(date(2027, 3, 13), 0), local(date(2027, 3, 16), 0))
    assert utc(sent) == utc([
        local(date(2027, 3, 13), 2, 30),  # a normal day before: EST
        local(date(2027, 3, 14), 3, 0),  # the first valid time at or after 02:30
        local(date(2027, 3, 15), 2, 30),  # a normal day after: EDT
    ])  # fmt: skip
    assert digest_days(engage) == [(date(2027, 3, d), "sent") for d in (13, 14, 15)]


def test_on_the_fall_back_day_a_send_time_that_occurs_twice_sends_one_digest_the_first_time(
    app: Callable[[str], Engage], clock: Clock, sent: list[datetime]
) -> None:
    engage = app("01:30")  # 2027-11-07: 01:00-02:00 EDT, then 01:00-02:00 EST again
    run_worker(engage, clock, local(date(2027, 11, 6), 0), local(date(2027, 11, 9), 0))
    assert utc(sent) == utc([
        local(date(2027, 11, 6), 1, 30),  # a normal day before: EDT
        local(date(2027, 11, 7), 1, 30, fold=0),  # the first 01:30 (EDT), not the second (EST)
        local(date(2027, 11, 8), 1, 30),  # a normal day after: EST
    ])  # fmt: skip
    assert digest_days(engage) == [(date(2027, 11, d), "sent") for d in (6, 7, 8)]


# --- downtime ------------------------------------------------------------------------------


def test_a_worker_back_after_six_hours_sends_the_missed_digest_once_on_its_first_tick(
    app: Callable[[str], Engage], clock: Clock, sent: list[datetime]
) -> None:
    engage = app("07:30")
    day = date(2027, 6, 1)
    run_worker(engage, clock, local(day, 0), local(day, 5))  # stopped before 07:30 ...
    assert sent == []
    run_worker(engage, clock, local(day, 11), local(day, 23, 50))  # ... and back at 11:00
    assert utc(sent) == utc([local(day, 11)])
    assert digest_days(engage) == [(day, "sent")]


def test_a_digest_whose_local_day_ended_while_the_worker_was_down_is_not_sent_late(
    app: Callable[[str], Engage], clock: Clock, sent: list[datetime]
) -> None:
    engage = app("22:00")
    run_worker(engage, clock, local(date(2027, 5, 31), 12), local(date(2027, 6, 1), 20))
    # down from 20:00 on June 1st (its digest not sent yet) until 02:00 on June 2nd
    run_worker(engage, clock, local(date(2027, 6, 2), 2), local(date(2027, 6, 3), 12))
    assert utc(sent) == utc([local(date(2027, 5, 31), 22), local(date(2027, 6, 2), 22)])
    assert digest_days(engage) == [(date(2027, 5, 31), "sent"), (date(2027, 6, 2), "sent")]


# --- a real restart after six hours -----------------------------------------------------------


DOWNTIME = timedelta(hours=6)


@pytest.fixture
def blog() -> Iterator[FeedServer]:
    with FeedServer() as feeds:
        feeds.serve("/blog.xml", Document(rss([], title="a colleague's blog")))
        yield feeds


@pytest.fixture
def env(
    tmp_path: Path, smtp_server: SmtpServer, blog: FeedServer, engage_env: Path
) -> dict[str, str]:
    """A worker with an hourly feed, a daily digest due from midnight UTC (so it is due
    whenever the test runs) and daily housekeeping."""
    config = write_config(tmp_path / "engage.toml", smtp_server, timezone="UTC",
                          send_at="00:00", quiet_day="note")  # fmt: skip
    with config.open("a") as toml:
        toml.write(f'[[feeds]]\nurl = "{blog.url}/blog.xml"\npoll_minutes = 60\n')
    return {**os.environ, "ENGAGE_CONFIG": str(config), "ENGAGE_HOME": str(engage_env),
            "ENGAGE_SMTP_PASSWORD": PASSWORD}  # fmt: skip


def run_for_ticks(env: dict[str, str], home: Path, ticks: int) -> None:
    """A real worker (`python scheduler.py`) run for at least `ticks` watch ticks after its
    digest and housekeeping had their chance, then stopped with SIGTERM."""
    worker = subprocess.Popen(
        [sys.executable, str(ROOT / "scheduler.py"), "--tick", "0.2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        before = job_rows(home).count(("watch", "ok"))
        wait_for(lambda: job_rows(home).count(("watch", "ok")) >= before + ticks)
    finally:
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0


def go_back(url: str, downtime: timedelta, housekeeping_age: timedelta) -> None:
    """What `downtime` does to the stored schedule: every time in it moves back (the sources'
    polls, the job runs, the heartbeat); the last digest becomes yesterday's (the worker was
    down when today's fell due) and the last housekeeping `housekeeping_age` older still."""
    with app_db.opened(url) as database, database.write() as session:
        for source in session.scalars(select(Source)):
            for field in ("next_poll_at", "last_poll_at", "last_ok_at", "created_at"):
                moment = getattr(source, field)
                if moment is not None:
                    setattr(source, field, moment - downtime)
        for run in session.scalars(select(JobRun)):
            back = downtime + (housekeeping_age if run.job == "housekeeping" else timedelta())
            run.started_at -= back
            run.finished_at = run.finished_at and run.finished_at - back
            if "beat_at" in (run.summary or {}):
                beat = datetime.fromisoformat(run.summary["beat_at"]) - back
                run.summary = {**run.summary, "beat_at": beat.isoformat()}
        for digest in session.scalars(select(DigestRun)):
            digest.local_date -= timedelta(days=1)
            digest.started_at -= downtime
            digest.sent_at = digest.sent_at and digest.sent_at - downtime
            digest.covered_until = digest.covered_until and digest.covered_until - downtime


@pytest.mark.slow
def test_a_real_worker_back_after_six_hours_runs_each_due_job_once_not_once_per_missed_turn(
    env: dict[str, str], engage_env: Path, smtp_server: SmtpServer, blog: FeedServer
) -> None:
    run_for_ticks(env, engage_env, ticks=5)
    assert blog.count("/blog.xml") == 1 and len(smtp_server.mailbox.messages) == 1
    assert job_rows(engage_env).count(("housekeeping", "ok")) == 1
    url = app_db.app_url(env)
    # Down six hours: the hourly feed missed six polls, the daily housekeeping fell due (its
    # last run was already 20 hours old), and today's digest was not sent.
    go_back(url, DOWNTIME, housekeeping_age=timedelta(hours=20))

    run_for_ticks(env, engage_env, ticks=25)
    assert blog.count("/blog.xml") == 2
    assert job_rows(engage_env).count(("housekeeping", "ok")) == 2
    assert len(smtp_server.mailbox.messages) == 2
    sent = app_db.rows(url, "SELECT local_date, status FROM digest_runs ORDER BY local_date")
    assert [status for _, status in sent] == ["sent", "sent"]
    assert job_rows(engage_env).count(("digest", "ok")) == 2
