"""Printing: JSON for scripts, Rich for people (colour only on a terminal, NO_COLOR honoured)."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from rich.console import Console

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")


def emit_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False, default=str))


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """Untrusted text made safe for a terminal: escape sequences and invisible or
    direction-changing characters become visible markers, so a post can't redraw the screen or
    hide words from the reader."""
    return INVISIBLE.sub(lambda m: f"⟨U+{ord(m.group(0)):04X}⟩", text)
