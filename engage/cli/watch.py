from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import click

from engage.cli.app_context import AppContext
from engage.cli.output import console, emit_json, json_option
from engage.watch.cycle import Progress


@click.command()
@click.option("--once", is_flag=True, help="Poll every source now, once, and exit.")
@json_option
@click.pass_obj
def watch(app: AppContext, once: bool, as_json: bool) -> None:
    """Bring new threads from the watched sources into the database.

    With --once every enabled source is polled now; without it, sources are polled as they
    fall due until you press Ctrl-C (the worker, `engage run`, does this and more).
    Exit code 1 when every polled source failed.
    """
    from engage.jobs import mark_interrupted, run_watch

    mark_interrupted(app.engage.db)  # an earlier run killed mid-job: say so in its row
    while True:
        with progress_bar(enabled=sys.stderr.isatty() and not as_json) as progress:
            report = run_watch(app.engage, only_due=not once, progress=progress)
        if as_json:
            emit_json(report.as_dict())
        else:
            for group in report.groups:
                if group.error:
                    click.echo(f"error: {group.label}: {group.error}", err=True)
            if report.groups or once:
                click.echo(report.summary())
        if once:
            sys.exit(1 if report.groups and report.sources_ok == 0 else 0)
        time.sleep(60)


@contextmanager
def progress_bar(enabled: bool) -> Iterator[Progress | None]:
    """A transient bar on stderr while sources are polled (only on a terminal)."""
    if not enabled:
        yield None
        return
    from rich.progress import Progress as Bar

    with Bar(console=console(stderr=True), transient=True) as bar:
        task = bar.add_task("watching", total=None)

        def advance(done: int, total: int, label: str) -> None:
            bar.update(task, completed=done, total=total, description=f"polling {label}")

        yield advance
