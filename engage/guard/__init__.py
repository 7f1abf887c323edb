"""Ethics and confidentiality checks on drafts. Pure: text in, warnings out; no IO.

    from engage import guard
    warnings = guard.check(draft_text, GuardContext(thread=thread_text))
    metrics = guard.evaluate_file("tests/data/guard/guard-dev.jsonl")

Rules are hand-written patterns, one module per concern (client, advice, solicit, crisis,
promotion), so each warning can point at the exact words it is about and say why.
"""

from __future__ import annotations

from engage.guard.evaluate import EVALUATED_SLUGS, evaluate_file, evaluate_records
from engage.guard.rules import check
from engage.guard.text import BLOCKING
from engage.types import GuardContext, GuardSlug, GuardWarning

__all__ = [
    "BLOCKING",
    "EVALUATED_SLUGS",
    "GuardContext",
    "GuardSlug",
    "GuardWarning",
    "check",
    "evaluate_file",
    "evaluate_records",
]
