"""A loopback feed server: RSS/Atom documents with ETag/Last-Modified (answering 304 to
conditional requests), redirects, and whatever bytes a test wants to serve as "a feed"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape

from tests.fakes.server import LoopbackServer, Reply, Request


@dataclass(slots=True)
class Document:
    body: bytes
    content_type: str = "application/rss+xml; charset=UTF-8"
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    title: str
    link: str
    html: str = ""
    author: str = ""
    published: datetime = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


class FeedServer(LoopbackServer):
    """`serve(path, document)` publishes; `redirect(path, to, status)` moves; others are 404."""

    def __init__(self) -> None:
        super().__init__()
        self.documents: dict[str, Document] = {}
        self.redirects: dict[str, tuple[int, str]] = {}

    def serve(self, path: str, document: Document) -> str:
        self.documents[path] = document
        return self.url + path

    def redirect(self, path: str, to: str, status: int = 301) -> str:
        self.redirects[path] = (status, to)
        return self.url + path

    def route(self, request: Request) -> Reply:
        if request.path in self.redirects:
            status, to = self.redirects[request.path]
            return Reply(status, b"", "text/plain", {"Location": to})
        document = self.documents.get(request.path)
        if document is None:
            return Reply(404, b"not found", "text/plain")
        headers = {}
        if document.etag:
            headers["ETag"] = document.etag
        if document.last_modified:
            headers["Last-Modified"] = document.last_modified
        etag_match = document.etag and request.headers.get("if-none-match") == document.etag
        date_match = (
            document.last_modified
            and request.headers.get("if-modified-since") == document.last_modified
        )
        if etag_match or (date_match and "if-none-match" not in request.headers):
            return Reply(304, b"", document.content_type, headers)
        return Reply(200, document.body, document.content_type, headers)


def rss(entries: list[Entry], title: str = "A Therapist's Notebook") -> bytes:
    items = "".join(
        f"<item><guid>{escape(e.id)}</guid><title>{escape(e.title)}</title>"
        f"<link>{escape(e.link)}</link><description>{escape(e.html)}</description>"
        f"<author>{escape(e.author)}</author>"
        f"<pubDate>{format_datetime(e.published)}</pubDate></item>"
        for e in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>https://blog.example.org/</link>"
        f"<description>notes</description>{items}</channel></rss>"
    ).encode()


def atom(entries: list[Entry], title: str = "Practice Notes") -> bytes:
    items = "".join(
        f"<entry><id>{escape(e.id)}</id><title>{escape(e.title)}</title>"
        f'<link href="{escape(e.link)}"/><author><name>{escape(e.author)}</name></author>'
        f'<content type="html">{escape(e.html)}</content>'
        f"<published>{e.published.isoformat()}</published>"
        f"<updated>{e.published.isoformat()}</updated></entry>"
        for e in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>urn:practice-notes</id>"
        f"<updated>2026-11-01T09:00:00Z</updated>{items}</feed>"
    ).encode()
