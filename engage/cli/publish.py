"""`engage publish`, `engage mark-posted` and `engage log`: approved drafts out, replies posted
by hand recorded, and the engagement log read. Thin: each calls one step and prints."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import click

from engage.cli.app_context import AppContext
from engage.cli.drafts import actor, report
from engage.cli.output import console, emit_json, json_option, visible
from engage.errors import UsageError

if TYPE_CHECKING:
    from engage.types import EngagementView, PublishItem

RESULT_STYLE = {"published": "green", "found": "green", "failed": "red", "unknown": "yellow",
                "held": "", "by_hand": "cyan", "would_publish": "green"}  # fmt: skip


@click.command("publish")
@click.option("--dry-run", is_flag=True, help="Say what would be published; change nothing.")
@json_option
@click.pass_obj
def publish(app: AppContext, dry_run: bool, as_json: bool) -> None:
    """Publish approved drafts that are due now (the worker does this on its own).

    Only drafts you approved go out, each at most once, at a human pace; a reply whose outcome
    can't be known is never sent again: it waits for you (engage drafts resolve).
    """
    from engage.jobs import run_publish

    result = run_publish(app.engage, dry_run=dry_run)
    if as_json:
        emit_json(result.as_dict())
        return
    if not result.items:
        click.echo("nothing approved is waiting to be published")
        return
    print_items(result.items)


def print_items(items: list[PublishItem], indent: str = "") -> None:
    """What a publishing run did, one line a draft."""
    out = console()
    for item in items:
        style = RESULT_STYLE.get(item.result.value, "")
        label = item.result.value.replace("_", " ")
        out.print(indent + (f"[{style}]{label}[/{style}]" if style else label), end=" ")
        where = " ".join(part for part in (item.platform, item.community) if part)
        detail = " · ".join(part for part in (item.reason, item.url or "") if part)
        out.print(visible(f"draft {item.draft_id} ({where})" + (f": {detail}" if detail else "")),
                  markup=False)  # fmt: skip


@click.command("mark-posted")
@click.argument("draft_id", type=int)
@click.argument("url", required=False)
@json_option
@click.pass_obj
def mark_posted(app: AppContext, draft_id: int, url: str | None, as_json: bool) -> None:
    """Record that you posted an approved draft yourself (URL: the link to your reply).

    It is logged as an engagement and never published again. Without a URL it is logged all
    the same; with one, the log links to your reply.
    """
    from engage.publishing import mark_posted as record

    done = record(app.engage, draft_id, url, actor=actor())
    link = f": {done['url']}" if done["url"] else ""
    report(as_json, done, f"draft {draft_id} logged as posted{link}")


SINCE = re.compile(r"^(\d+)([dhw])$")


def parse_since(value: str | None) -> datetime | None:
    """ "7d", "12h", "2w" or a date (2026-11-30)."""
    if not value:
        return None
    if match := SINCE.match(value.strip().lower()):
        unit = {"d": "days", "h": "hours", "w": "weeks"}[match.group(2)]
        return datetime.now(UTC) - timedelta(**{unit: int(match.group(1))})
    try:
        day = datetime.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(
            f"--since {value!r}: give a date (2026-11-30) or an age (7d, 12h, 2w)"
        ) from None
    return day if day.tzinfo else day.replace(tzinfo=UTC)


@click.command("log")
@click.option("--since", help="Only since this date (2026-11-30) or age (7d, 12h, 2w).")
@json_option
@click.pass_obj
def engagement_log(app: AppContext, since: str | None, as_json: bool) -> None:
    """Every reply and share that went out, by API or by hand, oldest first."""
    from engage.publishing import engagements

    rows = engagements(app.engage.db, since=parse_since(since))
    if as_json:
        emit_json([row.as_dict() for row in rows])
        return
    if not rows:
        click.echo("nothing published yet" + (" in that time" if since else ""))
        return
    print_log(rows)


def print_log(rows: list[EngagementView], indent: str = "") -> None:
    """The engagement log, one entry a line, with its link under it."""
    out = console()
    for row in rows:
        where = " ".join(part for part in (row.platform, row.community) if part)
        title = f" · {row.thread_title}" if row.thread_title else ""
        out.print(visible(f"{indent}{row.at:%Y-%m-%d %H:%M} {row.move or row.kind} in {where} "
                          f"(by {row.via}){title}"), markup=False)  # fmt: skip
        if row.url:
            out.print(visible(f"{indent}    {row.url}"), markup=False, soft_wrap=True)
