"""Engine and session factory: SQLite (WAL) by default, PostgreSQL by URL.

On SQLite every write transaction starts with BEGIN IMMEDIATE: a deferred transaction that
reads and then writes fails at once with "database is locked" when another process wrote in
between, whereas IMMEDIATE takes the write lock up front and waits up to the busy timeout.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engage.errors import ConfigError, EngageError, SchemaTooNewError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine
    from sqlalchemy.orm import Session

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 10_000
WRITE_OPTION = "engage_write"


def known_revisions() -> list[str]:
    """Revision ids in order, read from the migration file names (NNNN_slug.py) without Alembic."""
    return sorted(p.name.split("_", 1)[0] for p in (MIGRATIONS_DIR / "versions").glob("[0-9]*.py"))


def head_revision() -> str:
    return known_revisions()[-1]


def normalize_url(url: str) -> str:
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def sqlite_path(url: str) -> Path | None:
    """The file behind a sqlite URL (None for other engines or in-memory databases)."""
    if not url.startswith("sqlite:///"):
        return None
    path = url[len("sqlite:///") :].split("?", 1)[0]
    return None if path in ("", ":memory:") else Path(path)


def display_url(url: str) -> str:
    """The URL without its password, for status output and messages."""
    from engage.redact import redact

    return redact(url)


def read_revision_fast(url: str) -> str | None:
    """The schema revision of a SQLite file through the stdlib driver (keeps start-up instant).

    Returns None for a missing or empty database. Only for SQLite; others use `Database`.
    """
    path = sqlite_path(url)
    if path is None or not path.exists():
        return None
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:
        return None
    finally:
        connection.close()
    return None if row is None else str(row[0])


def check_revision(revision: str | None) -> bool:
    """True if the schema is current, False if it needs an upgrade; raise if it is newer."""
    known = known_revisions()
    if revision is None or revision in known[:-1]:
        return False
    if revision == known[-1]:
        return True
    raise SchemaTooNewError(
        f"the database schema is at revision {revision}, which this engage does not know "
        f"(it knows up to {known[-1]}); a newer engage migrated it: upgrade engage"
    )


def use_wal(cursor: Any, attempts: int = 50) -> None:
    """Switch a SQLite file to WAL once. Two processes creating the file at the same moment
    (the worker and `engage status`, say) can both try; the switch needs the file to itself and
    SQLite answers "locked" at once rather than waiting, so wait here."""
    for _ in range(attempts):
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                return
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc):
                raise
            time.sleep(0.1)
    cursor.execute("PRAGMA journal_mode=WAL")


#: The engines engage runs on, and the driver each is used through.
SUPPORTED = {"sqlite": ("", "pysqlite"), "postgresql": ("", "psycopg")}


def check_url(url: str) -> None:
    """Refuse, as a configuration error, a database URL engage can't use (before any driver is
    imported: an unknown dialect would otherwise surface as a missing module). The message
    never repeats the URL: a malformed one can't be trusted to show where its password ends."""
    from urllib.parse import urlsplit

    scheme, separator, _ = normalize_url(url).partition("://")
    dialect, _, driver = scheme.lower().partition("+")
    why = ""
    try:
        _ = urlsplit(url).port  # a malformed host or port raises here
        usable = bool(separator) and driver in SUPPORTED.get(dialect, ())
    except ValueError:
        usable = False
        why = (" (its host or port can't be read: in a password, write / as %2F, # as %23, "
               "? as %3F and @ as %40)")  # fmt: skip
    if usable:
        return
    raise ConfigError(
        f"the database URL is not one engage can use{why}: write sqlite:///PATH or "
        "postgresql://USER@HOST/DATABASE (in $ENGAGE_DATABASE_URL or [database] url)"
    )


class Database:
    """One database: engines, sessions, migrations."""

    def __init__(self, url: str) -> None:
        check_url(url)
        self.url = normalize_url(url)
        self.is_sqlite = self.url.startswith("sqlite")
        self._engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = self._create_engine()
        return self._engine

    def _create_engine(self) -> Engine:
        from sqlalchemy import create_engine, event

        if not self.is_sqlite:
            return create_engine(self.url, pool_pre_ping=True)
        path = sqlite_path(self.url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(self.url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

        @event.listens_for(engine, "connect")
        def on_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            use_wal(cursor)
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def on_begin(connection: Connection) -> None:
            write = connection.get_execution_options().get(WRITE_OPTION, False)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed."""
        from sqlalchemy.orm import Session

        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose transaction holds the write lock from its start; commits on success."""
        from sqlalchemy.orm import Session

        bind = self.engine.execution_options(**{WRITE_OPTION: True})
        with Session(bind, expire_on_commit=False) as session, session.begin():
            yield session

    def revision(self) -> str | None:
        if self.is_sqlite:
            return read_revision_fast(self.url)
        from sqlalchemy import inspect, text

        with self.engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()

    def ensure_schema(self) -> bool:
        """Upgrade to the code's schema if needed (the app does this on start). True if it did."""
        if check_revision(self.revision()):
            return False
        self.upgrade()
        return True

    def upgrade(self, revision: str = "head") -> None:
        check_revision(self.revision())
        from alembic import command

        with self.engine.execution_options(**{WRITE_OPTION: True}).begin() as connection:
            config = alembic_config(connection)
            try:
                command.upgrade(config, revision)
            except Exception as exc:
                from engage.failures import explain

                known = explain(exc, self.url)
                raise known or EngageError(f"database upgrade failed: {exc}") from exc

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def alembic_config(connection: Connection | None = None) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config
