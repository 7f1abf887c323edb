"""Replies to the therapist on Mastodon, read back from their notifications, so a colleague who
answered is seen (and can be answered) rather than lost among the instance's notifications.

`GET /api/v1/notifications?types[]=mention` with the access token: on Mastodon a reply is a
mention (it addresses the author it answers), so this one list holds both; a status answering
one of the therapist's own (`in_reply_to_account_id` is theirs) is a "reply", any other a
"mention". `in_reply_to_id` is an id on this instance, while engagements are stored under the
status URI (the same on every instance), so the status answered is read once for its URI
(`GET /api/v1/statuses/{id}`).

Pages forward with `min_id`, as the hashtag source does: a read cut short by its page budget
continues from there on the next. The first read takes the newest page only.

Must not write to Mastodon (nor mark notifications read), decide who is a colleague
(engage.relationships.replies does), put the token into a message, nor import database code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import requests

from engage.errors import SourceError
from engage.sources.base import (
    Checkpoint,
    as_mapping,
    as_str,
    from_iso,
    html_to_text,
    web_url,
)
from engage.sources.http import DEFAULT_USER_AGENT, Limits, RetryPolicy, get_json, new_session
from engage.types import Platform
from engage.types.relationships import IncomingReply, OwnPost

if TYPE_CHECKING:
    from engage.config import Config

CHECKPOINT_VERSION = 1
NOTIFICATIONS = "/api/v1/notifications"
STATUS = "/api/v1/statuses/"
ME = "/api/v1/accounts/verify_credentials"
#: Mastodon's default page of notifications (it allows up to 80).
PAGE_SIZE = 40
DEFAULT_MAX_PAGES = 5


class MastodonRepliesReader:
    """Mentions of (and so replies to) the therapist's account on `instance`, with an access
    token (scopes read:notifications, read:statuses, read:accounts).

    Checkpoint: `{"version": 1, "min_id": the newest notification id read}`.
    """

    platform = Platform.MASTODON.value

    def __init__(
        self,
        instance: str,
        access_token: str,
        *,
        user_agent: str = DEFAULT_USER_AGENT,
        retry: RetryPolicy | None = None,
        session: requests.Session | None = None,
        limits: Limits | None = None,
        max_pages: int = DEFAULT_MAX_PAGES,
    ) -> None:
        self.instance = instance.rstrip("/")
        self._retry = retry or RetryPolicy()
        self._session = session or new_session(user_agent, "application/json", limits)
        self._session.headers["Authorization"] = f"Bearer {access_token}"
        self._max_pages = max_pages
        self._account_id: str | None = None
        self.account: str | None = None
        self._uris: dict[str, str | None] = {}

    def __repr__(self) -> str:
        return f"MastodonRepliesReader({self.instance!r})"

    def read(
        self, checkpoint: Checkpoint, ours: Sequence[OwnPost] = ()
    ) -> tuple[list[IncomingReply], Checkpoint]:
        """Mentions since the checkpoint, oldest first."""
        me = self._me()
        min_id = as_str(checkpoint.get("min_id")) or None
        notifications, newest = self._notifications(min_id)
        replies = [
            reply
            for notification in notifications
            if (reply := self._reply(notification, me)) is not None
        ]
        return replies, {"version": CHECKPOINT_VERSION, "min_id": newest}

    def _notifications(self, min_id: str | None) -> tuple[list[Mapping[str, Any]], str | None]:
        url = self.instance + NOTIFICATIONS
        first_read = min_id is None
        collected: list[Mapping[str, Any]] = []
        for _ in range(self._max_pages):
            params = [("types[]", "mention"), ("limit", str(PAGE_SIZE))]
            if min_id is not None:
                params.append(("min_id", min_id))
            page = get_json(self._session, self._retry, url, params=params)
            if not isinstance(page, list):
                raise SourceError(f"GET {url}: the answer is not a list of notifications")
            found = [as_mapping(n) for n in page if as_str(as_mapping(n).get("id"))]
            if not found:
                break
            # Newest first within the page, and the page starts just after `min_id`.
            collected[:0] = found
            min_id = as_str(found[0]["id"])
            if first_read or len(page) < PAGE_SIZE:
                break
        return collected[::-1], min_id

    def _reply(self, notification: Mapping[str, Any], me: str) -> IncomingReply | None:
        """A mention notification as an IncomingReply; None for others, a status without a URI
        or a date, and the therapist's own."""
        status = as_mapping(notification.get("status"))
        account = as_mapping(status.get("account")) or as_mapping(notification.get("account"))
        uri, created = as_str(status.get("uri")), from_iso(status.get("created_at"))
        handle = as_str(account.get("acct"))
        if notification.get("type") != "mention" or not uri or created is None or not handle:
            return None
        if as_str(account.get("id")) == me:
            return None
        answered = as_str(status.get("in_reply_to_id"))
        to_us = answered and as_str(status.get("in_reply_to_account_id")) == me
        return IncomingReply(
            platform=Platform.MASTODON.value,
            external_id=uri,
            author=handle,
            author_name=as_str(account.get("display_name")).strip() or None,
            text=html_to_text(as_str(status.get("content"))),
            url=web_url(status.get("url")) or web_url(uri),
            created_at=created,
            parent_external_id=self._uri_of(answered) if answered else None,
            thread_external_id=None,  # Mastodon's statuses don't name their thread's first
            kind="reply" if to_us else "mention",
        )

    def _uri_of(self, status_id: str) -> str | None:
        """The URI of a status known to this instance by its local id (None when it is gone)."""
        if status_id not in self._uris:
            url = f"{self.instance}{STATUS}{status_id}"
            try:
                self._uris[status_id] = (
                    as_str(as_mapping(get_json(self._session, self._retry, url)).get("uri")) or None
                )
            except SourceError as exc:
                if exc.retryable:
                    raise
                self._uris[status_id] = None  # deleted, or its author's server refuses: unknown
        return self._uris[status_id]

    def _me(self) -> str:
        if self._account_id is None:
            url = self.instance + ME
            account = as_mapping(get_json(self._session, self._retry, url))
            if not as_str(account.get("id")):
                raise SourceError(f"GET {url}: the answer named no account")
            self._account_id = as_str(account["id"])
            self.account = as_str(account.get("acct")) or None
        return self._account_id


def reader(config: Config) -> MastodonRepliesReader | None:
    """With an access token, the notifications of the therapist's account on the configured
    instance; else None (Mastodon shows notifications only to their account)."""
    from engage.platforms.budget import limits

    settings = config.settings.mastodon
    token = config.secret(settings.access_token_env)
    if not token:
        return None
    return MastodonRepliesReader(settings.instance, token, limits=limits(config))
