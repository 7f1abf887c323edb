"""Shared fixtures: no internet, an isolated ENGAGE_HOME, and databases on SQLite and PostgreSQL."""

from __future__ import annotations

import ipaddress
import os
import socket
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from engage.db import Database
from tests.fakes.feeds import FeedServer
from tests.fakes.reddit import FakeReddit

POSTGRES_ENV = "ENGAGE_TEST_POSTGRES_URL"
REQUIRE_POSTGRES_ENV = "ENGAGE_REQUIRE_POSTGRES"


class InternetAccessError(RuntimeError):
    """A test tried to leave the machine."""


def _is_loopback(host: object) -> bool:
    if host in ("localhost", "localhost.localdomain", "", None):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def _guard_socket() -> None:
    """Make any non-loopback connection fail loudly instead of hanging on a closed network."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def check(address: Any) -> None:
        if isinstance(address, tuple) and not _is_loopback(address[0]):
            raise InternetAccessError(f"tests must not reach the internet (tried {address[0]})")

    def connect(self: socket.socket, address: Any) -> None:
        check(address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        check(address)
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(host, bytes):
            host = host.decode()
        if not _is_loopback(host):
            raise InternetAccessError(f"tests must not reach the internet (looked up {host})")
        return real_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = getaddrinfo


def pytest_sessionstart(session: pytest.Session) -> None:
    _guard_socket()


@pytest.fixture(autouse=True)
def engage_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data directory, no config file and no database override."""
    home = tmp_path / "engage-home"
    monkeypatch.setenv("ENGAGE_HOME", str(home))
    for name in list(os.environ):
        if name.startswith("ENGAGE_") and name not in ("ENGAGE_HOME", POSTGRES_ENV):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.chdir(tmp_path)
    return home


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        message = f"PostgreSQL tests need {POSTGRES_ENV} (.ci/run sets it up)"
        if os.environ.get(REQUIRE_POSTGRES_ENV):
            pytest.fail(message)
        pytest.skip(message)
    import psycopg

    name = f"engage_t_{uuid.uuid4().hex[:12]}"
    admin = psycopg.connect(base, autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')  # template1 may be in use
    head, _, _ = base.rpartition("/")
    try:
        yield f"{head}/{name}"
    finally:
        drop_database(admin, name)
        admin.close()


def drop_database(admin: Any, name: str, attempts: int = 50) -> None:
    """Drop a test database. FORCE ends our own leftover connections, but may not end an
    autovacuum worker that just started on it (not our role): then wait for it to finish."""
    import psycopg

    for _ in range(attempts):
        try:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except (psycopg.errors.InsufficientPrivilege, psycopg.errors.ObjectInUse):
            time.sleep(0.2)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """Run a test once on SQLite and once on PostgreSQL."""
    fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    url: str = request.getfixturevalue(fixture)
    return url


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """A migrated, empty database, on each engine in turn."""
    database = Database(database_url)
    database.ensure_schema()
    yield database
    database.dispose()


@pytest.fixture
def fake_reddit() -> Iterator[FakeReddit]:
    """A running fake Reddit (tests/fakes/reddit.py) with an empty store (`fake_reddit.store`)."""
    with FakeReddit() as server:
        yield server


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    """A running feed server (tests/fakes/feeds.py): 200, 304, redirects, any bytes."""
    with FeedServer() as server:
        yield server
