"""Reddit's publishing side: an approved reply posted through the API at most once, and our own
reply recognised on Reddit afterwards, whether engage or the therapist (by hand) posted it.

`RedditPublisher` (an approved app with the therapist's account) sends the reply once, through
a praw client whose writes are never repeated (`connect_reddit(publishing=True)`), and says
what a failure means: NOT_SENT only when the reply provably never left (the login before it
failed, the connection was never made, a rate limit answered instead), REFUSED when Reddit said
no (locked, archived, deleted, banned), UNKNOWN for anything else, since it may be live.
`RedditHandFinder` (no approved app: replies are posted by hand) only recognises a reply in
Reddit's public feed of the therapist's comments.

A comment is ours only when it answers the same target (the same thread, by hand) with the same
words: never "the account's latest comment". Outcomes and reasons follow engage.platforms.writes,
as every publisher's do: plain words and Reddit's own messages, never an exception's text (it
could quote a URL with a password). Must not retry a write, decide what a failure does to a
draft (engage.publishing does), nor import database code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import praw
import prawcore
import requests
from praw.endpoints import API_PATH

from engage.errors import SourceError
from engage.platforms.reddit.client import WEB_URL, RedditCredentials, connect_reddit
from engage.platforms.reddit.listing import PAGE_SIZE
from engage.platforms.spec import Outcome, Outgoing, PublishError, comparable
from engage.platforms.writes import MAY_BE_LIVE, failure, looking, never_sent, plain
from engage.sources.base import as_mapping, as_str, visible, web_url
from engage.sources.feedtools import ACCEPT, entry_text, parse
from engage.sources.http import (
    DEFAULT_USER_AGENT,
    DeadlineExceeded,
    Limits,
    RetryPolicy,
    get,
    new_session,
)
from engage.types import Platform, PublishedRef

#: Pages of the account's newest comments looked through: a reply posted since the approval is
#: among its 200 newest comments unless the account comments a great deal.
PAGES = 2
POSTING = "posting the reply to Reddit"
LOGGING_IN = "logging in to Reddit"
CREDENTIALS = (
    "check the Reddit app's id and secret and the account's password or refresh token"
    " (ENGAGE_REDDIT_*)"
)

#: How long replies wait after Reddit refused the credentials (seconds).
CREDENTIALS_WAIT = 3600.0

_FULLNAME = re.compile(r"t[13]_[0-9a-z]+")
_WAIT = re.compile(r"(\d+)\s*(millisecond|second|minute|hour)", re.IGNORECASE)
_SECONDS = {"millisecond": 0.001, "second": 1.0, "minute": 60.0, "hour": 3600.0}
#: A comment's permalink: /r/{sub}/comments/{thread id}/{slug}/{comment id}/
_COMMENT_LINK = re.compile(r"/comments/([0-9a-z]+)/[^/]*/([0-9a-z]+)/?$", re.IGNORECASE)

#: Reddit's API errors for a reply, in words for the therapist (others show Reddit's message).
_REFUSALS = {
    "THREAD_LOCKED": "the thread is locked",
    "TOO_OLD": "the thread is archived (too old for new comments)",
    "DELETED_COMMENT": "the comment it answers was deleted",
    "DELETED_LINK": "the thread was deleted",
    "USER_BLOCKED": "the account has blocked the author it answers",
    "SOMETHING_IS_BROKEN": "Reddit gives this answer when the author has blocked the account",
    "SUBREDDIT_NOTALLOWED": "the account may not post in this community",
    "TOO_LONG": "the reply is longer than Reddit allows",
    "NO_TEXT": "the reply is empty",
    "USER_REQUIRED": "Reddit wants a logged-in account (check the Reddit username and password)",
}
#: What a 401 or 403 to a reply means on Reddit.
_NOT_ALLOWED = (
    "the thread or comment is gone or private, or the account may not post there (banned, or"
    " the login lacks permission to comment)"
)


class RedditPublisher:
    """Replies through the API as the therapist's account, and finds a reply already posted.

    Build one per process: it keeps its login between publishes.
    """

    by_api = True
    reads_back = True

    def __init__(
        self,
        credentials: RedditCredentials,
        *,
        api_url: str = "https://oauth.reddit.com",
        auth_url: str = WEB_URL,
        retry: RetryPolicy | None = None,
        limits: Limits | None = None,
    ) -> None:
        self._reddit = connect_reddit(
            credentials,
            api_url=api_url,
            auth_url=auth_url,
            retry=retry,
            limits=limits,
            publishing=True,
        )
        self._username = credentials.username

    def publish(self, outgoing: Outgoing) -> PublishedRef:
        """Reply to `outgoing.target` with exactly `outgoing.text`; PublishError otherwise."""
        target = outgoing.target.strip().lower()
        if not _FULLNAME.fullmatch(target):
            raise PublishError(
                Outcome.REFUSED,
                f"{visible(outgoing.target)!r} is not a Reddit thread or comment (t3_… or t1_…)",
            )
        self._log_in()
        try:
            answer = self._reddit.request(
                method="POST",
                path=API_PATH["comment"],
                data={"thing_id": target, "text": outgoing.text},
            )
        except Exception as exc:  # whatever failed, the reply may have gone: say what is known
            raise _failure(exc) from exc
        return _created(answer)

    def find_existing(self, outgoing: Outgoing) -> PublishedRef | None:
        """Our reply among the account's newest comments: one answering the same target with
        the same words."""
        target, words = outgoing.target.strip().lower(), comparable(outgoing.text)
        for data in self._recent_comments():
            parent = as_str(data.get("parent_id")).lower()
            if parent == target and comparable(as_str(data.get("body"))) == words:
                return _reference(data)
        return None

    def _log_in(self) -> None:
        """Log in (or renew the token) before the reply is sent, so a failure here is proof
        that nothing was. Refused credentials hold the reply back for an hour rather than fail
        it: once the therapist fixes them, approved replies go out without a new approval."""
        try:
            self._reddit.auth.scopes()
        except prawcore.exceptions.OAuthException as exc:
            raise _credentials_refused(f"{LOGGING_IN}: refused ({exc.error})") from exc
        except prawcore.exceptions.ResponseException as exc:
            error = failure(exc.response, LOGGING_IN, wrote=False, auth_hint=CREDENTIALS)
            if error.outcome is Outcome.REFUSED:
                raise _credentials_refused(error.reason) from exc
            raise error from exc
        except Exception as exc:  # before the reply: whatever it was, nothing was sent
            reason = f"{LOGGING_IN}: {_detail(exc)}; nothing was sent"
            raise PublishError(Outcome.NOT_SENT, plain(reason)) from exc

    def _recent_comments(self) -> Iterator[Mapping[str, Any]]:
        """The account's newest comments, newest first (a few pages)."""
        username = self._username or self._me()
        after: str | None = None
        for _ in range(PAGES):
            params: dict[str, str | int] = {"limit": PAGE_SIZE, "sort": "new"}
            if after:
                params["after"] = after
            payload = self._read(f"/user/{username}/comments", params)
            data = as_mapping(as_mapping(payload).get("data"))
            children = data.get("children")
            for child in children if isinstance(children, list) else []:
                yield as_mapping(as_mapping(child).get("data"))
            after = as_str(data.get("after"))
            if not after:
                return

    def _me(self) -> str:
        """The account's name, asked of Reddit when the login (a refresh token) does not say."""
        name = as_str(as_mapping(self._read(API_PATH["me"], {})).get("name"))
        if not name:
            raise PublishError(Outcome.UNKNOWN, "Reddit did not say which account is logged in")
        self._username = name
        return name

    def _read(self, path: str, params: dict[str, str | int]) -> Any:
        try:
            return self._reddit.request(method="GET", path=path, params=params)
        except (prawcore.PrawcoreException, praw.exceptions.PRAWException, SourceError) as exc:
            reason = f"looking for the reply among the account's comments: {_detail(exc)}"
            raise PublishError(Outcome.UNKNOWN, plain(reason)) from exc


class RedditHandFinder:
    """Recognises a reply the therapist posted by hand, in Reddit's public Atom feed of their
    comments (no app or login needed). Publishing itself is by hand."""

    by_api = False
    reads_back = True

    def __init__(
        self,
        username: str,
        *,
        base_url: str = WEB_URL,
        user_agent: str = DEFAULT_USER_AGENT,
        retry: RetryPolicy | None = None,
        limits: Limits | None = None,
    ) -> None:
        self.username = username
        self._feed_url = f"{base_url.rstrip('/')}/user/{username}/comments/.rss"
        self._retry = retry or RetryPolicy()
        self._session = new_session(user_agent, ACCEPT, limits)

    def publish(self, outgoing: Outgoing) -> PublishedRef:
        raise PublishError(
            Outcome.REFUSED,
            "Reddit is published to by hand here (no approved API app): copy the reply, post it"
            " on Reddit, then log it with `engage mark-posted`",
        )

    def find_existing(self, outgoing: Outgoing) -> PublishedRef | None:
        """Our reply in the feed: a comment in the same thread with the same words (the feed
        does not say which comment a reply answers)."""
        thread, words = _thread_id(outgoing), comparable(outgoing.text)
        for entry in self._entries():
            link = as_str(entry.get("link"))
            found = _COMMENT_LINK.search(link.split("?")[0])
            if found and found[1].lower() == thread and comparable(entry_text(entry)) == words:
                comment = found[2].lower()
                return PublishedRef(
                    Platform.REDDIT,
                    comment,
                    web_url(link) or f"{WEB_URL}/comments/{thread}/_/{comment}/",
                )
        return None

    def _entries(self) -> Iterator[Any]:
        """The feed's entries, newest first (a few pages)."""
        after: str | None = None
        for _ in range(PAGES):
            url = f"{self._feed_url}?limit={PAGE_SIZE}" + (f"&after={after}" if after else "")
            with looking(f"reading Reddit's feed of u/{self.username}'s comments"):
                entries: Sequence[Any] = parse(get(self._session, self._retry, url), url).entries
            yield from entries
            if len(entries) < PAGE_SIZE:
                return
            after = as_str(entries[-1].get("id"))


def _credentials_refused(reason: str) -> PublishError:
    if CREDENTIALS not in reason:
        reason = f"{reason}; {CREDENTIALS}"
    return PublishError(
        Outcome.NOT_SENT, plain(f"{reason}; nothing was sent, tried again in an hour"),
        retry_after=CREDENTIALS_WAIT,
    )  # fmt: skip


def _created(answer: object) -> PublishedRef:
    """The comment Reddit says it created; its API errors as a refusal or a rate limit."""
    body = as_mapping(as_mapping(answer).get("json"))
    errors = body.get("errors")
    if isinstance(errors, list) and errors:
        raise _api_error(errors)
    things = as_mapping(body.get("data")).get("things")
    data = (
        as_mapping(as_mapping(things[0]).get("data")) if isinstance(things, list) and things else {}
    )
    if not as_str(data.get("id")):
        reason = f"{POSTING}: Reddit did not say which comment it made; {MAY_BE_LIVE}"
        raise PublishError(Outcome.UNKNOWN, reason)
    return _reference(data)


def _reference(data: Mapping[str, Any]) -> PublishedRef:
    """A comment's JSON as the place it now lives (older answers carry no permalink)."""
    id36 = as_str(data.get("id"))
    permalink = as_str(data.get("permalink"))
    thread = as_str(data.get("link_id")).rpartition("_")[2]
    url = web_url(f"{WEB_URL}{permalink}") if permalink.startswith("/") else None
    return PublishedRef(Platform.REDDIT, id36, url or f"{WEB_URL}/comments/{thread}/_/{id36}/")


def _api_error(errors: Sequence[object]) -> PublishError:
    """Reddit's `[[code, message, field], ...]`: RATELIMIT is a wait (nothing was posted);
    anything else is a refusal."""
    items = [
        (as_str(item[0]).upper(), visible(plain(as_str(item[1]))))
        for item in errors
        if isinstance(item, list | tuple) and len(item) >= 2
    ]
    for code, message in items:
        if code == "RATELIMIT":
            reason = f"{POSTING}: rate limited, Reddit says {message!r}; nothing was posted"
            return PublishError(Outcome.NOT_SENT, plain(reason), retry_after=_wait_seconds(message))
    code, message = items[0] if items else ("", "")
    words = _REFUSALS.get(code) or " ".join(
        part for part in (message, f"({visible(code)})" if code else "") if part
    )
    return PublishError(Outcome.REFUSED, plain(f"{POSTING}: refused, {words or 'no reason'}"))


def _wait_seconds(message: str) -> float | None:
    """The wait in Reddit's "try again in 9 minutes." / "Take a break for 5 seconds"."""
    found = _WAIT.search(message)
    return float(found[1]) * _SECONDS[found[2].lower()] if found else None


def _failure(exc: Exception) -> PublishError:
    """What a failed comment POST means: proven not sent, refused, or perhaps live."""
    if isinstance(exc, praw.exceptions.RedditAPIException):  # an HTTP 400 with Reddit's reason
        return _api_error([[item.error_type, item.message] for item in exc.items])
    if isinstance(exc, prawcore.exceptions.BadJSON):
        reason = f"{POSTING}: the answer could not be read; {MAY_BE_LIVE}"
        return PublishError(Outcome.UNKNOWN, reason)
    if isinstance(exc, prawcore.exceptions.ResponseException):
        return failure(exc.response, POSTING, wrote=True, auth_hint=_NOT_ALLOWED)
    if isinstance(exc, prawcore.exceptions.RequestException):
        original = exc.original_exception
        if never_sent(original):
            return PublishError(
                Outcome.NOT_SENT,
                f"{POSTING}: could not connect ({_detail(original)}); nothing was sent",
            )
        if isinstance(original, requests.Timeout | DeadlineExceeded):
            return PublishError(Outcome.UNKNOWN, f"{POSTING}: no answer in time; {MAY_BE_LIVE}")
        reason = f"{POSTING}: the connection broke ({_detail(original)}); {MAY_BE_LIVE}"
        return PublishError(Outcome.UNKNOWN, reason)
    return PublishError(Outcome.UNKNOWN, plain(f"{POSTING}: {_detail(exc)}; {MAY_BE_LIVE}"))


def _thread_id(outgoing: Outgoing) -> str:
    """The base-36 id of the thread a reply goes to."""
    kind, _, id36 = outgoing.target.strip().lower().partition("_")
    if kind == "t3" and id36:
        return id36
    if outgoing.thread_external_id:
        return outgoing.thread_external_id.strip().lower().rpartition("_")[2]
    raise PublishError(Outcome.UNKNOWN, "which Reddit thread this reply went to is not known")


def _detail(exc: Exception) -> str:
    """An error in a few safe words: an HTTP status, our own message, or its kind (the text of
    others' exceptions may quote a URL or a header)."""
    if isinstance(exc, prawcore.exceptions.ResponseException):
        return f"HTTP {exc.response.status_code}"
    if isinstance(exc, SourceError):
        return str(exc)
    if isinstance(exc, prawcore.exceptions.RequestException):
        return _detail(exc.original_exception)
    return type(exc).__name__
