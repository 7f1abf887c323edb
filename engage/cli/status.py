from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from engage.cli.app_context import AppContext
from engage.cli.output import console, emit_json, json_option

if TYPE_CHECKING:
    from rich.console import Console


@click.command()
@json_option
@click.pass_obj
def status(app: AppContext, as_json: bool) -> None:
    """Where things are, whether the worker runs, each job's last run, anything stuck, how
    each source is doing, and counts by state."""
    from engage.status import collect_status

    report = collect_status(app.config)
    if as_json:
        emit_json(report)
    else:
        _print(report)


def _print(report: dict[str, Any]) -> None:
    from rich.markup import escape
    from rich.table import Table

    out = console()

    def line(text: str) -> None:
        out.print(text, markup=False, soft_wrap=True)

    out.print(f"[bold]engage {report['version']}[/bold]")
    line(f"config    {report['config_file'] or '(none found: defaults; run engage init)'}")
    line(f"data      {report['home']}")
    line(f"database  {report['database']} (schema {report['schema_revision']})")
    _worker(report, out)
    sources = Table(title="Sources", title_justify="left", show_edge=False)
    for column in ("id", "kind", "target", "last poll", "last error"):
        sources.add_column(column)
    for source in report["sources"]:
        error = source["last_error"]
        sources.add_row(
            str(source["id"]),
            source["kind"] + (" (own)" if source["own"] else ""),
            escape(source["target"]),
            source["last_poll_at"] or "never",
            f"[red]{escape(error)}[/red]" if error else "",
        )
    if report["sources"]:
        out.print(sources)
    else:
        line("sources   none yet (engage sources add …, or the [reddit] and [[feeds]] config)")
    for reading in report["reply_reading"]:
        error = f" — last error: {reading['last_error']}" if reading["last_error"] else ""
        last = reading["last_read_at"] or "never"
        line(f"replies   {reading['platform']}: last read {last}{error}")
    counts = report["counts"]
    drafts = ", ".join(f"{n} {state}" for state, n in counts["drafts"].items()) or "none"
    line(
        f"threads {counts['threads']}  matches {counts['matches']}  "
        f"engagements {counts['engagements']}  people {counts['people']}"
    )
    line(f"drafts    {drafts}")
    digest = report["last_digest"]
    if digest:
        problem = f" — {digest['error']}" if digest["error"] else ""
        tries = f" ({digest['attempts']} tries)" if digest["attempts"] > 1 else ""
        retry = (
            f"; next try {digest['next_try_at']}" if digest.get("next_try_at")
            else "; no more tries that day (engage digest --send-now tries again)"
            if digest.get("gave_up") else ""
        )  # fmt: skip
        line(f"digest    {digest['date']}: {digest['status']}{tries}{problem}{retry}")
    _linkedin(report["linkedin"], out)


def _worker(report: dict[str, Any], out: Console) -> None:
    """The worker's heartbeat, each job's last run and last error, and what is stuck."""
    from rich.markup import escape
    from rich.table import Table

    worker = report["worker"]
    beat = worker["last_heartbeat"]
    if worker["alive"]:
        who = f"pid {worker['pid']} on {worker['host']}"
        text, style = f"running ({who}, heartbeat {beat})", "green"
    elif beat:
        text, style = f"not running (last heartbeat {beat}; engage run starts it)", "yellow"
    else:
        text, style = "never run (engage run starts it)", "yellow"
    out.print(f"worker    {text}", style=style, markup=False, soft_wrap=True)
    if report["jobs"]:
        jobs = Table(title="Jobs", title_justify="left", show_edge=False)
        for column in ("job", "last run", "outcome", "last error"):
            jobs.add_column(column)
        for name, job in report["jobs"].items():
            error = f"{job['last_error_at']}: {job['last_error']}" if job["last_error"] else ""
            outcome = job["status"] if job["status"] != "failed" else "[red]failed[/red]"
            jobs.add_row(escape(name), job["last_run_at"] or "", outcome, escape(error))
        out.print(jobs)
    for problem in report["stuck"]:
        out.print(f"stuck     {problem}", style="red", markup=False, soft_wrap=True)


def _linkedin(token: dict[str, Any], out: Console) -> None:
    """The LinkedIn token's expiry (never the token), and the warning when it is time to renew.
    (No emoji codes: a member URN's ":" pairs would turn into pictures.)"""
    if token["connected"]:
        days = token["days_left"]
        until = (
            f"token expires {token['expires_at'][:10]} (in {days} day{'s' if days != 1 else ''})"
            if token["expires_at"] else "token from the environment (expiry unknown)"
        )  # fmt: skip
        who = token["member_urn"] or "connected"
        out.print(f"linkedin  {who}: {until}", markup=False, emoji=False, soft_wrap=True)
    if token["warning"]:
        out.print(f"linkedin  {token['warning']}", style="yellow", markup=False, emoji=False,
                  soft_wrap=True)  # fmt: skip
