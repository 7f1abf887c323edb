"""Digest build + render time on a large database: 1,000,000 threads and 100,000 matches.

    .venv/bin/python bench/bench_digest.py [--threads 1000000] [--matches 100000] [--runs 5]

Target: building and rendering the digest takes < 1 s on the project's 2-core machine.
The database is built once in a temporary directory (about a minute), then the digest is
built and rendered `--runs` times; median and best are printed.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from engage.config import DigestSettings
from engage.db import Database
from engage.digest.build import build_digest
from engage.digest.render import render_digest
from engage.models import Match, Thread

COMMUNITIES = [f"r/community{n}" for n in range(50)]


def populate(db: Database, threads: int, matches: int, now: datetime) -> None:
    from sqlalchemy import insert

    rng = random.Random(7)
    batch = 20_000
    with db.write() as session:
        for start in range(0, threads, batch):
            session.execute(insert(Thread), [
                {"platform": "reddit", "external_id": f"t{n}", "community": rng.choice(COMMUNITIES),
                 "title": f"Thread {n} about couples after disclosure", "body": "text " * 60,
                 "url": f"https://www.reddit.com/r/x/comments/{n}/", "author": "someone",
                 "created_at": now - timedelta(minutes=threads - n),
                 "first_seen_at": now - timedelta(minutes=threads - n),
                 "updated_at": now, "num_comments": n % 40, "score": 1}
                for n in range(start, min(start + batch, threads))
            ])  # fmt: skip
        matched = rng.sample(range(1, threads + 1), matches)
        for start in range(0, matches, batch):
            session.execute(insert(Match), [
                {"thread_id": thread_id, "score": rng.random() * 3, "intent": "consult_question",
                 "specialties": ["sex_addiction"], "flags": [], "crisis": rng.random() < 0.01,
                 "client_side": rng.random() < 0.1, "profile_hash": "bench", "scored_at": now,
                 "reasons": [{"kind": "specialty", "label": "sex_addiction", "text": "disclosure"}]}
                for thread_id in matched[start : start + batch]
            ])  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1_000_000)
    parser.add_argument("--matches", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{Path(folder) / 'bench.db'}")
        db.ensure_schema()
        started = time.perf_counter()
        populate(db, args.threads, args.matches, now)
        print(f"populated {args.threads:,} threads, {args.matches:,} matches "
              f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
        settings = DigestSettings(timezone="America/Los_Angeles", max_threads=10)
        seconds = []
        for _ in range(args.runs):
            start = time.perf_counter()
            with db.read() as session:
                data = build_digest(session, settings, since=None, now=now)
            rendered = render_digest(data)
            seconds.append(time.perf_counter() - start)
        print(f"digest with {data.thread_count} threads, {len(data.crisis)} crisis, "
              f"{len(rendered.html):,} bytes of HTML")  # fmt: skip
        print(f"build + render: median {statistics.median(seconds) * 1000:.0f} ms, "
              f"best {min(seconds) * 1000:.0f} ms (target < 1000 ms)")  # fmt: skip
        db.dispose()


if __name__ == "__main__":
    main()
