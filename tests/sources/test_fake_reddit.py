"""The fake Reddit itself: real praw reads recorded responses through it, and other processes can
drive it through its `/_fake/` controls."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable

import praw

from engage.platforms.reddit.api import RedditSource
from engage.platforms.reddit.client import RedditCredentials, connect_reddit
from engage.sources.http import RetryPolicy
from tests.fakes.reddit import FakeReddit, cassette_body, generate_submissions

PAUSE = "TestSubredditStreams.test_comments__with_pause.json"


def test_praw_reads_a_recorded_thread(fake_reddit: FakeReddit, retry: RetryPolicy) -> None:
    fake_reddit.serve_cassette("TestMore.test_comments.json")
    url = fake_reddit.url
    reddit = connect_reddit(
        RedditCredentials("cid", "secret"), api_url=url, auth_url=url, short_url=url, retry=retry
    )

    submission = reddit.submission("3hahrw")
    comments = submission.comments.list()

    assert submission.num_comments == 543
    assert sum(isinstance(c, praw.models.Comment) for c in comments) == 476
    assert sum(isinstance(c, praw.models.MoreComments) for c in comments) == 18


def test_a_quiet_subreddit_recorded_over_three_polls(
    fake_reddit: FakeReddit, make_reddit_source: Callable[..., RedditSource]
) -> None:
    first, empty, third = (cassette_body(PAUSE, i) for i in (1, 2, 3))
    threads = {c["data"]["link_id"] for c in third["data"]["children"]}
    source = make_reddit_source(["kakapo"])

    fake_reddit.store.add_children(first)
    comments, checkpoint = source.fetch_comments(threads, {})
    assert len(comments) == 16
    fake_reddit.store.add_children(empty)
    assert source.fetch_comments(threads, checkpoint) == ([], checkpoint)
    fake_reddit.store.add_children(third)
    comments, checkpoint = source.fetch_comments(threads, checkpoint)

    assert [c.external_id for c in comments] == ["dgd9bcm"]
    assert fake_reddit.count("/r/kakapo/comments") == 3


def test_controls_from_another_process(fake_reddit: FakeReddit) -> None:
    fake_reddit.store.add_many("t3", generate_submissions(3, ["a"], start=100.0))

    def call(path: str, method: str = "GET") -> dict[str, object]:
        request = urllib.request.Request(f"{fake_reddit.url}/_fake/{path}", method=method)
        with urllib.request.urlopen(request, timeout=5) as response:
            return dict(json.load(response))

    assert call("now?t=101", "POST") == {"now": 101.0}
    assert [t.data["id"] for t in fake_reddit.store.listing("t3", None)[0]] == [
        "2000001",
        "2000000",
    ]
    assert call("now", "POST") == {"now": None}
    assert call("requests") == {"count": 0}


def test_listing_cursors(fake_reddit: FakeReddit) -> None:
    fake_reddit.store.add_many("t3", generate_submissions(10, ["a", "b"], start=0.0))
    store = fake_reddit.store
    everything = [t.data["id"] for t in store.listing("t3", None, limit=100)[0]]

    page, after = store.listing("t3", None, limit=4)
    assert [t.data["id"] for t in page] == everything[:4] and after == f"t3_{everything[3]}"
    page, after = store.listing("t3", None, after=after, limit=4)
    assert [t.data["id"] for t in page] == everything[4:8]
    page, _ = store.listing("t3", None, before=f"t3_{everything[8]}", limit=3)
    assert [t.data["id"] for t in page] == everything[5:8]
    page, after = store.listing("t3", {"a"}, limit=100)
    assert after is None and {t.subreddit for t in page} == {"a"}
