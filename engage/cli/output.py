"""Printing: JSON for scripts, Rich for people (colour only on a terminal, NO_COLOR honoured)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

from engage.sources.base import visible

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["console", "emit_json", "json_option", "visible"]

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")


def emit_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False, default=str))


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)
