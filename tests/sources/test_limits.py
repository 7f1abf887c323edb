"""Every request has a total deadline and a byte cap (counted after decompression), whatever the
server does: drip bytes, stall between redirects, or send a gzip bomb. Real loopback servers."""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator

import pytest

from engage.errors import SourceError
from engage.platforms.feeds.source import FeedSource
from engage.platforms.mastodon.source import MastodonSource
from engage.platforms.reddit.api import RedditSource
from engage.platforms.reddit.client import RedditCredentials, connect_reddit
from engage.sources.http import DeadlineExceeded, Limits, ResponseTooLarge, RetryPolicy
from tests.fakes.feeds import Document, Entry, FeedServer, rss
from tests.fakes.hostile import RawServer, SlowDripServer, gzip_bomb
from tests.fakes.reddit import FakeReddit, generate_submissions
from tests.fakes.server import Fault
from tests.fakes.social import FakeMastodon

#: Each read waits longer than the drip interval, so only the deadline can end the request.
PATIENT = RetryPolicy(attempts=4, timeout=5.0, sleep=lambda _: None, jitter=lambda: 0.5)
SHORT = Limits(deadline=0.5)


@pytest.fixture
def raw_server() -> Iterator[RawServer]:
    with RawServer() as server:
        yield server


def test_a_body_dripped_a_byte_at_a_time_fails_at_the_deadline() -> None:
    with SlowDripServer(interval=0.1) as server:
        source = FeedSource(server.url + "/feed", retry=PATIENT, limits=SHORT)
        with pytest.raises(DeadlineExceeded, match=r"/feed: deadline exceeded .* 0\.5 s"):
            source.fetch({})


def test_headers_dripped_a_byte_at_a_time_fail_at_the_deadline() -> None:
    with SlowDripServer(interval=0.1, drip_headers=True) as server:
        source = FeedSource(server.url + "/feed", retry=PATIENT, limits=SHORT)
        with pytest.raises(DeadlineExceeded, match="deadline exceeded"):
            source.fetch({})


def test_a_deadline_is_not_retried_within_the_poll() -> None:
    with SlowDripServer(interval=0.1) as server:
        with pytest.raises(DeadlineExceeded) as failure:
            FeedSource(server.url + "/feed", retry=PATIENT, limits=SHORT).fetch({})
        assert server.connections == 1
    assert failure.value.retryable  # the next poll may find the server well again


def test_the_deadline_covers_every_redirect_of_one_request(feed_server: FeedServer) -> None:
    feed_server.serve("/feed.xml", Document(rss([Entry("1", "Hello", "https://x.example/1")])))
    hops = ["/a", "/b", "/c", "/d"]
    for here, there in zip(hops, [*hops[1:], "/feed.xml"], strict=True):
        feed_server.redirect(here, there, 302)
    feed_server.inject(*(Fault(delay=0.2, path=hop) for hop in hops))  # each hop well in time

    with pytest.raises(DeadlineExceeded):
        FeedSource(feed_server.url + "/a", retry=PATIENT, limits=SHORT).fetch({})


def test_praws_requests_have_the_deadline(fake_reddit: FakeReddit) -> None:
    fake_reddit.store.add_many("t3", generate_submissions(3, ["therapists"]))
    fake_reddit.inject(Fault(delay=2.0, path="/r/"))
    reddit = connect_reddit(
        RedditCredentials("test-client", "test-secret"), api_url=fake_reddit.url,
        auth_url=fake_reddit.url, short_url=fake_reddit.url, retry=PATIENT, limits=SHORT,
    )  # fmt: skip

    with pytest.raises(DeadlineExceeded, match=r"GET .*/r/therapists/new.*deadline exceeded"):
        RedditSource(["therapists"], reddit).fetch({})


def test_mastodons_requests_have_the_deadline() -> None:
    with FakeMastodon() as mastodon:
        mastodon.inject(Fault(delay=2.0))
        source = MastodonSource(mastodon.url, ["therapy"], retry=PATIENT, limits=SHORT)
        with pytest.raises(DeadlineExceeded):
            source.fetch({})


def test_a_gzip_bomb_is_stopped_at_the_cap_in_bounded_memory(raw_server: RawServer) -> None:
    bomb = gzip_bomb(1024)  # about 1 MB on the wire, 1 GiB inflated
    url = raw_server.serve("/feed", bomb, {"Content-Encoding": "gzip"})
    source = FeedSource(url, retry=PATIENT)  # the default cap: 10 MB

    tracemalloc.start()
    try:
        with pytest.raises(ResponseTooLarge, match=r"larger than 10 MB \(decompressed"):
            source.fetch({})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 * 2**20  # the cap and a few copies of it, not the gigabyte


def test_an_answer_announced_larger_than_the_cap_is_refused(raw_server: RawServer) -> None:
    url = raw_server.serve("/feed", b"<rss>" + b" " * 5000 + b"</rss>")
    with pytest.raises(ResponseTooLarge, match="announces 5,011 bytes") as failure:
        FeedSource(url, retry=PATIENT, limits=Limits(max_bytes=1000)).fetch({})
    assert not failure.value.retryable  # the same feed will be as large next time


def test_an_answer_exactly_at_the_cap_is_read(raw_server: RawServer) -> None:
    body = rss([Entry("1", "Fits", "https://x.example/1")])
    url = raw_server.serve("/feed", body)

    posts, _ = FeedSource(url, retry=PATIENT, limits=Limits(max_bytes=len(body))).fetch({})

    assert [post.title for post in posts] == ["Fits"]


def test_a_cap_hit_is_a_source_error_like_any_other(raw_server: RawServer) -> None:
    url = raw_server.serve("/feed", gzip_bomb(4), {"Content-Encoding": "gzip"})
    with pytest.raises(SourceError, match=r"GET http://127\.0\.0\.1:\d+/feed: the answer is"):
        FeedSource(url, retry=PATIENT, limits=Limits(max_bytes=1_000_000)).fetch({})


def test_a_feed_listing_more_entries_than_the_item_cap_yields_the_first_ones(
    feed_server: FeedServer,
) -> None:
    entries = [Entry(f"id-{n}", f"Post {n}", f"https://x.example/{n}") for n in range(30)]
    url = feed_server.serve("/feed", Document(rss(entries)))
    source = FeedSource(url, retry=PATIENT, max_items=10)

    posts, checkpoint = source.fetch({})

    assert [post.title for post in posts] == [f"Post {n}" for n in range(10)]
    assert source.fetch(checkpoint)[0] == []  # the rest are not trickled in poll after poll
