"""Only http(s) URLs are ever stored as thread URLs or links: what each source does with a
`javascript:`, `data:` or `file:` link, and the check itself."""

from __future__ import annotations

import logging

import pytest

from engage.platforms.feeds.source import FeedSource
from engage.platforms.mastodon import source as mastodon
from engage.platforms.reddit.api import RedditSource
from engage.sources.base import web_url
from engage.sources.http import RetryPolicy
from tests.fakes.feeds import Document, Entry, FeedServer, rss


@pytest.mark.parametrize(
    "url",
    ["https://example.org/a?b=1#c", "http://127.0.0.1:8080/feed", "HTTPS://Example.org"],
)
def test_web_addresses_pass(url: str) -> None:
    assert web_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>x</script>",
        "file:///etc/passwd",
        "//example.org/no-scheme",
        "https:///no-host",
        "http://[::1",
        "https://bank.example@evil.example/",
        "https://example.org/\x1b]8;;x\x07",
        "https://example.org/a b",
        "",
        None,
    ],
)
def test_anything_else_is_refused(url: str | None) -> None:
    assert web_url(url) is None


def test_a_feed_entry_linking_script_is_skipped_with_a_logged_reason(
    feed_server: FeedServer, retry: RetryPolicy, caplog: pytest.LogCaptureFixture
) -> None:
    entries = [
        Entry("good", "A real post", "https://blog.example.org/real"),
        Entry("evil", "Click me", "javascript:alert(document.cookie)"),
    ]
    url = feed_server.serve("/feed", Document(rss(entries)))

    with caplog.at_level(logging.WARNING, logger="engage.platforms.feeds.source"):
        posts, _ = FeedSource(url, retry=retry).fetch({})

    assert [post.url for post in posts] == ["https://blog.example.org/real"]
    assert "is not a web address" in caplog.text and "'evil'" in caplog.text


def test_a_mastodon_status_with_a_script_url_keeps_its_web_uri() -> None:
    status = {
        "id": "1", "uri": "https://social.example/users/a/statuses/1", "url": "javascript:x()",
        "created_at": "2026-11-20T09:00:00Z", "content": "<p>hello</p>",
        "card": {"url": "file:///etc/passwd"}, "account": {"acct": "a"},
    }  # fmt: skip

    post = mastodon._post(status, ["therapy"])

    assert post is not None
    assert post.url == "https://social.example/users/a/statuses/1" and post.link_url is None


def test_a_reddit_post_with_a_script_permalink_gets_its_comments_page() -> None:
    source = RedditSource(["therapists"], reddit=None)  # type: ignore[arg-type]
    data = {
        "id": "abc", "created_utc": 1_790_000_000, "subreddit": "therapists", "title": "t",
        "permalink": "javascript:alert(1)", "url": "data:text/html,x", "is_self": False,
    }  # fmt: skip

    post = source.post(data)

    assert post is not None
    assert post.url == "https://www.reddit.com/comments/abc/" and post.link_url is None


def test_a_private_feeds_password_is_not_copied_into_its_threads_urls(
    feed_server: FeedServer, retry: RetryPolicy
) -> None:
    entries = [Entry("a", "Relative link", "/posts/a"), Entry("b", "No link", "")]
    feed_server.serve("/private", Document(rss(entries)))
    host = feed_server.url.removeprefix("http://")

    posts, _ = FeedSource(f"http://reader:s3cret@{host}/private", retry=retry).fetch({})

    assert [post.url for post in posts] == [f"http://{host}/posts/a", f"http://{host}/private"]
