"""HTTP for every source: bounded retries, a total deadline and a byte cap on every request.

A 429 waits what the server's Retry-After asks; 5xx answers, timeouts and dropped connections
back off exponentially with jitter. `sleep` is injectable so tests never wait.

Every request made through `new_session` (feeds, Reddit's RSS, praw's transport, Mastodon,
Bluesky) is also bounded as a whole (`Limits`): a per-read timeout alone lets a server that
sends one byte every few seconds hold a poll for hours, so each request has a deadline from
the first connect to the last byte of the body (redirects included), enforced by a watchdog
that shuts the request's socket down; and its body is read at most `max_bytes` deep *after*
decompression (urllib3 >= 2.6 inflates in bounded steps), so a gzip bomb costs a few MB, not
gigabytes. Both failures are SourceErrors naming the request, and neither is retried within
the poll (the next poll is the retry).
"""

from __future__ import annotations

import contextlib
import random
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import requests
import urllib3.connection
import urllib3.connectionpool
from requests.adapters import HTTPAdapter

from engage.errors import SourceError

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


def retry_after(response: requests.Response) -> float | None:
    """Seconds the server asked us to wait (Retry-After as seconds or an HTTP date, else Reddit's
    x-ratelimit-reset), if any."""
    value = (
        response.headers.get("Retry-After") or response.headers.get("x-ratelimit-reset") or ""
    ).strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


#: The whole of one request, connect to last byte; generous for a 10 MB feed on a slow line.
DEFAULT_DEADLINE = 60.0
#: Largest body read, counted after decompression.
DEFAULT_MAX_BYTES = 10_000_000
_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """What one request may cost: `deadline` seconds in all, `max_bytes` of (decoded) body."""

    deadline: float = DEFAULT_DEADLINE
    max_bytes: int = DEFAULT_MAX_BYTES


class DeadlineExceeded(SourceError):
    """A request did not finish within its deadline (a stalled or slow-drip server)."""


class ResponseTooLarge(SourceError):
    """A response body was larger than the cap (after decompression)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, retryable=False)


class _Deadline:
    """A watchdog for one request: when it fires, every socket the request used is shut down,
    which wakes a read blocked on it; the request then fails and `expired` says why.

    It holds duplicates of the sockets' descriptors (shutdown acts on the connection, not the
    descriptor), so it also reaches a socket that TLS has wrapped or urllib3 has closed.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._lock = threading.Lock()
        self._done = False
        self._sockets: list[socket.socket] = []
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def watch(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            if self._done:
                return
            try:
                duplicate = socket.fromfd(sock.fileno(), sock.family, sock.type)
            except OSError:
                return
            self._sockets.append(duplicate)
            if self.expired:
                _shut(duplicate)

    def _fire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._timer.cancel()
        with self._lock:
            self._done = True
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


_active = threading.local()


def _current_deadline() -> _Deadline | None:
    deadline: _Deadline | None = getattr(_active, "deadline", None)
    return deadline


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[_Deadline]:
    with _Deadline(seconds) as deadline:
        _active.deadline = deadline
        try:
            yield deadline
        finally:
            _active.deadline = None


# urllib3's classes with the deadline's hooks, under their own names (errors name them).


class HTTPConnection(urllib3.connection.HTTPConnection):
    """Hands each socket it connects or reuses to the current request's deadline."""

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        if (deadline := _current_deadline()) is not None:
            deadline.watch(sock)
        return sock

    def request(self, *args: Any, **kwargs: Any) -> None:
        if self.sock is not None and (deadline := _current_deadline()) is not None:
            deadline.watch(self.sock)  # a kept-alive connection, connected by an earlier request
        super().request(*args, **kwargs)


class HTTPSConnection(HTTPConnection, urllib3.connection.HTTPSConnection):
    pass


class HTTPConnectionPool(urllib3.connectionpool.HTTPConnectionPool):
    ConnectionCls = HTTPConnection


class HTTPSConnectionPool(urllib3.connectionpool.HTTPSConnectionPool):
    ConnectionCls = HTTPSConnection


_WATCHED_POOLS = {"http": HTTPConnectionPool, "https": HTTPSConnectionPool}


class _LimitedAdapter(HTTPAdapter):
    """Connections watched by the deadline; bodies always read here, at most `max_bytes` deep
    after decompression (so `stream=True` is not supported: nothing here needs it)."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _WATCHED_POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = _WATCHED_POOLS
        return manager

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        kwargs["stream"] = True
        response: requests.Response = super().send(request, *args, **kwargs)
        try:
            response._content = _read_capped(response, self.limits.max_bytes, request)
        except BaseException:
            response.close()
            raise
        response._content_consumed = True
        response.raw.release_conn()
        return response


def _read_capped(
    response: requests.Response, max_bytes: int, request: requests.PreparedRequest
) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise ResponseTooLarge(
            _too_large(request, max_bytes, f"it announces {int(declared):,} bytes")
        )
    body = bytearray()
    for chunk in response.iter_content(_CHUNK):
        body += chunk
        if len(body) > max_bytes:
            raise ResponseTooLarge(_too_large(request, max_bytes, "stopped reading"))
    return bytes(body)


def _too_large(request: requests.PreparedRequest, max_bytes: int, detail: str) -> str:
    return (
        f"{request.method} {request.url}: the answer is larger than {_megabytes(max_bytes)}"
        f" (decompressed; {detail}); [network] max_response_mb sets the cap"
    )


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:g} MB"


class LimitedSession(requests.Session):
    """A requests session whose every request (redirects included) finishes within
    `limits.deadline` seconds and reads at most `limits.max_bytes` of body, or fails with
    DeadlineExceeded / ResponseTooLarge."""

    def __init__(self, limits: Limits | None = None) -> None:
        super().__init__()
        self.limits = limits or Limits()
        adapter = _LimitedAdapter(self.limits)
        self.mount("http://", adapter)
        self.mount("https://", adapter)

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        if _current_deadline() is not None:  # a redirect within the request: same deadline
            return super().send(request, **kwargs)
        with _deadline(self.limits.deadline) as deadline:
            try:
                response = super().send(request, **kwargs)
            except (requests.RequestException, OSError) as exc:
                if deadline.expired:
                    raise DeadlineExceeded(
                        f"{request.method} {request.url}: deadline exceeded (no complete answer"
                        f" within {deadline.seconds:g} s); [network] request_deadline_seconds"
                        " sets it"
                    ) from exc
                raise
        return response


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
