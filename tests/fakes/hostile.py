"""Hostile servers on loopback: one that drips its answer a byte at a time, one that serves a
gzip bomb, and builders for the bodies they serve."""

from __future__ import annotations

import contextlib
import gzip
import socket
import threading
from typing import Self

from tests.fakes.server import LoopbackServer, Reply, Request

FEED_HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 1000000\r\n\r\n"
)


class SlowDripServer:
    """Answers every connection one byte per `interval` seconds, for as long as the client
    listens: the body only (`drip_headers=False`, the headers arrive at once) or the status
    line and headers too. Each byte arrives well within any read timeout, so only a deadline
    on the whole request stops the client."""

    def __init__(self, interval: float, *, drip_headers: bool = False) -> None:
        self.interval = interval
        self.drip_headers = drip_headers
        self.connections = 0
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._listener.getsockname()[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self._listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            self.connections += 1
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            conn.recv(65536)  # the request
            head = b"" if self.drip_headers else FEED_HEAD
            if head:
                conn.sendall(head)
            body = (FEED_HEAD if self.drip_headers else b"") + b"<rss>" + b" " * 1_000_000
            for byte in body:
                if self._stop.wait(self.interval):
                    return
                conn.sendall(bytes([byte]))


def gzip_bomb(expanded_mib: int = 1024) -> bytes:
    """About `expanded_mib` KB of gzip that inflates to `expanded_mib` MiB of zeros: one
    compressed MiB repeated as gzip members (a valid gzip stream; decoders join members)."""
    member = gzip.compress(b"\0" * (1 << 20), compresslevel=9)
    return member * expanded_mib


class RawServer(LoopbackServer):
    """Serves fixed bodies with the headers a test gives (e.g. Content-Encoding: gzip)."""

    def __init__(self) -> None:
        super().__init__()
        self.replies: dict[str, Reply] = {}

    def serve(
        self,
        path: str,
        body: bytes,
        headers: dict[str, str] | None = None,
        content_type: str = "application/rss+xml",
    ) -> str:
        self.replies[path] = Reply(200, body, content_type, dict(headers or {}))
        return self.url + path

    def route(self, request: Request) -> Reply:
        return self.replies.get(request.path) or Reply(404, b"not found", "text/plain")
