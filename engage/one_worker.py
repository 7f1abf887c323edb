"""One worker per database: a lock file beside a SQLite database (the OS drops it with the
process), a session-level advisory lock on PostgreSQL (the server drops it with the connection).
A second worker started on the same database exits at once, naming the one that runs.

Must not run jobs nor decide what is due (engage.worker does).
"""

from __future__ import annotations

import fcntl
import logging
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING

from engage.errors import EngageError

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from engage.app import Engage
    from engage.db import Database

log = logging.getLogger("engage.worker")

#: The PostgreSQL advisory lock key of "the engage worker": "eworker!" as a 64-bit number,
#: unlike engage.desk.queue.DRAFTING_LOCK ("engage"), which the worker's drafting step takes.
ADVISORY_LOCK_KEY = 0x65776F726B657221
#: How long a worker that lost the lock waits for the winner to say who it is.
WHO_WAIT_SECONDS = 5.0


@contextmanager
def single_worker(home: Path) -> Iterator[None]:
    """Hold an exclusive lock on <home>/worker.lock (the OS drops it if the process dies); the
    file names the holder, so a second worker can say which one runs."""
    home.mkdir(parents=True, exist_ok=True)
    path = home / "worker.lock"
    handle: IO[str] = path.open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        holder = _wait_for(lambda: path.read_text().strip() or None)
        raise EngageError(f"another engage worker is already running on {home} "
                          f"({holder or 'pid unknown'})") from None  # fmt: skip
    try:
        handle.truncate(0)
        handle.write(f"pid {os.getpid()} on {socket.gethostname()}\n")
        handle.flush()
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


class AdvisoryLock:
    """PostgreSQL's session-level advisory lock, held on a connection of its own for as long as
    the worker runs (the server drops it if the process or its connection dies). A lost
    connection loses the lock: `still_held` notices, and takes it again if nobody else has."""

    def __init__(self, url: str) -> None:
        from engage.db import Database

        self.database = Database(url)
        self.connection: Connection | None = None

    def acquire(self) -> bool:
        from sqlalchemy import text

        self.release_connection()
        self.connection = self.database.engine.connect()
        got = self.connection.execute(text("SELECT pg_try_advisory_lock(:key)"),
                                      {"key": ADVISORY_LOCK_KEY}).scalar()  # fmt: skip
        self.connection.commit()
        return bool(got)

    def still_held(self) -> bool:
        """Whether this worker still holds the lock (False: another worker took it over)."""
        from sqlalchemy import text

        try:
            assert self.connection is not None
            self.connection.execute(text("SELECT 1"))
            self.connection.commit()
            return True
        except Exception as exc:
            log.warning("the connection holding the one-worker lock was lost (%s: %s); "
                        "taking the lock again", type(exc).__name__, exc)  # fmt: skip
        try:
            return self.acquire()
        except Exception:  # the database still away: nobody else can take the lock either
            log.debug("could not take the lock again yet", exc_info=True)
            return True

    def release_connection(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception:
                log.debug("closing a lost connection", exc_info=True)
            self.connection = None


@contextmanager
def advisory_lock(url: str) -> Iterator[Callable[[], bool]]:
    """Hold the advisory lock while the worker runs; yields its `still_held` check."""
    lock = AdvisoryLock(url)
    try:
        if not lock.acquire():
            holder = _wait_for(lambda: _running_worker(lock.database))
            raise EngageError("another engage worker is already running on this database "
                              f"({holder or 'pid unknown'})")  # fmt: skip
        yield lock.still_held
    finally:
        lock.release_connection()
        lock.database.dispose()


def _running_worker(db: Database) -> str | None:
    """Who the running worker is ("pid P on H, last heartbeat T"), if its row says so."""
    from sqlalchemy import select

    from engage.models import JobRun

    try:
        with db.read() as session:
            row = session.scalars(
                select(JobRun).where(JobRun.job == "worker", JobRun.status == "running")
                .order_by(JobRun.id.desc()).limit(1)
            ).first()  # fmt: skip
    except Exception:  # its schema not made yet: the winner is making it
        return None
    if row is None:
        return None
    owner = row.summary or {}
    return (f"pid {owner.get('pid')} on {owner.get('host')}, "
            f"last heartbeat {owner.get('beat_at')}")  # fmt: skip


def _wait_for(read: Callable[[], str | None]) -> str | None:
    """The winner of a simultaneous start may not have said who it is yet: wait a little."""
    deadline = time.monotonic() + WHO_WAIT_SECONDS
    while True:
        found = read()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


@contextmanager
def one_worker(engage: Engage) -> Iterator[Callable[[], bool]]:
    """Be the only worker on this database; yields a check that this is still so."""
    from engage.db import sqlite_path

    url = engage.config.database_url
    if sqlite_path(url) is not None:
        with single_worker(engage.home):
            yield lambda: True  # a lock file is not lost while the process lives
    else:
        with advisory_lock(url) as still_held:
            yield still_held
