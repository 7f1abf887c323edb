"""FeedSource against a loopback feed server: 200, 304, malformed XML, redirects, failures."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from engage.errors import SourceError
from engage.platforms.feeds.source import FeedSource
from engage.sources.http import RetryPolicy
from engage.types import Platform, SourceKind
from tests.fakes.feeds import Document, Entry, FeedServer, atom, rss
from tests.fakes.server import Fault

FIRST = Entry(
    id="https://blog.example.org/?p=1",
    title="Grief & the holidays",
    link="https://blog.example.org/grief-holidays",
    html="<p>When a loss is new, <b>December</b> is hard&nbsp;&mdash; here's what helps.</p>"
    "<script>track()</script><p>Second paragraph.</p>",
    author="Dr. Lena Ruiz",
    published=datetime(2026, 11, 20, 8, 30, tzinfo=UTC),
)
SECOND = Entry(
    id="https://blog.example.org/?p=2",
    title="Perinatal anxiety: a primer",
    link="/perinatal-anxiety",
    html="Ansiedad perinatal — 🌱 notes",
)


def test_posts_then_not_modified_then_only_new_entries(
    feed_server: FeedServer, retry: RetryPolicy
) -> None:
    url = feed_server.serve("/feed.xml", Document(rss([FIRST]), etag='"v1"'))
    source = FeedSource(url, own=True, retry=retry)

    posts, checkpoint = source.fetch({})

    assert source.kind is SourceKind.FEED and source.own
    [post] = posts
    assert post.platform is Platform.FEED
    assert post.external_id == FIRST.id and post.url == FIRST.link
    assert post.title == "Grief & the holidays"
    assert (
        post.body
        == "When a loss is new, December is hard\xa0— here's what helps.\n\nSecond paragraph."
    )
    assert post.community == "A Therapist's Notebook" and post.author == "Dr. Lena Ruiz"
    assert post.created_at == FIRST.published
    assert checkpoint["etag"] == '"v1"' and checkpoint["seen"] == [FIRST.id]

    assert source.fetch(checkpoint) == ([], checkpoint)
    assert feed_server.requests[-1].headers["if-none-match"] == '"v1"'

    feed_server.serve("/feed.xml", Document(rss([SECOND, FIRST]), etag='"v2"'))
    posts, checkpoint = source.fetch(checkpoint)
    assert [p.external_id for p in posts] == [SECOND.id]
    assert posts[0].url == feed_server.url + "/perinatal-anxiety"
    assert checkpoint["seen"] == [SECOND.id, FIRST.id]


def test_atom_with_last_modified(feed_server: FeedServer, retry: RetryPolicy) -> None:
    modified = "Fri, 27 Nov 2026 04:00:00 GMT"
    url = feed_server.serve(
        "/atom", Document(atom([FIRST]), "application/atom+xml", last_modified=modified)
    )
    source = FeedSource(url, retry=retry)

    posts, checkpoint = source.fetch({})

    assert [p.title for p in posts] == ["Grief & the holidays"]
    assert posts[0].community == "Practice Notes"
    assert checkpoint["modified"] == modified
    assert source.fetch(checkpoint)[0] == []
    assert feed_server.requests[-1].headers["if-modified-since"] == modified


def test_malformed_xml_names_the_feed(feed_server: FeedServer, retry: RetryPolicy) -> None:
    url = feed_server.serve("/broken", Document(b"<rss><channel><title>oops</titl"))

    with pytest.raises(SourceError, match=r"/broken is not a valid RSS/Atom feed") as failure:
        FeedSource(url, retry=retry).fetch({})

    assert not failure.value.retryable


def test_an_html_page_is_not_a_feed(feed_server: FeedServer, retry: RetryPolicy) -> None:
    url = feed_server.serve("/blog", Document(b"<html><body>Hi</body></html>", "text/html"))

    with pytest.raises(SourceError, match="not a valid RSS/Atom feed"):
        FeedSource(url, retry=retry).fetch({})


def test_a_permanent_redirect_is_reported_and_followed(
    feed_server: FeedServer, retry: RetryPolicy
) -> None:
    feed_server.serve("/new/feed.xml", Document(rss([FIRST]), etag='"v1"'))
    old = feed_server.redirect("/old/feed", "/new/feed.xml", 301)
    source = FeedSource(old, retry=retry)

    posts, checkpoint = source.fetch({})

    assert len(posts) == 1
    assert checkpoint["moved_to"] == feed_server.url + "/new/feed.xml"
    feed_server.clear()
    assert source.fetch(checkpoint)[0] == []
    assert [r.path for r in feed_server.requests] == ["/new/feed.xml"]


def test_a_temporary_redirect_is_followed_but_not_reported(
    feed_server: FeedServer, retry: RetryPolicy
) -> None:
    feed_server.serve("/elsewhere", Document(rss([FIRST])))
    url = feed_server.redirect("/feed", "/elsewhere", 302)

    posts, checkpoint = FeedSource(url, retry=retry).fetch({})

    assert len(posts) == 1 and checkpoint["moved_to"] is None


def test_gone_is_permanent_and_outages_are_retried(
    feed_server: FeedServer, retry: RetryPolicy, sleeps: list[float]
) -> None:
    with pytest.raises(SourceError, match="HTTP 404") as failure:
        FeedSource(feed_server.url + "/missing", retry=retry).fetch({})
    assert not failure.value.retryable

    url = feed_server.serve("/feed.xml", Document(rss([FIRST])))
    feed_server.inject(Fault(status=503), Fault(delay=1.0), Fault(reset=True))
    assert len(FeedSource(url, retry=retry).fetch({})[0]) == 1
    assert sleeps == [0.75, 1.5, 3.0]

    feed_server.inject(*[Fault(status=500)] * 4)
    with pytest.raises(
        SourceError, match=r"GET http://127\.0\.0\.1:\d+/feed.xml: gave up"
    ) as failure:
        FeedSource(url, retry=retry).fetch({})
    assert failure.value.retryable


def test_entries_without_ids_or_dates(feed_server: FeedServer, retry: RetryPolicy) -> None:
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        b"<item><title>No id, no date</title><description>plain &amp; simple</description></item>"
        b"<item><title>Only a link</title><link>https://x.example/a</link></item>"
        b"</channel></rss>"
    )
    url = feed_server.serve("/feed", Document(body))

    posts, checkpoint = FeedSource(url, retry=retry).fetch({})

    assert [p.external_id.startswith("sha256:") for p in posts] == [True, False]
    assert posts[0].body == "plain & simple" and posts[0].url == url
    assert posts[1].external_id == "https://x.example/a"
    assert FeedSource(url, retry=retry).fetch(checkpoint)[0] == []


def test_unreachable_and_looping_feeds(feed_server: FeedServer, retry: RetryPolicy) -> None:
    with pytest.raises(SourceError, match="gave up after 4 attempts") as failure:
        FeedSource("http://127.0.0.1:9/feed", retry=retry).fetch({})
    assert failure.value.retryable

    url = feed_server.redirect("/a", "/b", 302)
    feed_server.redirect("/b", "/a", 302)
    with pytest.raises(SourceError, match="redirects") as failure:
        FeedSource(url, retry=retry).fetch({})
    assert not failure.value.retryable
