"""Scores the guard on a labelled JSONL set with exactly the metrics of the eval README.

Each record has `id`, `context`, `text`, `problems` and `rationale`. The rationale is used only
to bucket clean records as near-misses (it starts with "Near-miss:"); the guard never sees it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from engage.guard.rules import check
from engage.types import GuardSlug

EVALUATED_SLUGS: tuple[GuardSlug, ...] = (
    GuardSlug.CLIENT_IDENTIFYING,
    GuardSlug.INDIVIDUAL_CLINICAL_ADVICE,
    GuardSlug.SOLICITATION,
    GuardSlug.TESTIMONIAL,
    GuardSlug.CRISIS_MISHANDLED,
    GuardSlug.UNDISCLOSED_PROMOTION,
)


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def evaluate_records(records: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """README metrics over records: per_slug support/recall/precision, recall_any,
    false_alarm_rate and false_alarm_rate_near_miss. Only the six evaluated slugs count."""
    slugs = [str(s) for s in EVALUATED_SLUGS]
    rows: list[tuple[set[str], set[str], bool]] = []
    for r in records:
        pred = {str(w.slug) for w in check(str(r["text"]), str(r["context"]))} & set(slugs)
        rows.append((set(r["problems"]), pred, str(r["rationale"]).startswith("Near-miss:")))
    per: dict[str, dict[str, float | int | None]] = {}
    for s in slugs:
        gold = sum(s in g for g, _, _ in rows)
        hits = sum(s in g and s in p for g, p, _ in rows)
        predicted = sum(s in p for _, p, _ in rows)
        per[s] = {
            "support": gold,
            "recall": _ratio(hits, gold),
            "precision": _ratio(hits, predicted),
        }
    bad = [(g, p) for g, p, _ in rows if g]
    clean = [p for g, p, _ in rows if not g]
    near = [p for g, p, n in rows if not g and n]
    return {
        "per_slug": per,
        "recall_any": _ratio(sum(bool(g & p) for g, p in bad), len(bad)),
        "false_alarm_rate": _ratio(sum(bool(p) for p in clean), len(clean)),
        "false_alarm_rate_near_miss": _ratio(sum(bool(p) for p in near), len(near)),
    }


def read_records(path: str | Path) -> list[dict[str, Any]]:
    """Records of a JSONL file, skipping blank lines."""
    with Path(path).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def evaluate_file(path: str | Path) -> dict[str, Any]:
    """The README's metrics JSON for a labelled JSONL file (what `engage guard eval` prints)."""
    return evaluate_records(read_records(path))
