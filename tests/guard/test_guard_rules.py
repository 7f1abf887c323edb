"""Each rule on sentences written for these tests (not the dev texts): positives and near-misses.

The labelled sentences are gated on their aggregate metrics, never replayed one by one: a rule
names a kind of text, and a test that pins each sentence would reward rules lifted from them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from engage import guard
from engage.types import GuardContext, GuardSlug

DATA = Path(__file__).parent.parent / "data" / "guard"
EVALUATED = {str(s) for s in guard.EVALUATED_SLUGS}


def _records(name: str) -> list[dict[str, Any]]:
    with (DATA / name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


FRESH = _records("fresh-cases.jsonl")


def _slugs(text: str, context: GuardContext | str | None) -> set[str]:
    return {str(w.slug) for w in guard.check(text, context)} & EVALUATED


def test_the_fresh_sentences_meet_the_guard_targets_together() -> None:
    metrics = guard.evaluate_records(FRESH)
    assert metrics["recall_any"] >= 0.95
    assert metrics["false_alarm_rate"] <= 0.05


def test_blocking_kinds() -> None:
    assert {str(s) for s in guard.BLOCKING} == {
        "client_identifying",
        "individual_clinical_advice",
        "solicitation",
        "testimonial",
        "crisis_mishandled",
    }
    [w] = guard.check("My client Ana works at the Tesla plant in Fremont.")
    assert w.blocking


@pytest.mark.parametrize(
    ("thread", "flag", "expected"),
    [
        ("r/depression: A poster says they want to die.", None, True),
        ("r/depression: A poster asks about sleep hygiene.", None, False),
        ("r/depression: A poster asks about sleep hygiene.", True, True),
        # matching's False never switches the guard's own crisis check off
        ("r/depression: A poster says they want to die.", False, True),
        ("r/therapists: A therapist asks how to assess suicide risk at intake.", None, False),
    ],
)
def test_crisis_comes_from_the_thread_or_the_flag(
    thread: str, flag: bool | None, expected: bool
) -> None:
    ctx = GuardContext(thread=thread, crisis=flag)
    got = "crisis_mishandled" in _slugs("Journaling can help a lot.", ctx)
    assert got is expected


def test_crisis_reply_with_resources_but_a_pitch_is_flagged() -> None:
    text = (
        "Please call or text 988 tonight. Also, I'm a therapist in Reno, DM me to book a session."
    )
    slugs = _slugs(text, "r/depression: A poster says they keep thinking about killing themselves.")
    assert {"crisis_mishandled", "solicitation"} <= slugs


def test_client_side_flag_overrides_the_thread() -> None:
    text = "I have two openings on Thursdays this month."
    assert _slugs(text, GuardContext(thread="r/therapists: slow summer?")) == set()
    assert _slugs(text, GuardContext(thread="r/therapists: slow summer?", client_side=True)) == {
        "solicitation"
    }


def test_own_names_make_a_third_person_pitch_undisclosed() -> None:
    text = "The Quiet Mind workbook by Dr. Sam Ortiz walks through this step by step."
    assert _slugs(text, "r/Anxiety: resources?") == set()
    ctx = GuardContext(thread="r/Anxiety: resources?", own_names=("Sam Ortiz",))
    assert _slugs(text, ctx) == {"undisclosed_promotion"}


@pytest.mark.parametrize(
    "text",
    [
        # words the generalised rules look for, in sentences that are not about a client,
        # a diagnosis, an offer or a product (found by probing after blind-8)
        "I see a lot of nurses at Kaiser in my practice.",
        "My little guy (he is 4) is obsessed with dinosaurs too, so I feel you.",
        "Cut it out with the self-blame; your doctor said the dose is fine.",
        "I run a DBT group at the hospital; if you can find one near you, the skills help.",
        "Two slots open at the NAMI family class next month, free, sign up on their site.",
        "Have you tried the grounding exercise we talked about above?",
        "Your husband is a teacher, so summers might be the best time for couples work.",
    ],
)
def test_probed_near_misses_stay_clean(text: str) -> None:
    assert _slugs(text, "r/Parenting: A parent asks how to support their family.") == set()


class TestLinkRules:
    """Not evaluated on the dev set: allow-list, 1-in-10 own links, community rules."""

    SHARE = "I wrote about this on my blog: https://ortizcounseling.com/blog/panic-plan"

    def kinds(self, text: str, ctx: GuardContext) -> list[str]:
        return [str(w.slug) for w in guard.check(text, ctx) if str(w.slug) not in EVALUATED]

    def test_allow_list(self) -> None:
        ctx = GuardContext(allowed_domains=("nimh.nih.gov",), own_domains=("ortizcounseling.com",))
        text = "See nimh.nih.gov/health and https://randomblog.net/post for more."
        [w] = guard.check(text, ctx)
        assert w.slug is GuardSlug.LINK_NOT_ALLOWED
        assert text[w.span[0] : w.span[1]] == "https://randomblog.net/post"
        assert self.kinds(self.SHARE, ctx) == []
        assert self.kinds(text, GuardContext()) == []

    def test_own_links_at_most_once_in_ten(self) -> None:
        ctx = GuardContext(own_domains=("ortizcounseling.com",))
        assert self.kinds(self.SHARE, ctx) == []
        recent = ("Great point!", "See ortizcounseling.com/blog/sleep for my take.")
        again = GuardContext(own_domains=("ortizcounseling.com",), recent_items=recent)
        assert self.kinds(self.SHARE, again) == ["self_promotion_frequency"]
        old = GuardContext(own_domains=("ortizcounseling.com",), recent_items=("x",) * 9 + recent)
        assert self.kinds(self.SHARE, old) == []

    def test_community_forbids_self_promotion(self) -> None:
        ctx = GuardContext(own_domains=("ortizcounseling.com",), community_forbids_promotion=True)
        assert self.kinds(self.SHARE, ctx) == ["community_rules"]
        assert self.kinds("Exposure works best when it's gradual.", ctx) == []
