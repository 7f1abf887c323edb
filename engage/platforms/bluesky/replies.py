"""Replies to the therapist on Bluesky, read back from their notifications, so a colleague who
answered is seen (and can be answered) rather than lost among likes and follows.

`app.bsky.notification.listNotifications` on their own server, logged in with the handle and app
password (the login is the source's, engage.platforms.bluesky.source.log_in, and is kept while its
token is fresh), asking for the reasons "reply" and "mention" only. A reply's record names what
it answers (`reply.parent`) and its thread's first post (`reply.root`) by at:// URI: the same
spelling as our engagements and threads.

Notifications come newest first with an opaque cursor to older ones, so the checkpoint keeps the
newest index time read and the URIs read since shortly before it (notifications are indexed a
little out of order), as the search source does; the first read takes the newest page only.

Must not write to Bluesky (nor mark notifications seen), decide who is a colleague
(engage.relationships.replies does), put the app password or a token into a message, nor import
database code.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import requests

from engage.errors import SourceError
from engage.platforms.bluesky.publish import FRESH_FOR, POST, _expires_at
from engage.platforms.bluesky.source import AUTH_URL, OVERLAP, Login, _iso, log_in
from engage.sources.base import Checkpoint, as_mapping, as_str, clean_text, from_iso, web_url
from engage.sources.http import DEFAULT_USER_AGENT, Limits, RetryPolicy, get_json, new_session
from engage.types import Platform
from engage.types.relationships import IncomingReply, OwnPost

if TYPE_CHECKING:
    from datetime import datetime

    from engage.config import Config

CHECKPOINT_VERSION = 1
LIST = "/xrpc/app.bsky.notification.listNotifications"
REASONS = ("reply", "mention")
PAGE_SIZE = 50
DEFAULT_MAX_PAGES = 5
#: URIs remembered: enough to cover the overlap window.
MAX_SEEN = 500


class BlueskyRepliesReader:
    """Replies to and mentions of the therapist's account, through their server.

    Checkpoint: `{"version": 1, "since": ISO index time, "seen": [notification URIs]}`.
    Build one per process: it keeps its login while the token is fresh.
    """

    platform = Platform.BLUESKY.value

    def __init__(
        self,
        handle: str,
        app_password: str,
        *,
        auth_url: str = AUTH_URL,
        user_agent: str = DEFAULT_USER_AGENT,
        retry: RetryPolicy | None = None,
        session: requests.Session | None = None,
        limits: Limits | None = None,
        max_pages: int = DEFAULT_MAX_PAGES,
    ) -> None:
        self._handle = handle
        self._app_password = app_password
        self._auth_url = auth_url.rstrip("/")
        self._retry = retry or RetryPolicy()
        self._session = session or new_session(user_agent, "application/json", limits)
        self._max_pages = max_pages
        self._login: Login | None = None
        self.account: str | None = None

    def __repr__(self) -> str:
        return f"BlueskyRepliesReader({self._handle!r}, auth_url={self._auth_url!r})"

    def read(
        self, checkpoint: Checkpoint, ours: Sequence[OwnPost] = ()
    ) -> tuple[list[IncomingReply], Checkpoint]:
        """Replies and mentions not read before, newest first."""
        kept = self._login is not None
        login = self._fresh_login()
        seen = {uri for uri in checkpoint.get("seen") or [] if isinstance(uri, str)}
        since = from_iso(checkpoint.get("since"))
        try:
            found, newest = self._notifications(login, set(seen), since)
        except SourceError as exc:
            self._login = None
            if exc.retryable or not kept:
                raise
            # The kept session was refused before its time (the server's clock, a revoked
            # session): log in again, once.
            login = self._fresh_login()
            found, newest = self._notifications(login, set(seen), since)
        replies = [
            reply
            for item in found
            if (reply := _reply(item)) is not None and as_str(
                as_mapping(item.get("author")).get("did")) != login.did
        ]  # fmt: skip
        uris = [as_str(item["uri"]) for item in found]
        older = [uri for uri in checkpoint.get("seen") or [] if uri not in set(uris)]
        return replies, {
            "version": CHECKPOINT_VERSION,
            "since": None if newest is None else _iso(newest),
            "seen": (uris + older)[:MAX_SEEN],
        }

    def _notifications(
        self, login: Login, seen: set[str], since: datetime | None
    ) -> tuple[list[Mapping[str, Any]], datetime | None]:
        """Notifications newer than `since` (less the overlap) not among `seen`, newest first."""
        floor = None if since is None else since - OVERLAP
        params: list[tuple[str, str]] = [("limit", str(PAGE_SIZE))]
        params += [("reasons", reason) for reason in REASONS]
        headers = {"Authorization": f"Bearer {login.access_jwt}"}
        url = self._auth_url + LIST
        found: list[Mapping[str, Any]] = []
        newest = since
        cursor = None
        for _ in range(self._max_pages):
            page = params + ([("cursor", cursor)] if cursor else [])
            answer = as_mapping(
                get_json(self._session, self._retry, url, params=page, headers=headers)
            )
            items = [as_mapping(n) for n in answer.get("notifications") or []]
            items = [n for n in items if as_str(n.get("uri"))]
            reached = False
            for item in items:
                indexed = from_iso(item.get("indexedAt"))
                if floor is not None and indexed is not None and indexed < floor:
                    reached = True
                    continue
                if indexed is not None and (newest is None or indexed > newest):
                    newest = indexed
                if item["uri"] not in seen:
                    seen.add(as_str(item["uri"]))
                    found.append(item)
            cursor = as_str(answer.get("cursor"))
            if reached or not items or not cursor or since is None:
                break
        return found, newest

    def _fresh_login(self) -> Login:
        """The session, logged in again when its token is about to run out."""
        login = self._login
        expires = None if login is None else _expires_at(login.access_jwt)
        if login is None or (expires is not None and expires - time.time() < FRESH_FOR):
            login = log_in(
                self._session, self._retry, self._auth_url, self._handle, self._app_password
            )
            self._login = login
            self.account = login.handle or self._handle
        return login


def _reply(item: Mapping[str, Any]) -> IncomingReply | None:
    """A reply or mention notification as an IncomingReply; None for other reasons, or one
    without a date."""
    reason, uri = as_str(item.get("reason")), as_str(item.get("uri"))
    record, author = as_mapping(item.get("record")), as_mapping(item.get("author"))
    created = from_iso(record.get("createdAt")) or from_iso(item.get("indexedAt"))
    handle = as_str(author.get("handle")) or as_str(author.get("did"))
    if reason not in REASONS or f"/{POST}/" not in uri or created is None or not handle:
        return None
    reply = as_mapping(record.get("reply"))
    parent = as_str(as_mapping(reply.get("parent")).get("uri"))
    root = as_str(as_mapping(reply.get("root")).get("uri"))
    return IncomingReply(
        platform=Platform.BLUESKY.value,
        external_id=uri,
        author=handle,
        author_name=clean_text(author.get("displayName"), 300).strip() or None,
        text=clean_text(record.get("text")),
        url=web_url(f"https://bsky.app/profile/{handle}/post/{uri.rpartition('/')[2]}"),
        created_at=created,
        parent_external_id=parent or None,
        thread_external_id=root or None,
        kind=reason,
    )


def reader(config: Config) -> BlueskyRepliesReader | None:
    """With the handle and app password, the notifications of the therapist's account; else
    None (Bluesky shows notifications only to their account)."""
    from engage.platforms.budget import limits

    settings = config.settings.bluesky
    handle = config.secret(settings.handle_env)
    app_password = config.secret(settings.app_password_env)
    if not handle or not app_password:
        return None
    return BlueskyRepliesReader(
        handle, app_password, auth_url=settings.auth_url, limits=limits(config)
    )
