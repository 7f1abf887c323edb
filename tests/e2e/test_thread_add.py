"""`engage thread add URL`: threads from places with no API, and Reddit threads by link."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from engage.cli import cli
from engage.platforms import normalize_url, thread_from_url
from engage.types import Platform
from tests.fakes.reddit import FakeReddit


def run(config: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--config", str(config), *args])


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "engage.toml"
    path.write_text("[profile.specialties]\ncouples = 1.0\n")
    return path


def test_a_facebook_thread_needs_its_title(config: Path) -> None:
    result = run(config, "thread", "add", "https://www.facebook.com/groups/123/posts/456")
    assert result.exit_code == 2 and "give the thread's --title" in result.output


@pytest.mark.usefixtures("app_database")
def test_a_thread_added_twice_is_stored_once(config: Path) -> None:
    url = "https://www.facebook.com/groups/123/posts/456?fbclid=abc"
    first = json.loads(run(config, "thread", "add", url, "--title", "EFT consult", "--json").output)
    again = run(config, "thread", "add", url.replace("?fbclid=abc", ""), "--title", "EFT consult")
    assert first["new"] is True and "already stored" in again.output


def test_tracking_parameters_and_fragments_are_dropped() -> None:
    assert (
        normalize_url("HTTP://Example.ORG/a?utm_source=x&id=3#top") == "https://example.org/a?id=3"
    )


def test_a_reddit_link_keeps_reddits_id_so_the_watcher_sees_the_same_thread() -> None:
    post = thread_from_url("https://old.reddit.com/r/MFT/comments/1abcde/eft_and_affairs/")
    assert (post.platform, post.external_id, post.community) == (Platform.REDDIT, "1abcde", "r/MFT")
    assert post.title == "eft and affairs"


@pytest.mark.usefixtures("app_database")
def test_a_reddit_link_is_completed_from_the_api_when_there_is_an_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENGAGE_REDDIT_CLIENT_ID", "id")
    monkeypatch.setenv("ENGAGE_REDDIT_CLIENT_SECRET", "secret")
    with FakeReddit() as reddit:
        reddit.store.add("t3", {
            "id": "1abcde", "name": "t3_1abcde", "subreddit": "MFT", "title": "EFT and affairs?",
            "selftext": "How do you pace attachment injury work?", "author": "colleague",
            "created_utc": 1_790_000_000, "num_comments": 4,
            "permalink": "/r/MFT/comments/1abcde/eft_and_affairs/",
        })  # fmt: skip
        config = tmp_path / "engage.toml"
        config.write_text(f'[reddit]\nmode = "api"\napi_url = "{reddit.url}"\n'
                          f'auth_url = "{reddit.url}"\n')  # fmt: skip
        link = "https://www.reddit.com/r/MFT/comments/1abcde/"
        added = json.loads(run(config, "thread", "add", link, "--json").output)
    shown = json.loads(run(config, "threads", "show", str(added["id"]), "--json").output)
    assert (shown["title"], shown["num_comments"]) == ("EFT and affairs?", 4)
    assert shown["body"] == "How do you pace attachment injury work?"


@pytest.mark.usefixtures("app_database")
def test_a_thread_added_by_hand_is_triaged_and_gets_only_a_crisis_reply(tmp_path: Path) -> None:
    config = tmp_path / "engage.toml"
    config.write_text("[profile.specialties]\nsex_addiction = 1.0\n")
    added = json.loads(run(
        config, "thread", "add", "https://www.facebook.com/groups/1/posts/2", "--json",
        "--title", "I can't go on", "--text", "I've been thinking about ending my life. I have a "
        "plan and I don't see a way out since my husband's porn addiction came out.",
    ).output)  # fmt: skip
    shown = json.loads(run(config, "threads", "show", str(added["id"]), "--json").output)
    assert "crisis" in shown["match"]["flags"]
    draft = json.loads(run(config, "draft", str(added["id"]), "--json").output)
    assert (draft["kind"], draft["move"]) == ("crisis_reply", "crisis_resources")


@pytest.mark.usefixtures("app_database")
def test_a_crisis_added_by_hand_is_never_a_thread_worth_joining(config: Path) -> None:
    group = "https://www.facebook.com/groups/1/posts"
    crisis = ["thread", "add", f"{group}/2", "--title", "so tired", "--text",
              "Couples therapy ended. I've been saving my pills and picked a date."]  # fmt: skip
    peer = ["thread", "add", f"{group}/3", "--title", "EFT consult", "--text",
            "Couples therapists: how do you pace EFT after an affair disclosure?"]  # fmt: skip
    assert run(config, *crisis).exit_code == 0 and run(config, *peer).exit_code == 0
    worth = json.loads(run(config, "threads", "list", "--worth", "--json").output)
    everything = json.loads(run(config, "threads", "list", "--json").output)
    assert [t["title"] for t in worth] == ["EFT consult"]
    assert {t["title"] for t in everything} == {"so tired", "EFT consult"}
