"""Only http(s) URLs are stored as thread and source URLs, and only they are opened: whatever a
source hands to ingest, whatever a user types, whatever an older database already holds."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from engage.app import make_engage
from engage.cli import cli
from engage.db import Database
from engage.desk import add_draft
from engage.ingest import store_posts
from engage.models import Match, Thread
from engage.types import DraftKind, FetchedPost, Platform

POST = FetchedPost(
    platform=Platform.FEED, external_id="entry-1", community="A Blog", title="A post",
    body="text", url="https://blog.example.org/1", created_at=datetime(2026, 11, 20, tzinfo=UTC),
)  # fmt: skip


def stored_urls(db: Database) -> list[tuple[str, str | None]]:
    with db.read() as session:
        return [(t.url, t.link_url) for t in session.scalars(select(Thread).order_by(Thread.id))]


def test_a_post_whose_url_is_not_a_web_address_is_not_stored(db: Database) -> None:
    with db.write() as session:
        result = store_posts(session, [replace(POST, url="javascript:alert(1)")])
    assert result.new == [] and stored_urls(db) == []


def test_a_shared_link_that_is_not_a_web_address_is_dropped(db: Database) -> None:
    with db.write() as session:
        store_posts(session, [replace(POST, link_url="file:///etc/passwd")])
    assert stored_urls(db) == [("https://blog.example.org/1", None)]


def test_a_feed_that_is_not_a_web_address_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["sources", "add", "feed", "javascript:alert(1)"])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "error: 'javascript:alert(1)' is not a feed URL (http:// or https://)"
    ]


def test_a_config_feed_url_with_an_escape_sequence_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "engage.toml"
    path.write_text('[[feeds]]\nurl = "https://example.org/\\u001b[2J"\n')
    result = CliRunner().invoke(cli, ["config", "check", str(path)])
    assert result.exit_code == 2 and "feeds[0].url" in result.output


def desk_for_thread(tmp_path: Path, url: str) -> Path:
    """A config whose one pending draft answers a thread stored with `url` (as an older engage
    may have stored it)."""
    config = tmp_path / "engage.toml"
    config.write_text('[profile]\nname = "Grace Lee"\n[profile.specialties]\nsex_addiction = 1.0\n')
    engage = make_engage(config)
    with engage.db.write() as session:
        thread = Thread(platform="feed", external_id="x", community="A Blog", title="A thread",
                        body="b", url=url, created_at=datetime.now(UTC))  # fmt: skip
        session.add(thread)
        session.flush()
        session.add(Match(thread_id=thread.id, score=1.0, intent="consult_question",
                          profile_hash="t", reasons=[]))  # fmt: skip
        session.flush()
        add_draft(session, engage.config, text="Thanks for sharing this.", kind=DraftKind.REPLY,
                  move="agree", platform="feed", target="x", thread=thread)  # fmt: skip
    engage.close()
    return config


def press_o_at_the_desk(config: Path, tmp_path: Path, expect: str) -> str | None:
    """Press `o` at the desk in a real terminal; what a fake $BROWSER was asked to open."""
    import pexpect

    opened = tmp_path / "browser-was-asked"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\necho "$1" > {opened}\n')
    browser.chmod(0o755)
    env = {**os.environ, "COLUMNS": "100", "BROWSER": str(browser)}
    child = pexpect.spawn(sys.executable, ["-m", "engage", "--config", str(config), "review"],
                          env=env, encoding="utf-8", timeout=30)  # fmt: skip
    child.expect("1 of 1")
    child.send("o")
    if expect:
        child.expect(expect)
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    return opened.read_text().strip() if opened.exists() else None


@pytest.mark.usefixtures("app_database")
def test_the_desk_does_not_open_a_url_that_is_not_a_web_address(tmp_path: Path) -> None:
    config = desk_for_thread(tmp_path, "javascript:alert(1)")
    expect = "not opened: 'javascript:alert\\(1\\)' is not a web address"
    assert press_o_at_the_desk(config, tmp_path, expect) is None


@pytest.mark.usefixtures("app_database")
def test_the_desk_opens_a_web_address(tmp_path: Path) -> None:
    config = desk_for_thread(tmp_path, "https://blog.example.org/1")
    assert press_o_at_the_desk(config, tmp_path, "") == "https://blog.example.org/1"
