"""Bluesky's publishing side: an approved reply posted as an app.bsky.feed.post record in the
therapist's repository, as a reply to the thread's post.

A retry must never make a second post, so the record key is ours, not the server's: a TID
derived from the approval's key (`record_key`), the same on every attempt. A second
createRecord with that key can't create anything (the reference PDS answers 500 today, newer
ones RecordAlreadyExists), and `find_existing` reads the record back by that key
(com.atproto.repo.getRecord). The createRecord POST is sent once (engage.platforms.writes);
only reads are retried, and the login (createSession) is the one shared with the source.

Must not import database code, retry the createRecord POST, nor put a token, the app password
or a request body into a reason or a log line.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import time
from datetime import UTC, datetime
from typing import Any

import requests

from engage.platforms.bluesky.richtext import link_facets, too_long
from engage.platforms.bluesky.source import AUTH_URL, PUBLIC_API, Login, _iso, log_in
from engage.platforms.spec import Outcome, Outgoing, PublishError, comparable
from engage.platforms.writes import (
    failure,
    json_of,
    looking,
    plain,
    post_once,
    read,
    reading,
    server_said,
)
from engage.sources.base import as_mapping, as_str, web_url
from engage.sources.http import DEFAULT_USER_AGENT, Limits, RetryPolicy, new_session
from engage.types import DraftKind, Platform, PublishedRef

log = logging.getLogger(__name__)

POST = "app.bsky.feed.post"
GET_POSTS = "/xrpc/app.bsky.feed.getPosts"
CREATE_RECORD = "/xrpc/com.atproto.repo.createRecord"
GET_RECORD = "/xrpc/com.atproto.repo.getRecord"
#: TIDs are written in base32-sortable: this alphabet, 13 characters for 64 bits.
TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
#: Log in again when the session token has less than this left (seconds).
FRESH_FOR = 300.0
_POSTING = "posting the reply to Bluesky"
_AUTH_HINT = "check the handle and app password ([bluesky] handle_env, app_password_env)"


def record_key(key: str) -> str:
    """The record key for an approval: a valid TID (13 base32-sortable characters, the top bit
    0) derived from `key` alone, so every attempt to publish one approval names one record."""
    value = int.from_bytes(hashlib.sha256(f"engage:{key}".encode()).digest()[:8], "big") >> 1
    chars = []
    for _ in range(13):
        chars.append(TID_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


class BlueskyPublisher:
    """Replies through the therapist's account: logs in at `auth_url` (their server, or the
    bsky.social entryway), reads the post being answered from `api_url` (the public AppView),
    and writes the record to their repository."""

    by_api = True
    reads_back = True

    def __init__(
        self,
        handle: str,
        app_password: str,
        *,
        api_url: str = PUBLIC_API,
        auth_url: str = AUTH_URL,
        user_agent: str = DEFAULT_USER_AGENT,
        retry: RetryPolicy | None = None,
        session: requests.Session | None = None,
        limits: Limits | None = None,
    ) -> None:
        self._handle = handle
        self._app_password = app_password
        self._api_url = api_url.rstrip("/")
        self._auth_url = auth_url.rstrip("/")
        self._retry = retry or RetryPolicy()
        self._session = session or new_session(user_agent, "application/json", limits)
        self._login: Login | None = None

    def __repr__(self) -> str:
        return f"BlueskyPublisher({self._handle!r}, auth_url={self._auth_url!r})"

    def publish(self, outgoing: Outgoing) -> PublishedRef:
        """Post `outgoing.text` as a reply to the thread's post, under the approval's record
        key. A key already taken by our earlier attempt returns that post."""
        if not outgoing.text.strip():
            raise PublishError(Outcome.REFUSED, "the reply is empty")
        if (why := too_long(outgoing.text)) is not None:
            raise PublishError(Outcome.REFUSED, f"the reply is {why}: shorten it and approve again")
        parent_uri = _parent_uri(outgoing)
        login = self._fresh_login()
        rkey = record_key(outgoing.key)
        record: dict[str, Any] = {"$type": POST, "text": outgoing.text, "createdAt": _now()}
        if parent_uri is not None:
            record["reply"] = self._reply_to(parent_uri)
        if facets := link_facets(outgoing.text):
            record["facets"] = facets
        log.debug("createRecord %s/%s in reply to %s", POST, rkey, parent_uri)
        response = post_once(
            self._session,
            self._auth_url + CREATE_RECORD,
            _POSTING,
            json={"repo": login.did, "collection": POST, "rkey": rkey, "record": record},
            headers={"Authorization": f"Bearer {login.access_jwt}"},
            timeout=self._retry.timeout,
        )
        if response.ok:
            json_of(response, _POSTING, wrote=True)
            return self._ref(login, rkey)
        if _error_name(response) == "ExpiredToken":  # checked before anything is written
            self._login = None  # the next attempt logs in again
            said = server_said(response)
            raise PublishError(
                Outcome.NOT_SENT,
                plain(f"{_POSTING}: the session was refused ({said}); nothing was posted"),
                retry_after=0.0,
            )
        refused = failure(response, _POSTING, wrote=True, auth_hint=_AUTH_HINT)
        taken = _error_name(response) == "RecordAlreadyExists"
        if response.status_code >= 500 or taken:
            # The key may be taken by our own earlier attempt: then that is the post.
            try:
                earlier = self._earlier(login, rkey, outgoing, parent_uri)
            except PublishError as exc:
                if taken:  # ours, most likely, but unconfirmed: never a refusal
                    reason = f"{_POSTING}: its record key is taken and could not be read back"
                    raise PublishError(Outcome.UNKNOWN, plain(f"{reason} ({exc.reason})")) from exc
                earlier = None
            if earlier is not None:
                return earlier
        raise refused

    def find_existing(self, outgoing: Outgoing) -> PublishedRef | None:
        """Our post under the approval's record key, if it is there and answers the same post
        with the same text; None when there is no such record."""
        with looking("looking on Bluesky for an earlier reply"):
            parent_uri = _parent_uri(outgoing)
            login = self._login or self._log_in()
            return self._earlier(login, record_key(outgoing.key), outgoing, parent_uri)

    def _earlier(
        self, login: Login, rkey: str, outgoing: Outgoing, parent_uri: str | None
    ) -> PublishedRef | None:
        doing = "reading back the reply on Bluesky"
        response = read(
            self._session,
            self._retry,
            self._auth_url + GET_RECORD,
            doing,
            params={"repo": login.did, "collection": POST, "rkey": rkey},
        )
        if response.status_code == 400 and _error_name(response) == "RecordNotFound":
            return None
        if not response.ok:
            raise failure(response, doing, wrote=False)
        value = as_mapping(json_of(response, doing, wrote=False).get("value"))
        parent = as_mapping(as_mapping(value.get("reply")).get("parent"))
        same_text = comparable(as_str(value.get("text"))) == comparable(outgoing.text)
        if as_str(parent.get("uri")) != (parent_uri or "") or not same_text:
            log.debug("record %s exists but is not this reply", rkey)
            return None
        return self._ref(login, rkey)

    def _reply_to(self, parent_uri: str) -> dict[str, Any]:
        """The record's `reply`: the post answered and its thread's root (itself, unless it is
        a reply), each as {uri, cid}."""
        doing = "looking up the post being answered on Bluesky"
        url = self._api_url + GET_POSTS
        response = read(self._session, self._retry, url, doing, params={"uris": parent_uri})
        if not response.ok:
            raise failure(response, doing, wrote=False)
        views = [as_mapping(v) for v in json_of(response, doing, wrote=False).get("posts") or []]
        view = next((v for v in views if as_str(v.get("uri")) == parent_uri), None)
        if view is None or not as_str(view.get("cid")):
            raise PublishError(
                Outcome.REFUSED,
                plain(f"{doing}: {parent_uri} is no longer on Bluesky (deleted or hidden)"),
            )
        parent = {"uri": parent_uri, "cid": as_str(view["cid"])}
        root = as_mapping(as_mapping(as_mapping(view.get("record")).get("reply")).get("root"))
        if as_str(root.get("uri")) and as_str(root.get("cid")):
            return {"root": {"uri": root["uri"], "cid": root["cid"]}, "parent": parent}
        return {"root": parent, "parent": parent}

    def _fresh_login(self) -> Login:
        """The session, logged in again when its token is about to run out (the write itself
        is never retried, so it should not meet an expired token)."""
        login = self._login
        if login is None:
            return self._log_in()
        expires = _expires_at(login.access_jwt)
        if expires is not None and expires - time.time() < FRESH_FOR:
            return self._log_in()
        return login

    def _log_in(self) -> Login:
        with reading("logging in to Bluesky"):
            login = log_in(
                self._session, self._retry, self._auth_url, self._handle, self._app_password
            )
        if not login.did:
            raise PublishError(Outcome.NOT_SENT, "logging in to Bluesky: the answer had no DID")
        self._login = login
        return login

    def _ref(self, login: Login, rkey: str) -> PublishedRef:
        url = web_url(f"https://bsky.app/profile/{login.handle or login.did}/post/{rkey}")
        return PublishedRef(Platform.BLUESKY, f"at://{login.did}/{POST}/{rkey}", url)


def _parent_uri(outgoing: Outgoing) -> str | None:
    """The at:// URI of the post answered: the target when it is one, else the thread's; None
    for a share of the therapist's article, which answers nothing."""
    if outgoing.kind == DraftKind.BLOG_SHARE:
        return None
    for candidate in (outgoing.target, outgoing.thread_external_id or ""):
        if candidate.startswith("at://") and f"/{POST}/" in candidate:
            return candidate
    raise PublishError(
        Outcome.REFUSED, "Bluesky publishes replies only: this draft names no Bluesky post"
    )


def _error_name(response: requests.Response) -> str:
    try:
        return as_str(as_mapping(response.json()).get("error"))
    except ValueError:
        return ""


def _expires_at(jwt: str) -> float | None:
    """The `exp` claim of a JWT (read, not verified: only to know when to log in again)."""
    try:
        payload = jwt.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return float(as_mapping(claims)["exp"])
    except (IndexError, ValueError, KeyError, TypeError):
        return None


def _now() -> str:
    return _iso(datetime.now(UTC))
