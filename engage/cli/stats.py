"""`engage stats`: what happened each ISO week, from threads surfaced to new clients by source,
as a chart in the terminal (a Rich table with a bar per row on a terminal, plain columns when
piped) or JSON. Thin: calls engage.relationships.stats and prints."""

from __future__ import annotations

import click

from engage.cli.app_context import AppContext
from engage.cli.output import console, emit_json, json_option
from engage.types.relationships import StatRow, WeeklyStats

BARS = " ▁▂▃▄▅▆▇█"


@click.command("stats")
@click.option("--weeks", type=click.IntRange(1, 520), default=8, show_default=True,
              help="How many ISO weeks, the current one included.")  # fmt: skip
@click.option("--all-rows", is_flag=True, help="Also the rows that were never non-zero.")
@json_option
@click.pass_obj
def stats(app: AppContext, weeks: int, all_rows: bool, as_json: bool) -> None:
    """Each week (ISO weeks in the digest's timezone): threads surfaced, drafts approved,
    published by API and by hand, replies received, new colleagues, next steps taken, new
    clients by source, the share referred by therapists, and how many came from colleagues met
    through engage. JSON has every row; the chart leaves out rows that were never non-zero."""
    from engage.relationships.stats import stats as weekly

    result = weekly(app.engage.db, app.config, weeks=weeks)
    if as_json:
        emit_json(result.as_dict())
        return
    rows = result.rows if all_rows else result.shown_rows
    if not rows:
        click.echo("nothing to chart yet: no thread surfaced, nothing published, no referral")
        return
    out = console()
    if out.is_terminal:
        out.print(chart(result, rows))
    else:
        click.echo(plain(result, rows))


def cell(row: StatRow, value: int | float | None) -> str:
    if value is None:
        return "–"
    if row.key == "therapist_share":
        return f"{value:.0%}"
    return str(value)


def bar(row: StatRow) -> str:
    """The row's weeks as block characters, scaled to its own largest value."""
    numbers = [float(v) for v in row.values if v is not None]
    top = max(numbers, default=0.0)
    if top <= 0:
        return " " * len(row.values)
    scale = len(BARS) - 1
    return "".join(" " if v is None else BARS[max(1, round(float(v) / top * scale)) if v else 0]
                   for v in row.values)  # fmt: skip


def chart(result: WeeklyStats, rows: tuple[StatRow, ...]) -> object:
    from rich.table import Table

    table = Table(title=f"engage, week by week ({result.timezone})", title_justify="left")
    table.add_column("")
    for week in result.weeks:
        table.add_column(week.label.split("-")[1], justify="right")
    table.add_column("trend")
    for row in rows:
        table.add_row(row.label, *(cell(row, v) for v in row.values), bar(row))
    return table


def plain(result: WeeklyStats, rows: tuple[StatRow, ...]) -> str:
    width = max(len(row.label) for row in rows)
    heads = [week.label.split("-")[1] for week in result.weeks]
    lines = [f"engage, week by week ({result.timezone}); weeks from {result.weeks[0].start}",
             " " * width + "".join(f"{h:>6}" for h in heads)]  # fmt: skip
    for row in rows:
        lines.append(f"{row.label:<{width}}" + "".join(f"{cell(row, v):>6}" for v in row.values))
    return "\n".join(lines)
