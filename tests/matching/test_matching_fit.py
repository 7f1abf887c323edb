"""Fit: a referral's requirements checked against the profile, and the why sentence.

Posts written for these tests. A clear mismatch ranks the thread lower and says why; what the
profile doesn't say (its insurance) is unknown, not a mismatch.
"""

from __future__ import annotations

import json
from dataclasses import asdict, replace

from engage.matching import Matcher, Taxonomy, why_sentence
from engage.types import Profile, ReasonKind, ScoringInput
from engage.types.matching import FitCheck


def referral(title: str, body: str = "") -> ScoringInput:
    return ScoringInput(title, body, "r/therapists")


MANDARIN = referral(
    "Referral request: Mandarin-speaking CSAT in Irvine",
    "Client's father is 60, porn addiction, wants someone in person.",
)


def test_a_language_the_therapist_doesnt_speak_is_a_mismatch(
    matchers: dict[str, Matcher],
) -> None:
    result = matchers["P1"].score(MANDARIN)
    assert FitCheck("language", "Mandarin", False) in result.fit
    assert "fit" in result.factors


def test_a_therapist_who_speaks_it_fits_and_ranks_higher(
    matchers: dict[str, Matcher], taxonomy: Taxonomy, personas: dict[str, Profile]
) -> None:
    speaker = Matcher(taxonomy, replace(personas["P1"], languages=("English", "Mandarin")))
    result = speaker.score(MANDARIN)
    assert FitCheck("language", "Mandarin", True) in result.fit
    assert result.score > matchers["P1"].score(MANDARIN).score


def test_a_child_client_misfits_a_therapist_of_adults(matchers: dict[str, Matcher]) -> None:
    post = referral("Looking for a trauma therapist in Brooklyn for a 7-year-old", "EMDR ideally.")
    assert FitCheck("population", "children", False) in matchers["P3"].score(post).fit


def test_populations_in_the_profile_decide_who_is_seen(
    taxonomy: Taxonomy, personas: dict[str, Profile]
) -> None:
    post = referral("Looking for a trauma therapist in Brooklyn for a 7-year-old", "EMDR ideally.")
    matcher = Matcher(taxonomy, replace(personas["P3"], populations=("children", "adults")))
    assert FitCheck("population", "children", True) in matcher.score(post).fit


def test_insurance_the_profile_doesnt_name_is_unknown_not_a_mismatch(
    matchers: dict[str, Matcher],
) -> None:
    post = referral("Perinatal therapist in Houston who takes Medicaid?", "Postpartum anxiety.")
    result = matchers["P2"].score(post)
    assert FitCheck("insurance", "Medicaid", None) in result.fit
    assert "fit" not in result.factors


def test_a_plan_the_referral_must_have_ranks_a_little_lower_when_the_profile_names_none(
    matchers: dict[str, Matcher], taxonomy: Taxonomy, personas: dict[str, Profile]
) -> None:
    # kind: a requirement ("must be in-network with", "has to take") the profile can't confirm
    post = referral("Perinatal therapist in Houston? Must be in-network with Medicaid.", "PPA.")
    unknown = matchers["P2"].score(post)
    taker = Matcher(taxonomy, replace(personas["P2"], insurance=("Medicaid",))).score(post)
    assert FitCheck("insurance", "Medicaid", None) in unknown.fit
    assert taker.score * 0.5 < unknown.score < taker.score


def test_insurance_not_taken_is_a_mismatch(
    taxonomy: Taxonomy, personas: dict[str, Profile]
) -> None:
    post = referral("Perinatal therapist in Houston who takes Medicaid?", "Postpartum anxiety.")
    matcher = Matcher(taxonomy, replace(personas["P2"], insurance=("Aetna", "Cigna")))
    assert FitCheck("insurance", "Medicaid", False) in matcher.score(post).fit


def test_a_referral_only_elsewhere_names_the_place_it_needs(matchers: dict[str, Matcher]) -> None:
    post = referral("Need a referral: CSAT in Phoenix", "Client wants in person only.")
    assert FitCheck("place", "Arizona", False) in matchers["P1"].score(post).fit


def test_a_faith_the_profile_doesnt_name_is_a_mismatch(matchers: dict[str, Matcher]) -> None:
    # kind: the referral asks for a therapist of a faith; P2's profile names none
    post = referral("Looking for a Christian therapist in Dallas", "Pregnant client, 20 weeks.")
    assert FitCheck("faith", "Christian counseling", False) in matchers["P2"].score(post).fit


def test_a_faith_the_profile_names_fits(matchers: dict[str, Matcher]) -> None:
    post = referral("Looking for a Christian therapist in Irvine", "Porn addiction, married.")
    assert FitCheck("faith", "Christian counseling", True) in matchers["P1"].score(post).fit


def test_another_faith_than_the_therapists_is_a_mismatch(matchers: dict[str, Matcher]) -> None:
    # kind: "someone who knows the <faith> community"
    post = referral("CSAT in Irvine who knows the Muslim community", "Client, 40s, porn use.")
    assert FitCheck("faith", "Muslim counseling", False) in matchers["P1"].score(post).fit


def test_a_licence_in_another_state_is_a_mismatch(matchers: dict[str, Matcher]) -> None:
    # kind: the client moved; the referral names the state the therapist must be licensed in
    post = referral(
        "Looking for a trauma therapist licensed in New Jersey",
        "My Brooklyn client moved to Montclair mid-EMDR.",
    )
    assert FitCheck("place", "New Jersey", False) in matchers["P3"].score(post).fit


def test_a_teen_named_by_age_in_brackets_misfits_a_therapist_of_adults(
    matchers: dict[str, Matcher],
) -> None:
    post = referral("Looking for a trauma therapist in the Bronx for a girl (15)", "Assault.")
    assert FitCheck("population", "teens", False) in matchers["P3"].score(post).fit


def test_a_teen_named_by_age_in_y_o_shorthand_misfits_a_therapist_of_adults(
    matchers: dict[str, Matcher],
) -> None:
    post = referral("Referral: EMDR therapist in Queens for a 16 y/o", "Car accident last month.")
    assert FitCheck("population", "teens", False) in matchers["P3"].score(post).fit


def test_fit_is_shown_as_reasons_pointing_at_the_words(matchers: dict[str, Matcher]) -> None:
    fit = [r for r in matchers["P1"].score(MANDARIN).reasons if r.kind is ReasonKind.FIT]
    assert next((r.label, r.text, r.weight) for r in fit) == (
        "language: Mandarin",
        "Mandarin-speaking",
        0.0,
    )


# -- why ---------------------------------------------------------------------------------------


def test_why_names_intent_specialty_place_and_credential(
    taxonomy: Taxonomy, personas: dict[str, Profile]
) -> None:
    profile = replace(personas["P1"], credentials="LMFT, CSAT")
    post = referral("CSAT in Orange County?", "Client's porn use is escalating, OON is fine.")
    result = Matcher(taxonomy, profile).score(post)
    sentence = why_sentence(result.intent, result.reasons, profile, taxonomy, result.flags)
    assert sentence == "A colleague in Orange County asks for a CSAT referral; you're a CSAT " \
        "licensed in CA."  # fmt: skip


def test_why_says_what_doesnt_fit(taxonomy: Taxonomy, personas: dict[str, Profile]) -> None:
    result = Matcher(taxonomy, personas["P1"]).score(MANDARIN)
    sentence = why_sentence(result.intent, result.reasons, personas["P1"], taxonomy)
    assert sentence.endswith("but they need someone who speaks Mandarin.")


def test_why_uses_the_short_names_never_slugs(
    taxonomy: Taxonomy, personas: dict[str, Profile]
) -> None:
    post = ScoringInput("Betrayed partner and a formal disclosure: how do you pace it?", "", "")
    result = Matcher(taxonomy, personas["P1"]).score(post)
    sentence = why_sentence(result.intent, result.reasons, personas["P1"], taxonomy)
    assert "sex addiction" in sentence
    assert not any(slug in sentence for slug in taxonomy.specialties)


def test_why_reads_stored_reasons_as_it_reads_fresh_ones(
    taxonomy: Taxonomy, personas: dict[str, Profile]
) -> None:
    result = Matcher(taxonomy, personas["P1"]).score(MANDARIN)
    stored = json.loads(json.dumps([asdict(r) for r in result.reasons], default=str))
    flags = [flag.value for flag in result.flags]
    assert why_sentence(result.intent.value, stored, personas["P1"], taxonomy, flags) == (
        why_sentence(result.intent, result.reasons, personas["P1"], taxonomy, result.flags)
    )
