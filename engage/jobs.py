"""One function per scheduled job; each composes the steps and records a job run.

The worker only decides when these run; each is also a CLI command, so anything the worker
does can be run and inspected by hand.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from engage.models import JobRun, utcnow
from engage.redact import redact

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from engage.app import Engage
    from engage.db import Database
    from engage.ingest import IngestResult
    from engage.watching import Progress, WatchReport

log = logging.getLogger(__name__)


@contextmanager
def job_run(db: Database, job: str) -> Iterator[dict[str, Any]]:
    """Record a job's start, end, outcome and summary (the yielded dict) in job_runs."""
    with db.write() as session:
        run = JobRun(job=job, status="running")
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
            row.status, row.error, row.summary, row.finished_at = status, error, summary, utcnow()


def run_watch(engage: Engage, *, only_due: bool, progress: Progress | None = None) -> WatchReport:
    """Poll sources, match what they brought (in the same transaction), then run the drafting
    step over everything stored (so drafts an interrupted run never made are made now)."""
    from engage.desk import expire_stale
    from engage.matches import score_threads
    from engage.watching import watch

    scorer = engage.matcher

    def match_new(session: Session, result: IngestResult) -> None:
        if scorer is not None:
            score_threads(session, scorer, result.new + result.updated)

    with job_run(engage.db, "watch") as summary:
        report = watch(
            engage.db, engage.config, only_due=only_due, progress=progress,
            on_ingested=match_new, cache=engage.fetchers,
        )  # fmt: skip
        summary.update(report.as_dict())
        summary["drafts_queued"] = draft_waiting(engage)
        summary["drafts_expired"] = expire_stale(engage)
    return report


def draft_waiting(engage: Engage) -> int:
    """The drafting step: drafts for stored threads and own blog posts that should have one and
    have none. Never raises: threads stay stored, and the next run (or `engage draft THREAD`)
    drafts them."""
    from engage.desk import queue_blog_shares, queue_drafts

    queued = 0
    try:
        if engage.matcher is not None:
            queued += queue_drafts(engage)
        queued += queue_blog_shares(engage)
    except Exception:
        log.exception("drafting failed; the threads are stored and the next run drafts them")
    return queued
