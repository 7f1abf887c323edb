"""Crisis metrics on labelled posts in the format of the evaluation's crisis-dev.jsonl. Pure
apart from reading the file it is given."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from engage.crisis.detector import assess


def post_text(record: dict[str, Any]) -> str:
    return f"{record.get('title') or ''}\n{record.get('body') or ''}"


def evaluate_records(records: list[dict[str, Any]]) -> dict[str, Any]:
    """{"recall", "false_alarm_rate", "per_kind": {kind: {"support", "recall"}}}, as defined
    by the evaluation's README (recall over crisis posts, false alarms over the others)."""
    rows = [(r, assess(post_text(r), r.get("community") or "").crisis) for r in records]
    crisis = [(r, flagged) for r, flagged in rows if r["crisis"]]
    others = [flagged for r, flagged in rows if not r["crisis"]]
    per_kind: dict[str, dict[str, Any]] = {}
    for kind in sorted({r["kind"] for r, _ in crisis}):
        of_kind = [flagged for r, flagged in crisis if r["kind"] == kind]
        per_kind[kind] = {"support": len(of_kind), "recall": sum(of_kind) / len(of_kind)}
    return {
        "recall": sum(f for _, f in crisis) / len(crisis) if crisis else None,
        "false_alarm_rate": sum(others) / len(others) if others else None,
        "per_kind": per_kind,
    }


def evaluate_file(path: str | Path) -> dict[str, Any]:
    """Read a JSON-lines file (a `ValueError` names the line that isn't a record) and score it."""
    records: list[dict[str, Any]] = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            _ = record["crisis"], record["kind"], record["body"]
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{path}:{number}: not a crisis record ({error})") from error
        records.append(record)
    return evaluate_records(records)
