"""The worker: APScheduler as a clock that calls "run what is due" every tick.

Why: engage runs for months unattended, so the schedule must survive restarts and the worker
must say when it can't work. What is due lives in the database, never in the scheduler: each
source's next_poll_at, the replies readers' poll times, today's digest_runs row, and for the
jobs with an interval of their own (housekeeping, daily) the end of their last successful run
in job_runs. So a restart loses nothing and runs nothing twice, and every job is also a CLI
command. APScheduler only ticks (in-memory job store, coalesced, one instance at a time).

Each job runs in its own try: a job that raises, "database is locked" or a lost PostgreSQL
connection is recorded (job_runs), warned about once in one line (Conditions; the traceback of
an expected failure only with --verbose) and backed off per job; the scheduler never dies of it.
A run that failed because the database could not be written could not write its record either:
the worker keeps it and writes it when the database takes writes again (FailedRun). The
worker's own job_runs row (job "worker") is its heartbeat.

The heartbeat is engage.liveness, the one-worker lock engage.one_worker; the jobs, the Worker
that runs them and the scheduler stay here together (about 400 lines) because the order of the
jobs and what each failure means read best in one place.

What it must not do: run two workers on one database (a lock file on SQLite, a session-level
advisory lock on PostgreSQL: engage.one_worker), stop in the middle of a step on the first
SIGTERM/SIGINT (the current job finishes; a second signal stops at once), or warn about the same
problem every tick.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from engage.errors import EngageError
from engage.failures import described
from engage.liveness import Heartbeat, say_if_down_long
from engage.one_worker import one_worker

if TYPE_CHECKING:
    from apscheduler.schedulers.background import BackgroundScheduler
    from sqlalchemy.orm import Session

    from engage.app import Engage

log = logging.getLogger("engage.worker")

#: The waits after a job's 1st, 2nd, ... consecutive failure (the last one repeats).
BACKOFF = (timedelta(seconds=5), timedelta(seconds=15), timedelta(minutes=1),
           timedelta(minutes=5), timedelta(minutes=15))  # fmt: skip
#: How late a tick may start (a suspended machine, a busy process) and still run.
MISFIRE_GRACE = 30


class Conditions:
    """What the worker is warning about, one message per condition ("source X", "digest"):
    a warning is logged when a condition starts or its message changes, and an info line when
    it clears, never the same warning every tick."""

    def __init__(self) -> None:
        self.current: dict[str, str] = {}

    def warn(self, key: str, message: str, *, exc_info: bool = False) -> None:
        if self.current.get(key) == message:
            log.debug("still: %s", message)
            return
        self.current[key] = message
        log.warning("%s", message, exc_info=exc_info)

    def clear(self, key: str, message: str) -> None:
        if self.current.pop(key, None) is not None:
            log.info("%s", message)


# --- the jobs ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Job:
    """A scheduled job: `run(engage, now)` does one round and logs what it did, `now` being
    the worker's clock (the digest's send time is read on it); `every` is its interval after a
    successful run (None: every tick, the job itself knowing what is due)."""

    name: str
    run: Callable[[Engage, datetime], None]
    failed_as: str
    every: timedelta | None = None


def _watch(engage: Engage, now: datetime) -> None:
    """Poll the sources that are due (each at its own poll interval), match, draft."""
    from engage.jobs import run_watch

    report = run_watch(engage, only_due=True)
    if report.groups:
        log.info("watch: %s", report.summary())
    for group in report.groups:
        key = f"source {group.label}"
        if group.error:
            engage.conditions.warn(key, f"source {group.label}: {group.error}")
        else:
            engage.conditions.clear(key, f"source {group.label}: ok again")


#: What a publishing run reports again every tick for as long as it lasts (a draft waiting for
#: the therapist or the pace): news the first time only, so not an info line every tick.
STILL_WAITING = ("unknown", "held", "by_hand")


def _publish(engage: Engage, now: datetime) -> None:
    """Publish approved drafts that are due; every tick (the default tick: every minute). A
    draft whose outcome is unknown needs the therapist: warned about once, not every tick."""
    from engage.jobs import run_publish

    counts = run_publish(engage).counts()
    if done := {result: n for result, n in counts.items() if result not in STILL_WAITING}:
        log.info("publish: %s", done)
    if waiting := {result: n for result, n in counts.items() if result in STILL_WAITING}:
        log.debug("publish: waiting %s", waiting)
    if unknown := counts.get("unknown"):
        engage.conditions.warn("publish unknown", f"publishing: {unknown} draft(s) may or may "
                               "not be live: look at the thread, then `engage drafts resolve ID "
                               "--posted URL` or `--not-posted` (engage drafts list --status "
                               "unknown)")  # fmt: skip
    else:
        engage.conditions.clear("publish unknown", "publishing: no draft's outcome is unknown now")


def _replies(engage: Engage, now: datetime) -> None:
    """Read the replies of the platforms whose turn it is (each section's poll_minutes)."""
    from engage.jobs import run_replies

    report = run_replies(engage)
    if report.stored:
        log.info("replies: %s", report.summary())
    for read in report.platforms:
        key = f"replies {read.platform}"
        if read.error:
            engage.conditions.warn(key, f"reading {read.platform} replies: {read.error}")
        else:
            engage.conditions.clear(key, f"reading {read.platform} replies: ok again")


def _digest(engage: Engage, now: datetime) -> None:
    """Send today's digest at its send_at (engage.digest keeps once-a-day and its retries)."""
    from engage.jobs import run_digest

    outcome = run_digest(engage, now)
    if outcome is not None:
        log.info("digest: %s", outcome.message)


def _housekeeping(engage: Engage, now: datetime) -> None:
    from engage.jobs import run_housekeeping

    log.info("housekeeping: %s", run_housekeeping(engage).as_dict())


JOBS: tuple[Job, ...] = (
    Job("watch", _watch, "watch failed"),
    Job("publish", _publish, "publishing failed"),
    Job("replies", _replies, "reading replies failed"),
    Job("digest", _digest, "digest not sent"),
    Job("housekeeping", _housekeeping, "housekeeping failed", every=timedelta(days=1)),
)


def backoff(failures: int) -> timedelta:
    return BACKOFF[min(failures, len(BACKOFF)) - 1]


@dataclass(frozen=True, slots=True)
class FailedRun:
    """A failed job run, kept in memory until the database has its record. Why: a run that
    failed because the database could not be written (locked by another process, its connection
    lost, its disk full) could not write its job_runs row either, and `engage status` would
    never show the failure. Every failed run is kept; writing it checks whether its row was
    written after all, so each failed run has one record, not none and not two."""

    job: str
    started_at: datetime
    finished_at: datetime
    error: str

    def record(self, session: Session) -> None:
        """Its job_runs row: already "failed" (the run wrote its end after all) stays as it
        is; left "running" by this process (its start written, its end not) is ended; none
        (not even its start written) is added."""
        from sqlalchemy import select

        from engage.models import JobRun

        rows = session.scalars(select(JobRun).where(
            JobRun.job == self.job, JobRun.started_at.between(self.started_at, self.finished_at)
        )).all()  # fmt: skip
        if any(row.status == "failed" for row in rows):
            return
        ours = [row for row in rows if row.status == "running"
                and (row.summary or {}).get("pid") == os.getpid()]  # fmt: skip
        row = ours[0] if ours else JobRun(job=self.job, started_at=self.started_at)
        if not ours:
            session.add(row)
        row.status, row.finished_at, row.error, row.summary = (
            "failed", self.finished_at, self.error, {}
        )  # fmt: skip


class Worker:
    """Runs the due jobs each tick, one after another, each in its own try."""

    def __init__(
        self,
        engage: Engage,
        tick_seconds: float,
        still_the_only_one: Callable[[], bool] = lambda: True,
        jobs: tuple[Job, ...] = JOBS,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        from engage.models import utcnow

        self.engage = engage
        self.jobs = jobs
        #: The clock every due-computation of this worker reads (the jobs' intervals and
        #: backoff, the digest's send time): injectable so a test can walk it across days,
        #: daylight-saving changes and downtime without waiting for them.
        self.now = now or utcnow
        self.still_the_only_one = still_the_only_one
        self.heartbeat = Heartbeat(engage, tick_seconds)
        #: Set by the first stop signal: the running job finishes, no other one starts.
        self.stopping = threading.Event()
        self.failures: dict[str, int] = {}
        self.retry_at: dict[str, datetime] = {}
        #: Failed runs whose record is not known to be written (FailedRun), oldest first.
        self.unrecorded: list[FailedRun] = []

    def tick(self) -> None:
        """One round of due work. Never raises."""
        for job in self.jobs:
            if self.stopping.is_set():
                return
            self.run(job)

    def beat(self) -> None:
        """The heartbeat, and the check that no other worker took over (the PostgreSQL lock
        lost with its connection, and taken by another): then this one stops."""
        self.heartbeat.beat()
        if not self.stopping.is_set() and not self.still_the_only_one():
            log.error("another worker took the one-worker lock while this one had lost its "
                      "connection: stopping this one")  # fmt: skip
            os.kill(os.getpid(), signal.SIGTERM)

    def run(self, job: Job) -> None:
        """Run the job if it is due; a failure is recorded, warned about once, backed off."""
        from engage.failures import explain
        from engage.models import utcnow

        now = self.now()
        if now < self.retry_at.get(job.name, now):
            return
        if any(run.job == job.name for run in self.unrecorded) and not self.record_failed_runs():
            self._back_off(job)  # its last failure first (status reads a job's runs in order)
            return
        conditions = self.engage.conditions
        started = utcnow()  # the clock job_runs is written on (self.now may be a test's)
        try:
            if job.every is not None and not self._interval_over(job, now):
                return
            job.run(self.engage, now)
        except Exception as exc:
            failures, wait = self._back_off(job)
            self.unrecorded.append(FailedRun(job.name, started, utcnow(), described(exc)))
            expected = isinstance(exc, EngageError)
            message = (
                f"{job.failed_as}: {exc}" if expected else f"{job.failed_as} ({described(exc)})"
            )
            # A traceback helps with a bug; with a locked or unreachable database it only
            # buries the one line that says so (--verbose still shows it).
            trace = not expected and (explain(exc) is None or log.isEnabledFor(logging.DEBUG))
            conditions.warn(job.name, f"{message}; trying again with backoff", exc_info=trace)
            log.debug("%s: failure %d, next try in %s", job.name, failures, wait)
            return
        self.failures.pop(job.name, None)
        self.retry_at.pop(job.name, None)
        conditions.clear(job.name, f"{job.name}: works again")
        if self.unrecorded:  # the database took this run's writes: it takes theirs now
            self.record_failed_runs()

    def _back_off(self, job: Job) -> tuple[int, timedelta]:
        """One more consecutive failure of the job: its count, and the wait before its next try."""
        failures = self.failures[job.name] = self.failures.get(job.name, 0) + 1
        wait = backoff(failures)
        self.retry_at[job.name] = self.now() + wait
        return failures, wait

    def record_failed_runs(self) -> bool:
        """Write the failed runs kept in memory (FailedRun); whether the database took them."""
        try:
            with self.engage.db.write() as session:
                for run in self.unrecorded:
                    run.record(session)
        except Exception as exc:
            log.debug("failed runs not recorded yet (%s)", described(exc))
            return False
        self.unrecorded.clear()
        return True

    def _interval_over(self, job: Job, now: datetime) -> bool:
        from engage.jobs import last_ok

        assert job.every is not None
        last = last_ok(self.engage.db, job.name)
        return last is None or now - last >= job.every


def tick(engage: Engage) -> None:
    """One round of the jobs that are due, as a freshly started worker runs it (no heartbeat,
    no backoff carried over): for tests and one-off use. Never raises."""
    Worker(engage, tick_seconds=60.0).tick()


# --- running -------------------------------------------------------------------------------


def build_scheduler(worker: Worker, tick_seconds: float) -> BackgroundScheduler:
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.jobstores.memory import MemoryJobStore
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.triggers.interval import IntervalTrigger

    # A tick still running when the next falls due is normal (a slow source): the scheduler
    # skips that run, and says so at warning level each time. Not a problem worth a warning.
    skipped = logging.getLogger("apscheduler.scheduler")
    if not any(isinstance(f, _NoSkipWarnings) for f in skipped.filters):
        skipped.addFilter(_NoSkipWarnings())
    scheduler = BackgroundScheduler(
        timezone="UTC",
        jobstores={"default": MemoryJobStore()},
        executors={"default": ThreadPoolExecutor(max_workers=2)},  # the tick and the heartbeat
        job_defaults={"max_instances": 1, "coalesce": True, "misfire_grace_time": MISFIRE_GRACE},
    )
    scheduler.add_job(worker.tick, IntervalTrigger(seconds=tick_seconds), id="tick",
                      next_run_time=_now())  # fmt: skip
    scheduler.add_job(worker.beat, IntervalTrigger(seconds=worker.heartbeat.seconds),
                      id="heartbeat")  # fmt: skip
    return scheduler


def run_worker(engage: Engage, tick_seconds: float = 60.0) -> None:
    """Run until SIGTERM or SIGINT; the current job finishes before the worker exits (the lock
    is held until then, so a new worker can't start underneath it). A second signal exits at
    once (status 1); the next start marks the job it cut short "interrupted"."""
    from engage.db import display_url

    # Signals are taken in plain code, not a handler: the scheduler's threads inherit the
    # blocked mask, the main thread waits for one, then shuts down letting the job finish.
    stop_signals = {signal.SIGTERM, signal.SIGINT}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
    with one_worker(engage) as still_the_only_one:
        if engage.db.is_sqlite:  # the only worker: claims left behind are a dead worker's
            from engage.watch.claims import release_claims

            with engage.db.write() as session:
                release_claims(session)
        from engage.jobs import mark_interrupted

        mark_interrupted(engage.db)
        say_if_down_long(engage.db)
        worker = Worker(engage, tick_seconds, still_the_only_one)
        worker.heartbeat.beat()
        scheduler = build_scheduler(worker, tick_seconds)
        scheduler.start()
        log.info("worker started (pid %s, tick every %s s, database %s)", os.getpid(),
                 tick_seconds, display_url(engage.db.url))  # fmt: skip
        received = signal.sigwait(stop_signals)
        log.info("received %s: stopping after the current job (a second signal stops at once)",
                 signal.Signals(received).name)  # fmt: skip
        worker.stopping.set()
        stopper = threading.Thread(target=scheduler.shutdown, kwargs={"wait": True})
        stopper.start()
        while stopper.is_alive():
            again = signal.sigtimedwait(stop_signals, 0.2)
            if again is not None:
                log.warning("received %s again: stopping now, in the middle of the job",
                            signal.Signals(again.si_signo).name)  # fmt: skip
                for handler in logging.getLogger().handlers:
                    handler.flush()
                os._exit(1)
        worker.heartbeat.stop()
        log.info("worker stopped")


class _NoSkipWarnings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum number of running instances reached" not in record.getMessage()


def _now() -> datetime:
    from datetime import UTC

    return datetime.now(UTC)
