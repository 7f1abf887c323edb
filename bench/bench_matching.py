"""Throughput of the matcher: posts scored per second on one core for a 15-specialty profile.

Run: .venv/bin/python bench/bench_matching.py [--seconds N]
explain=False is ranking only (no Reason objects); explain=True also builds every reason.
Uses the labelled dev threads in tests/data/eval (their text only) as a realistic post mix.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from engage.matching import Matcher, load_taxonomy
from engage.matching.evaluate import read_threads
from engage.types import Profile, ScoringInput

THREADS = Path(__file__).resolve().parents[1] / "tests" / "data" / "eval" / "threads-dev.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0, help="how long to measure")
    args = parser.parse_args()

    taxonomy = load_taxonomy()
    profile = Profile(
        specialties={slug: 1.0 - i / 30 for i, slug in enumerate(sorted(taxonomy.specialties))},
        location="Southern California",
        licensed_in=("CA", "NY", "TX"),
        practice="group practice owner",
        extra_terms=('"betrayal trauma" OR (EMDR AND NOT software)',),
        exclusions=("webinar AND discount",),
    )
    matcher = Matcher(taxonomy, profile)
    posts = [ScoringInput(r["title"], r["body"], r["community"]) for r in read_threads(THREADS)]
    characters = sum(len(p.title) + len(p.body) for p in posts) / len(posts)

    for explain in (False, True):
        scored = 0
        start = time.perf_counter()
        while time.perf_counter() - start < args.seconds:
            for post in posts:
                matcher.score(post, explain=explain)
            scored += len(posts)
        rate = scored / (time.perf_counter() - start)
        print(
            f"{len(profile.specialties)} specialties, {len(posts)} distinct posts "
            f"(mean {characters:.0f} characters), explain={explain}: {rate:,.0f} posts/s"
        )


if __name__ == "__main__":
    main()
