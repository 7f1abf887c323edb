"""Reddit through its public RSS, for therapists without an approved Reddit API app.

Reddit serves Atom for multireddits too (`/r/a+b+c/new/.rss?limit=100&after=t3_x`), so this
walks listings exactly like the API source, with the same checkpoint shape, only with less per
thread (no comment counts, no locked flag) and a tighter anonymous rate limit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import unescape
from typing import Any

import requests

from engage.errors import ConfigError
from engage.platforms.reddit.listing import (
    MAX_PATH_LENGTH,
    PAGE_SIZE,
    FetchPage,
    chunk_subreddits,
    community_name,
    normalise_subreddits,
    walk_listing,
)
from engage.sources.base import Checkpoint, clean_text, html_to_text, web_url
from engage.sources.feedtools import (
    ACCEPT,
    entry_html,
    entry_time,
    entry_title,
    parse,
)
from engage.sources.http import DEFAULT_USER_AGENT, Limits, RetryPolicy, get, new_session
from engage.types import FetchedPost, Platform, SourceKind

WEB_URL = "https://www.reddit.com"
#: Anonymous RSS is rate limited hard; a few pages per listing per poll is plenty.
DEFAULT_MAX_PAGES = 3
CHECKPOINT_VERSION = 1

_GONE = frozenset({"[deleted]", "[removed]"})
_SELFTEXT = re.compile(r'<div class="md">(.*)</div>', re.DOTALL)
_LINK = re.compile(r'<a href="([^"]+)">\[link\]</a>')


class RedditRssSource:
    """New threads of a list of subreddits from `/r/a+b+c/new/.rss`; same contract and checkpoint
    shape as RedditSource.fetch (`{"version": 1, "listings": {path: listing state}}`)."""

    kind = SourceKind.REDDIT_RSS

    def __init__(
        self,
        subreddits: Iterable[str],
        *,
        base_url: str = WEB_URL,
        user_agent: str = DEFAULT_USER_AGENT,
        retry: RetryPolicy | None = None,
        session: requests.Session | None = None,
        max_pages: int = DEFAULT_MAX_PAGES,
        max_path_length: int = MAX_PATH_LENGTH,
        limits: Limits | None = None,
    ) -> None:
        names = normalise_subreddits(subreddits)
        if not names:
            raise ConfigError("a Reddit RSS source needs at least one subreddit")
        if max_pages < 2:
            raise ConfigError("reddit max_pages must be at least 2")
        self.subreddits = names
        self.chunks = chunk_subreddits(names, max_path_length)
        self._base_url = base_url.rstrip("/")
        self._retry = retry or RetryPolicy()
        self._session = session or new_session(user_agent, ACCEPT, limits)
        self._max_pages = max_pages

    def fetch(self, checkpoint: Checkpoint) -> tuple[list[FetchedPost], Checkpoint]:
        """New threads since `checkpoint`, newest first."""
        states = checkpoint.get("listings", {})
        posts: list[FetchedPost] = []
        new_states: dict[str, Any] = {}
        for chunk in self.chunks:
            path = f"/r/{chunk}/new/.rss"
            walk = walk_listing(self._pager(path), states.get(path), _entry_id36, self._max_pages)
            posts.extend(post for entry in walk.items if (post := _post(entry)) is not None)
            new_states[path] = walk.state
        return posts, {"version": CHECKPOINT_VERSION, "listings": new_states}

    def _pager(self, path: str) -> FetchPage[Any]:
        def fetch_page(after: str | None) -> tuple[list[Any], str | None]:
            url = f"{self._base_url}{path}?limit={PAGE_SIZE}"
            if after:
                url += f"&after={after}"
            entries = list(parse(get(self._session, self._retry, url), url).entries)
            full = len(entries) >= PAGE_SIZE
            return entries, str(entries[-1].get("id")) if full else None

        return fetch_page


def _entry_id36(entry: Any) -> str | None:
    kind, _, id36 = str(entry.get("id", "")).partition("_")
    return id36 if kind == "t3" and id36 else None


def _post(entry: Any) -> FetchedPost | None:
    id36, created = _entry_id36(entry), entry_time(entry)
    if id36 is None or created is None:
        return None
    html, _ = entry_html(entry)
    selftext = _SELFTEXT.search(html)
    body = html_to_text(selftext.group(1)) if selftext else ""
    permalink = web_url(entry.get("link")) or f"{WEB_URL}/comments/{id36}/"
    link = _LINK.search(html)
    shared = web_url(unescape(link.group(1))) if link else None
    tags = entry.get("tags") or [{}]
    author = str(entry.get("author") or "").removeprefix("/u/").strip()
    return FetchedPost(
        platform=Platform.REDDIT,
        external_id=id36,
        community=community_name(clean_text(tags[0].get("term"), 100)),
        title=entry_title(entry),
        body="" if body in _GONE else body,
        url=permalink,
        created_at=created,
        author=author if author and author not in _GONE else None,
        removed=body in _GONE,
        link_url=shared if shared != permalink else None,
    )
