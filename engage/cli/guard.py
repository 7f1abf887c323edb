from __future__ import annotations

import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from engage.cli.output import console, emit_json, json_option


@click.group("guard")
def guard_group() -> None:
    """Check any text for client details, clinical advice, solicitation and the like."""


@guard_group.command("check")
@click.argument("file", required=False, type=click.File("r", encoding="utf-8"), default="-")
@click.option("--context", default="", help="The thread the text answers (one sentence is enough).")
@json_option
def check(file: Any, context: str, as_json: bool) -> None:
    """Check FILE (or standard input, `-`). Exit 1 when anything is flagged."""
    from engage import guard
    from engage.errors import UsageError

    try:
        text = file.read()
    except UnicodeDecodeError:
        raise UsageError(f"{file.name}: not UTF-8 text (guard check reads text files)") from None
    warnings = guard.check(text, guard.GuardContext(thread=context))
    found = [
        {
            **asdict(w),
            "slug": str(w.slug),
            "span": list(w.span),
            "text": text[w.span[0] : w.span[1]],
        }
        for w in warnings
    ]
    if as_json:
        emit_json({"warnings": found})
    elif not found:
        click.echo("no problems found")
    else:
        out = console()
        for w in found:
            mark = "[bold red]blocking[/bold red]" if w["blocking"] else "[yellow]warning[/yellow]"
            start, end = w["span"]
            out.print(f"{mark} [bold]{w['slug']}[/bold] {start}–{end}: ", end="")
            out.print(w["message"], markup=False)
    if found:
        sys.exit(1)


@guard_group.command("eval")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@json_option
def evaluate(path: Path, as_json: bool) -> None:
    """Run the guard on a labelled set and print recall/precision per category and false alarms."""
    from engage import guard
    from engage.errors import ConfigError

    try:
        report = guard.evaluate_file(path)
    except (ValueError, KeyError) as exc:
        raise ConfigError(f"{path}: not in the labelled format ({exc})") from None
    if as_json:
        emit_json(report)
        return
    from rich.table import Table

    table = Table(show_edge=False)
    for column in ("category", "support", "recall", "precision"):
        table.add_column(column, justify="left" if column == "category" else "right")
    for slug, values in report["per_slug"].items():
        precision = values["precision"]
        table.add_row(slug, str(values["support"]), f"{values['recall']:.3f}",
                      "—" if precision is None else f"{precision:.3f}")  # fmt: skip
    out = console()
    out.print(table)
    out.print(f"recall on texts with a problem: {report['recall_any']:.3f} (target ≥ 0.95)")
    out.print(f"false alarms on clean texts: {report['false_alarm_rate']:.3f} (target ≤ 0.05); "
              f"near-misses only: {report['false_alarm_rate_near_miss']:.3f}")  # fmt: skip
