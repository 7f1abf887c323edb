"""The listing walk and multireddit chunking on an in-memory listing (no HTTP)."""

from __future__ import annotations

import json
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from engage.platforms.reddit.listing import chunk_subreddits, normalise_subreddits, walk_listing


class Listing:
    """Ids 1..n (base 36), newest first, pages of `size`; `gone` ids are deleted (not listed)."""

    def __init__(self, size: int = 3) -> None:
        self.ids: list[int] = []
        self.gone: set[int] = set()
        self.size = size
        self.requests = 0

    def add(self, count: int) -> None:
        start = len(self.ids) + 1
        self.ids.extend(range(start, start + count))

    def page(self, after: str | None) -> tuple[list[str], str | None]:
        self.requests += 1
        live = [i for i in reversed(self.ids) if i not in self.gone]
        if after is not None:
            live = [i for i in live if i < int(after.removeprefix("t3_"), 36)]
        page = live[: self.size]
        more = len(live) > self.size
        return [_b36(i) for i in page], f"t3_{_b36(page[-1])}" if more else None


def _b36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while number:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
    return out


def test_first_walk_takes_the_newest_pages_without_a_hole() -> None:
    listing = Listing()
    listing.add(20)

    walk = walk_listing(listing.page, None, lambda i: i, max_pages=2)

    assert walk.items == [_b36(i) for i in range(20, 14, -1)]
    assert walk.state == {"top": "k", "holes": []}
    assert walk.pages == 2


def test_walk_stops_at_the_checkpoint_even_when_that_post_was_deleted() -> None:
    listing = Listing()
    listing.add(10)
    state = walk_listing(listing.page, None, lambda i: i, max_pages=5).state
    listing.gone.add(10)
    listing.add(2)

    walk = walk_listing(listing.page, state, lambda i: i, max_pages=5)

    assert walk.items == ["c", "b"] and walk.pages == 1


def test_unordered_items_are_skipped() -> None:
    listing = Listing()
    listing.add(4)

    walk = walk_listing(listing.page, None, lambda i: None if i == "3" else i, max_pages=5)

    assert walk.items == ["4", "2", "1"]


@settings(max_examples=60, deadline=None)
@given(
    arrivals=st.lists(st.integers(min_value=0, max_value=25), min_size=1, max_size=12),
    max_pages=st.integers(min_value=2, max_value=4),
    size=st.integers(min_value=1, max_value=4),
)
def test_nothing_lost_or_repeated_whatever_the_budget(
    arrivals: list[int], max_pages: int, size: int
) -> None:
    listing = Listing(size)
    listing.add(5)
    state = walk_listing(listing.page, None, lambda i: i, max_pages=2).state
    seen: list[str] = []
    for count in arrivals:
        listing.add(count)
        walk = walk_listing(listing.page, json.loads(json.dumps(state)), lambda i: i, max_pages)
        assert walk.pages <= max_pages
        seen.extend(walk.items)
        state = walk.state
    for _ in range(200):  # quiet polls drain the holes
        if not state["holes"]:
            break
        walk = walk_listing(listing.page, state, lambda i: i, max_pages)
        seen.extend(walk.items)
        state = walk.state
    new = {_b36(i) for i in range(6, len(listing.ids) + 1)}
    assert len(seen) == len(set(seen))
    # Beyond five holes the oldest ranges are given up (logged); without that, nothing is lost.
    assert set(seen) <= new
    if len(arrivals) <= 5:
        assert set(seen) == new


def test_chunks_fit_the_limit_and_keep_every_name() -> None:
    names = normalise_subreddits(["R/Therapists", "r/anxiety/", "/r/OCD", "anxiety", " "])
    assert names == ["anxiety", "ocd", "therapists"]
    assert chunk_subreddits(names, 1000) == ["anxiety+ocd+therapists"]
    assert chunk_subreddits(names, 12) == ["anxiety+ocd", "therapists"]
    many = [f"sub{n:04d}" for n in range(1000)]
    chunks = chunk_subreddits(many, 100)
    assert all(len(c) <= 100 for c in chunks)
    assert [n for c in chunks for n in c.split("+")] == many
    assert len(chunks) == math.ceil(1000 / 12)  # 12 names of 7 characters and 11 "+" fit 100
