"""Walking Reddit listings (API JSON or RSS) newest-first, down to what a checkpoint covers.

Reddit's ids are base-36 counters, so "newer" is "larger id" even when the post the checkpoint
remembers has since been deleted. One walk covers a multireddit (`a+b+c`), so the number of
requests grows with the number of new posts, not with the number of subreddits.

A listing's checkpoint state is `{"top": id36 | None, "holes": [{"after": fullname, "floor":
id36 | None}]}`: everything newer than `top` is unseen; a hole is a range the page budget cut
short (older than the item `after`, newer than `floor`), continued on the next poll.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from engage.errors import SourceError

log = logging.getLogger(__name__)

T = TypeVar("T")

PAGE_SIZE = 100
#: Holes kept per listing; beyond this the oldest is given up (and logged) rather than grow forever.
MAX_HOLES = 5
#: Path length a multireddit URL is kept under; Reddit and proxies reject very long URLs.
MAX_PATH_LENGTH = 1800

#: What Reddit allows in a community's name (a few old two-letter ones included).
SUBREDDIT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_]{1,20}")

#: Fetch one page: (after cursor or None for the newest) -> (items newest first, next cursor).
FetchPage = Callable[[str | None], tuple[list[T], str | None]]


def id_number(id36: str) -> int | None:
    """The number a Reddit id stands for (a `t3_`-style prefix is allowed); None if unreadable."""
    try:
        return int(id36.rpartition("_")[2], 36)
    except ValueError:
        return None


def _checkpoint_number(id36: str | None) -> int | None:
    if id36 is None:
        return None
    if (number := id_number(id36)) is None:
        raise SourceError(f"the stored checkpoint holds a bad Reddit id {id36!r}", retryable=False)
    return number


def community_name(subreddit: str) -> str:
    """How engage names a subreddit everywhere (config weights, matching, digest): `r/name`."""
    name = subreddit.strip().removeprefix("/").removeprefix("r/")
    return f"r/{name}" if name else ""


def normalise_subreddits(names: Iterable[str]) -> list[str]:
    """Sorted, de-duplicated, lower-cased names without `r/`; the order fixes the chunk keys."""
    cleaned = {
        name.strip().lower().removeprefix("/").removeprefix("r/").strip("/") for name in names
    }
    return sorted(name for name in cleaned if name)


def subreddit_problem(name: str) -> str | None:
    """Why `name` (as typed: `r/` and slashes allowed) can't be a subreddit, or None."""
    bare = name.strip().removeprefix("/").removeprefix("r/").strip("/")
    if not bare:
        return "is empty: give a community's name, e.g. therapists"
    if not SUBREDDIT_NAME.fullmatch(bare):
        return "is not a subreddit name (2-21 letters, digits or _, as in r/therapists)"
    return None


def chunk_subreddits(names: Sequence[str], max_length: int = MAX_PATH_LENGTH) -> list[str]:
    """Join subreddits into as few `a+b+c` multireddit names as fit `max_length` characters each."""
    chunks: list[str] = []
    current = ""
    for name in names:
        candidate = f"{current}+{name}" if current else name
        if current and len(candidate) > max_length:
            chunks.append(current)
            candidate = name
        current = candidate
    if current:
        chunks.append(current)
    return chunks


@dataclass(slots=True)
class _Segment:
    after: str | None
    floor: str | None


@dataclass(slots=True)
class Walk(Generic[T]):
    """What one listing walk saw: the new items (newest first), its next state, pages fetched."""

    items: list[T]
    state: dict[str, Any]
    pages: int


def walk_listing(
    fetch_page: FetchPage[T],
    state: dict[str, Any] | None,
    key: Callable[[T], str | None],
    max_pages: int,
) -> Walk[T]:
    """Fetch what is new since `state`, newest first, within `max_pages` requests.

    `key` gives an item's id36 (None: not ordered, e.g. a private message in the inbox; such items
    are skipped). The first walk (no state) takes the newest `max_pages` pages and leaves no hole.
    While holes are pending the newest range gets one page less, so holes always make progress.
    """
    if max_pages < 2:
        raise ValueError("a listing walk needs at least 2 pages (one is kept for holes)")
    state = state or {}
    top: str | None = state.get("top")
    segments = [_Segment(None, top)] + [
        _Segment(str(hole["after"]), hole.get("floor"))
        for hole in state.get("holes", [])
        if isinstance(hole, dict) and hole.get("after")
    ]
    items: list[T] = []
    seen: set[str] = set()
    holes: list[dict[str, Any]] = []
    new_top, top_number = top, _checkpoint_number(top)
    pages = 0
    for index, segment in enumerate(segments):
        if pages >= max_pages:
            holes.extend({"after": s.after, "floor": s.floor} for s in segments[index:])
            break
        floor = _checkpoint_number(segment.floor)
        limit = max_pages - 1 if index == 0 and len(segments) > 1 else max_pages
        cursor = segment.after
        while True:
            page, next_cursor = fetch_page(cursor)
            pages += 1
            reached = False
            for item in page:
                item_id = key(item)
                number = None if item_id is None else id_number(item_id)
                if item_id is None or number is None:
                    continue
                if floor is not None and number <= floor:
                    reached = True
                    break
                if item_id in seen:
                    continue
                seen.add(item_id)
                items.append(item)
                if segment.after is None and (top_number is None or number > top_number):
                    new_top, top_number = item_id, number
            if reached or not page or next_cursor is None:
                break
            cursor = next_cursor
            if pages >= limit:
                if segment.after is not None or segment.floor is not None:
                    holes.append({"after": cursor, "floor": segment.floor})
                break
    if len(holes) > MAX_HOLES:
        log.warning("giving up %d unread listing ranges beyond the newest", len(holes) - MAX_HOLES)
        holes = holes[:MAX_HOLES]
    return Walk(items, {"top": new_top, "holes": holes}, pages)
