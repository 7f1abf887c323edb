"""HTTP for every source: bounded retries, and sessions whose every request has a total deadline
and a byte cap (engage.sources.limits).

A 429 waits what the server's Retry-After asks; 5xx answers, timeouts and dropped connections
back off exponentially with jitter. `sleep` is injectable so tests never wait. Every request
made through `new_session` (feeds, Reddit's RSS, praw's transport, Mastodon, Bluesky) is also
bounded as a whole (`Limits`). Must not know any platform, nor retry a write.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import requests

from engage.errors import SourceError
from engage.sources.base import from_iso
from engage.sources.limits import (
    DeadlineExceeded,
    LimitedSession,
    Limits,
    ResponseTooLarge,
)

__all__ = [
    "DEFAULT_USER_AGENT",
    "DeadlineExceeded",
    "LimitedSession",
    "Limits",
    "ResponseTooLarge",
    "RetryPolicy",
    "get",
    "get_json",
    "new_session",
    "retry_after",
]

DEFAULT_USER_AGENT = "engage/0.1 (conversation finder for psychotherapists)"
MAX_REDIRECTS = 5

#: Answers that say "try again later" (Cloudflare's 520/522 included, as Reddit sits behind it).
RETRY_STATUSES = frozenset({408, 500, 502, 503, 504, 520, 522})
TRANSIENT_ERRORS: tuple[type[Exception], ...] = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How hard a source tries before it gives up with a retryable SourceError."""

    attempts: int = 4
    base_delay: float = 1.0
    max_delay: float = 30.0
    #: A Retry-After longer than this is not waited out inside one poll; the scheduler retries.
    max_retry_after: float = 300.0
    timeout: float = 20.0
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)
    jitter: Callable[[], float] = field(default=random.random, compare=False)

    def backoff(self, attempt: int) -> float:
        """Exponential delay for the given (1-based) failed attempt, with equal jitter."""
        delay = min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))
        return delay / 2 + self.jitter() * delay / 2

    def send(self, request: Callable[[], requests.Response], what: str) -> requests.Response:
        """Call `request` until it gives a non-transient answer; raise SourceError when exhausted.

        `what` names the resource in the error, e.g. "GET https://example.org/feed.xml".
        """
        failure = ""
        for attempt in range(1, self.attempts + 1):
            try:
                response = request()
            except TRANSIENT_ERRORS as exc:
                failure = f"{type(exc).__name__}: {exc}"
                delay = self.backoff(attempt)
            else:
                if response.status_code == 429:
                    failure = "HTTP 429 Too Many Requests"
                    delay = retry_after(response) or self.backoff(attempt)
                    if delay > self.max_retry_after:
                        raise SourceError(
                            f"{what}: rate limited, the server asks to wait {delay:.0f} s"
                        )
                elif response.status_code in RETRY_STATUSES:
                    failure = f"HTTP {response.status_code}"
                    delay = self.backoff(attempt)
                else:
                    return response
                response.close()
            if attempt < self.attempts:
                self.sleep(delay)
        raise SourceError(f"{what}: gave up after {self.attempts} attempts (last: {failure})")


#: A rate-limit reset above this is an epoch time, not a number of seconds.
_EPOCH_AFTER = 1_000_000_000.0


def retry_after(response: requests.Response) -> float | None:
    """Seconds a server asked us to wait: Retry-After (seconds or an HTTP date), else the reset
    time of its rate-limit window (seconds as Reddit sends it, an epoch time as Bluesky does, or
    ISO 8601 as Mastodon does)."""
    for name in ("Retry-After", "RateLimit-Reset", "X-RateLimit-Reset"):
        value = response.headers.get(name, "").strip()
        if value and (seconds := _seconds_until(value)) is not None:
            return seconds
    return None


def _seconds_until(value: str) -> float | None:
    now = datetime.now(UTC)
    try:
        number = float(value)
    except ValueError:
        pass
    else:
        if number != number or number in (float("inf"), float("-inf")):
            return None
        if number > _EPOCH_AFTER:
            return max(0.0, number - now.timestamp())
        return max(0.0, number)
    when = from_iso(value)
    if when is None:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def new_session(user_agent: str, accept: str, limits: Limits | None = None) -> requests.Session:
    session = LimitedSession(limits)
    session.headers.update({"User-Agent": user_agent, "Accept": accept})
    session.max_redirects = MAX_REDIRECTS
    return session


def get(
    session: requests.Session,
    retry: RetryPolicy,
    url: str,
    *,
    headers: dict[str, str] | None = None,
    params: dict[str, str] | list[tuple[str, str]] | None = None,
) -> requests.Response:
    """GET with retries; then a 4xx is final (SourceError, not retryable), a 5xx is not; 304
    passes through."""
    try:
        response = retry.send(
            lambda: session.get(url, headers=headers, params=params, timeout=retry.timeout),
            f"GET {url}",
        )
    except requests.RequestException as exc:  # not transient: a bad URL, a redirect loop
        raise SourceError(f"GET {url}: {exc}", retryable=False) from exc
    if response.status_code >= 400:
        status = response.status_code
        raise SourceError(f"GET {url}: HTTP {status}", retryable=status >= 500)
    return response


def get_json(
    session: requests.Session,
    retry: RetryPolicy,
    url: str,
    *,
    headers: dict[str, str] | None = None,
    params: dict[str, str] | list[tuple[str, str]] | None = None,
) -> Any:
    """GET a JSON API; malformed JSON is a retryable SourceError (a proxy's truncated answer)."""
    response = get(session, retry, url, headers=headers, params=params)
    try:
        return response.json()
    except ValueError as exc:
        raise SourceError(f"GET {url}: malformed JSON") from exc
