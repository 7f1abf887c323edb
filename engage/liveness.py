"""The worker's signs of life: its heartbeat row in job_runs, and what an earlier worker's last
beat says when a new one starts (down more than a day: said once, in the log).

Must not schedule or run jobs (engage.worker does) nor raise from a beat: a failing database
is warned about once and the worker goes on.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from engage.failures import described

if TYPE_CHECKING:
    from engage.app import Engage
    from engage.db import Database

log = logging.getLogger("engage.worker")

#: The heartbeat's longest interval (it beats every tick when ticks are shorter). It is a job of
#: its own, so a long job (a slow source) does not make a live worker look dead.
BEAT_SECONDS = 30.0
#: A worker whose last heartbeat is older than this when it starts again says so.
DOWN_TOO_LONG = timedelta(days=1)


# --- the heartbeat -------------------------------------------------------------------------


class Heartbeat:
    """The worker's own job_runs row (job "worker"): "running" while it runs, its summary the
    host, pid, tick and the time of the last beat; ended "ok" when the worker stops. A killed
    worker's row is marked interrupted by the next start (engage.jobs.mark_interrupted)."""

    def __init__(self, engage: Engage, tick_seconds: float) -> None:
        self.engage = engage
        self.tick_seconds = tick_seconds
        self.seconds = min(tick_seconds, BEAT_SECONDS)
        self.row_id: int | None = None
        self.lock = threading.Lock()  # the first beat and the scheduler's: one row, not two

    def summary(self) -> dict[str, Any]:
        from engage.models import utcnow

        return {"host": socket.gethostname(), "pid": os.getpid(), "tick_seconds": self.tick_seconds,
                "beat_seconds": self.seconds, "beat_at": utcnow().isoformat()}  # fmt: skip

    def beat(self) -> None:
        """Record that the worker is alive. Never raises (a failing database is warned about)."""
        from engage.models import JobRun

        try:
            with self.lock, self.engage.db.write() as session:
                row = session.get(JobRun, self.row_id) if self.row_id is not None else None
                if row is None:  # the first beat, or the row went (pruned by hand)
                    row = JobRun(job="worker")
                    session.add(row)
                row.status, row.finished_at, row.error = "running", None, None
                row.summary = self.summary()
                session.flush()
                self.row_id = row.id
        except Exception as exc:
            self.engage.conditions.warn("heartbeat", f"heartbeat not recorded ({described(exc)})")
            return
        self.engage.conditions.clear("heartbeat", "heartbeat recorded again")

    def stop(self) -> None:
        from engage.models import JobRun, utcnow

        if self.row_id is None:
            return
        try:
            with self.engage.db.write() as session:
                row = session.get_one(JobRun, self.row_id)
                row.status, row.finished_at = "ok", utcnow()
        except Exception:
            log.warning("could not record the worker's stop", exc_info=True)


def last_seen(db: Database) -> datetime | None:
    """The last sign of life of any earlier worker: its last heartbeat, or when it ended."""
    from sqlalchemy import select

    from engage.models import JobRun

    with db.read() as session:
        row = session.scalars(
            select(JobRun).where(JobRun.job == "worker").order_by(JobRun.id.desc()).limit(1)
        ).first()
    if row is None:
        return None
    beat = (row.summary or {}).get("beat_at")
    moments = [row.started_at, row.finished_at, datetime.fromisoformat(beat) if beat else None]
    return max(m for m in moments if m is not None)


def say_if_down_long(db: Database) -> None:
    """A warning when the last worker was last seen more than DOWN_TOO_LONG ago."""
    seen = last_seen(db)
    now = datetime.now(UTC)
    if seen is not None and now - seen > DOWN_TOO_LONG:
        log.warning("the worker was not running for %s (last seen %s UTC): what fell due "
                    "meanwhile runs now", str(now - seen).split(".")[0],
                    f"{seen:%Y-%m-%d %H:%M}")  # fmt: skip
