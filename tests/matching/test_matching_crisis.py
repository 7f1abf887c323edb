"""Matching asks the shared crisis detector: a crisis post is flagged, sinks, and says why."""

from __future__ import annotations

from engage.matching import Matcher
from engage.types import MatchFlag, ReasonKind, ScoringInput

STOCKPILE = ScoringInput(
    title="done pretending",
    body="Couples counseling didn't fix anything. I've been stockpiling my meds since June.",
    community="r/survivinginfidelity",
)


def test_a_crisis_post_is_flagged_and_ranked_as_no_networking_chance(
    matchers: dict[str, Matcher],
) -> None:
    result = matchers["P1"].score(STOCKPILE)
    assert MatchFlag.CRISIS in result.flags
    assert result.score < 0.01


def test_the_crisis_reason_points_at_the_words(matchers: dict[str, Matcher]) -> None:
    result = matchers["P1"].score(STOCKPILE, explain=True)
    [reason] = [r for r in result.reasons if r.kind is ReasonKind.CRISIS]
    assert reason.text == "stockpiling my meds"
