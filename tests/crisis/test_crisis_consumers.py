"""Every consumer ORs the detector with what it already knows: no stale or missing flag can
switch crisis triage off for drafting or for the guard."""

from __future__ import annotations

from datetime import UTC, datetime

from engage import guard
from engage.desk import draft_input
from engage.drafting.moves import choose_move
from engage.models import Match, Thread
from engage.types import GuardContext, Move

TEXT = "I bought a rope today. I keep waiting to feel scared."


def _thread(match: Match | None) -> Thread:
    thread = Thread(platform="manual", external_id="x1", community="r/offmychest",
                    title="quiet", body=TEXT, url="https://example.org/t/1",
                    created_at=datetime.now(UTC))  # fmt: skip
    thread.match = match
    return thread


def test_a_thread_never_matched_is_drafted_as_a_crisis() -> None:
    facts = draft_input(_thread(None))
    assert facts.crisis
    assert choose_move(facts) is Move.CRISIS_RESOURCES


def test_a_stale_match_saying_no_crisis_does_not_switch_triage_off() -> None:
    stale = Match(score=0.8, intent="article_share", crisis=False, client_side=False,
                  specialties={}, reasons=[], flags=[], profile_hash="old")  # fmt: skip
    assert draft_input(_thread(stale)).crisis


def test_the_guard_checks_a_crisis_thread_even_when_matching_said_no() -> None:
    context = GuardContext(thread=f"r/offmychest: quiet\n{TEXT}", crisis=False)
    slugs = {str(w.slug) for w in guard.check("Great question! Follow me for more.", context)}
    assert "crisis_mishandled" in slugs


def test_matching_saying_not_client_side_does_not_make_a_lay_audience_professional() -> None:
    thread = "Facebook: Moms of Orange County: My husband had an affair. What now?"
    text = "That sounds like textbook sex addiction. He has sex addiction. DM me."
    verdict = GuardContext(thread=thread, client_side=False)
    with_verdict = {str(w.slug) for w in guard.check(text, verdict)}
    without = {str(w.slug) for w in guard.check(text, GuardContext(thread=thread))}
    assert with_verdict == without
    assert {"individual_clinical_advice", "solicitation"} <= with_verdict
