"""Bluesky post search (`app.bsky.feed.searchPosts`, newest first), one query per search term.

Search has no stable ids to stop at, so the checkpoint keeps, per term, the newest index time
seen and the URIs seen since shortly before it; the next search asks only for posts from then
on (`since`) and drops the URIs already returned.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import requests

from engage.errors import ConfigError, SourceError
from engage.sources.base import (
    Checkpoint,
    as_int,
    as_mapping,
    as_str,
    clean_text,
    from_iso,
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
PUBLIC_API = "https://public.api.bsky.app"
AUTH_URL = "https://bsky.social"
PAGE_SIZE = 100
DEFAULT_MAX_PAGES = 3
#: Posts are indexed a little out of order; search again this far before the newest seen.
OVERLAP = timedelta(minutes=15)
#: URIs remembered per term: enough to cover the overlap window of any but a viral term.
MAX_SEEN = 1000
SEARCH = "/xrpc/app.bsky.feed.searchPosts"
LOGIN = "/xrpc/com.atproto.server.createSession"


class BlueskySource:
    """Posts matching any of `terms`. Without a handle and app password it uses the public API;
    with them it logs in at `auth_url` and searches through the user's server.

    Checkpoint: `{"version": 1, "searches": {term: {"since": ISO time, "seen": [post URIs]}}}`.
    """

    kind = SourceKind.BLUESKY

    def __init__(
        self,
        terms: Iterable[str],
        *,
        handle: str | None = None,
        app_password: str | None = None,
        api_url: str = PUBLIC_API,
        auth_url: str = AUTH_URL,
        user_agent: str = DEFAULT_USER_AGENT,
        retry: RetryPolicy | None = None,
        session: requests.Session | None = None,
        max_pages: int = DEFAULT_MAX_PAGES,
        limits: Limits | None = None,
    ) -> None:
        self.terms = sorted({term.strip() for term in terms} - {""})
        if not self.terms:
            raise ConfigError("a Bluesky source needs at least one search term")
        self._login = (handle, app_password) if handle and app_password else None
        self._api_url = (auth_url if self._login else api_url).rstrip("/")
        self._auth_url = auth_url.rstrip("/")
        self._retry = retry or RetryPolicy()
        self._session = session or new_session(user_agent, "application/json", limits)
        self._max_pages = max_pages

    def fetch(self, checkpoint: Checkpoint) -> tuple[list[FetchedPost], Checkpoint]:
        """Posts not returned before, newest first per term."""
        if self._login and "Authorization" not in self._session.headers:
            self._log_in(*self._login)
        states = as_mapping(checkpoint.get("searches"))
        posts: list[FetchedPost] = []
        new_states: dict[str, Any] = {}
        returned: set[str] = set()
        for term in self.terms:
            views, new_states[term] = self._search(term, as_mapping(states.get(term)))
            for view in views:
                post = _post(view, term)
                if post is not None and post.external_id not in returned:
                    returned.add(post.external_id)
                    posts.append(post)
        return posts, {"version": CHECKPOINT_VERSION, "searches": new_states}

    def _search(
        self, term: str, state: Mapping[str, Any]
    ) -> tuple[list[Mapping[str, Any]], dict[str, Any]]:
        seen = {uri for uri in state.get("seen", []) if isinstance(uri, str)}
        since = from_iso(state.get("since"))
        params = {"q": term, "sort": "latest", "limit": str(PAGE_SIZE)}
        if since is not None:
            params["since"] = _iso(since - OVERLAP)
        found: list[Mapping[str, Any]] = []
        newest = since
        for _ in range(self._max_pages):
            answer = as_mapping(
                get_json(self._session, self._retry, self._api_url + SEARCH, params=params)
            )
            views = [as_mapping(v) for v in answer.get("posts") or []]
            views = [v for v in views if as_str(v.get("uri"))]
            for view in views:
                indexed = from_iso(view.get("indexedAt"))
                if indexed is not None and (newest is None or indexed > newest):
                    newest = indexed
            fresh = [v for v in views if v["uri"] not in seen]
            found.extend(fresh)
            seen.update(v["uri"] for v in fresh)
            cursor = as_str(answer.get("cursor"))
            if not views or not cursor or since is None or len(fresh) < len(views):
                break
            params["cursor"] = cursor
        found_uris = [as_str(v["uri"]) for v in found]
        returned = set(found_uris)
        older = [uri for uri in state.get("seen", []) if uri not in returned]
        return found, {
            "since": None if newest is None else _iso(newest),
            "seen": (found_uris + older)[:MAX_SEEN],
        }

    def _log_in(self, handle: str, app_password: str) -> None:
        login = log_in(self._session, self._retry, self._auth_url, handle, app_password)
        self._session.headers["Authorization"] = f"Bearer {login.access_jwt}"


@dataclass(frozen=True, slots=True)
class Login:
    """A session on the user's server (createSession): its access token and whose it is."""

    access_jwt: str = field(repr=False)
    did: str
    handle: str


def log_in(
    session: requests.Session, retry: RetryPolicy, auth_url: str, handle: str, app_password: str
) -> Login:
    """Log in at `auth_url` with an app password (a read: retried like one). A refused handle
    or password is a SourceError that is not retryable; the password is never in a message."""
    url = auth_url.rstrip("/") + LOGIN
    response = retry.send(
        lambda: session.post(
            url, json={"identifier": handle, "password": app_password}, timeout=retry.timeout
        ),
        f"POST {url}",
    )
    if response.status_code in (400, 401):
        raise SourceError(
            f"Bluesky refused the handle or app password for {handle}", retryable=False
        )
    try:
        body = as_mapping(response.json()) if response.ok else {}
    except ValueError:  # a proxy's page, a truncated answer
        body = {}
    token = as_str(body.get("accessJwt"))
    if not token:
        raise SourceError(f"POST {url}: HTTP {response.status_code}, no session token")
    return Login(token, as_str(body.get("did")), as_str(body.get("handle")) or handle)


def _post(view: Mapping[str, Any], term: str) -> FetchedPost | None:
    """A search hit (PostView) as a FetchedPost; None without a date."""
    uri = as_str(view.get("uri"))
    record, author = as_mapping(view.get("record")), as_mapping(view.get("author"))
    created = from_iso(record.get("createdAt")) or from_iso(view.get("indexedAt"))
    if created is None:
        return None
    handle = as_str(author.get("handle")) or as_str(author.get("did"))
    external = as_mapping(as_mapping(record.get("embed")).get("external"))
    return FetchedPost(
        platform=Platform.BLUESKY,
        external_id=uri,
        community=term,
        title="",
        body=clean_text(record.get("text")),
        url=web_url(f"https://bsky.app/profile/{handle}/post/{uri.rpartition('/')[2]}") or "",
        created_at=created,
        author=handle or None,
        num_comments=as_int(view.get("replyCount")),
        score=as_int(view.get("likeCount")),
        link_url=web_url(external.get("uri")),
    )


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
