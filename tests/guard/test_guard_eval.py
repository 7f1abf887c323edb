"""The labelled sets' aggregate targets (never per-record replays), and the metrics' shape.

The blind rounds were written before the rules saw them; they are development data now (see
tests/data/guard/README.md for their first-contact figures). Their gates sit a little under
what the rules reach today, and every set keeps false alarms, near-misses included, at or
under 5%: a client_identifying false alarm forces the therapist to rewrite."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engage import guard

DATA = Path(__file__).parent.parent / "data" / "guard"
DEV = DATA / "guard-dev.jsonl"


def test_dev_set_targets() -> None:
    metrics = guard.evaluate_file(DEV)
    assert metrics["recall_any"] >= 0.95
    assert metrics["false_alarm_rate"] <= 0.05


@pytest.mark.parametrize(
    ("name", "recall_any", "client_recall"),
    [
        ("guard-dev.jsonl", 0.97, 0.95),
        ("guard-blind-r1.jsonl", 0.97, 0.95),
        ("guard-blind-r2.jsonl", 0.97, 0.92),
        ("fresh-cases.jsonl", 0.97, 0.95),
    ],
)
def test_labelled_sets_meet_their_gates(name: str, recall_any: float, client_recall: float) -> None:
    metrics = guard.evaluate_file(DATA / name)
    assert metrics["recall_any"] >= recall_any
    assert metrics["per_slug"]["client_identifying"]["recall"] >= client_recall
    assert metrics["false_alarm_rate"] <= 0.05
    assert (metrics["false_alarm_rate_near_miss"] or 0.0) <= 0.05


def test_metrics_shape(tmp_path: Path) -> None:
    records = [
        {
            "id": "a",
            "context": "r/Anxiety: advice?",
            "text": "DM me!",
            "problems": ["solicitation"],
            "rationale": "Asks for DMs.",
        },
        {
            "id": "b",
            "context": "r/Anxiety: advice?",
            "text": "Breathe slowly.",
            "problems": [],
            "rationale": "Near-miss: nothing here.",
        },
        {
            "id": "c",
            "context": "r/Anxiety: advice?",
            "text": "You have GAD, full stop.",
            "problems": [],
            "rationale": "Mislabelled on purpose.",
        },
    ]
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    metrics = guard.evaluate_file(path)
    assert set(metrics) == {
        "per_slug",
        "recall_any",
        "false_alarm_rate",
        "false_alarm_rate_near_miss",
    }
    assert set(metrics["per_slug"]) == {str(s) for s in guard.EVALUATED_SLUGS}
    assert metrics["per_slug"]["solicitation"] == {"support": 1, "recall": 1.0, "precision": 1.0}
    assert metrics["per_slug"]["testimonial"] == {"support": 0, "recall": None, "precision": None}
    assert metrics["per_slug"]["individual_clinical_advice"]["precision"] == 0.0
    assert metrics["recall_any"] == 1.0
    assert metrics["false_alarm_rate"] == 0.5
    assert metrics["false_alarm_rate_near_miss"] == 0.0
