"""Fetching and reading RSS/Atom with feedparser, shared by blog feeds and Reddit's RSS.

We fetch with requests (our timeout, retries and conditional headers), and hand feedparser only
the bytes, so it never touches the network itself.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import feedparser
import requests

from engage.errors import SourceError
from engage.sources.base import clean_text, html_to_text

ACCEPT = (
    "application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
#: feedparser's "bozo" reasons that leave the parse intact (a charset the server got wrong).
_HARMLESS = (feedparser.CharacterEncodingOverride,)


def parse(response: requests.Response, url: str) -> Any:
    """The parsed feed; SourceError (not retryable) naming `url` when it is not RSS/Atom at all.

    feedparser flags small defects ("bozo") yet still reads the entries: those feeds are kept; a
    defect that leaves no entries (broken XML, an HTML error page) is an error. Entries with
    neither a title nor any text are dropped (broken XML yields such husks, and a blank thread is
    nothing to read or join). An empty answer is an error too, not an empty feed: a feed with no
    posts still says so in XML, while an empty 200 is a server or proxy fault worth showing.
    """
    if not response.content.strip():
        raise SourceError(f"{url}: the server answered HTTP {response.status_code} with no body")
    parsed = feedparser.parse(
        response.content,
        response_headers={k.lower(): v for k, v in response.headers.items()},
    )
    parsed["entries"] = [entry for entry in parsed.entries if not _blank(entry)]
    problem = parsed.get("bozo_exception")
    if parsed.get("bozo") and not parsed.entries and not isinstance(problem, _HARMLESS):
        raise SourceError(f"{url} is not a valid RSS/Atom feed: {problem}", retryable=False)
    if not parsed.get("version") and not parsed.entries:
        raise SourceError(f"{url} is not a valid RSS/Atom feed", retryable=False)
    return parsed


def _blank(entry: Any) -> bool:
    return not entry_title(entry).strip() and not entry_text(entry).strip()


def entry_time(entry: Any) -> datetime | None:
    """When an entry was published (or last updated), in UTC."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            return datetime(*value[:6], tzinfo=UTC)
    return None


def entry_html(entry: Any) -> tuple[str, bool]:
    """The entry's fullest text and whether it is HTML (content beats summary)."""
    for item in entry.get("content") or []:
        if item.get("value"):
            return str(item["value"]), "html" in str(item.get("type", "html"))
    detail = entry.get("summary_detail") or {}
    return str(entry.get("summary") or ""), "html" in str(detail.get("type", "text/html"))


def entry_text(entry: Any) -> str:
    value, is_html = entry_html(entry)
    return html_to_text(value) if is_html else clean_text(value.strip())


def entry_title(entry: Any) -> str:
    """The title as plain text (Atom allows `type="html"` titles)."""
    detail = entry.get("title_detail") or {}
    title = str(entry.get("title") or "")
    return clean_text(html_to_text(title) if "html" in str(detail.get("type", "")) else title, 1000)
