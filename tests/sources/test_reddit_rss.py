"""RedditRssSource against the fake Reddit's Atom feeds (the shape www.reddit.com serves)."""

from __future__ import annotations

import pytest

from engage.errors import SourceError
from engage.platforms.reddit.rss import RedditRssSource
from engage.sources.http import RetryPolicy
from tests.fakes.reddit import FakeReddit, generate_submissions
from tests.fakes.server import Fault

SUBS = ["therapists", "anxiety", "ocd"]
START = 1_780_000_000.0


@pytest.fixture
def rss_source(fake_reddit: FakeReddit, retry: RetryPolicy) -> RedditRssSource:
    return RedditRssSource(
        ["Therapists", "r/anxiety", "ocd"], base_url=fake_reddit.url, retry=retry
    )


def test_incremental_polls_through_one_multireddit_feed(
    fake_reddit: FakeReddit, rss_source: RedditRssSource
) -> None:
    generated = generate_submissions(600, [*SUBS, "unwatched"], start=START)
    fake_reddit.store.add_many("t3", generated)
    seen: list[str] = []
    checkpoint: dict[str, object] = {}
    for arrived in (50, 51, 250, 600):
        fake_reddit.store.now = START + arrived - 1
        fake_reddit.clear()
        posts, checkpoint = rss_source.fetch(checkpoint)
        seen.extend(p.external_id for p in posts)
        assert {r.path for r in fake_reddit.requests} <= {"/r/anxiety+ocd+therapists/new/.rss"}

    expected = {str(d["id"]) for d in generated if d["subreddit"] in SUBS}
    assert len(seen) == len(set(seen)) and set(seen) == expected


def test_entries_become_posts(fake_reddit: FakeReddit, rss_source: RedditRssSource) -> None:
    generated = generate_submissions(400, SUBS, start=START)
    fake_reddit.store.add_many("t3", generated)

    posts, _ = RedditRssSource(
        SUBS, base_url=fake_reddit.url, max_pages=4, retry=rss_source._retry
    ).fetch({})

    by_id = {p.external_id: p for p in posts}
    assert len(by_id) == 400
    for data in generated:
        post = by_id[str(data["id"])]
        assert post.title == data["title"]
        assert post.community == f"r/{data['subreddit']}"
        assert post.url == "https://www.reddit.com" + str(data["permalink"])
        if data["author"] == "[deleted]":
            assert post.author is None
        else:
            assert post.author == data["author"]
        if data.get("removed_by_category"):
            assert post.removed and post.body == ""
        elif data.get("is_self") is False and not data.get("crosspost_parent_list"):
            assert post.link_url == data["url"] and post.body == ""
        elif data["selftext"] and len(str(data["selftext"])) < 1000:
            assert post.body.replace("\n\n", "\n") == str(data["selftext"]).replace("\n\n", "\n")


def test_rate_limit_then_success(
    fake_reddit: FakeReddit, rss_source: RedditRssSource, sleeps: list[float]
) -> None:
    fake_reddit.store.add_many("t3", generate_submissions(5, SUBS, start=START))
    fake_reddit.inject(Fault(status=429, retry_after="30"), Fault(status=502))

    posts, _ = rss_source.fetch({})

    assert len(posts) == 5 and sleeps == [30.0, 1.5]


def test_an_html_error_page_is_not_a_feed(
    fake_reddit: FakeReddit, rss_source: RedditRssSource
) -> None:
    fake_reddit.inject(Fault(malformed=True))

    with pytest.raises(SourceError, match="not a valid RSS/Atom feed"):
        rss_source.fetch({})
