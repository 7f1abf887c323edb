"""The dev-set targets of the eval README, and the metrics' exact shape."""

from __future__ import annotations

import json
from pathlib import Path

from engage import guard

DEV = Path(__file__).parent.parent / "data" / "guard" / "guard-dev.jsonl"


def test_dev_set_targets() -> None:
    metrics = guard.evaluate_file(DEV)
    assert metrics["recall_any"] >= 0.95
    assert metrics["false_alarm_rate"] <= 0.05


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
