"""RSS/Atom blogs as discussions (other therapists' blogs) or as the source of blog shares (the
therapist's own, `own=True`), fetched with conditional requests so an unchanged feed costs a 304.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests

from engage.sources.base import Checkpoint, clean_text, web_url
from engage.sources.feedtools import (
    ACCEPT,
    entry_text,
    entry_time,
    entry_title,
    parse,
)
from engage.sources.http import DEFAULT_USER_AGENT, Limits, RetryPolicy, get, new_session
from engage.types import FetchedPost, Platform, SourceKind

log = logging.getLogger(__name__)

CHECKPOINT_VERSION = 1
#: Entries read from one feed document; the rest (older, as feeds list newest first) are ignored.
#: A blog's feed carries tens; a document with tens of thousands is a fault or an attack.
DEFAULT_MAX_ITEMS = 1000
#: Entry ids remembered beyond those still in the feed, so an entry that drops out and comes back
#: (a feed trimmed to its last N posts, then an edit) is not reported twice.
MAX_SEEN = 500


class FeedSource:
    """One RSS or Atom feed.

    Checkpoint: `{"version": 1, "etag": str | None, "modified": str | None, "seen": [entry ids],
    "moved_to": url | None}`. `moved_to` is set after a permanent redirect (301/308); later
    fetches use it, and the caller may update the configured URL.

    Only the first `max_items` entries of a document are read (feeds list the newest first).
    An entry whose link is not a web address (`javascript:`, `data:`, `file:` ...) is skipped
    and logged rather than stored without its link: the therapist could neither open nor join
    it, and a feed that links script is broken or hostile, so its text is not worth a place in
    the digest. An entry with no link at all is kept, pointing at the feed (some blogs' feeds
    carry whole posts without per-post pages).
    """

    kind = SourceKind.FEED

    def __init__(
        self,
        url: str,
        own: bool = False,
        *,
        user_agent: str = DEFAULT_USER_AGENT,
        retry: RetryPolicy | None = None,
        session: requests.Session | None = None,
        limits: Limits | None = None,
        max_items: int = DEFAULT_MAX_ITEMS,
    ) -> None:
        self.url = url
        self.own = own
        self._retry = retry or RetryPolicy()
        self._session = session or new_session(user_agent, ACCEPT, limits)
        self._max_items = max_items

    def fetch(self, checkpoint: Checkpoint) -> tuple[list[FetchedPost], Checkpoint]:
        """Entries not seen before; nothing (and the same checkpoint) when the feed is unchanged."""
        url = checkpoint.get("moved_to") or self.url
        headers = {}
        if etag := checkpoint.get("etag"):
            headers["If-None-Match"] = etag
        if modified := checkpoint.get("modified"):
            headers["If-Modified-Since"] = modified
        response = get(self._session, self._retry, url, headers=headers)
        moved_to = _permanent_location(response, url)
        if response.status_code == 304:
            return [], {**checkpoint, "moved_to": moved_to if moved_to != self.url else None}
        parsed = parse(response, url)
        community = clean_text(parsed.feed.get("title"), 200) or urlsplit(url).netloc
        seen = set(checkpoint.get("seen", []))
        current: list[str] = []
        posts: list[FetchedPost] = []
        entries = parsed.entries
        if len(entries) > self._max_items:
            log.warning("feed %s lists %d entries; reading the first %d", url, len(entries),
                        self._max_items)  # fmt: skip
            entries = entries[: self._max_items]
        for entry in entries:
            entry_id = _entry_id(entry)
            if entry_id in current:
                continue
            current.append(entry_id)
            if entry_id not in seen and (post := self._post(entry, entry_id, community, moved_to)):
                posts.append(post)
        in_feed = set(current)
        older = [i for i in checkpoint.get("seen", []) if i not in in_feed]
        return posts, {
            "version": CHECKPOINT_VERSION,
            "etag": response.headers.get("ETag"),
            "modified": response.headers.get("Last-Modified"),
            "seen": current + older[: max(0, MAX_SEEN - len(current))],
            "moved_to": moved_to if moved_to != self.url else None,
        }

    def _post(self, entry: Any, entry_id: str, community: str, feed_url: str) -> FetchedPost | None:
        link = str(entry.get("link") or "").strip()
        page = _without_credentials(feed_url)  # a private feed's password stays in the config
        url = web_url(urljoin(page, link)) if link else page
        if url is None:
            log.warning("feed %s: skipped entry %.200r: its link %.200r is not a web address",
                        feed_url, entry_id, link)  # fmt: skip
            return None
        return FetchedPost(
            platform=Platform.FEED,
            external_id=entry_id,
            community=community,
            title=entry_title(entry),
            body=entry_text(entry),
            url=url,
            created_at=entry_time(entry) or datetime.now(UTC),
            author=clean_text(entry.get("author"), 200) or None,
        )


def _entry_id(entry: Any) -> str:
    """The entry's guid, else its link, else a hash of what identifies it."""
    for key in ("id", "link"):
        if value := clean_text(entry.get(key), 2000).strip():
            return value
    fingerprint = f"{entry.get('title', '')}\n{entry.get('published', '')}"
    return "sha256:" + hashlib.sha256(fingerprint.encode("utf-8", "replace")).hexdigest()


def _without_credentials(url: str) -> str:
    parts = urlsplit(url)
    if parts.username is None:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def _permanent_location(response: requests.Response, url: str) -> str:
    """Where the feed now lives: followed as far as the redirects were permanent (301/308)."""
    location = url
    for hop in response.history:
        if hop.status_code not in (301, 308) or "Location" not in hop.headers:
            break
        location = urljoin(hop.url, hop.headers["Location"])
    return location
