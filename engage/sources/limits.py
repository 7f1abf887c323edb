"""Bounds on every request a source makes: a total deadline and a byte cap.

A per-read timeout alone lets a server that sends one byte every few seconds hold a poll for
hours, so each request has a deadline from the first connect to the last byte of the body
(redirects included), enforced by a watchdog that shuts the request's socket down; and its body
is read at most `max_bytes` deep *after* decompression (urllib3 >= 2.6 inflates in bounded
steps), so a gzip bomb costs a few MB, not gigabytes. Both failures are SourceErrors naming the
request, and neither is retried within the poll (the next poll is the retry).

Must not retry (engage.sources.http does) nor know any platform.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import requests
import urllib3.connection
import urllib3.connectionpool
from requests.adapters import HTTPAdapter

from engage.errors import SourceError

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
