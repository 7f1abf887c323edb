"""Ingest throughput: fetched threads stored into SQLite per second, and peak memory.

    .venv/bin/python -m bench.bench_ingest [--posts 100000] [--batch 100]

Posts are generated like the fake Reddit's (tests/fakes/reddit.py: deleted authors, removed and
locked threads, link posts, huge bodies, odd unicode) and parsed into FetchedPost by the real
RedditSource parser one page at a time, then stored with engage.ingest.store_posts, one poll page
(`--batch`) per write transaction, as `engage watch` does. A second pass stores the same posts
again (nothing new, counts compared), which is what every later poll of seen threads costs.
Target: >= 5,000 threads/s on the project's 2-core machine; peak RSS < 200 MB.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from engage.db import Database
from engage.ingest import store_posts
from engage.platforms.reddit.api import RedditSource
from engage.types import FetchedPost
from tests.fakes.reddit import FIRST_POST_ID, generate_submissions

SUBREDDITS = [f"community{n}" for n in range(50)]


def pages(count: int, batch: int) -> Iterator[list[FetchedPost]]:
    """Poll pages of parsed posts, generated as they are needed (as a poll receives them)."""
    parser = RedditSource.__new__(RedditSource)
    parser._web_url = "https://www.reddit.com"  # the parser only needs the web URL
    for offset in range(0, count, batch):
        raw = generate_submissions(min(batch, count - offset), SUBREDDITS,
                                   first_id=FIRST_POST_ID + offset, seed=offset)  # fmt: skip
        yield [post for data in raw if (post := parser.post(data)) is not None]


def store(db: Database, count: int, batch: int) -> tuple[float, int, int]:
    """Store every page in its own write transaction; the time includes generating and parsing."""
    start = time.perf_counter()
    new = updated = 0
    for page in pages(count, batch):
        with db.write() as session:
            result = store_posts(session, page, source_id=None)
        new += len(result.new)
        updated += len(result.updated)
    return time.perf_counter() - start, new, updated


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{Path(folder) / 'bench.db'}")
        db.ensure_schema()
        seconds, new, _ = store(db, args.posts, args.batch)
        rate = new / seconds
        print(f"first pass: {new:,} new threads in {seconds:.1f} s = {rate:,.0f} threads/s "
              f"(batches of {args.batch}; target >= 5,000/s)")  # fmt: skip
        seconds, new, updated = store(db, args.posts, args.batch)
        print(f"second pass (all seen): {args.posts:,} threads checked in {seconds:.1f} s = "
              f"{args.posts / seconds:,.0f}/s; {new} new, {updated} updated")  # fmt: skip
        db.dispose()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak_mb:,.0f} MB (target < 200 MB)")


if __name__ == "__main__":
    main()
