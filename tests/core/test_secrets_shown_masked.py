"""A password written into a feed URL or a database URL is never shown: not in what a command
echoes, not in `engage watch` (text or --json), not in a job run's stored summary, not in the
digest; `config check` says it doesn't belong in the config file."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from engage.cli import cli
from engage.cli.app_context import AppContext
from engage.config import DigestSettings
from engage.db import Database
from engage.digest.build import build_digest
from engage.jobs import job_run
from engage.models import JobRun, Source
from engage.redact import redact
from tests.fakes.feeds import Document, Entry, FeedServer, rss

PASSWORD = "TopSecretFeedPw"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def with_password(url: str) -> str:
    """`url` (http://127.0.0.1:PORT/...) with a user name and the password in it."""
    return url.replace("://", f"://alice:{PASSWORD}@", 1)


@pytest.fixture
def feed(feed_server: FeedServer) -> str:
    """A private feed that answers, reached with a password in its URL."""
    entry = Entry("p1", "On pacing disclosure", "https://colleague.example/1", "<p>Hello</p>")
    return with_password(feed_server.serve("/feed.xml", Document(rss([entry]))))


@pytest.fixture
def missing_feed(feed_server: FeedServer) -> str:
    """A private feed that is gone (404: failed at once, no retries)."""
    return with_password(f"{feed_server.url}/gone.xml")


@pytest.mark.usefixtures("app_database")
def test_sources_add_echoes_a_feed_url_without_its_password(feed: str) -> None:
    result = run("sources", "add", "feed", feed, "--own")
    assert result.exit_code == 0, result.output
    assert "watching feed http://alice:***@127.0.0.1" in result.output
    assert PASSWORD not in result.output


@pytest.mark.usefixtures("app_database")
def test_sources_add_json_shows_a_feed_url_without_its_password(feed: str) -> None:
    result = run("sources", "add", "feed", feed, "--json")
    assert result.exit_code == 0, result.output
    [added] = json.loads(result.output)
    assert added["target"] == redact(feed) and PASSWORD not in result.output


@pytest.mark.usefixtures("app_database")
def test_sources_remove_echoes_a_feed_url_without_its_password(feed: str) -> None:
    [added] = json.loads(run("sources", "add", "feed", feed, "--json").output)
    result = run("sources", "remove", str(added["id"]))
    assert result.exit_code == 0, result.output
    assert "stopped watching feed http://alice:***@" in result.output
    assert PASSWORD not in result.output


@pytest.mark.usefixtures("app_database")
def test_watch_once_names_a_failing_feed_without_its_password(missing_feed: str) -> None:
    run("sources", "add", "feed", missing_feed)
    result = run("watch", "--once")
    assert "error: http://alice:***@127.0.0.1" in result.output
    assert PASSWORD not in result.output


@pytest.mark.usefixtures("app_database")
def test_watch_once_json_names_each_feed_without_its_password(feed: str) -> None:
    run("sources", "add", "feed", feed)
    result = run("watch", "--once", "--json")
    assert result.exit_code == 0, result.output
    [group] = json.loads(result.output)["groups"]
    assert group["source"] == redact(feed) and PASSWORD not in result.output


@pytest.mark.usefixtures("app_database")
def test_a_watch_run_stores_no_feed_password_in_its_summary(feed: str) -> None:
    run("sources", "add", "feed", feed)
    assert run("watch", "--once").exit_code == 0
    with AppContext(None).engage.db.read() as session:
        summaries = [json.dumps(run.summary) for run in session.query(JobRun)]
    assert summaries and all(PASSWORD not in summary for summary in summaries)


def test_a_job_runs_summary_is_stored_redacted(db: Database) -> None:
    with job_run(db, "watch") as summary:
        summary["groups"] = [{"source": f"https://alice:{PASSWORD}@feeds.example/f.xml"}]
    with db.read() as session:
        [stored] = [run.summary for run in session.query(JobRun)]
    assert stored["groups"] == [{"source": "https://alice:***@feeds.example/f.xml"}]


def test_the_digest_names_a_failing_feed_without_its_password(db: Database) -> None:
    with db.write() as session:
        target = f"https://alice:{PASSWORD}@feeds.example/f.xml"
        session.add(Source(kind="feed", target=target, last_error="HTTP 500",
                           last_error_at=datetime.now(UTC), failures=2))  # fmt: skip
    with db.read() as session:
        [failing] = build_digest(session, DigestSettings(), since=None).failing_sources
    assert failing.label == "feed https://alice:***@feeds.example/f.xml"


def test_config_check_flags_a_password_in_a_feed_url(tmp_path: Path) -> None:
    config = tmp_path / "engage.toml"
    config.write_text(f'[[feeds]]\nurl = "https://alice:{PASSWORD}@feeds.example/f.xml"\n')
    result = run("config", "check", str(config))
    assert result.exit_code == 2
    assert "feeds[0].url: holds credentials" in result.output
    assert "engage sources add feed" in result.output and PASSWORD not in result.output


def test_config_check_accepts_a_feed_url_without_credentials(tmp_path: Path) -> None:
    config = tmp_path / "engage.toml"
    config.write_text('[[feeds]]\nurl = "https://feeds.example/f.xml"\n')
    result = run("config", "check", str(config))
    assert result.exit_code == 0, result.output


MALFORMED_DATABASE_URL = "postgresql://engage:Wr0ng/Pass#word@127.0.0.1/x"


def test_a_malformed_database_url_is_refused_without_repeating_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ENGAGE_DATABASE_URL", MALFORMED_DATABASE_URL)
    result = run("status")
    assert result.exit_code == 2 and "the database URL is not one engage can use" in result.output
    assert "Wr0ng" not in result.output and "Pass" not in result.output


def test_the_debug_traceback_of_a_malformed_database_url_holds_no_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ENGAGE_DATABASE_URL", MALFORMED_DATABASE_URL)
    result = run("--debug", "status")
    assert "Traceback" in result.output
    assert "Wr0ng" not in result.output and "Pass" not in result.output


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (MALFORMED_DATABASE_URL, "postgresql://engage:***@127.0.0.1/x"),
        ("see 'https://u:a/b?c#d@e@feeds.example/f.xml' now",
         "see 'https://u:***@feeds.example/f.xml' now"),
        ("mysql://:p#1/x@db.example/engage", "mysql://:***@db.example/engage"),
    ],
)  # fmt: skip
def test_a_url_password_is_masked_up_to_the_last_at_whatever_it_holds(
    text: str, masked: str
) -> None:
    assert redact(text) == masked
