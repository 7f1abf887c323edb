"""What `engage status` reports: where things are, how each source is doing, counts by state.

Plain SQL on a DB-API connection, so on the default SQLite database status needs only the
stdlib driver and starts instantly; other engines hand over a connection from SQLAlchemy.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
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

Query = Callable[[str], Sequence[Sequence[Any]]]

SOURCES_SQL = (
    "SELECT id, kind, target, own, enabled, last_poll_at, last_ok_at, last_error, "
    "last_error_at, next_poll_at FROM sources ORDER BY id"
)
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
        for row in query(SOURCES_SQL)
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
        "counts": {**counts, "drafts": drafts},
        "last_digest": last_digest,
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
