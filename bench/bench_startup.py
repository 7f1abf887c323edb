"""Start-up time of the CLI: `engage --help` (target < 0.15 s) and `engage status` (< 0.3 s).

    .venv/bin/python bench/bench_startup.py [--runs 20]

Each command runs in a fresh interpreter, as a user runs it; the median and best are printed.
The status run uses a temporary data directory whose database is created (and migrated) first.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ENGAGE = [sys.executable, "-m", "engage"]
ROOT = Path(__file__).resolve().parents[1]


def timed(args: list[str], env: dict[str, str], runs: int) -> list[float]:
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([*ENGAGE, *args], env=env, check=True, stdout=subprocess.DEVNULL)
        seconds.append(time.perf_counter() - start)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as home:
        env = {
            **os.environ,
            "ENGAGE_HOME": home,
            "ENGAGE_CONFIG": str(ROOT / "config" / "engage.example.toml"),
        }
        subprocess.run([*ENGAGE, "db", "upgrade"], env=env, check=True, stdout=subprocess.DEVNULL)
        for label, args, target in (
            ("engage --help", ["--help"], 0.15),
            ("engage status", ["status"], 0.30),
            ("engage status --json", ["status", "--json"], 0.30),
        ):
            seconds = timed(args, env, runs)
            print(
                f"{label:22} median {statistics.median(seconds) * 1000:6.1f} ms   "
                f"best {min(seconds) * 1000:6.1f} ms   target < {target * 1000:.0f} ms"
            )


if __name__ == "__main__":
    main()
