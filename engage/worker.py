"""The worker: APScheduler as a clock that calls "run what is due" every tick.

The schedule itself lives in the database (each source's next_poll_at), so nothing is pickled,
nothing is lost on restart, and every job is also a CLI command. On SQLite one worker per data
directory is enforced with a lock file; on PostgreSQL several workers may run (every step is
idempotent or a compare-and-set claim).
"""

from __future__ import annotations

import fcntl
import logging
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from engage.errors import EngageError

if TYPE_CHECKING:
    from apscheduler.schedulers.background import BackgroundScheduler

    from engage.app import Engage

log = logging.getLogger("engage.worker")


@contextmanager
def single_worker(home: Path) -> Iterator[None]:
    """Hold an exclusive lock on <home>/worker.lock; the OS drops it if the process dies."""
    home.mkdir(parents=True, exist_ok=True)
    path = home / "worker.lock"
    handle: IO[str] = path.open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise EngageError(f"another engage worker is already running on {home}") from None
    try:
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


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


def tick(engage: Engage) -> None:
    """One round of due work. Never raises: a failing step is logged and retried next tick."""
    from engage.jobs import run_watch

    conditions = engage.conditions
    try:
        report = run_watch(engage, only_due=True)
        conditions.clear("watch", "watch works again")
        if report.groups:
            log.info("watch: %s", report.summary())
        for group in report.groups:
            if group.error:
                conditions.warn(f"source {group.label}", f"source {group.label}: {group.error}")
            else:
                conditions.clear(f"source {group.label}", f"source {group.label}: ok again")
    except Exception as exc:
        conditions.warn("watch", f"watch failed ({type(exc).__name__}: {exc}); will retry "
                        "next tick", exc_info=True)  # fmt: skip
    publish_if_due(engage)
    read_replies_if_due(engage)
    send_digest_if_due(engage)


def publish_if_due(engage: Engage) -> None:
    """Publish approved drafts that are due and reconcile open outcomes; never raises."""
    from engage.jobs import run_publish

    try:
        report = run_publish(engage)
        engage.conditions.clear("publish", "publishing works again")
        if report.items:
            log.info("publish: %s", report.counts())
    except Exception as exc:
        engage.conditions.warn("publish", f"publishing failed ({type(exc).__name__}: {exc}); "
                               "will retry next tick", exc_info=True)  # fmt: skip


def read_replies_if_due(engage: Engage) -> None:
    """Read the replies of the platforms whose turn it is; never raises. A platform that fails
    is warned about once (its row keeps the error and backs off), and cleared when it reads."""
    from engage.jobs import run_replies

    conditions = engage.conditions
    try:
        report = run_replies(engage)
        conditions.clear("replies", "reading replies works again")
        if report.stored:
            log.info("replies: %s", report.summary())
        for read in report.platforms:
            key = f"replies {read.platform}"
            if read.error:
                conditions.warn(key, f"reading {read.platform} replies: {read.error}")
            else:
                conditions.clear(key, f"reading {read.platform} replies: ok again")
    except Exception as exc:
        conditions.warn("replies", f"reading replies failed ({type(exc).__name__}: {exc}); "
                        "will retry next tick", exc_info=True)  # fmt: skip


def send_digest_if_due(engage: Engage) -> None:
    """Send today's digest when due; a failure is tried again with backoff (engage.backoff)."""
    from engage.digest import is_due, next_try_today, send_today

    conditions = engage.conditions
    try:
        if is_due(engage):
            log.info("digest: %s", send_today(engage).message)
            conditions.clear("digest", "digest: the earlier problem is solved")
    except EngageError as exc:
        if exc.exit_code == 2:  # the configuration: checked again every tick, nothing spent
            conditions.warn("digest", f"digest not sent: {exc}")
        else:
            when = _next_digest_try(engage, next_try_today)
            conditions.warn("digest", f"digest not sent: {exc} ({when})")
    except Exception as exc:
        when = _next_digest_try(engage, next_try_today)
        conditions.warn("digest", f"digest failed ({type(exc).__name__}: {exc}; {when})",
                        exc_info=True)  # fmt: skip


def _next_digest_try(engage: Engage, next_try_today: Any) -> str:
    try:
        when = next_try_today(engage)
    except Exception:  # the database itself failing: the next tick will say more
        return "will try again"
    return f"next try at {when:%H:%M} UTC" if when else "no more tries today"


def build_scheduler(engage: Engage, tick_seconds: float) -> BackgroundScheduler:
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.triggers.interval import IntervalTrigger

    # A tick still running when the next falls due is normal (a slow source): the scheduler
    # skips that run, and says so at warning level each time. Not a problem worth a warning.
    skipped = logging.getLogger("apscheduler.scheduler")
    if not any(isinstance(f, _NoSkipWarnings) for f in skipped.filters):
        skipped.addFilter(_NoSkipWarnings())
    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.add_job(
        tick,
        IntervalTrigger(seconds=tick_seconds),
        args=[engage],
        id="tick",
        max_instances=1,
        coalesce=True,
        misfire_grace_time=None,
        next_run_time=_now(),
    )
    return scheduler


def run_worker(engage: Engage, tick_seconds: float = 60.0) -> None:
    """Run until SIGTERM or SIGINT; the current step finishes before the worker exits (the
    lock is held until then, so a new worker can't start underneath it)."""
    from engage.db import display_url

    lock = single_worker(engage.home) if engage.db.is_sqlite else _no_lock()
    with lock:
        if engage.db.is_sqlite:  # the only worker: claims left behind are a dead worker's
            from engage.watch.claims import release_claims

            with engage.db.write() as session:
                release_claims(session)
        from engage.jobs import mark_interrupted

        mark_interrupted(engage.db)
        # Signals are taken in plain code, not a handler: the scheduler's threads inherit the
        # blocked mask, the main thread waits for one, then shuts down letting the tick finish.
        stop_signals = {signal.SIGTERM, signal.SIGINT}
        signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
        scheduler = build_scheduler(engage, tick_seconds)
        scheduler.start()
        log.info("worker started (tick every %s s, database %s)", tick_seconds,
                 display_url(engage.db.url))  # fmt: skip
        received = signal.sigwait(stop_signals)
        log.info("received %s: stopping after the current step", signal.Signals(received).name)
        scheduler.shutdown(wait=True)
        log.info("worker stopped")


class _NoSkipWarnings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum number of running instances reached" not in record.getMessage()


@contextmanager
def _no_lock() -> Iterator[None]:
    yield


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)
