"""The praw client engage talks to Reddit through: credentials, the base URLs (a loopback fake
Reddit in tests), our bounded HTTP session as its transport, and our retries for reads.

Our retries cover GETs and token requests only; a write (POST) is sent once by our requestor.
prawcore has retries of its own (a POST again after a 5xx, a timeout or a dropped connection),
so the client that publishes is built with `publishing=True`, which turns those off too:
retrying a write could publish twice. Must not parse listings or know about checkpoints
(engage.platforms.reddit.api does), nor import database code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import praw
import prawcore
import requests

from engage.sources.http import DEFAULT_USER_AGENT, Limits, RetryPolicy, new_session

WEB_URL = "https://www.reddit.com"


@dataclass(frozen=True, slots=True)
class RedditCredentials:
    """A Reddit app's credentials. A client id and secret alone give read-only access; a username
    and password (script app) or a refresh token add the user's inbox."""

    client_id: str
    client_secret: str | None = None
    username: str | None = None
    password: str | None = None
    refresh_token: str | None = None
    user_agent: str = DEFAULT_USER_AGENT

    @property
    def has_user(self) -> bool:
        return bool(self.refresh_token or (self.username and self.password))


class _RetryingRequestor(prawcore.Requestor):
    """prawcore's requestor with our retries for GETs and token requests.

    Retries happen here, below prawcore, so prawcore never sees a transient failure and its own
    (unpaced, unconfigurable) retries do not run on top of ours. Writes get no retries here,
    only our timeout (prawcore's own is 16 s whatever the config says): retrying a POST could
    publish twice (prawcore's retries of them are off in a client built with `publishing=True`).
    """

    def __init__(self, *, retry: RetryPolicy, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._retry = retry

    def request(self, *args: Any, timeout: float | None = None, **kwargs: Any) -> requests.Response:
        method, url = str(args[0]).upper(), str(args[1])
        if method != "GET" and not url.endswith(prawcore.const.ACCESS_TOKEN_PATH):
            return super().request(*args, timeout=self._retry.timeout, **kwargs)
        http: requests.Session = self._http
        kwargs["timeout"] = self._retry.timeout
        try:
            return self._retry.send(
                lambda: http.request(*args, **kwargs), f"Reddit {method} {urlsplit(url).path}"
            )
        except requests.RequestException as exc:  # not transient (a bad URL, say): as prawcore does
            raise prawcore.exceptions.RequestException(exc, args, kwargs) from None


@dataclass(frozen=True)
class _OneAttempt(prawcore.sessions.FiniteRetryStrategy):
    """prawcore's retry strategy for a client that publishes: one attempt, no sleep before it."""

    retries: int = 0

    def _sleep_seconds(self) -> float | None:
        return None


def connect_reddit(
    credentials: RedditCredentials,
    *,
    api_url: str = "https://oauth.reddit.com",
    auth_url: str = WEB_URL,
    short_url: str = "https://redd.it",
    retry: RetryPolicy | None = None,
    limits: Limits | None = None,
    publishing: bool = False,
) -> praw.Reddit:
    """A praw client pointed at the given base URLs (tests use a loopback fake Reddit).

    Its transport is our limited session, so every request praw makes has the same deadline
    and byte cap as the other sources', and praw never sleeps and posts again on a RATELIMIT
    answer. `publishing`: a client whose writes are attempted once, whatever happens (prawcore
    repeats no request); its GETs still have our retries.
    """
    user = {
        name: value
        for name in ("username", "password", "refresh_token")
        if (value := getattr(credentials, name))
    }
    reddit = praw.Reddit(
        client_id=credentials.client_id,
        client_secret=credentials.client_secret,
        user_agent=credentials.user_agent,
        oauth_url=api_url.rstrip("/"),
        reddit_url=auth_url.rstrip("/"),
        short_url=short_url.rstrip("/"),
        check_for_updates=False,
        check_for_async=False,
        requestor_class=_RetryingRequestor,
        requestor_kwargs={
            "retry": retry or RetryPolicy(),
            "session": new_session(credentials.user_agent, "application/json", limits),
        },
        ratelimit_seconds=0,  # never sleep and post again on a RATELIMIT answer
        **user,
    )
    if publishing:
        # praw has no option for this: its prawcore sessions (one read-only, one for the user)
        # each take the class of their retry strategy from this attribute on every request.
        cores: list[prawcore.Session | None] = [reddit._read_only_core, reddit._authorized_core]
        for core in cores:
            if core is not None:
                core._retry_strategy_class = _OneAttempt
    return reddit
