"""A post's text as Bluesky measures and links it: grapheme count and link facets.

Bluesky limits a post to 300 graphemes (what a reader sees as one character: "é" written as
e + accent, a family emoji joined by zero-width joiners, a flag) and 3000 bytes of UTF-8, and
shows a link as a link only where the record says so (a facet with UTF-8 byte offsets). The
standard library has no grapheme segmentation, so `graphemes` follows the rules that matter for
text people write (combining marks, joiners, variation selectors, skin tones, flags, Hangul
jamo); the server counts exactly, and its refusal stays a refusal.

Must not do IO, nor know anything of engage's drafts.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from engage.sources.base import web_url

MAX_GRAPHEMES = 300
MAX_BYTES = 3000
LINK = "app.bsky.richtext.facet#link"

_ZWJ = "\u200d"
#: A link as Bluesky's own clients find one: http(s), at the start or after a space or "(".
_URL = re.compile(r"(?<![^\s(])https?://\S+", re.IGNORECASE)
_TRAILING = ".,;:!?\"'”’»"


def graphemes(text: str) -> int:
    """How many user-perceived characters `text` has (extended grapheme clusters, closely)."""
    count = 0
    previous = ""
    flags = 0  # regional indicators in the current run: two make one flag
    for char in text:
        if _is_regional_indicator(char):
            flags += 1
            if flags % 2 == 0:
                previous = char
                continue
        else:
            flags = 0
        if previous and _joins(previous, char):
            previous = char
            continue
        count += 1
        previous = char
    return count


def _joins(previous: str, char: str) -> bool:
    """Whether `char` continues the cluster `previous` ends."""
    if previous == "\r" and char == "\n":
        return True
    if previous in "\r\n" or _is_control(previous):
        return False
    code = ord(char)
    if unicodedata.category(char) in ("Mn", "Me", "Mc") or char in (_ZWJ, "\u200c"):
        return True
    if 0x1F3FB <= code <= 0x1F3FF or 0xE0020 <= code <= 0xE007F:  # skin tones, emoji tags
        return True
    if 0x1160 <= code <= 0x11FF or 0xD7B0 <= code <= 0xD7FF:  # Hangul vowel and final jamo
        return True
    return previous == _ZWJ and _is_pictographic(char)


def _is_control(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Zl", "Zp")


def _is_regional_indicator(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def _is_pictographic(char: str) -> bool:
    return unicodedata.category(char) == "So" or 0x1F000 <= ord(char) <= 0x1FAFF


def too_long(text: str) -> str | None:
    """Why Bluesky would refuse `text` for its length, or None."""
    count = graphemes(text)
    if count > MAX_GRAPHEMES:
        return f"longer than Bluesky's {MAX_GRAPHEMES} characters ({count})"
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        return f"longer than Bluesky's {MAX_BYTES} bytes ({size})"
    return None


def link_facets(text: str) -> list[dict[str, Any]]:
    """A link facet for every http(s) URL in `text`, offsets in UTF-8 bytes; trailing
    punctuation and an unmatched closing parenthesis are not part of the link."""
    facets: list[dict[str, Any]] = []
    for match in _URL.finditer(text):
        uri = match.group()
        while uri and (uri[-1] in _TRAILING or (uri[-1] == ")" and "(" not in uri)):
            uri = uri[:-1]
        if web_url(uri) is None:
            continue
        start = len(text[: match.start()].encode("utf-8"))
        facets.append(
            {
                "index": {"byteStart": start, "byteEnd": start + len(uri.encode("utf-8"))},
                "features": [{"$type": LINK, "uri": uri}],
            }
        )
    return facets
