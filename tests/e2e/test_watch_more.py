"""`engage watch` follows matched Reddit threads (new comments, locked/removed state) and reads
Mastodon hashtags and Bluesky searches — each through its real client against loopback servers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select

from engage.app import make_engage
from engage.cli import cli
from engage.models import Comment, Thread
from tests.fakes.reddit import FakeReddit
from tests.fakes.social import FakeBluesky, FakeMastodon, generate_bluesky_posts, generate_statuses

pytestmark = pytest.mark.usefixtures("app_database")

NOW = 1_790_000_000.0
CONSULT = ("Consult: formal disclosure with a CSAT couple", "How long do you prepare the partner "
           "for a full disclosure of compulsive porn use? Betrayal trauma is intense.")  # fmt: skip


@pytest.fixture
def fake_reddit() -> Iterator[FakeReddit]:
    with FakeReddit() as server:
        server.store.add("t3", {
            "id": "zz1", "name": "t3_zz1", "subreddit": "therapists", "title": CONSULT[0],
            "selftext": CONSULT[1], "author": "colleague", "created_utc": NOW, "num_comments": 0,
            "permalink": "/r/therapists/comments/zz1/x/", "url": "/r/therapists/comments/zz1/x/",
        })  # fmt: skip
        yield server


def config_for(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "engage.toml"
    path.write_text("[profile.specialties]\nsex_addiction = 1.0\ntrauma = 1.0\n" + body)
    return path


def run(config: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--config", str(config), *args])


def test_matched_reddit_threads_are_followed_for_comments_and_state(
    tmp_path: Path, fake_reddit: FakeReddit, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENGAGE_REDDIT_CLIENT_ID", "id")
    monkeypatch.setenv("ENGAGE_REDDIT_CLIENT_SECRET", "secret")
    urls = f'api_url = "{fake_reddit.url}"\nauth_url = "{fake_reddit.url}"\n'
    config = config_for(tmp_path, '[reddit]\nmode = "api"\nsubreddits = ["therapists"]\n' + urls)
    assert run(config, "watch", "--once").exit_code == 0
    fake_reddit.store.add("t1", {
        "id": "c1", "name": "t1_c1", "link_id": "t3_zz1", "parent_id": "t3_zz1",
        "subreddit": "therapists", "author": "another_csat", "body": "Following, great question.",
        "created_utc": NOW + 60,
    })  # fmt: skip
    fake_reddit.store.update("t3_zz1", locked=True, num_comments=1)
    report = json.loads(run(config, "watch", "--once", "--json").output)
    assert (report["new_comments"], report["updated_threads"]) == (1, 1)
    engage = make_engage(config)
    with engage.db.read() as session:
        thread = session.scalars(select(Thread)).one()
        comment = session.scalars(select(Comment)).one()
    assert (thread.locked, thread.num_comments) == (True, 1)
    assert (comment.thread_id, comment.author) == (thread.id, "another_csat")


def test_mastodon_hashtags_are_watched_through_the_cli(tmp_path: Path) -> None:
    with FakeMastodon() as mastodon:
        mastodon.statuses = generate_statuses(30, ["emdr", "therapy"])
        config = config_for(tmp_path, f'[mastodon]\ninstance = "{mastodon.url}"\ntags = ["EMDR"]\n')
        report = json.loads(run(config, "watch", "--once", "--json").output)
    assert report["sources_ok"] == 1 and report["new_threads"] > 0
    threads = json.loads(run(config, "threads", "list", "--limit", "0", "--json").output)
    assert {t["platform"] for t in threads} == {"mastodon"}


def test_bluesky_searches_are_watched_through_the_cli(tmp_path: Path) -> None:
    with FakeBluesky() as bluesky:
        bluesky.posts = generate_bluesky_posts(40)
        config = config_for(tmp_path, f'[bluesky]\nterms = ["EMDR"]\napi_url = "{bluesky.url}"\n')
        report = json.loads(run(config, "watch", "--once", "--json").output)
    assert report["sources_ok"] == 1 and report["new_threads"] > 0
    threads = json.loads(run(config, "threads", "list", "--limit", "0", "--json").output)
    assert {t["platform"] for t in threads} == {"bluesky"}
