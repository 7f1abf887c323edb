"""The CLI as a user meets it: exit codes, --json, one-line errors, fast start-up."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from engage import __version__
from engage.cli import cli
from engage.db import display_url, head_revision

HEAVY = ("sqlalchemy", "alembic", "praw", "prawcore", "apscheduler", "jinja2", "feedparser")


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input)


def test_version_prints_the_version() -> None:
    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.output


def all_commands(group: click.Group = cli, prefix: tuple[str, ...] = ()) -> list[list[str]]:
    found = [list(prefix)]
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if isinstance(command, click.Group):
            found += all_commands(command, (*prefix, name))
        elif command is not None:
            found.append([*prefix, name])
    return found


@pytest.mark.parametrize("command", all_commands(), ids=lambda c: " ".join(c) or "engage")
def test_every_command_has_help(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0 and "Usage:" in result.output


def test_an_unknown_command_is_a_usage_error() -> None:
    assert run("nonsense").exit_code == 2


def test_status_json_on_a_fresh_database_is_valid_json(empty_app_database: str) -> None:
    result = run("status", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["database"] == display_url(empty_app_database)
    assert "engage:engage@" not in report["database"]  # a password is never shown
    assert report["counts"]["threads"] == 0 and report["sources"] == []
    assert report["schema_revision"] == head_revision()


def test_status_for_people_names_the_database(empty_app_database: str) -> None:
    result = run("status")
    shown = display_url(empty_app_database).removeprefix("sqlite:///")
    assert result.exit_code == 0 and shown in result.output


def test_config_check_on_a_broken_config_exits_2_naming_the_field(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('[digest]\nsend_at = "25:00"\n')
    result = run("config", "check", str(path))
    assert result.exit_code == 2
    assert f'error: {path}: digest.send_at: "25:00" is not a time (HH:MM)' in result.output
    assert "Traceback" not in result.output


def test_config_check_json_lists_the_errors(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("[digest]\nsend_att = 1\n")
    result = run("config", "check", str(path), "--json")
    assert result.exit_code == 2
    assert json.loads(result.output)["errors"] == [
        f"{path}: digest.send_att: unknown key (did you mean send_at?)"
    ]


def test_config_check_accepts_a_good_config(tmp_path: Path) -> None:
    path = tmp_path / "good.toml"
    path.write_text("[profile.specialties]\ncouples = 1.0\n")
    result = run("config", "check", str(path))
    assert result.exit_code == 0 and "ok" in result.output


def test_a_missing_named_config_is_a_one_line_error_with_exit_2(tmp_path: Path) -> None:
    result = run("--config", str(tmp_path / "none.toml"), "status")
    assert result.exit_code == 2
    assert (
        result.output.strip()
        == f"error: {tmp_path / 'none.toml'}: config file not found (named by --config)"
    )


def test_init_with_flags_writes_a_config_that_checks(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    result = run(
        "init", "--path", str(path), "--no-input", "--name", "Dr. Ana Ruiz",
        "--specialty", "perinatal=1", "--specialty", "infertility=0.8",
        "--licensed-in", "TX", "--subreddit", "therapists", "--digest-to", "ana@example.org",
        "--timezone", "America/Chicago",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    written = tomllib.loads(path.read_text())
    assert written["profile"]["specialties"] == {"perinatal": 1.0, "infertility": 0.8}
    assert written["digest"]["to"] == "ana@example.org"
    assert run("config", "check", str(path)).exit_code == 0


def test_adding_a_feed_that_is_not_a_url_is_a_usage_error() -> None:
    result = run("sources", "add", "feed", "notaurl")
    assert result.exit_code == 2 and "is not a feed URL" in result.output


@pytest.mark.usefixtures("app_database")
def test_a_source_from_the_config_file_is_removed_there(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[[feeds]]\nurl = "https://example.org/feed"\n')
    run("--config", str(path), "sources", "list")
    result = run("--config", str(path), "sources", "remove", "1")
    assert result.exit_code == 2 and "comes from the config file" in result.output


def test_init_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    path = tmp_path / "exists.toml"
    path.write_text("")
    result = run("init", "--path", str(path), "--no-input")
    assert result.exit_code == 2 and "already exists" in result.output


def test_init_refuses_a_value_engage_would_reject(tmp_path: Path) -> None:
    result = run(
        "init", "--path", str(tmp_path / "x.toml"), "--no-input", "--timezone", "Mars/Base"
    )
    assert result.exit_code == 2 and "is not a time zone" in result.output
    assert not (tmp_path / "x.toml").exists()


@pytest.mark.usefixtures("empty_app_database")
def test_db_upgrade_reports_what_it_did() -> None:
    first = json.loads(run("db", "upgrade", "--json").output)
    second = json.loads(run("db", "upgrade", "--json").output)
    assert (first["from"], first["changed"]) == (None, True)
    assert second["changed"] is False


def loaded_after(*argv: str) -> list[str]:
    """Heavy modules imported by running the CLI with argv, in a fresh interpreter."""
    code = (
        "import sys, json\n"
        f"sys.argv = ['engage', *{list(argv)!r}]\n"
        "from engage.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return loaded


def test_help_imports_no_heavy_library() -> None:
    assert loaded_after("--help") == []


@pytest.mark.sqlite_only("on PostgreSQL status reads through SQLAlchemy's driver; only SQLite "
                         "has a reader in the standard library")
@pytest.mark.usefixtures("app_database")
def test_status_on_a_current_sqlite_database_imports_no_heavy_library() -> None:
    loaded_after("db", "upgrade")
    assert loaded_after("status", "--json") == []
