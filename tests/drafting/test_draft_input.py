"""DraftInput from a fresh MatchResult and from a match row's stored JSON say the same thing."""

from __future__ import annotations

from dataclasses import asdict

from engage.match_rows import match_values
from engage.matching import score
from engage.types import DraftInput, Intent, MatchResult, Platform, Profile, ScoringInput

TITLE = "Referral: CSAT in Orange County for a client's husband?"
BODY = (
    "Looking for a CSAT in Orange County, in person preferred. Compulsive porn use, wife just "
    "found out. I'm not a fit for sex addiction work."
)


def _result(profile: Profile) -> MatchResult:
    return score(ScoringInput(TITLE, BODY, "r/therapists"), profile)


def test_from_match_keeps_the_threads_fields_and_the_matchers_verdicts(csat: Profile) -> None:
    result = _result(csat)
    draft_input = DraftInput.from_match(
        result, title=TITLE, body=BODY, community="r/therapists", platform="reddit"
    )
    assert draft_input.platform is Platform.REDDIT
    assert draft_input.intent is result.intent
    assert draft_input.specialties[0] == max(result.specialties, key=result.specialties.__getitem__)
    assert (draft_input.crisis, draft_input.client_side) == (result.crisis, result.client_side)


def test_phrases_are_topic_words_heaviest_first_without_repeats(csat: Profile) -> None:
    draft_input = DraftInput.from_match(_result(csat), title=TITLE, body=BODY)
    assert draft_input.phrases
    assert len({p.lower() for p in draft_input.phrases}) == len(draft_input.phrases)
    assert not {"Orange County", "CA"} & set(draft_input.phrases)  # places are not topics


def test_from_stored_reads_what_the_database_keeps_as_from_match_does(csat: Profile) -> None:
    result = _result(csat)
    fields = {"title": TITLE, "body": BODY, "community": "r/therapists", "url": "https://x"}
    fresh = DraftInput.from_match(result, **fields)
    stored = DraftInput.from_stored(match_values(result), **fields)
    assert asdict(stored) == asdict(fresh)


def test_from_stored_reads_flags_and_tolerates_unknown_intents() -> None:
    stored = {"intent": "a_future_intent", "flags": ["crisis", "client_side"], "reasons": [None]}
    draft_input = DraftInput.from_stored(stored, title="t", body="b")
    assert draft_input.intent is Intent.OTHER
    assert draft_input.crisis and draft_input.client_side
    assert draft_input.phrases == ()
