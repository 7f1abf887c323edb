"""What `engage status` reports: where things are, whether the worker is alive, each job's last
run and last error, anything stuck, how each source is doing, counts by state.

It only reads (never repairs what it finds stuck: that is the worker's and the CLI's job).

Plain SQL on a DB-API connection, so on the default SQLite database status needs only the
stdlib driver and starts instantly; other engines hand over a connection from SQLAlchemy.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from engage import __version__
from engage.config import Config
from engage.db import (
    BUSY_TIMEOUT_MS,
    Database,
    check_revision,
    display_url,
    head_revision,
    read_revision_fast,
    sqlite_path,
)
from engage.platforms.linkedin.token import token_status
from engage.redact import redact
from engage.types.relationships import REPLIES_KIND_SUFFIX

Query = Callable[[str], Sequence[Sequence[Any]]]

SOURCES_SQL = (
    "SELECT id, kind, target, own, enabled, last_poll_at, last_ok_at, last_error, "
    "last_error_at, next_poll_at FROM sources ORDER BY id"
)
JOBS_SQL = (
    "SELECT job, started_at, finished_at, status, summary, error FROM job_runs WHERE id IN "
    "(SELECT max(id) FROM job_runs WHERE job <> 'worker' {only} GROUP BY job) ORDER BY job"
)
WORKER_SQL = (
    "SELECT status, started_at, finished_at, summary FROM job_runs WHERE job = 'worker' "
    "ORDER BY id DESC LIMIT 1"
)
#: A heartbeat older than this many beats (plus a minute's slack) is a dead worker's.
MISSED_BEATS = 3
#: A digest not sent this long after its send_at is reported stuck (its first retries are over).
DIGEST_LATE = timedelta(minutes=30)
COUNT_TABLES = ("threads", "comments", "matches", "engagements", "people", "blog_posts")


def collect_status(config: Config) -> dict[str, Any]:
    url = config.database_url
    if sqlite_path(url) is not None:
        if not check_revision(read_revision_fast(url)):
            Database(url).ensure_schema()
        path = sqlite_path(url)
        reader = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            return _status(config, lambda sql: reader.execute(sql).fetchall())
        finally:
            reader.close()
    database = Database(url)
    database.ensure_schema()
    with database.engine.connect() as connection:
        return _status(config, lambda sql: list(connection.exec_driver_sql(sql)))


def _status(config: Config, query: Query) -> dict[str, Any]:
    counts = {table: query(f"SELECT count(*) FROM {table}")[0][0] for table in COUNT_TABLES}
    drafts: dict[str, int] = {
        str(state): int(n)
        for state, n in query("SELECT status, count(*) FROM drafts GROUP BY status ORDER BY status")
    }
    rows = query(SOURCES_SQL)
    sources = [
        {
            "id": row[0],
            "kind": row[1],
            "target": redact(str(row[2])),
            "own": bool(row[3]),
            "enabled": bool(row[4]),
            "last_poll_at": _iso(row[5]),
            "last_ok_at": _iso(row[6]),
            "last_error": redact(row[7]) if row[7] else None,
            "last_error_at": _iso(row[8]),
            "next_poll_at": _iso(row[9]),
        }
        for row in rows
        if not str(row[1]).endswith(REPLIES_KIND_SUFFIX)
    ]
    # Where reading replies got to is kept in a sources row, but it is not a source the
    # therapist chose: shown apart, by platform.
    reply_reading = [
        {
            "platform": str(row[1]).removesuffix(REPLIES_KIND_SUFFIX),
            "last_read_at": _iso(row[5]),
            "last_ok_at": _iso(row[6]),
            "last_error": redact(row[7]) if row[7] else None,
        }
        for row in rows
        if str(row[1]).endswith(REPLIES_KIND_SUFFIX)
    ]
    digest_rows = query(
        "SELECT local_date, status, attempts, sent_at, error, started_at FROM digest_runs "
        "ORDER BY local_date DESC, id DESC LIMIT 1"
    )
    last_digest = None
    if digest_rows:
        local_date, state, attempts, sent_at, error, started_at = digest_rows[0]
        last_digest = {"date": str(local_date), "status": state, "attempts": attempts,
                       "sent_at": _iso(sent_at), "error": error}  # fmt: skip
        last_digest.update(_retry(config, str(local_date), state, attempts, started_at))
    return {
        "version": __version__,
        "config_file": str(config.path) if config.path else None,
        "home": str(config.home),
        "database": display_url(config.database_url),
        "schema_revision": head_revision(),
        "sources": sources,
        "reply_reading": reply_reading,
        "counts": {**counts, "drafts": drafts},
        "last_digest": last_digest,
        "worker": _worker(query),
        "jobs": _jobs(query),
        "stuck": stuck(config, query),
        "linkedin": token_status(config),
    }


def _retry(
    config: Config, local_date: str, state: str, attempts: int, started_at: object
) -> dict[str, Any]:  # fmt: skip
    """For a failed digest: when it is tried next, or that engage gave up on that day."""
    from datetime import date

    from engage.backoff import next_try

    if state not in ("failed", "unknown", "sending") or started_at is None:
        return {"next_try_at": None, "gave_up": False}
    started = _aware(started_at)
    day = date.fromisoformat(local_date)
    when = next_try(state, attempts, started, day, config.settings.digest.timezone)
    in_flight = state == "sending" and when is not None and datetime.now(UTC) < when
    return {"next_try_at": None if in_flight else _iso(when), "gave_up": when is None}


def _aware(value: object) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC)


def _iso(value: object) -> str | None:
    """Timestamps as ISO 8601 UTC, whichever driver returned them (SQLite gives text)."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")


def _json(value: object) -> dict[str, Any]:
    """A JSON column as a dict, whichever driver read it (SQLite gives text)."""
    if isinstance(value, str):
        value = json.loads(value or "{}")
    return value if isinstance(value, dict) else {}


def _worker(query: Query, now: datetime | None = None) -> dict[str, Any]:
    """Alive: its row says running, its heartbeat is recent, and (on this machine) its process
    exists. A stopped or killed worker's last heartbeat is kept for the record."""
    rows = query(WORKER_SQL)
    if not rows:
        return {"alive": False, "last_heartbeat": None, "pid": None, "host": None,
                "started_at": None, "stopped_at": None}  # fmt: skip
    state, started_at, finished_at, summary = rows[0]
    owner = _json(summary)
    beat = owner.get("beat_at")
    now = now or datetime.now(UTC)
    window = timedelta(seconds=MISSED_BEATS * float(owner.get("beat_seconds") or 60) + 60)
    recent = beat is not None and now - datetime.fromisoformat(beat) < window
    here = owner.get("host") == socket.gethostname()
    alive = state == "running" and recent and (not here or process_alive(owner.get("pid")))
    return {"alive": alive, "last_heartbeat": _iso(beat), "pid": owner.get("pid"),
            "host": owner.get("host"), "started_at": _iso(started_at),
            "stopped_at": _iso(finished_at)}  # fmt: skip


def process_alive(pid: object) -> bool:
    """Whether a process of this machine exists (someone else's counts)."""
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _jobs(query: Query) -> dict[str, Any]:
    """Each job's last run (when, outcome, summary) and its last error."""
    jobs: dict[str, Any] = {}
    for job, started, finished, state, summary, error in query(JOBS_SQL.format(only="")):
        jobs[str(job)] = {"last_run_at": _iso(started), "finished_at": _iso(finished),
                          "status": state, "summary": _json(summary),
                          "error": redact(error) if error else None,
                          "last_error": None, "last_error_at": None}  # fmt: skip
    for job, started, _, _, _, error in query(JOBS_SQL.format(only="AND error IS NOT NULL")):
        if str(job) in jobs:
            jobs[str(job)].update(last_error=redact(error), last_error_at=_iso(started))
    return jobs


def stuck(config: Config, query: Query, now: datetime | None = None) -> list[str]:
    """What should have moved and has not: publishing claims past their lease, a digest not
    sent by its time."""
    from zoneinfo import ZoneInfo

    now = now or datetime.now(UTC)
    found = []
    publishing = query("SELECT id, updated_at FROM drafts WHERE status = 'publishing' ORDER BY id")
    if publishing:  # (only then: engage.publishing is no light import)
        from engage.publishing import LEASE

        found = [
            f"draft {draft_id} has been publishing since {_iso(updated)} (past its "
            f"{int(LEASE.total_seconds() // 60)}-minute lease): see engage drafts show {draft_id}"
            for draft_id, updated in publishing
            if now - _aware(updated) > LEASE
        ]
    digest = config.settings.digest
    if digest.enabled and digest.to:
        zone = ZoneInfo(digest.timezone)
        local = now.astimezone(zone)
        # Late when the clock read send_at or later DIGEST_LATE ago, the same local day: read on
        # the wall clock, as the worker decides a digest is due, never by subtracting two local
        # times (Python does that on the wall clock, an hour off across a daylight-saving change).
        before = (now - DIGEST_LATE).astimezone(zone)
        if before.date() == local.date() and before.time() >= digest.send_at:
            done = query(
                "SELECT count(*) FROM digest_runs WHERE local_date = "
                f"'{local.date().isoformat()}' AND status IN ('sent', 'skipped')"
            )[0][0]
            if not done:
                found.append(f"the digest of {local.date()} is not sent (due at "
                             f"{digest.send_at:%H:%M} {digest.timezone})")  # fmt: skip
    return found
