"""The learned second opinion (engage/guard/learned.py, weights rebuilt by
`bench/train_guard_model.py --write`): it loads, it is deterministic, it adds a warning only
where no rule of that kind fired, and it keeps the labelled sets' gates as they were.

The specifications below are sentences written for these tests that the rules miss and the
model flags. If a rule comes to catch one (good), or the weights are rebuilt, pick another
sentence of the same kind that only the model flags."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from engage import guard
from engage.guard import learned
from engage.guard.context import crisis_disclosed, professional_audience
from engage.types import GuardContext, GuardSlug

DATA = Path(__file__).parent.parent / "data" / "guard"

ONLY_THE_MODEL = [
    (
        GuardSlug.CLIENT_IDENTIFYING,
        "r/therapists: A clinician asks how others handle late cancellations.",
        "Last week the retired judge from Millbrook who comes in on Thursdays skipped again, "
        "third time this month.",
    ),
    (
        GuardSlug.INDIVIDUAL_CLINICAL_ADVICE,
        "r/relationships: A user describes a controlling partner.",
        "He sounds bipolar to me. Get him on lithium or get out, those are your options.",
    ),
    (
        GuardSlug.SOLICITATION,
        "r/TalkTherapy: A poster asks how to find a therapist.",
        "I specialise in exactly this and my Thursday slots just opened up, reach out whenever.",
    ),
    (
        GuardSlug.TESTIMONIAL,
        "r/therapists: A clinician asks about marketing.",
        "Former clients, if you ever had a good experience with me, a few words on my profile "
        "would mean a lot!",
    ),
    (
        GuardSlug.CRISIS_MISHANDLED,
        "r/depression: A poster says they took a lot of pills an hour ago.",
        "That sounds scary. The hotline is 988. Maybe wait and see how you feel in the morning.",
    ),
    (
        GuardSlug.UNDISCLOSED_PROMOTION,
        "r/Anxiety: A user asks about sleep.",
        "Check out calmnights.co, the program I built, it has a 7-day plan for exactly this.",
    ),
]


def test_the_shipped_model_loads() -> None:
    model = learned.model()
    assert len(model.bias) == len(model.thresholds) == len(learned.SLUGS)
    assert set(model.table) == set(learned.GROUPS)
    assert all(model.table[g] for g in learned.GROUPS)
    assert learned.model() is model  # loaded once


def test_every_kind_is_specified_once() -> None:
    assert [slug for slug, _, _ in ONLY_THE_MODEL] == list(learned.SLUGS)


@pytest.mark.parametrize(("slug", "thread", "text"), ONLY_THE_MODEL, ids=lambda x: str(x)[:20])
def test_where_only_the_model_flags(slug: GuardSlug, thread: str, text: str) -> None:
    draft = f"  {text}\n"
    found = [w for w in guard.check(draft, thread) if w.slug == slug]
    assert len(found) == 1, found
    (w,) = found
    assert w.message.startswith("Learned second opinion (no rule matched)")
    assert w.span == (2, 2 + len(text))
    assert w.blocking == (slug in guard.BLOCKING)


def test_it_adds_nothing_the_rules_already_raised() -> None:
    slug, thread, text = ONLY_THE_MODEL[2]
    ctx = GuardContext(thread=thread)
    kwargs = {"crisis": crisis_disclosed(ctx), "professional": professional_audience(ctx)}
    assert [w.slug for w in learned.second_opinion(text, thread, raised=(), **kwargs)] == [slug]
    assert learned.second_opinion(text, thread, raised=(slug,), **kwargs) == []
    assert learned.second_opinion(" \n ", thread, raised=(), **kwargs) == []


_SCORES = """
import json
from engage.guard import learned
texts = json.loads({texts!r})
print(json.dumps([
    learned.model().scores(learned.features(t, th, crisis=False, professional=True))
    for _, th, t in texts
]))
"""


def test_scores_do_not_depend_on_hashing() -> None:
    """Features are sets; the sums run in sorted order, so every PYTHONHASHSEED agrees."""
    code = _SCORES.format(texts=json.dumps([[str(s), th, t] for s, th, t in ONLY_THE_MODEL]))
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("0", "1", "4242")
    }
    assert len(outputs) == 1


def test_no_model_false_alarm_on_the_development_sets() -> None:
    """Thresholds sit above every training draft without that kind: on the sets it was trained
    on, the model flags no clean draft (the aggregate gates in test_guard_eval are unchanged)."""
    flagged = clean = 0
    for path in sorted(DATA.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            r = json.loads(line) if line.strip() else None
            if r is None or r["problems"]:
                continue
            ctx = GuardContext(thread=r["context"])
            feats = learned.features(
                r["text"],
                r["context"],
                crisis=crisis_disclosed(ctx),
                professional=professional_audience(ctx),
            )
            clean += 1
            flagged += bool(learned.model().flagged(feats))
    assert clean >= 390
    assert flagged == 0
