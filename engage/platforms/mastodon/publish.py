"""Mastodon's publishing side: an approved reply posted as a status on the therapist's
instance, in reply to the thread's status.

A thread is stored under its status URI (the same on every instance) and its URL; replying
needs the status's id on *our* instance, found with an authorised search that fetches it there
(`resolve=true`) unless the URL is already our instance's. The POST carries an
`Idempotency-Key` (the approval's key): Mastodon keeps it for about an hour and answers a repeat
with the status it already made, so a publish tried again after an unknown outcome makes one
post. The POST is sent once (engage.platforms.writes); only reads are retried.
`find_existing` reads the account's recent statuses for a reply to the same status with the same
text.

Must not import database code, retry the POST, nor put the access token into a reason or a log
line.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

import requests

from engage.platforms.spec import Outcome, Outgoing, PublishError, comparable
from engage.platforms.writes import failure, json_of, looking, plain, post_once, read
from engage.sources.base import as_mapping, as_str, html_to_text, web_url
from engage.sources.http import DEFAULT_USER_AGENT, Limits, RetryPolicy, new_session
from engage.types import DraftKind, Platform, PublishedRef

log = logging.getLogger(__name__)

STATUSES = "/api/v1/statuses"
SEARCH = "/api/v2/search"
ME = "/api/v1/accounts/verify_credentials"
#: Statuses per page of the account's own (Mastodon's largest page).
PAGE_SIZE = 40
#: Pages of our own recent statuses read when looking for an earlier reply.
DEFAULT_LOOK_PAGES = 2
#: A status's local id in our instance's own URLs: /@user/ID (remote ones /@user@host/ID too)
#: and /users/user/statuses/ID.
_LOCAL_PATH = re.compile(r"/(?:@[^/]+|users/[^/]+/statuses)/(\d+)/?")
_POSTING = "posting the reply to Mastodon"
_AUTH_HINT = "check the access token ([mastodon] access_token_env) and its scopes"


class MastodonPublisher:
    """Replies through the therapist's account on `instance` with an access token (scopes:
    write:statuses to post; read:search, read:accounts, read:statuses to find and check)."""

    by_api = True
    reads_back = True

    def __init__(
        self,
        instance: str,
        access_token: str,
        *,
        user_agent: str = DEFAULT_USER_AGENT,
        retry: RetryPolicy | None = None,
        session: requests.Session | None = None,
        limits: Limits | None = None,
        look_pages: int = DEFAULT_LOOK_PAGES,
    ) -> None:
        self.instance = instance.rstrip("/")
        self._host = urlsplit(self.instance).netloc.lower()
        self._auth = {"Authorization": f"Bearer {access_token}"}
        self._retry = retry or RetryPolicy()
        self._session = session or new_session(user_agent, "application/json", limits)
        self._look_pages = look_pages
        self._local_ids: dict[str, str] = {}
        self._account_id: str | None = None

    def __repr__(self) -> str:
        return f"MastodonPublisher({self.instance!r})"

    def publish(self, outgoing: Outgoing) -> PublishedRef:
        """Post `outgoing.text` as a reply to the thread's status (or, for a share of the
        therapist's article, as a post of its own); a repeat with the same key answers with the
        status the first attempt made."""
        parent = self._parent_id(outgoing)
        log.debug("posting to %s in reply to %s", self.instance, parent or "nothing")
        status = {"status": outgoing.text} | ({"in_reply_to_id": parent} if parent else {})
        response = post_once(
            self._session,
            self.instance + STATUSES,
            _POSTING,
            json=status,
            headers={**self._auth, "Idempotency-Key": _header_safe(outgoing.key)},
            timeout=self._retry.timeout,
        )
        if not response.ok:
            raise failure(response, _POSTING, wrote=True, auth_hint=_AUTH_HINT)
        ref = _ref(json_of(response, _POSTING, wrote=True))
        if ref is None:
            raise PublishError(Outcome.UNKNOWN, f"{_POSTING}: the answer named no status")
        return ref

    def find_existing(self, outgoing: Outgoing) -> PublishedRef | None:
        """Our recent status answering the same status with the same text, if any."""
        with looking("looking on Mastodon for an earlier reply"):
            parent = self._parent_id(outgoing)
            wanted = comparable(outgoing.text)
            for status in self._own_statuses():
                if as_str(status.get("in_reply_to_id")) != (parent or ""):
                    continue
                if comparable(html_to_text(as_str(status.get("content")))) == wanted:
                    return _ref(status)
        return None

    def _parent_id(self, outgoing: Outgoing) -> str | None:
        """The id, on our instance, of the status answered: the thread's (found by its URI),
        or the target's when it names another status of the thread (a comment); None for a
        share, which answers nothing."""
        if outgoing.kind == DraftKind.BLOG_SHARE:
            return None
        if outgoing.target != outgoing.thread_url or not outgoing.thread_external_id:
            uri = outgoing.target
        else:
            uri = outgoing.thread_external_id
        for address in (outgoing.target, uri):
            if (local := self._local_id(address)) is not None:
                return local
        if uri in self._local_ids:
            return self._local_ids[uri]
        if web_url(uri) is None:
            raise PublishError(
                Outcome.REFUSED, "Mastodon publishes replies only: this draft names no status"
            )
        doing = f"finding the status being answered from {self.instance}"
        params = {"q": uri, "resolve": "true", "type": "statuses", "limit": "5"}
        url = self.instance + SEARCH
        response = read(self._session, self._retry, url, doing, params=params, headers=self._auth)
        if not response.ok:
            raise failure(response, doing, wrote=False, auth_hint=_AUTH_HINT)
        found = [as_mapping(s) for s in json_of(response, doing, wrote=False).get("statuses") or []]
        match = next(
            (s for s in found if uri in (as_str(s.get("uri")), as_str(s.get("url")))), None
        )
        if match is None or not as_str(match.get("id")):
            raise PublishError(
                Outcome.REFUSED,
                plain(f"{doing}: {uri} can't be found (deleted, or its server refuses)"),
            )
        self._local_ids[uri] = as_str(match["id"])
        return self._local_ids[uri]

    def _local_id(self, address: str) -> str | None:
        """The status id in `address` when it is one of our instance's own status URLs."""
        parts = urlsplit(address)
        if parts.scheme not in ("http", "https") or parts.netloc.lower() != self._host:
            return None
        match = _LOCAL_PATH.fullmatch(parts.path)
        return match.group(1) if match else None

    def _own_statuses(self) -> Iterator[Mapping[str, Any]]:
        """The account's recent statuses, newest first, a few pages deep (boosts left out)."""
        account = self._account()
        doing = "reading your recent Mastodon posts"
        url = f"{self.instance}/api/v1/accounts/{account}/statuses"
        params = {"limit": str(PAGE_SIZE), "exclude_reblogs": "true"}
        for _ in range(self._look_pages):
            response = read(
                self._session, self._retry, url, doing, params=params, headers=self._auth
            )
            if not response.ok:
                raise failure(response, doing, wrote=False, auth_hint=_AUTH_HINT)
            try:
                page = response.json()
            except ValueError:
                page = None
            if not isinstance(page, list):
                raise PublishError(Outcome.UNKNOWN, f"{doing}: the answer is not a list")
            statuses = [as_mapping(s) for s in page if as_str(as_mapping(s).get("id"))]
            yield from statuses
            if len(page) < PAGE_SIZE or not statuses:
                return
            params["max_id"] = as_str(statuses[-1]["id"])

    def _account(self) -> str:
        if self._account_id is None:
            doing = "finding your Mastodon account"
            response = read(
                self._session, self._retry, self.instance + ME, doing, headers=self._auth
            )
            if not response.ok:
                raise failure(response, doing, wrote=False, auth_hint=_AUTH_HINT)
            account = as_str(json_of(response, doing, wrote=False).get("id"))
            if not account:
                raise PublishError(Outcome.UNKNOWN, f"{doing}: the answer named no account")
            self._account_id = account
        return self._account_id


def _header_safe(key: str) -> str:
    """The key as sent in a header: as is when it is short printable ASCII, else its digest
    (the same for every attempt either way)."""
    if key.isascii() and key.isprintable() and 0 < len(key) <= 128:
        return key
    return hashlib.sha256(key.encode()).hexdigest()


def _ref(status: Mapping[str, Any]) -> PublishedRef | None:
    uri = as_str(status.get("uri"))
    if not uri:
        return None
    return PublishedRef(Platform.MASTODON, uri, web_url(status.get("url")) or web_url(uri))
