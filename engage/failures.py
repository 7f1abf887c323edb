"""What an exception from below engage (the database drivers, the file system, a decoder) means to
the person at the terminal: `explain(exc)` returns the EngageError to show as one line, with the
right exit code, or None for an unexpected exception (a bug).

The CLI's error boundary calls it for anything that is not already an EngageError; so does the
code that wraps a step (a database upgrade). Drivers' messages are matched as they are documented
to read (sqlite3's result-code strings, libpq's connection messages).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from engage.errors import ConfigError, EngageError, UsageError
from engage.redact import redact

SQLITE_BUSY = ("database is locked", "database table is locked")
SQLITE_READ_ONLY = ("readonly database", "read-only database")
SQLITE_DAMAGED = (
    "file is not a database",
    "database disk image is malformed",
    "malformed database schema",
    "unsupported file format",
)


def explain(exc: BaseException, database: str | None = None) -> EngageError | None:
    """The expected failure `exc` stands for, or None. `database` is the URL in use, if known."""
    if isinstance(exc, EngageError):
        return exc
    where = _describe_database(database)
    for cause in _chain(exc):
        found = _explain_one(cause, where)
        if found is not None:
            return found
    return None


def _explain_one(exc: BaseException, where: str) -> EngageError | None:
    module = type(exc).__module__.split(".")[0]
    name = type(exc).__name__
    message = first_line(exc)
    lowered = message.lower()
    if module == "sqlalchemy" and name in ("ArgumentError", "NoSuchModuleError"):
        return ConfigError(f"the database URL is not one engage can use: {message}")
    if module in ("sqlite3", "sqlalchemy") or name in ("OperationalError", "DatabaseError"):
        if any(text in lowered for text in SQLITE_BUSY):
            return EngageError(
                f"{where} stayed busy past the wait (another engage process holds its write "
                "lock: a long step, or a stuck process); try again in a moment"
            )
        if any(text in lowered for text in SQLITE_READ_ONLY):
            return EngageError(f"{where} is read-only: engage needs to write to it and its "
                               "folder (check their permissions and the disk)")  # fmt: skip
        if any(text in lowered for text in SQLITE_DAMAGED):
            return EngageError(
                f"{where} is damaged or not an engage database ({message}): restore it from a "
                "backup, or move it away and engage starts a new one"
            )
        if "unable to open database file" in lowered:
            return EngageError(f"{where} can't be opened: check that its folder exists and "
                               "that engage may write there")  # fmt: skip
        if "disk i/o error" in lowered or "disk is full" in lowered:
            return EngageError(f"{where} could not be written: {message}")
    if module == "psycopg" or module == "psycopg2":
        if "read-only" in lowered or name == "ReadOnlySqlTransaction":
            return EngageError(f"{where} is read-only (a standby, or a read-only user): {message}")
        if name == "InsufficientPrivilege":
            return EngageError(f"{where} refused: {message}")
        if name == "OperationalError":
            return EngageError(f"cannot reach {where}: {message}")
    if isinstance(exc, UnicodeDecodeError):
        return UsageError(f"the text is not UTF-8 (byte 0x{exc.object[exc.start]:02x} at "
                          f"position {exc.start}): save it as UTF-8 text")  # fmt: skip
    if isinstance(exc, OSError) and exc.errno is not None:
        return _explain_os_error(exc)
    return None


def _explain_os_error(exc: OSError) -> EngageError:
    target = exc.filename if exc.filename is not None else ""
    reason = exc.strerror or os.strerror(exc.errno or 0)
    if exc.errno == errno.ENOSPC:
        return EngageError(f"{target}: the disk is full")
    where = f"{target}: " if target else ""
    return EngageError(f"{where}{reason}")


def _describe_database(database: str | None) -> str:
    if not database:
        return "the database"
    from engage.db import sqlite_path

    path = sqlite_path(database)
    return f"the database {path}" if path is not None else f"the database {redact(database)}"


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception, what it wraps (SQLAlchemy's .orig), and its causes, outermost first."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen and len(seen) < 10:
        seen.append(current)
        orig = getattr(current, "orig", None)
        if isinstance(orig, BaseException) and orig not in seen:
            seen.append(orig)
        current = current.__cause__ or current.__context__
    return seen


def first_line(exc: BaseException) -> str:
    """The driver's own message, one line and redacted ("database is locked"), without
    SQLAlchemy's SQL and link: for logs and records that must stay one line."""
    orig = getattr(exc, "orig", None)
    text = str(orig if isinstance(orig, BaseException) else exc).strip()
    return redact(text.splitlines()[0].strip() if text else type(exc).__name__)


def described(exc: BaseException) -> str:
    """An exception in one line ("OperationalError: database is locked"), for the log and a
    job run's error: a driver's message without SQLAlchemy's SQL and link."""
    return f"{type(exc).__name__}: {first_line(exc)}"


def home_problem(home: Path) -> ConfigError | None:
    """Why the data directory can't be used (a file in its place, not writable), or None."""
    from engage.config import HOME_ENV

    source = f"the data directory {home} (${HOME_ENV} or the default)"
    if home.exists() and not home.is_dir():
        return ConfigError(f"{source} is a file, not a folder: point ${HOME_ENV} at a folder")
    existing = home
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        return ConfigError(f"{source} is not writable by this user: choose a folder you own "
                           f"(${HOME_ENV}) or fix its permissions")  # fmt: skip
    return None
