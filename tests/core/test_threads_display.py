"""How `engage threads` speaks about what is (not) there."""

from __future__ import annotations

import pytest
from click.testing import CliRunner, Result

from engage.cli import cli

pytestmark = pytest.mark.usefixtures("app_database")


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def add(url: str, title: str, community: str) -> None:
    result = run("thread", "add", url, "--title", title, "--community", community)
    assert result.exit_code == 0, result.output


def test_listing_a_community_without_threads_names_it() -> None:
    add("https://forum.example.org/t/1", "Consult on pacing", "Therapists Forum")
    result = run("threads", "list", "--community", "r/therapists")
    assert result.output.startswith("no threads in r/therapists")


def test_listing_with_no_threads_at_all_says_so() -> None:
    assert run("threads", "list").output.startswith("no threads yet")


def test_a_thread_without_an_author_outside_reddit_is_not_called_deleted() -> None:
    add("https://forum.example.org/t/1", "Consult on pacing", "Therapists Forum")
    result = run("threads", "show", "1")
    assert "unknown author" in result.output and "[deleted]" not in result.output


def test_a_reddit_thread_without_an_author_was_deleted() -> None:
    add("https://www.reddit.com/r/therapists/comments/abc123/x/", "Consult", "r/therapists")
    assert "[deleted]" in run("threads", "show", "1").output
