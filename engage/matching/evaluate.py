"""Relevance metrics on labelled threads (the format of tests/data/eval/README.md).

Labels and rationales are read only to compute metrics; the scorer sees title, body and
community, exactly what it would see in production.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from engage.matching.scorer import Matcher
from engage.matching.taxonomy import Taxonomy, load_taxonomy
from engage.types import Profile, ScoringInput

Record = Mapping[str, Any]


def read_threads(path: Path) -> list[dict[str, Any]]:
    """One JSON object per non-blank line."""
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def read_personas(path: Path) -> dict[str, Profile]:
    with path.open(encoding="utf-8") as f:
        return {pid: persona_profile(pid, data) for pid, data in json.load(f).items()}


def persona_profile(persona_id: str, data: Mapping[str, Any]) -> Profile:
    """A persona of personas.json as the Profile a user's config would give."""
    return Profile(
        specialties={str(k): float(v) for k, v in data["specialties"].items()},
        name=persona_id,
        location=data.get("location") or "",
        licensed_in=tuple(data.get("licensed_in") or ()),
        delivery=tuple(data.get("delivery") or ()),
        practice=data.get("practice"),
        faith=data.get("faith"),
        cultural_focus=data.get("cultural_focus"),
    )


def score_records(
    records: Sequence[Record], profile: Profile, taxonomy: Taxonomy
) -> dict[str, float]:
    matcher = Matcher(taxonomy, profile)
    return {
        r["id"]: matcher.score(ScoringInput(r["title"], r["body"], r["community"])).score
        for r in records
    }


def metrics(
    records: Sequence[Record], scores: Mapping[str, float], persona: str
) -> dict[str, float]:
    """The README's reference definition: rank by score, ties by id ascending."""
    ranked = sorted(records, key=lambda d: (-scores[d["id"]], d["id"]))
    grades = [d["worth_joining"][persona] for d in ranked]
    k = math.ceil(0.2 * len(records))
    relevant = sum(1 for g in grades if g == 2)
    top_k = {d["id"] for d in ranked[:k]}
    hard = [d for d in records if persona in d["hard_negative_for"]]
    ideal = _dcg(sorted(grades, reverse=True))
    return {
        "precision_at_10": sum(1 for g in grades[:10] if g == 2) / 10,
        "ndcg_at_10": _dcg(grades) / ideal if ideal else 0.0,
        "recall_top20pct": sum(1 for g in grades[:k] if g == 2) / relevant if relevant else 0.0,
        "hard_negative_fp_rate": sum(1 for d in hard if d["id"] in top_k) / len(hard)
        if hard
        else 0.0,
    }


def evaluate(
    records: Sequence[Record], profiles: Mapping[str, Profile], taxonomy: Taxonomy | None = None
) -> dict[str, Any]:
    taxonomy = taxonomy or load_taxonomy()
    return {
        "personas": {
            pid: metrics(records, score_records(records, profile, taxonomy), pid)
            for pid, profile in profiles.items()
        }
    }


def evaluate_file(
    threads_path: Path, personas_path: Path, taxonomy: Taxonomy | None = None
) -> dict[str, Any]:
    """`engage eval`: {"personas": {"P1": {"precision_at_10": ..., ...}, ...}}."""
    return evaluate(read_threads(threads_path), read_personas(personas_path), taxonomy)


def _dcg(grades: Sequence[int]) -> float:
    return sum(g / math.log2(i + 2) for i, g in enumerate(grades[:10]))
