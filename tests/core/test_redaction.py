"""Secrets stay secret: a canary database password and canary credentials never reach a log, the
terminal or the database, whatever the worker does with them; the log file is the owner's only."""

from __future__ import annotations

import logging
import os
import signal
import stat
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from engage.cli.app_context import AppContext
from engage.cli.run import configure_logging
from engage.redact import forget_secrets, redact, remember_secrets
from tests.fakes.feeds import FeedServer

ROOT = Path(__file__).resolve().parents[2]
CANARY_DB = "canary-db-Zq8Xw2"
CANARY_SMTP = "canary-smtp-Hv41Tk"
CANARY_REDDIT = "canary-reddit-9PaLm0"
CANARY_FEED = "canary-feed-Qe77Rb"


@pytest.fixture(autouse=True)
def clean_logging() -> Iterator[None]:
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    yield
    for handler in root.handlers:
        if handler not in before:
            handler.close()
            root.removeHandler(handler)
    root.setLevel(level)
    forget_secrets()


@pytest.mark.parametrize(
    "text",
    [
        f"database postgresql+psycopg://user:{CANARY_DB}@db.example:5432/engage",
        f"postgres://user:{CANARY_DB}@db.example/engage?sslmode=require",
        f"failed: http://me:{CANARY_DB}@127.0.0.1:8080/feed.xml (HTTP 500)",
        f"conninfo host=db.example password={CANARY_DB} dbname=engage",
        f"redis://:{CANARY_DB}@cache.example:6379/0",
        f"mysql://user:p@ss{CANARY_DB}@db.example/x",
    ],
)
def test_the_password_of_a_url_is_masked_wherever_it_appears(text: str) -> None:
    masked = redact(text)
    assert CANARY_DB not in masked and "***" in masked


def test_a_url_without_a_password_is_left_as_it_is() -> None:
    text = "polling https://www.reddit.com/r/therapists/new.rss and sqlite:////tmp/x.db"
    assert redact(text) == text


def test_the_secrets_named_by_the_configs_env_keys_are_masked_in_any_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "engage.toml"
    config.write_text('[digest]\nsmtp_password_env = "MY_SMTP_PASSWORD"\n')
    monkeypatch.setenv("MY_SMTP_PASSWORD", CANARY_SMTP)
    (tmp_path / ".env").write_text(f"ENGAGE_REDDIT_CLIENT_SECRET={CANARY_REDDIT}\n")
    assert AppContext(str(config)).config  # loading the config teaches redaction its secrets
    masked = redact(f"login failed with {CANARY_SMTP!r}; token {CANARY_REDDIT}")
    assert CANARY_SMTP not in masked and CANARY_REDDIT not in masked


def test_every_handler_of_engage_run_redacts_and_the_log_file_is_the_owners_only(
    engage_env: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    remember_secrets([CANARY_SMTP])
    configure_logging(AppContext(None), logging.INFO)
    log = logging.getLogger("engage.test")
    log.info("worker started (database %s)", f"postgresql://u:{CANARY_DB}@db.example/engage")
    try:
        raise RuntimeError(f"SMTP said no to {CANARY_SMTP}")
    except RuntimeError:
        log.exception("digest failed")
    logfile = engage_env / "logs" / "engage.log"
    written = logfile.read_text() + capfd.readouterr().err
    assert "worker started" in written and "RuntimeError: SMTP said no to ***" in written
    assert CANARY_DB not in written and CANARY_SMTP not in written
    assert stat.S_IMODE(logfile.stat().st_mode) == 0o600


def test_an_existing_log_file_readable_by_others_is_made_private(engage_env: Path) -> None:
    logfile = engage_env / "logs" / "engage.log"
    logfile.parent.mkdir(parents=True)
    logfile.write_text("an older engage's log\n")
    logfile.chmod(0o644)
    configure_logging(AppContext(None), logging.INFO)
    logging.getLogger("engage.test").info("hello")
    assert stat.S_IMODE(logfile.stat().st_mode) == 0o600


def everything_written(home: Path, *outputs: str) -> str:
    """All the text a run left behind: its output and every file in its data directory
    (the SQLite database and its WAL as raw bytes)."""
    found = list(outputs)
    for path in home.rglob("*"):
        if path.is_file():
            found.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(found)


def wait_for(condition: Callable[[], bool], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def run_worker_briefly(env: dict[str, str], home: Path, *until: str) -> tuple[str, str]:
    """`engage run -v` until its log says each of `until` (or it exits), then SIGTERM; its
    output."""
    worker = subprocess.Popen(
        [sys.executable, str(ROOT / "scheduler.py"), "--tick", "0.2", "-v"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    logfile = home / "logs" / "engage.log"
    try:
        wait_for(lambda: worker.poll() is not None or (
            logfile.exists() and all(text in logfile.read_text() for text in until)),
            seconds=180)  # fmt: skip
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=120)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    return out, err


@pytest.mark.usefixtures("app_database")
@pytest.mark.slow
def test_a_worker_run_with_canary_credentials_writes_them_nowhere(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    """Secrets in the environment and a feed URL with a password, a failing feed and a digest
    that can't be sent: logs, output and database hold none of the canaries."""
    home = tmp_path / "home"
    config = tmp_path / "engage.toml"
    feed = f"http://reader:{CANARY_FEED}@127.0.0.1:{feed_server.url.rsplit(':', 1)[1]}/gone.xml"
    config.write_text(
        f'[[feeds]]\nurl = "{feed}"\n'
        '[digest]\nenabled = true\nto = "grace@example.org"\nsender = "engage@example.org"\n'
        'send_at = "00:00"\nsmtp_host = "127.0.0.1"\nsmtp_port = 9\nsmtp_username = "grace"\n'
        "smtp_timeout = 2\n"
    )
    env = {**os.environ, "ENGAGE_CONFIG": str(config), "ENGAGE_HOME": str(home),
           "ENGAGE_SMTP_PASSWORD": CANARY_SMTP,
           "ENGAGE_REDDIT_CLIENT_SECRET": CANARY_REDDIT}  # fmt: skip
    out, err = run_worker_briefly(env, home, "gone.xml", "digest not sent")
    status = subprocess.run([sys.executable, "-m", "engage", "status", "--json"], env=env,
                            capture_output=True, text=True)  # fmt: skip
    assert "gone.xml" in err and "gone.xml" in status.stdout  # the failure is reported, and yet
    written = everything_written(home, out, err, status.stdout, status.stderr)
    assert CANARY_SMTP not in written and CANARY_REDDIT not in written
    written_but_the_config = everything_written(home / "logs", out, err, status.stdout)
    assert CANARY_FEED not in written_but_the_config


@pytest.fixture
def canary_postgres_url(postgres_url: str) -> Iterator[str]:
    """The test database, reached as a role whose password is a canary."""
    import psycopg

    role = f"engage_canary_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        try:
            admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{CANARY_DB}'")
        except psycopg.errors.InsufficientPrivilege:
            message = "the test role needs CREATEROLE for the canary password test (.ci/run)"
            if os.environ.get("ENGAGE_REQUIRE_POSTGRES"):
                pytest.fail(message)
            pytest.skip(message)
        admin.execute(f"GRANT {role} TO CURRENT_USER")  # to drop what it owns afterwards
        admin.execute(f"GRANT ALL ON SCHEMA public TO {role}")
    head, _, tail = postgres_url.partition("://")
    rest = tail.split("@", 1)[1]
    try:
        yield f"{head}://{role}:{CANARY_DB}@{rest}"
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute(f"DROP OWNED BY {role}")
            admin.execute(f"DROP ROLE {role}")


def database_text(url: str) -> str:
    """Every row of every table, as text."""
    import psycopg

    with psycopg.connect(url.replace("+psycopg", "")) as connection:
        tables = [row[0] for row in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]  # fmt: skip
        return "\n".join(
            str(connection.execute(f'SELECT t::text FROM "{table}" t').fetchall())
            for table in tables
        )


@pytest.mark.slow
@pytest.mark.postgres
def test_a_worker_on_postgresql_never_shows_its_database_password(
    tmp_path: Path, canary_postgres_url: str
) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "ENGAGE_HOME": str(home), "ENGAGE_DATABASE_URL": canary_postgres_url}
    env.pop("ENGAGE_CONFIG", None)
    out, err = run_worker_briefly(env, home, "worker started")
    assert "worker started" in err and "postgresql+psycopg://engage_canary_" in err
    status = subprocess.run([sys.executable, "-m", "engage", "status"], env=env,
                            capture_output=True, text=True)  # fmt: skip
    written = everything_written(home, out, err, status.stdout, status.stderr)
    assert CANARY_DB not in written + database_text(canary_postgres_url)
