"""The contract every source meets, and text clean-up shared by all of them."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any, Protocol, runtime_checkable
from urllib.parse import urlsplit

from engage import invisible
from engage.types import FetchedComment, FetchedPost, SourceKind

#: A source's resume point. Plain JSON (str keys, JSON values) so the database can store it as is.
Checkpoint = dict[str, Any]

#: Longest text kept from one post or comment. Reddit caps self posts at 40,000 characters; a feed
#: can carry a whole book, which the matcher and the database must not have to swallow.
MAX_TEXT_CHARS = 60_000

_SURROGATES = re.compile("[\ud800-\udfff]")
#: Terminal escape sequences whole (CSI `ESC [ ... m`, OSC `ESC ] ... BEL` and their C1
#: forms), so nothing of them is left behind as `[2J` once the controls are gone.
_ESCAPES = re.compile(
    "(?:\x1b\\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, screen clears
    "|(?:\x1b[]PX^_]|[\x90\x98\x9d-\x9f])[^\x07\x1b\x9c]{0,4096}(?:\x07|\x1b\\\\|\x9c)"  # OSC
    "|\x1b[ -/]*[0-~]"  # two-character escapes (ESC c resets the terminal)
)
#: C0 controls but tab and newlines, DEL, and the C1 controls (U+009B is CSI on some terminals).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_UNSAFE_IN_URL = re.compile("[\\s\x00-\x1f\x7f-\x9f]")
#: Longest URL stored (the database column's size).
MAX_URL_CHARS = 2000


class Source(Protocol):
    """Turns one platform's API into FetchedPost values, incrementally.

    `fetch` never returns what `checkpoint` already covers, and never mutates it: the caller stores
    the returned checkpoint in the same transaction as the posts, so a failure (an exception) leaves
    the old checkpoint in place and nothing is lost or skipped.
    """

    kind: SourceKind

    def fetch(self, checkpoint: Checkpoint) -> tuple[list[FetchedPost], Checkpoint]: ...


@runtime_checkable
class Conversational(Protocol):
    """A source that can also follow threads: new comments on them, their current state, and
    replies to the therapist (Reddit's API; not its RSS, not feeds)."""

    has_user: bool

    def fetch_comments(
        self, thread_ids: Collection[str], checkpoint: Checkpoint
    ) -> tuple[list[FetchedComment], Checkpoint]: ...

    def fetch_inbox(self, checkpoint: Checkpoint) -> tuple[list[FetchedComment], Checkpoint]: ...

    def refresh(self, thread_ids: Iterable[str]) -> list[FetchedPost]: ...


def clean_text(text: object, limit: int = MAX_TEXT_CHARS) -> str:
    """Text safe for every store and terminal: no NUL/control bytes (PostgreSQL rejects NUL; ESC
    starts the escape sequences that redraw a terminal), no lone surrogates (not encodable as
    UTF-8), bounded length. The one sanitiser for text from outside, fetched or typed."""
    if not isinstance(text, str):
        return ""
    text = _CONTROL.sub("", _ESCAPES.sub("", _SURROGATES.sub("\ufffd", text)))
    return text[:limit]


def visible(text: str) -> str:
    """Untrusted text made safe for a terminal: escape sequences and invisible or
    direction-changing characters become visible markers, so a post can't redraw the screen or
    hide words from the reader."""
    return invisible.PATTERN.sub(lambda m: f"⟨U+{ord(m.group(0)):04X}⟩", text)


def web_url(value: object, *, credentials: bool = False) -> str | None:
    """`value` if it is an absolute http(s) URL with a host and nothing a terminal or a browser
    could misread (spaces, control characters); else None. The only URLs engage stores, links
    or opens: `javascript:`, `data:`, `file:` and the like never get through.

    A user name (`https://bank.example@evil.example/`) is refused too unless `credentials`: a
    link from outside has no business carrying one, while a feed the therapist configures may
    (a private feed behind HTTP authentication)."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if _UNSAFE_IN_URL.search(url) or len(url) > MAX_URL_CHARS:
        return None
    try:
        parts = urlsplit(url)
        host, user = parts.hostname, parts.username
        parts.port  # noqa: B018  (raises ValueError on a port that is not a number)
    except ValueError:  # "http://[::1" and the like
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    if user is not None and not credentials:
        return None
    return url


def as_str(value: object) -> str:
    """A JSON field as text; anything else (missing, null, a number) is empty."""
    return value if isinstance(value, str) else ""


def as_mapping(value: object) -> Mapping[str, Any]:
    """A JSON object field; anything else is an empty mapping."""
    return value if isinstance(value, dict) else {}


def as_int(value: object) -> int:
    """A JSON count as int; missing or unreadable counts are 0."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return 0
    try:
        return int(float(value))
    except (ValueError, OverflowError):
        return 0


def from_iso(value: object) -> datetime | None:
    """A UTC datetime from an ISO 8601 string ("...Z" included); None when unreadable."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def from_timestamp(value: object) -> datetime | None:
    """A UTC datetime from an epoch number as the APIs send it (int, float or numeric string)."""
    try:
        return datetime.fromtimestamp(float(value), UTC)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError, OSError):
        return None


class _TextExtractor(HTMLParser):
    _BLOCKS = frozenset(
        {"p", "br", "div", "li", "ul", "ol", "blockquote", "pre", "tr", "hr", "table"}
        | {f"h{n}" for n in range(1, 7)}
    )
    _SKIP = frozenset({"script", "style", "head", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Readable plain text from feed HTML: entities decoded, paragraphs kept, scripts dropped."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    text = _SPACES.sub(" ", "".join(extractor.parts))
    text = "\n".join(line.strip() for line in text.split("\n"))
    return clean_text(_BLANK_LINES.sub("\n\n", text).strip())
