"""Reddit polling efficiency: requests per poll cycle and fetch throughput, against the fake Reddit.

    .venv/bin/python -m bench.bench_reddit_poll [--posts 100000] [--subreddits 50]

The fake Reddit (tests/fakes/reddit.py) runs in a child process holding `--posts` generated
submissions spread over `--subreddits` communities; its clock lets posts arrive between polls.
Printed:

1. Requests per poll cycle for one multireddit walk (RedditSource) against one-listing-per-
   subreddit polling (the same source with every subreddit in its own URL), for several numbers of
   new posts per cycle, with the target ceil(new/100) + 1.
2. Throughput: one walk over every post (pages of 100, JSON over loopback HTTP, parsed into
   FetchedPost), and parsing alone; peak RSS of this (the client) process.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import resource
import time
import urllib.request
from multiprocessing.connection import Connection
from typing import Any

from engage.platforms.reddit.api import RedditSource
from engage.platforms.reddit.client import RedditCredentials, connect_reddit
from engage.sources.base import Checkpoint
from engage.sources.http import RetryPolicy
from tests.fakes.reddit import FakeReddit, RedditStore, generate_submissions

START = 1_780_000_000.0
#: New posts per poll cycle to measure (posts arrive one per second of the fake's clock).
ARRIVALS = (0, 10, 100, 250, 1000, 5000)


def serve(posts: int, subreddits: list[str], pipe: Connection) -> None:
    """Child process: build the store, serve it, report the URL, wait to be told to stop."""
    store = RedditStore()
    store.add_many("t3", generate_submissions(posts, subreddits, start=START))
    with FakeReddit(store) as fake:
        pipe.send(fake.url)
        pipe.recv()


def control(url: str, path: str, method: str = "GET") -> Any:
    request = urllib.request.Request(url + "/_fake/" + path, method=method)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def source(url: str, subreddits: list[str], *, per_subreddit: bool, max_pages: int) -> RedditSource:
    reddit = connect_reddit(
        RedditCredentials("bench", "secret"), api_url=url, auth_url=url, short_url=url,
        retry=RetryPolicy(timeout=60),
    )  # fmt: skip
    # A path limit of 1 puts every subreddit in its own listing: the naive poller.
    return RedditSource(
        subreddits, reddit, max_pages=max_pages, max_path_length=1 if per_subreddit else 1800
    )


def requests_table(url: str, subreddits: list[str]) -> None:
    print(f"\nrequests per poll cycle ({len(subreddits)} subreddits)")
    print(f"{'new':>6} {'multireddit':>11} {'target':>6} {'per-subreddit':>13} {'ratio':>6}")
    clock = START + 10_000  # posts 0..9999 are old; each cycle adds the next `new`
    control(url, f"now?t={clock - 1}", "POST")
    pollers = {
        mode: source(url, subreddits, per_subreddit=mode, max_pages=100) for mode in (False, True)
    }
    checkpoints: dict[bool, Checkpoint] = {mode: p.fetch({})[1] for mode, p in pollers.items()}
    for new in ARRIVALS:
        clock += new
        control(url, f"now?t={clock - 1}", "POST")
        counts = {}
        for mode, poller in pollers.items():
            before = control(url, "requests")["count"]
            posts, checkpoints[mode] = poller.fetch(checkpoints[mode])
            counts[mode] = control(url, "requests")["count"] - before
            assert len(posts) == new, (mode, len(posts), new)
        target = math.ceil(new / 100) + 1
        print(
            f"{new:>6} {counts[False]:>11} {target:>6} {counts[True]:>13}"
            f" {counts[True] / counts[False]:>6.1f}"
        )


def throughput(url: str, subreddits: list[str], posts: int) -> None:
    control(url, "now", "POST")
    poller = source(url, subreddits, per_subreddit=False, max_pages=posts // 100 + 2)
    before = control(url, "requests")["count"]
    start = time.perf_counter()
    fetched, _ = poller.fetch({})
    seconds = time.perf_counter() - start
    requests = control(url, "requests")["count"] - before
    assert len(fetched) == posts, len(fetched)
    print(f"\nfetch: {posts} posts in {seconds:.2f} s = {posts / seconds:,.0f} posts/s"
          f" ({requests} requests, HTTP + JSON + parsing)")  # fmt: skip
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this (client) process, holding all {posts} posts: {peak:.0f} MB")

    raw = generate_submissions(posts, subreddits, start=START)
    start = time.perf_counter()
    parsed = [poller.post(data) for data in raw]
    seconds = time.perf_counter() - start
    assert all(parsed)
    print(f"parse only (JSON dicts to FetchedPost): {posts / seconds:,.0f} posts/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--subreddits", type=int, default=50)
    args = parser.parse_args()
    subreddits = [f"community{n:02d}" for n in range(args.subreddits)]
    mine, theirs = multiprocessing.Pipe()
    server = multiprocessing.Process(target=serve, args=(args.posts, subreddits, theirs))
    server.start()
    try:
        url = mine.recv()
        requests_table(url, subreddits)
        throughput(url, subreddits, args.posts)
    finally:
        mine.send("stop")
        server.join(timeout=10)


if __name__ == "__main__":
    main()
