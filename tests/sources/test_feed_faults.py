"""A feed that is broken or empty is an error, never a blank thread or a silent "ok"."""

from __future__ import annotations

import pytest

from engage.errors import SourceError
from engage.platforms.feeds.source import FeedSource
from engage.sources.http import RetryPolicy
from tests.fakes.feeds import Document, FeedServer


def test_broken_xml_with_only_an_empty_item_is_an_error_not_a_blank_thread(
    feed_server: FeedServer, retry: RetryPolicy
) -> None:
    url = feed_server.serve("/feed", Document(b"<rss><channel><item>"))
    with pytest.raises(SourceError, match="is not a valid RSS/Atom feed"):
        FeedSource(url, retry=retry).fetch({})


def test_broken_xml_keeps_its_readable_entries_and_drops_the_husks(
    feed_server: FeedServer, retry: RetryPolicy
) -> None:
    body = b"<rss><channel><title>t</title><item><title>Readable</title></item><item><bad>"
    url = feed_server.serve("/feed", Document(body))

    posts, _ = FeedSource(url, retry=retry).fetch({})

    assert [post.title for post in posts] == ["Readable"]


def test_an_empty_answer_is_an_error(feed_server: FeedServer, retry: RetryPolicy) -> None:
    url = feed_server.serve("/feed", Document(b""))
    with pytest.raises(SourceError, match="answered HTTP 200 with no body"):
        FeedSource(url, retry=retry).fetch({})


def test_a_feed_with_no_posts_yet_is_fine(feed_server: FeedServer, retry: RetryPolicy) -> None:
    body = b'<rss version="2.0"><channel><title>New blog</title></channel></rss>'
    url = feed_server.serve("/feed", Document(body))
    assert FeedSource(url, retry=retry).fetch({})[0] == []
