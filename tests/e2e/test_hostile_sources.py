"""`engage watch --once` with hostile servers among the sources: a slow drip and a gzip bomb each
fail alone, within their limits, are reported once and show in `engage status`; the other sources
are still polled. The CLI as a user runs it, real loopback servers, a real SQLite file."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from engage.cli import cli
from tests.fakes.feeds import Document, Entry, FeedServer, rss
from tests.fakes.hostile import RawServer, SlowDripServer, gzip_bomb

pytestmark = pytest.mark.usefixtures("app_database")


@pytest.fixture
def drip() -> Iterator[SlowDripServer]:
    with SlowDripServer(interval=0.2) as server:
        yield server


@pytest.fixture
def good_feed(feed_server: FeedServer) -> str:
    entry = Entry("post-1", "Consult: disclosure timing", "https://colleague.example/1")
    return feed_server.serve("/blog.xml", Document(rss([entry])))


def config_with_feeds(tmp_path: Path, *urls: str) -> Path:
    path = tmp_path / "engage.toml"
    feeds = "".join(f'[[feeds]]\nurl = "{url}"\n' for url in urls)
    path.write_text(f"[network]\nrequest_deadline_seconds = 1\n{feeds}")
    return path


def run(config: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--config", str(config), *args])


def source_errors(config: Path) -> dict[str, str | None]:
    status = json.loads(run(config, "status", "--json").stdout)
    return {source["target"]: source["last_error"] for source in status["sources"]}


def test_a_slow_drip_feed_fails_at_its_deadline_and_the_others_are_polled(
    tmp_path: Path, drip: SlowDripServer, good_feed: str
) -> None:
    config = config_with_feeds(tmp_path, drip.url + "/feed.xml", good_feed)

    report = json.loads(run(config, "watch", "--once", "--json").stdout)

    assert (report["sources_ok"], report["sources_failed"], report["new_threads"]) == (1, 1, 1)
    failed = next(group for group in report["groups"] if not group["ok"])
    assert "deadline exceeded" in failed["error"]


def test_a_deadline_hit_shows_in_status(
    tmp_path: Path, drip: SlowDripServer, good_feed: str
) -> None:
    config = config_with_feeds(tmp_path, drip.url + "/feed.xml", good_feed)
    run(config, "watch", "--once", "--json")

    errors = source_errors(config)

    assert "deadline exceeded" in str(errors[drip.url + "/feed.xml"])
    assert errors[good_feed] is None


def test_a_gzip_bomb_feed_hits_the_cap_and_shows_in_status(tmp_path: Path, good_feed: str) -> None:
    with RawServer() as server:
        bomb = server.serve("/feed.xml", gzip_bomb(1024), {"Content-Encoding": "gzip"})
        config = config_with_feeds(tmp_path, bomb, good_feed)
        report = json.loads(run(config, "watch", "--once", "--json").stdout)

    assert (report["sources_ok"], report["sources_failed"]) == (1, 1)
    assert "larger than 10 MB" in str(source_errors(config)[bomb])


def test_each_source_error_is_printed_once(tmp_path: Path, good_feed: str) -> None:
    missing = good_feed.replace("/blog.xml", "/gone.xml")
    config = config_with_feeds(tmp_path, missing, good_feed)

    # A real process: the CLI's own line and any logging both reach the real stderr.
    result = subprocess.run(
        [sys.executable, "-m", "engage", "--config", str(config), "watch", "--once"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert len([line for line in result.stderr.splitlines() if "gone.xml" in line]) == 1
