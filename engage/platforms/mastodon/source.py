"""Mastodon hashtag timelines: public posts carrying the therapist's tags, read from one instance.

One request covers five tags (`/api/v1/timelines/tag/a?any[]=b&any[]=c...`). Paging forward with
`min_id` (the oldest unseen posts first) means a poll cut short by its page budget simply
continues next time: no ranges are skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

import requests

from engage.errors import ConfigError, SourceError
from engage.sources.base import (
    Checkpoint,
    as_int,
    as_mapping,
    as_str,
    clean_text,
    from_iso,
    html_to_text,
    web_url,
)
from engage.sources.http import (
    DEFAULT_USER_AGENT,
    Limits,
    RetryPolicy,
    get_json,
    new_session,
)
from engage.types import FetchedPost, Platform, SourceKind

CHECKPOINT_VERSION = 1
PAGE_SIZE = 40
#: The tag in the path plus four `any[]` tags: what Mastodon's tag timeline accepts at once.
TAGS_PER_REQUEST = 5
DEFAULT_MAX_PAGES = 5


class MastodonSource:
    """Posts with any of `tags` on `instance` (which also sees other instances' posts).

    Checkpoint: `{"version": 1, "timelines": {"tag1+tag2": newest status id seen}}`. The first poll
    takes the newest page only. `external_id` is the status URI, the same on every instance.
    """

    kind = SourceKind.MASTODON

    def __init__(
        self,
        instance: str,
        tags: Iterable[str],
        *,
        access_token: str | None = None,
        user_agent: str = DEFAULT_USER_AGENT,
        retry: RetryPolicy | None = None,
        session: requests.Session | None = None,
        max_pages: int = DEFAULT_MAX_PAGES,
        limits: Limits | None = None,
    ) -> None:
        names = sorted({tag.strip().lstrip("#").lower() for tag in tags} - {""})
        if not names:
            raise ConfigError("a Mastodon source needs at least one hashtag")
        self.instance = instance.rstrip("/")
        self.groups = [
            names[i : i + TAGS_PER_REQUEST] for i in range(0, len(names), TAGS_PER_REQUEST)
        ]
        self._retry = retry or RetryPolicy()
        self._session = session or new_session(user_agent, "application/json", limits)
        if access_token:
            self._session.headers["Authorization"] = f"Bearer {access_token}"
        self._max_pages = max_pages

    def fetch(self, checkpoint: Checkpoint) -> tuple[list[FetchedPost], Checkpoint]:
        """Posts newer than the checkpoint, oldest first."""
        states: Mapping[str, Any] = checkpoint.get("timelines", {})
        posts: dict[str, FetchedPost] = {}  # by URI: a post may carry tags of two requests
        new_states: dict[str, str | None] = {}
        for group in self.groups:
            key = "+".join(group)
            statuses, new_states[key] = self._timeline(group, states.get(key))
            for status in statuses:
                if (post := _post(status, group)) is not None:
                    posts.setdefault(post.external_id, post)
        return list(posts.values()), {"version": CHECKPOINT_VERSION, "timelines": new_states}

    def _timeline(
        self, group: list[str], min_id: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        url = f"{self.instance}/api/v1/timelines/tag/{quote(group[0], safe='')}"
        first_poll = min_id is None
        collected: list[dict[str, Any]] = []
        for _ in range(self._max_pages):
            params = [("limit", str(PAGE_SIZE)), *(("any[]", tag) for tag in group[1:])]
            if min_id is not None:
                params.append(("min_id", min_id))
            page = get_json(self._session, self._retry, url, params=params)
            if not isinstance(page, list):
                raise SourceError(f"GET {url}: the answer is not a list of posts")
            statuses = [s for s in page if isinstance(s, dict) and as_str(s.get("id"))]
            if not statuses:
                break
            # Newest first within the page, and the page starts just after `min_id`.
            collected[:0] = statuses
            min_id = as_str(statuses[0]["id"])
            if first_poll or len(page) < PAGE_SIZE:
                break
        return collected[::-1], min_id


def _post(status: Mapping[str, Any], group: list[str]) -> FetchedPost | None:
    """A status as a FetchedPost; None for boosts and statuses without a URI or a date."""
    uri, created = as_str(status.get("uri")), from_iso(status.get("created_at"))
    if not uri or created is None or status.get("reblog") is not None:
        return None
    tags = {as_str(t.get("name")).lower() for t in status.get("tags") or [] if isinstance(t, dict)}
    account, card = as_mapping(status.get("account")), as_mapping(status.get("card"))
    return FetchedPost(
        platform=Platform.MASTODON,
        external_id=uri,
        community="#" + next((tag for tag in group if tag in tags), group[0]),
        title=clean_text(status.get("spoiler_text"), 1000),
        body=html_to_text(as_str(status.get("content"))),
        url=web_url(status.get("url")) or web_url(uri) or "",
        created_at=created,
        author=as_str(account.get("acct")) or None,
        num_comments=as_int(status.get("replies_count")),
        score=as_int(status.get("favourites_count")),
        link_url=web_url(card.get("url")),
    )
