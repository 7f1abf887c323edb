"""Shared fixtures: no internet, an isolated ENGAGE_HOME, and databases on SQLite and PostgreSQL.

Every test that touches storage runs on both engines: through `db` or `database_url` (a
database of its own), or through `app_database` (the database the app uses; storage modules
apply it with `pytestmark = pytest.mark.usefixtures("app_database")`). A storage test that can
run on one engine only is marked `sqlite_only("why")` or `postgres` and says why.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from engage.db import Database
from tests.fakes.feeds import FeedServer
from tests.fakes.reddit import FakeReddit

POSTGRES_ENV = "ENGAGE_TEST_POSTGRES_URL"
DATABASE_URL_ENV = "ENGAGE_DATABASE_URL"
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


def _postgres_base() -> str:
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        message = f"PostgreSQL tests need {POSTGRES_ENV} (.ci/run sets it up)"
        if os.environ.get(REQUIRE_POSTGRES_ENV):
            pytest.fail(message)
        pytest.skip(message)
    return base


@contextmanager
def _new_postgres_database(template: str = "template0") -> Iterator[str]:
    """A fresh PostgreSQL database copied from `template`, dropped afterwards."""
    import psycopg

    base = _postgres_base()
    name = f"engage_t_{uuid.uuid4().hex[:12]}"
    admin = psycopg.connect(base, autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')  # template1 may be in use
    head, _, _ = base.rpartition("/")
    try:
        yield f"{head}/{name}"
    finally:
        drop_database(admin, name)
        admin.close()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    with _new_postgres_database() as url:
        yield url


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A PostgreSQL database migrated to head once per session, copied for each storage test
    (CREATE DATABASE ... TEMPLATE copies files: much cheaper than migrating every database)."""
    with _new_postgres_database() as url:
        database = Database(url)
        database.ensure_schema()
        database.dispose()  # a template can't be copied while anyone is connected to it
        yield url.rpartition("/")[2]


@pytest.fixture
def migrated_postgres_url(postgres_template: str) -> Iterator[str]:
    """A PostgreSQL database at the current schema, empty, for one test."""
    with _new_postgres_database(postgres_template) as url:
        yield url


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


ENGINES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """The database engine a storage test runs on: every storage test runs on both."""
    name: str = request.param
    return name


@pytest.fixture
def database_url(engine: str, request: pytest.FixtureRequest) -> str:
    """An empty database (no schema) on each engine in turn."""
    fixture = "sqlite_url" if engine == "sqlite" else "postgres_url"
    url: str = request.getfixturevalue(fixture)
    return url


@pytest.fixture
def db(engine: str, request: pytest.FixtureRequest) -> Iterator[Database]:
    """A migrated, empty database, on each engine in turn: the one `database_url` names when
    the test asks for both, else (on PostgreSQL) a copy of the migrated template."""
    shared = engine == "sqlite" or "database_url" in request.fixturenames
    fixture = "database_url" if shared else "migrated_postgres_url"
    database = Database(request.getfixturevalue(fixture))
    database.ensure_schema()
    yield database
    database.dispose()


@pytest.fixture
def app_database(
    engine: str, engage_env: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> str:
    """The database the app itself uses in this test (make_engage, the CLI in-process, engage
    in a subprocess), on each engine in turn: SQLite is the default file in ENGAGE_HOME,
    PostgreSQL a migrated copy named by ENGAGE_DATABASE_URL. Storage test modules use it
    through `pytestmark = pytest.mark.usefixtures("app_database")`."""
    return _app_database(engine, engage_env, request, monkeypatch, "migrated_postgres_url")


@pytest.fixture
def empty_app_database(
    engine: str, engage_env: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> str:
    """Like `app_database`, but with no schema yet: what engage meets on its first run."""
    return _app_database(engine, engage_env, request, monkeypatch, "postgres_url")


def _app_database(
    engine: str, home: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch,
    postgres_fixture: str,
) -> str:  # fmt: skip
    if engine == "sqlite":
        return f"sqlite:///{home / 'engage.db'}"
    url: str = request.getfixturevalue(postgres_fixture)
    monkeypatch.setenv(DATABASE_URL_ENV, url)
    return url


@pytest.fixture(autouse=True)
def storage_on_both_engines(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A test that opens a database in-process must run on both engines (through `engine`), or
    say why it can't (`sqlite_only`, `postgres`): the rule is checked, not remembered."""
    covered = "engine" in request.fixturenames or any(
        request.node.get_closest_marker(name) for name in ("sqlite_only", "postgres")
    )
    if covered:
        return
    real = Database._create_engine

    def create_engine(database: Database) -> Any:
        pytest.fail(
            f"{request.node.nodeid} opens a database but runs on one engine: use the db, "
            "database_url or app_database fixture, or mark it sqlite_only(reason)"
        )
        return real(database)  # pragma: no cover

    monkeypatch.setattr(Database, "_create_engine", create_engine)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A storage test marked `sqlite_only(reason)` runs on SQLite alone (its reason says why)."""
    kept, dropped = [], []
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        params = getattr(item, "callspec", None)
        on_postgres = params is not None and params.params.get("engine") == "postgres"
        if marker is not None and not (marker.args or marker.kwargs.get("reason")):
            raise pytest.UsageError(f"{item.nodeid}: sqlite_only needs a reason")
        (dropped if marker is not None and on_postgres else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


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
