"""`engage crisis`: the shared crisis detector, on one text or on a labelled set."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from engage.cli.output import console, emit_json, json_option


@click.group("crisis")
def crisis_group() -> None:
    """Crisis triage: is someone in a thread at risk now (suicide, self-harm, violence, a child)?"""


@crisis_group.command("check")
@click.argument("file", required=False, type=click.File("r", encoding="utf-8"), default="-")
@click.option("--community", default="", help="Where it was posted, e.g. r/depression.")
@json_option
def check(file: Any, community: str, as_json: bool) -> None:
    """Triage FILE (or standard input, `-`). Exit 1 when it reads as a crisis."""
    from engage import crisis

    text = file.read()
    found = crisis.assess(text, community)
    if as_json:
        emit_json(
            {
                "crisis": found.crisis,
                "kinds": list(found.kinds),
                "safe_contexts": list(found.safe_contexts),
                "cues": [
                    {"kind": c.kind, "strength": c.strength, "text": text[c.start : c.end]}
                    for c in found.cues
                ],
            }
        )
    else:
        verdict = "[bold red]crisis[/bold red]" if found.crisis else "no crisis read"
        console().print(f"{verdict} ({', '.join(found.kinds) or 'no cues'})")
    if found.crisis:
        sys.exit(1)


@crisis_group.command("eval")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@json_option
def evaluate(path: Path, as_json: bool) -> None:
    """Recall on crisis posts, false alarms on the others, and recall per kind of crisis."""
    from engage import crisis
    from engage.errors import ConfigError

    try:
        report = crisis.evaluate_file(path)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    if as_json:
        emit_json(report)
        return
    out = console()
    for kind, values in report["per_kind"].items():
        out.print(f"{kind:32} {values['support']:>4}  recall {values['recall']:.3f}")
    out.print(f"recall on crisis posts: {report['recall']:.3f} (target ≥ 0.97)")
    out.print(f"false alarms on the others: {report['false_alarm_rate']:.3f} (target ≤ 0.10)")
