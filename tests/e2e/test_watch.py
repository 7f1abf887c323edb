"""`engage watch --once` end to end: real praw and feedparser against loopback servers, a real
SQLite file, the CLI as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from engage.cli import cli
from tests.fakes.feeds import Document, Entry, FeedServer, rss
from tests.fakes.reddit import FakeReddit, generate_submissions

pytestmark = pytest.mark.usefixtures("app_database")

SUBREDDITS = ["therapists", "psychotherapy", "mft"]


@pytest.fixture
def config(
    tmp_path: Path,
    fake_reddit: FakeReddit,
    feed_server: FeedServer,
    monkeypatch: pytest.MonkeyPatch,
) -> Path:
    blog = feed_server.serve(
        "/blog.xml",
        Document(rss([Entry("post-1", "Consult: disclosure timing", "https://colleague.example/1",
                            "<p>When do you plan the formal disclosure?</p>")]), etag='"v1"'),
    )  # fmt: skip
    monkeypatch.setenv("ENGAGE_REDDIT_CLIENT_ID", "test-client")
    monkeypatch.setenv("ENGAGE_REDDIT_CLIENT_SECRET", "test-secret")
    path = tmp_path / "engage.toml"
    path.write_text(
        f'[reddit]\nmode = "api"\nsubreddits = {json.dumps(SUBREDDITS)}\n'
        f'api_url = "{fake_reddit.url}"\nauth_url = "{fake_reddit.url}"\n'
        f'[[feeds]]\nurl = "{blog}"\n'
    )
    return path


def watch(config: Path) -> Result:
    return CliRunner().invoke(cli, ["--config", str(config), "watch", "--once", "--json"])


def test_watch_once_brings_new_threads_from_every_source(
    config: Path, fake_reddit: FakeReddit
) -> None:
    fake_reddit.store.add_many("t3", generate_submissions(150, SUBREDDITS))
    result = watch(config)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["sources_ok"], report["sources_failed"]) == (2, 0)
    assert report["new_threads"] == 151


def test_a_second_watch_fetches_nothing_new_and_duplicates_nothing(
    config: Path, fake_reddit: FakeReddit
) -> None:
    fake_reddit.store.add_many("t3", generate_submissions(120, SUBREDDITS))
    watch(config)
    again = json.loads(watch(config).output)
    assert again["new_threads"] == 0
    listed = CliRunner().invoke(cli, ["--config", str(config), "threads", "list", "--limit", "0",
                                      "--json"])  # fmt: skip
    ids = [(row["platform"], row["url"]) for row in json.loads(listed.output)]
    assert len(ids) == len(set(ids)) == 121


def test_a_failing_source_is_reported_and_the_others_still_run(
    config: Path, fake_reddit: FakeReddit, feed_server: FeedServer
) -> None:
    feed_server.documents.clear()  # the blog now answers 404
    fake_reddit.store.add_many("t3", generate_submissions(5, SUBREDDITS))
    report = json.loads(watch(config).output)
    assert (report["sources_ok"], report["sources_failed"], report["new_threads"]) == (1, 1, 5)
    status = json.loads(
        CliRunner().invoke(cli, ["--config", str(config), "status", "--json"]).output
    )
    errors = [s["last_error"] for s in status["sources"] if s["kind"] == "feed"]
    assert errors and "404" in errors[0]
