from __future__ import annotations

import logging

import click

from engage.cli.context import AppContext


@click.command()
@click.option("--tick", "tick_seconds", type=click.FloatRange(min=0.1), default=60.0,
              show_default=True, help="Seconds between checks for due work.")  # fmt: skip
@click.option("-v", "--verbose", is_flag=True, help="Log every step (default: info).")
@click.pass_obj
def run(app: AppContext, tick_seconds: float, verbose: bool) -> None:
    """Start the worker: polls sources as they fall due until stopped (Ctrl-C or SIGTERM).

    The same as `python scheduler.py`. Logs go to stderr and to <data dir>/logs/engage.log.
    """
    from engage.worker import run_worker

    configure_logging(app, logging.DEBUG if verbose else logging.INFO)
    run_worker(app.engage, tick_seconds)


def configure_logging(app: AppContext, level: int) -> None:
    logs = app.config.home / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    from logging.handlers import RotatingFileHandler

    form = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    handlers: list[logging.Handler] = [
        logging.StreamHandler(),
        RotatingFileHandler(logs / "engage.log", maxBytes=5_000_000, backupCount=3),
    ]
    root = logging.getLogger()
    root.setLevel(level)
    for handler in handlers:
        handler.setFormatter(form)
        root.addHandler(handler)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
