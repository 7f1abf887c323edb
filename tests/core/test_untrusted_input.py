"""What a user types is checked and sanitised like what a server sends: `thread add` titles with
escape sequences, URLs that don't parse."""

from __future__ import annotations

from click.testing import CliRunner, Result

from engage.app import make_engage
from engage.cli import cli
from engage.config import load_config
from engage.models import Source, Thread

#: Sets the window title (OSC), clears the screen (CSI), and colours red (8-bit CSI).
HOSTILE_TITLE = "\x1b]0;owned\x07Consult \x1b[2Jon \x9b31mdisclosure"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def stored(model: type[Source] | type[Thread], field: str) -> list[str]:
    from sqlalchemy import select

    engage = make_engage(load_config())
    with engage.db.read() as session:
        values = [getattr(row, field) for row in session.scalars(select(model))]
    engage.close()
    return values


def test_a_title_with_escape_sequences_is_echoed_without_them() -> None:
    result = run("thread", "add", "https://www.facebook.com/groups/x/posts/1", "--title",
                 HOSTILE_TITLE, "--text", "body \x1b[31mred")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output == "added thread 1: Consult on disclosure\n"


def test_a_title_with_escape_sequences_is_stored_without_them() -> None:
    run("thread", "add", "https://www.facebook.com/groups/x/posts/1", "--title", HOSTILE_TITLE,
        "--text", "body \x1b[31mred", "--community", "\x1b[1mFB group")  # fmt: skip
    assert stored(Thread, "title") == ["Consult on disclosure"]
    assert stored(Thread, "body") == ["body red"]
    assert stored(Thread, "community") == ["FB group"]


def test_a_thread_url_that_does_not_parse_is_a_usage_error() -> None:
    result = run("thread", "add", "http://[::1", "--title", "t")
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "error: 'http://[::1' is not a web address (http:// or https://)"
    ]
