"""A threaded HTTP server on 127.0.0.1 that records every request and can inject faults.

Subclasses implement `route(request) -> Reply`. Faults are queued with `inject()` and consumed by
the next matching request: an HTTP status (429 with Retry-After, 500, 503), a slow answer, a
malformed body, or a connection reset half-way through the body. A fault normally answers instead
of the server; `after_route=True` lets the request take effect first and only spoils its answer
(a write that happened though the client saw a 502 or no answer in time).

Paths under `/_fake/` control the server from another process (a worker under test, a benchmark)
and are neither recorded nor faulted: `GET /_fake/requests` answers `{"count": n}`.
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

CONTROL = "/_fake/"


@dataclass(frozen=True, slots=True)
class Request:
    """One request as the server saw it (query and form values flattened to their last value)."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    #: Every value of repeated parameters (`any[]=a&any[]=b`).
    query_all: dict[str, list[str]] = field(default_factory=dict)

    @property
    def form(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(self.body.decode("utf-8", "replace")).items()}


@dataclass(slots=True)
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json; charset=UTF-8"
    headers: dict[str, str] = field(default_factory=dict)


def json_reply(payload: Any, status: int = 200) -> Reply:
    return Reply(status, json.dumps(payload).encode())


@dataclass(frozen=True, slots=True)
class Fault:
    """A misbehaviour for the next request whose path starts with `path` (any path when empty)."""

    status: int | None = None
    retry_after: str | None = None
    delay: float = 0.0
    malformed: bool = False
    reset: bool = False
    path: str = ""
    #: Route the request first (it takes effect), then misbehave in place of the real answer.
    after_route: bool = False


class LoopbackServer:
    """Start with `with server:` (or start()/stop()); `url` is its base, e.g. http://127.0.0.1:41234."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def inject(self, *faults: Fault) -> None:
        with self._lock:
            self._faults.extend(faults)

    def clear(self) -> None:
        """Forget recorded requests and pending faults."""
        with self._lock:
            self.requests.clear()
            self._faults.clear()

    def count(self, path_prefix: str = "", method: str | None = None) -> int:
        with self._lock:
            return sum(
                1
                for r in self.requests
                if r.path.startswith(path_prefix) and (method is None or r.method == method)
            )

    def route(self, request: Request) -> Reply:
        raise NotImplementedError

    def control(self, request: Request) -> Reply:
        """Answer a `/_fake/...` request; subclasses add their own controls."""
        if request.path == CONTROL + "requests":
            return json_reply({"count": self.count()})
        return json_reply({"error": "unknown control"}, 404)

    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for index, fault in enumerate(self._faults):
                if path.startswith(fault.path):
                    return self._faults.pop(index)
        return None

    def _record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)


def _handler_for(server: LoopbackServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in two writes; without this, Nagle's algorithm and the
            # client's delayed ACK stall every keep-alive response by ~40 ms.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: tests read `server.requests` instead."""

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            query = parse_qs(parts.query)
            request = Request(
                method=self.command,
                path=parts.path,
                query={k: v[-1] for k, v in query.items()},
                headers={k.lower(): v for k, v in self.headers.items()},
                body=self.rfile.read(length) if length else b"",
                query_all=query,
            )
            if request.path.startswith(CONTROL):
                self._send(server.control(request), reset=False)
                return
            server._record(request)
            fault = server._take_fault(request.path)
            routed = server.route(request) if fault is None or fault.after_route else None
            if fault and fault.delay:
                time.sleep(fault.delay)
            if fault and fault.status:
                reply = Reply(fault.status, b'{"message": "injected", "error": %d}' % fault.status)
                if fault.retry_after is not None:
                    reply.headers["Retry-After"] = fault.retry_after
            else:
                reply = routed if routed is not None else server.route(request)
            if fault and fault.malformed:
                reply = Reply(200, reply.body[: max(1, len(reply.body) // 2)] or b"{")
            # A client that gave up (a timeout test) has closed the socket: nothing to tell it.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._send(reply, reset=bool(fault and fault.reset))

        def _send(self, reply: Reply, *, reset: bool) -> None:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if self.close_connection or reset:
                # Say so, as real servers do; else the client may reuse a socket we are closing.
                self.send_header("Connection", "close")
            self.end_headers()
            if not reset:
                self.wfile.write(reply.body)
                return
            self.wfile.write(reply.body[: len(reply.body) // 2])
            self.wfile.flush()
            # SO_LINGER 0 turns close() into a TCP RST: the client sees a reset mid-body.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True

        do_GET = do_POST = do_PUT = do_DELETE = _serve

    return Handler
