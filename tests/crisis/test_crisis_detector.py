"""The one crisis detector: a few posts per kind as specifications, and the labelled sets gated
on their aggregate metrics (never post by post)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engage import crisis
from engage.crisis.detector import assess_by_cues

DATA = Path(__file__).parent.parent / "data" / "crisis"


@pytest.mark.parametrize(
    "post",
    [
        "I've been stockpiling my meds and wrote letters to my kids last night",
        "I wish I could just disappear for good",
        "I bought a rope today",
    ],
)
def test_the_posts_that_switched_triage_off_are_flagged(post: str) -> None:
    assert crisis.is_crisis(post)


@pytest.mark.parametrize(
    ("kind", "post"),
    [
        (
            "passive_ideation",
            "some nights i pray i just won't wake up. mornings are the worst part",
        ),
        ("active_ideation", "I keep googling ways and closing the tab. tonight it feels different"),
        ("plan_or_means", "Been setting aside my doses since spring. Counted them again today."),
        (
            "goodbye_or_final_arrangements",
            "Found a home for my cat and sent my brother my passwords. Bye everyone",
        ),
        ("self_harm", "wearing hoodies in july again because of what i keep doing to my arms"),
        (
            "overdose_or_medical_now",
            "took the rest of the bottle of sleeping pills 20 min ago, room is spinning",
        ),
        (
            "violence_danger_now",
            "He choked me last night and now he's pounding on the door. I'm in the bathroom",
        ),
        ("child_at_risk", "My niece (6) said her stepdad hurts her and she's not allowed to tell."),
        ("harm_to_others", "I know where he parks and I'm going to hurt him tomorrow."),
    ],
)
def test_each_kind_of_crisis_is_read(kind: str, post: str) -> None:
    found = crisis.assess(post)
    assert found.crisis
    assert kind in found.kinds


@pytest.mark.parametrize(
    ("context", "post"),
    [
        (
            "clinician consult",
            "My client endorses passive SI most weeks, no plan. How often do you all rescreen?",
        ),
        (
            "training",
            "Free ASIST workshop next month: safety planning and lethal means counseling, 6 CEUs.",
        ),
        (
            "idiom",
            "This licensing exam is killing me, I could die of embarrassment at my scores lol",
        ),
        (
            "past, recovered",
            "Eight years ago I took a bottle of pills. I got help and I'm doing great now.",
        ),
        ("news", "New study: overdose deaths among older adults rose again, per CDC data."),
        (
            "fiction",
            "In episode 4 the main character plans to end his life; the series handles it well.",
        ),
    ],
)
def test_safe_contexts_are_not_crises(context: str, post: str) -> None:
    assert not crisis.is_crisis(post), context


def test_a_clinician_speaking_of_their_own_state_is_a_crisis() -> None:
    post = (
        "I'm an LPC. I know exactly which of my meds would be enough and I picked a date. "
        "How do you all find a therapist who won't report you to the board?"
    )
    assert crisis.is_crisis(post)


def test_an_urgent_emergency_in_a_consult_is_a_crisis() -> None:
    post = "URGENT: client on the phone says she took all of her pills 20 min ago. What do I do?"
    assert crisis.is_crisis(post)


def test_a_denied_thought_is_not_evidence() -> None:
    found = crisis.assess("She clarified it was about the dread, not wanting to die.")
    assert not any(
        "wanting to die"
        in "she clarified it was about the dread, not wanting to die."[c.start : c.end]
        for c in found.cues
    )


def test_cues_point_at_the_words_in_the_original_text() -> None:
    post = "Honestly I WISH I COULD JUST DISAPPEAR."
    [cue] = crisis.assess(post).cues
    assert post[cue.start : cue.end] == "WISH I COULD JUST DISAPPEAR"


def test_the_dev_set_meets_the_targets() -> None:
    metrics = crisis.evaluate_file(DATA / "crisis-dev.jsonl")
    assert metrics["recall"] >= 0.97
    assert metrics["false_alarm_rate"] <= 0.10


def test_the_tuned_blind_rounds_stay_above_the_targets() -> None:
    metrics = crisis.evaluate_file(DATA / "crisis-blind-tuned.jsonl")
    assert metrics["recall"] >= 0.97
    assert metrics["false_alarm_rate"] <= 0.10


def test_metrics_have_the_documented_shape() -> None:
    metrics = crisis.evaluate_file(DATA / "crisis-dev.jsonl")
    assert set(metrics) == {"recall", "false_alarm_rate", "per_kind"}
    assert set(metrics["per_kind"]["self_harm"]) == {"support", "recall"}
    assert metrics["per_kind"]["self_harm"]["support"] == 4


def test_a_file_that_is_not_crisis_records_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "x", "crisis": true, "kind": "self_harm", "body": "..."}\nnot json\n')
    with pytest.raises(ValueError, match=r"bad\.jsonl:2"):
        crisis.evaluate_file(path)


def test_the_learned_opinion_flags_a_crisis_no_cue_names() -> None:
    post = (
        "Honestly nobody would notice if I stopped showing up anywhere. I've been so calm "
        "since I decided, and I finally cleaned my whole apartment."
    )
    found = crisis.assess(post)
    assert found.crisis and found.by_model


def test_the_learned_opinion_never_removes_a_flag_the_cues_raise() -> None:
    post = "I bought a rope today."
    assert crisis.assess(post).crisis and not crisis.assess(post).by_model


def test_a_huge_post_is_read_up_to_a_bound_and_cues_still_point_into_it() -> None:
    post = "I bought a rope today. " + "Thinking about EMDR pacing for complex trauma. " * 200_000
    found = crisis.assess(post)
    assert found.crisis
    assert all(post[c.start : c.end] for c in found.cues)


def test_odd_is_not_an_overdose() -> None:
    assert not assess_by_cues("She texts me at odd hours and I feel weird about it.").cues


@pytest.mark.parametrize(
    "aside", ["I read the news today.", "I dropped my class.", "I have no resources left."]
)
def test_a_word_elsewhere_never_makes_a_first_person_plan_safe(aside: str) -> None:
    assert crisis.is_crisis(f"My husband's affair ended us. I am going to kill myself. {aside}")


@pytest.mark.parametrize(
    "post",
    ["I have decided to ｅｎｄ ｍｙ ｌｉｆｅ this weekend.", "I will ki\u200bll my\u200bself."],
)
def test_fullwidth_and_zero_width_characters_cannot_hide_a_word(post: str) -> None:
    found = crisis.assess(post)
    assert found.crisis and all(post[c.start : c.end].strip() for c in found.cues)
