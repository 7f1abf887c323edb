from __future__ import annotations

import logging
import os
import stat
from io import TextIOWrapper
from logging.handlers import RotatingFileHandler

import click

from engage.cli.app_context import AppContext
from engage.errors import UsageError


@click.command()
@click.option("--tick", "tick_seconds", type=click.FloatRange(min=0.1), default=60.0,
              show_default=True, help="Seconds between checks for due work.")  # fmt: skip
@click.option("-v", "--verbose", is_flag=True, help="Log every step (default: info).")
@click.option("-q", "--quiet", is_flag=True,
              help="Only warnings and errors on stderr (the log file keeps info).")  # fmt: skip
@click.pass_obj
def run(app: AppContext, tick_seconds: float, verbose: bool, quiet: bool) -> None:
    """Start the worker: polls sources as they fall due until stopped (Ctrl-C or SIGTERM).

    The same as `python scheduler.py`. Logs go to stderr and to <data dir>/logs/engage.log.
    """
    from engage.worker import run_worker

    if verbose and quiet:
        raise UsageError("--verbose and --quiet contradict each other: give one of them")
    configure_logging(app, logging.DEBUG if verbose else logging.INFO,
                      stderr_level=logging.WARNING if quiet else None)  # fmt: skip
    run_worker(app.engage, tick_seconds)


def configure_logging(app: AppContext, level: int, stderr_level: int | None = None) -> None:
    """stderr and <data dir>/logs/engage.log (owner-only), every handler redacting secrets.
    `stderr_level` quietens the terminal only: the file keeps `level`, for when something
    went wrong while nobody was watching."""
    from engage.redact import install, install_everywhere

    logs = app.config.home / "logs"
    logs.mkdir(mode=0o700, parents=True, exist_ok=True)
    form = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    stderr = logging.StreamHandler()
    stderr.setLevel(max(level, stderr_level or level))
    handlers: list[logging.Handler] = [
        stderr,
        PrivateRotatingFileHandler(logs / "engage.log", maxBytes=5_000_000, backupCount=3),
    ]
    root = logging.getLogger()
    root.setLevel(level)
    for handler in handlers:
        handler.setFormatter(form)
        root.addHandler(install(handler))
    install_everywhere()
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A rotating log readable by its owner only (mode 0600), also after each rollover, and
    made so if an older engage left it readable by others."""

    def _open(self) -> TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        if stat.S_IMODE(os.fstat(fd).st_mode) & 0o077:
            os.fchmod(fd, 0o600)
        return open(fd, "a", encoding=self.encoding, errors=self.errors)
