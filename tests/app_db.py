"""The app's database as a test reads it behind a subprocess's back, on either engine: the URL
a subprocess with `env` uses (ENGAGE_DATABASE_URL, else the SQLite file in ENGAGE_HOME), and
plain SQL on it that answers nothing (not an error) before the schema exists."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from engage.db import Database, sqlite_path


def app_url(env: Mapping[str, str]) -> str:
    return env.get("ENGAGE_DATABASE_URL") or f"sqlite:///{Path(env['ENGAGE_HOME']) / 'engage.db'}"


@contextmanager
def opened(url: str) -> Iterator[Database]:
    database = Database(url)
    try:
        yield database
    finally:
        database.dispose()


def rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    """The rows `sql` returns; none while the database or its tables are not there yet."""
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError, ProgrammingError

    path = sqlite_path(url)
    if path is not None and not path.exists():
        return []
    with opened(url) as database, database.read() as session:
        try:
            return [tuple(row) for row in session.execute(text(sql))]
        except (OperationalError, ProgrammingError):  # not migrated yet
            return []


def count(url: str, sql: str) -> int:
    found = rows(url, sql)
    return int(found[0][0]) if found else 0
