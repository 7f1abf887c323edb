"""The CLI's error boundary: every expected failure is one line on stderr, no traceback, exit 2 for
configuration and usage, 1 for the rest; `--debug` shows the traceback for a bug report.

Each case runs the real `engage` in a process of its own (as an unprivileged user where file
permissions matter and the tests run as root, since root writes anywhere)."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import sqlite3
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from engage.db import Database
from engage.models import Draft, Thread

ROOT = Path(__file__).resolve().parents[2]
CANARY = "canary-pw-7Tq2Lm9x"


def engage(
    *args: str, home: Path, user: str | None = None, cwd: Path | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "ENGAGE_HOME": str(home), **env}
    return subprocess.run(
        [sys.executable, "-m", "engage", *args], env=environment, capture_output=True, text=True,
        timeout=120, user=user, cwd=cwd or home.parent,
    )  # fmt: skip


def on_postgres_or(app_database: str, sqlite_url: str) -> str:
    """The app's database on PostgreSQL; on SQLite the file of this module's `home`."""
    return app_database if app_database.startswith("postgresql") else sqlite_url


def one_line(done: subprocess.CompletedProcess[str], exit_code: int) -> str:
    """The single error line of a run that failed as expected."""
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    assert done.returncode == exit_code, done.stderr
    return lines[0]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder an unprivileged user can reach (pytest's own tmp folders are root's only)."""
    folder = Path(tempfile.mkdtemp(prefix="engage-boundary-"))
    folder.chmod(0o777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def unprivileged() -> str | None:
    """Who to run as so that permissions apply: nobody when the tests run as root."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("running as root with no 'nobody' user to drop to")
    if not _reachable_by_others(Path(sys.executable)):
        pytest.skip("the checkout sits under a folder only root may enter: 'nobody' can't run it")
    return "nobody"


def _reachable_by_others(path: Path) -> bool:
    """Every folder above `path` lets others in (a clone under `mktemp -d` does not)."""
    return all(parent.stat().st_mode & 0o001 for parent in path.absolute().parents)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_an_unreachable_postgresql_is_one_line_naming_it_without_its_password(
    home: Path,
) -> None:
    url = f"postgresql://engage:{CANARY}@127.0.0.1:{closed_port()}/engage"
    line = one_line(engage("status", home=home, ENGAGE_DATABASE_URL=url), 1)
    assert "cannot reach the database postgresql" in line and "engage:***@127.0.0.1" in line
    assert CANARY not in line


@pytest.mark.parametrize(
    "url",
    [
        "garbage",
        "mysql://user:pw@localhost/engage",
        "postgresql+psycopg2://user@localhost/engage",
        "postgresql://user:pw@[::1/engage",
        "postgresql://user@localhost:port/engage",
    ],
)
def test_a_database_url_engage_cannot_use_is_a_configuration_error(home: Path, url: str) -> None:
    line = one_line(engage("status", home=home, ENGAGE_DATABASE_URL=url), 2)
    assert "is not one engage can use" in line


def test_a_data_directory_that_is_a_file_is_a_configuration_error(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.write_text("not a folder")
    line = one_line(engage("status", home=home), 2)
    assert "is a file, not a folder" in line


def test_a_data_directory_that_is_not_writable_is_a_configuration_error(
    shared_dir: Path, unprivileged: str | None
) -> None:
    locked = shared_dir / "locked"
    locked.mkdir(mode=0o555)
    locked.chmod(0o555)
    done = engage("status", home=locked / "home", user=unprivileged, cwd=shared_dir,
                  XDG_CONFIG_HOME=str(shared_dir))  # fmt: skip
    assert "is not writable" in one_line(done, 2)


@pytest.mark.sqlite_only("a read-only database file is SQLite's; PostgreSQL refuses by role, "
                         "which engage's own role never meets")
@pytest.mark.usefixtures("app_database")
def test_writing_to_a_read_only_database_is_one_line(
    shared_dir: Path, unprivileged: str | None
) -> None:
    home = shared_dir / "home"
    assert engage("db", "upgrade", home=home, cwd=shared_dir).returncode == 0
    for path in [home, *home.iterdir()]:
        os.chown(path, pwd.getpwnam(unprivileged).pw_uid, -1) if unprivileged else None
    (home / "engage.db").chmod(0o444)
    done = engage("sources", "add", "feed", "https://blog.example.org/feed.xml", home=home,
                  user=unprivileged, cwd=shared_dir, XDG_CONFIG_HOME=str(shared_dir))  # fmt: skip
    assert "is read-only" in one_line(done, 1)


def test_a_file_that_is_not_a_database_is_one_line(home: Path) -> None:
    home.mkdir()
    (home / "engage.db").write_bytes(b"this is a text file, not SQLite\n" * 200)
    assert "is damaged or not an engage database" in one_line(engage("status", home=home), 1)


@pytest.mark.sqlite_only("truncates the SQLite file; a PostgreSQL server keeps its own files")
@pytest.mark.usefixtures("app_database")
def test_a_truncated_database_is_one_line(home: Path) -> None:
    assert engage("db", "upgrade", home=home).returncode == 0
    database = home / "engage.db"
    with sqlite3.connect(database) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = database.stat().st_size
    with database.open("r+b") as file:
        file.truncate(size // 3)
    done = engage("sources", "add", "feed", "https://blog.example.org/feed.xml", home=home)
    assert "is damaged or not an engage database" in one_line(done, 1)


@pytest.mark.sqlite_only("SQLite's one writer at a time and its busy timeout; PostgreSQL locks "
                         "rows and waits (the claims tests cover it)")
@pytest.mark.usefixtures("app_database")
@pytest.mark.slow
def test_a_write_lock_held_past_the_busy_timeout_is_one_line(home: Path) -> None:
    assert engage("db", "upgrade", home=home).returncode == 0
    holder = sqlite3.connect(home / "engage.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process in the middle of a long write
    try:
        done = engage("sources", "add", "feed", "https://blog.example.org/feed.xml", home=home)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "stayed busy" in one_line(done, 1)


def test_thread_add_with_a_malformed_url_is_a_usage_error(home: Path) -> None:
    line = one_line(engage("thread", "add", "http://[::1", home=home), 2)
    assert "is not a web address" in line


def test_guard_check_on_a_binary_file_is_a_usage_error(tmp_path: Path, home: Path) -> None:
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)))
    line = one_line(engage("guard", "check", str(binary), home=home), 2)
    assert "photo.jpg: not UTF-8 text" in line


def test_the_editor_saving_invalid_utf8_leaves_the_draft_unchanged(
    tmp_path: Path, home: Path, app_database: str
) -> None:
    import pexpect

    database = Database(on_postgres_or(app_database, f"sqlite:///{home / 'engage.db'}"))
    database.ensure_schema()
    with database.write() as session:
        thread = Thread(platform="feed", external_id="t1", title="A consult", url="https://x.example/1",
                        created_at=datetime.now(UTC))  # fmt: skip
        session.add(thread)
        session.flush()
        session.add(Draft(kind="reply", move="ask", thread_id=thread.id, platform="feed",
                          target="https://x.example/1", text="What helped you?"))  # fmt: skip
    database.dispose()
    editor = tmp_path / "editor.sh"
    editor.write_text("#!/bin/sh\nprintf 'caf\\351 au lait\\n' > \"$1\"\n")  # Latin-1, not UTF-8
    editor.chmod(editor.stat().st_mode | stat.S_IXUSR)
    child = pexpect.spawn(
        sys.executable, ["-m", "engage", "drafts", "edit", "1"], encoding="utf-8", timeout=60,
        env={**os.environ, "ENGAGE_HOME": str(home), "EDITOR": str(editor)},
    )  # fmt: skip
    child.expect(pexpect.EOF)
    child.close()
    output = child.before.strip()
    assert child.exitstatus == 2 and "Traceback" not in output
    assert output.splitlines() == [
        "error: the editor saved text that is not UTF-8: the draft is unchanged (save it as UTF-8)"
    ]
    with database.read() as session:
        assert session.get_one(Draft, 1).text == "What helped you?"
    database.dispose()


@pytest.mark.usefixtures("app_database")
def test_digest_preview_into_a_missing_directory_makes_it(tmp_path: Path, home: Path) -> None:
    out = tmp_path / "not" / "yet" / "there"
    done = engage("digest", "--preview", "--out", str(out), home=home)
    assert done.returncode == 0, done.stderr
    assert (out / "digest.html").exists()


@pytest.mark.usefixtures("app_database")
def test_digest_preview_into_a_path_under_a_file_is_a_usage_error(
    tmp_path: Path, home: Path
) -> None:
    (tmp_path / "a-file").write_text("")
    done = engage("digest", "--preview", "--out", str(tmp_path / "a-file" / "out"), home=home)
    assert "can't write the preview there (Not a directory)" in one_line(done, 2)


def test_init_into_a_missing_directory_makes_it(tmp_path: Path, home: Path) -> None:
    path = tmp_path / "new" / "folder" / "engage.toml"
    done = engage("init", "--path", str(path), "--no-input", home=home)
    assert done.returncode == 0, done.stderr
    assert path.exists()


def test_init_into_a_path_under_a_file_is_a_usage_error(tmp_path: Path, home: Path) -> None:
    (tmp_path / "a-file").write_text("")
    done = engage("init", "--path", str(tmp_path / "a-file" / "engage.toml"), "--no-input",
                  home=home)  # fmt: skip
    assert "a-file/engage.toml: can't write the config there" in one_line(done, 2)


def test_debug_shows_the_traceback_then_the_same_line(home: Path) -> None:
    done = engage("--debug", "status", home=home, ENGAGE_DATABASE_URL="garbage")
    assert done.returncode == 2
    assert done.stderr.startswith("Traceback (most recent call last):")
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("error: the database URL is not one engage can use")
