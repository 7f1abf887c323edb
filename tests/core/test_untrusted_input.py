"""What a user types is checked and sanitised like what a server sends: `thread add` titles with
escape sequences, `sources add` targets, `config check` on database URLs and credentials."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from engage.app import make_engage
from engage.cli import cli
from engage.config import load_config
from engage.models import Source, Thread
from engage.watch.cycle import build_groups

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


@pytest.mark.usefixtures("app_database")
def test_a_title_with_escape_sequences_is_echoed_without_them() -> None:
    result = run("thread", "add", "https://www.facebook.com/groups/x/posts/1", "--title",
                 HOSTILE_TITLE, "--text", "body \x1b[31mred")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output == "added thread 1: Consult on disclosure\n"


@pytest.mark.usefixtures("app_database")
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


@pytest.mark.usefixtures("app_database")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["reddit", "../../etc"], "'../../etc' is not a subreddit name"),
        (["reddit", ""], "'' is empty: give a community's name"),
        (["reddit", "r/"], "'r/' is empty: give a community's name"),
        (["bluesky", ""], "a Bluesky search term can't be empty"),
        (["bluesky", " \x1b[2J "], "a Bluesky search term can't be empty"),
        (["mastodon", "two words"], "'two words' is not a hashtag"),
        (["mastodon", "emdr", "--instance", "javascript:alert(1)"], "is not a web address"),
        (["mastodon", "emdr", "--instance", "file:///etc/passwd"], "is not a web address"),
        (["feed", "file:///etc/passwd"], "is not a feed URL"),
    ],
)
def test_a_bad_source_is_refused_in_one_line_with_exit_2(args: list[str], message: str) -> None:
    result = run("sources", "add", *args)
    assert result.exit_code == 2
    assert len(result.output.splitlines()) == 1 and message in result.output, result.output
    assert stored(Source, "target") == []


@pytest.mark.usefixtures("app_database")
def test_a_mastodon_tag_on_a_second_instance_keeps_the_first() -> None:
    run("sources", "add", "mastodon", "emdr", "--instance", "https://mastodon.social")
    run("sources", "add", "mastodon", "#EMDR", "--instance", "https://fosstodon.org/")
    run("sources", "add", "mastodon", "emdr", "--instance", "https://mastodon.social")  # again

    engage = make_engage(load_config())
    from sqlalchemy import select

    with engage.db.read() as session:
        rows = list(session.scalars(select(Source).order_by(Source.id)))
        groups = build_groups(rows, engage.config)
    engage.close()
    assert [(row.target, row.options["instance"]) for row in rows] == [
        ("emdr", "https://mastodon.social"),
        ("emdr@fosstodon.org", "https://fosstodon.org"),
    ]
    assert sorted(group.label for group in groups) == [
        "mastodon https://fosstodon.org (1 tags)",
        "mastodon https://mastodon.social (1 tags)",
    ]


def check(tmp_path: Path, toml: str) -> Result:
    path = tmp_path / "engage.toml"
    path.write_text(toml)
    return run("config", "check", str(path))


def test_a_password_in_the_database_url_fails_config_check_without_showing_it(
    tmp_path: Path,
) -> None:
    result = check(tmp_path, '[database]\nurl = "postgresql://engage:hunter2@db.example/engage"\n')
    assert result.exit_code == 2
    assert "engage.toml: database.url: holds a password" in result.output
    assert "ENGAGE_DATABASE_URL" in result.output and "hunter2" not in result.output


def test_a_database_url_of_another_engine_fails_config_check(tmp_path: Path) -> None:
    result = check(tmp_path, '[database]\nurl = "mysql://engage@db.example/engage"\n')
    assert result.exit_code == 2 and "database.url: has mysql://" in result.output


def test_a_garbage_engage_database_url_fails_config_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENGAGE_DATABASE_URL", "not a url at all")
    result = check(tmp_path, "")
    assert result.exit_code == 2
    assert "ENGAGE_DATABASE_URL (environment): has no scheme" in result.output


def test_a_password_in_engage_database_url_is_fine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENGAGE_DATABASE_URL", "postgresql://engage:hunter2@db.example/engage")
    assert check(tmp_path, "").exit_code == 0


def test_reddit_api_mode_without_a_client_id_fails_config_check(tmp_path: Path) -> None:
    result = check(tmp_path, '[reddit]\nmode = "api"\nsubreddits = ["therapists"]\n')
    assert result.exit_code == 2
    assert 'engage.toml: reddit.mode = "api" needs your Reddit app\'s client id' in result.output
    assert "ENGAGE_REDDIT_CLIENT_ID" in result.output


def test_reddit_api_mode_with_a_client_id_in_a_dotenv_file_passes(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("ENGAGE_REDDIT_CLIENT_ID=abc\n")
    result = check(tmp_path, '[reddit]\nmode = "api"\nsubreddits = ["therapists"]\n')
    assert result.exit_code == 0, result.output


def test_config_check_json_lists_environment_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENGAGE_DATABASE_URL", "garbage")
    path = tmp_path / "engage.toml"
    path.write_text("")
    result = run("config", "check", str(path), "--json")
    assert result.exit_code == 2
    assert json.loads(result.output)["errors"][0].startswith("ENGAGE_DATABASE_URL")


@pytest.mark.parametrize(
    ("toml", "field"),
    [
        ('[reddit]\nsubreddits = ["../../etc"]\n', "reddit.subreddits[0]"),
        ('[mastodon]\ntags = ["two words"]\n', "mastodon.tags[0]"),
        ('[bluesky]\nterms = ["  "]\n', "bluesky.terms[0]"),
        ('[mastodon]\ninstance = "javascript:alert(1)"\n', "mastodon.instance"),
    ],
)
def test_bad_source_names_in_the_config_fail_config_check(
    tmp_path: Path, toml: str, field: str
) -> None:
    result = check(tmp_path, toml)
    assert result.exit_code == 2 and f"engage.toml: {field}:" in result.output
