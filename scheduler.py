"""`python scheduler.py` starts the worker: the same as `engage run` (options included)."""

import sys

from engage.cli import cli

if __name__ == "__main__":
    cli(["run", *sys.argv[1:]], prog_name="engage")
