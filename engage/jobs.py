"""One function per scheduled job; each composes the steps and records a job run.

The worker only decides when these run; each is also a CLI command, so anything the worker
does can be run and inspected by hand.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from engage.models import JobRun, utcnow
from engage.redact import redact

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from engage.app import Engage
    from engage.db import Database
    from engage.digest import DigestOutcome
    from engage.housekeeping import Housekeeping
    from engage.ingest import IngestResult
    from engage.types import PublishReport
    from engage.types.relationships import RepliesReport
    from engage.watch.cycle import Progress
    from engage.watch.report import WatchReport

log = logging.getLogger(__name__)


@contextmanager
def job_run(db: Database, job: str) -> Iterator[dict[str, Any]]:
    """Record a job's start, end, outcome and summary (the yielded dict) in job_runs."""
    with db.write() as session:
        run = JobRun(job=job, status="running", summary=_owner())
        session.add(run)
        session.flush()
        run_id = run.id
    summary: dict[str, Any] = {}
    status, error = "ok", None
    try:
        yield summary
    except BaseException as exc:
        status, error = "failed", redact(f"{type(exc).__name__}: {exc}")
        raise
    finally:
        with db.write() as session:
            row = session.get_one(JobRun, run_id)
            row.status, row.error, row.finished_at = status, error, utcnow()
            row.summary = _redacted(summary)


def _redacted(value: Any) -> Any:
    """A job's summary with every text in it redacted (a source's label may be a feed URL
    with its password), as its error is."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: _redacted(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_redacted(item) for item in value]
    return value


#: A run still "running" after this long is taken for dead even if its owner can't be checked
#: (another machine's worker, on PostgreSQL).
RUNNING_LEASE = timedelta(hours=12)


def _owner() -> dict[str, Any]:
    """Who runs a job (kept in its summary until it ends), so a later start can tell a run
    that is still going from one whose process was killed."""
    return {"host": socket.gethostname(), "pid": os.getpid()}


def mark_interrupted(db: Database, now: datetime | None = None) -> int:
    """Mark the job runs whose process died before they ended (kill -9, a crash, the machine
    stopped) "interrupted": those of this machine whose process is gone, and any older than
    RUNNING_LEASE. The worker and `engage watch` call this when they start."""
    from sqlalchemy import select

    from engage.status import process_alive

    now = now or utcnow()
    here = socket.gethostname()
    marked = 0
    with db.write() as session:
        for row in session.scalars(select(JobRun).where(JobRun.status == "running")):
            owner = row.summary or {}
            gone = owner.get("host") == here and not process_alive(owner.get("pid"))
            if gone or row.started_at < now - RUNNING_LEASE:
                row.status, row.finished_at = "interrupted", now
                row.error = "interrupted: its process ended before the job did (killed or crashed)"
                marked += 1
    if marked:
        log.info("marked %d job run(s) interrupted (their process had ended)", marked)
    return marked


def run_watch(engage: Engage, *, only_due: bool, progress: Progress | None = None) -> WatchReport:
    """Poll sources, match what they brought (in the same transaction), then run the drafting
    step over everything stored (so drafts an interrupted run never made are made now)."""
    from engage.match_rows import rescore_stale, score_threads
    from engage.watch.cycle import watch

    scorer = engage.matcher

    def match_new(session: Session, result: IngestResult) -> None:
        score_threads(session, scorer, result.new + result.updated)

    with job_run(engage.db, "watch") as summary:
        summary["rescored"] = rescore_stale(engage.db, scorer)
        report = watch(
            engage.db, engage.config, only_due=only_due, progress=progress,
            on_ingested=match_new, cache=engage.fetchers,
        )  # fmt: skip
        summary.update(report.as_dict())
        summary["drafts_queued"] = draft_waiting(engage)
    return report


def run_publish(engage: Engage, *, dry_run: bool = False) -> PublishReport:
    """Publish what is due and reconcile what may be live, then expire what can no longer go
    out (after the look for replies posted by hand, so none of those is filed as expired).
    A dry run changes nothing and records no job run."""
    from engage.desk import expire_stale
    from engage.publishing import publish_due

    if dry_run:
        return publish_due(engage, dry_run=True)
    with job_run(engage.db, "publish") as summary:
        report = publish_due(engage)
        summary.update(report.counts())
        summary["drafts_expired"] = expire_stale(engage)
    return report


def run_replies(engage: Engage, *, force: bool = False) -> RepliesReport:
    """Read the replies and mentions of every platform whose turn it is (each at its section's
    poll_minutes; all of them with `force`) and store them. Recorded as a job run only when a
    platform was read, so the worker's every tick does not add a row."""
    from engage.relationships.replies import due_platforms, read_replies
    from engage.types.relationships import RepliesReport

    if not due_platforms(engage, force=force):
        return RepliesReport()
    with job_run(engage.db, "replies") as summary:
        report = read_replies(engage, force=force)
        summary.update(report.as_dict())
    return report


def draft_waiting(engage: Engage) -> int:
    """The drafting step: drafts for stored threads and own blog posts that should have one and
    have none. Never raises: threads stay stored, and the next run (or `engage draft THREAD`)
    drafts them."""
    from engage.desk import queue_blog_shares, queue_drafts

    queued = 0
    try:
        queued += queue_drafts(engage)
        queued += queue_blog_shares(engage)
    except Exception:
        log.exception("drafting failed; the threads are stored and the next run drafts them")
    return queued


def run_housekeeping(engage: Engage) -> Housekeeping:
    """One round of engage.housekeeping.tidy, recorded (the worker runs it daily)."""
    from engage.housekeeping import tidy

    with job_run(engage.db, "housekeeping") as summary:
        done = tidy(engage.db, engage.config.settings.housekeeping)
        summary.update(done.as_dict())
    return done


def run_digest(engage: Engage, now: datetime | None = None) -> DigestOutcome | None:
    """Send today's digest if it is due at `now` (the worker's clock; engage.digest.is_due: its
    time, its own backoff); recorded as a job run only when it was due, so the worker's every
    tick does not add a row."""
    from engage.digest import is_due, send_today

    if not is_due(engage, now):
        return None
    with job_run(engage.db, "digest") as summary:
        outcome = send_today(engage, now=now)
        summary.update(status=outcome.status, date=str(outcome.local_date),
                       message=outcome.message)  # fmt: skip
    return outcome


def last_ok(db: Database, job: str) -> datetime | None:
    """When the job's last successful run ended: the worker's "next due" is this plus the
    job's interval, so a restart neither loses a run nor repeats one."""
    from sqlalchemy import func, select

    with db.read() as session:
        return session.scalar(
            select(func.max(JobRun.finished_at)).where(JobRun.job == job, JobRun.status == "ok")
        )
