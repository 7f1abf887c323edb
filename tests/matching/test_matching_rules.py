"""What the scorer reads from a post: specialties, false friends, intent, author, crisis, place.

The posts here are written for these tests (not taken from the eval set), in the wording styles
the eval README describes, so they check that rules generalise beyond the dev set.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from engage.matching import Matcher, Taxonomy
from engage.matching.analysis import analyze
from engage.types import Intent, MatchFlag, Profile, ReasonKind, ScoringInput


def specialties(taxonomy: Taxonomy, title: str, body: str = "") -> set[str]:
    return set(analyze(taxonomy, title, body, "r/therapists").strengths)


@pytest.mark.parametrize(
    ("title", "body", "slug"),
    [
        (
            "Partner wants a polygraph before the formal disclosure",
            "CSAT trainee here.",
            "sex_addiction",
        ),
        ("Client's compulsive porn use is escalating", "", "sex_addiction"),
        ("SLAA vs SAA for a client who hates meetings?", "", "sex_addiction"),
        ("Gottman or EFT for affair recovery?", "", "couples"),
        ("Transracial adoptee client searching for her birth mother", "", "adoption"),
        ("Client is a gestational carrier for her sister", "", "infertility"),
        ("Third IVF transfer failed, client is numb", "", "infertility"),
        ("Perinatal OCD or postpartum psychosis?", "", "perinatal"),
        ("Screening for PPD at the 2-week visit", "She scored 14 on the EPDS.", "perinatal"),
        ("IFS with a client whose exiles flood her", "", "trauma"),
        ("EMDR bilateral stimulation with kids", "", "trauma"),
        ("ERP for scrupulosity", "", "anxiety_ocd"),
        ("ARFID in a 9 year old", "", "eating_disorders"),
        ("MOUD and harm reduction in outpatient", "", "substance_use"),
        ("Prolonged grief after a sibling's death", "", "grief"),
        ("Gender-affirming care letters for a nonbinary client", "", "lgbtq"),
        ("Faith-integrated work with a Christian client", "", "faith_integration"),
        ("Korean American client and filial piety", "", "asian_american"),
        ("Hiring a biller for my group practice", "", "private_practice_business"),
    ],
)
def test_specialty_is_named_by_its_vocabulary(
    taxonomy: Taxonomy, title: str, body: str, slug: str
) -> None:
    assert slug in specialties(taxonomy, title, body)


@pytest.mark.parametrize(
    ("title", "body", "slug"),
    [
        # addiction to other things is not sex addiction
        ("My teen is addicted to Roblox", "Gaming addiction or normal?", "sex_addiction"),
        ("Gambling relapse after 2 years", "His sponsor says start over.", "sex_addiction"),
        # CSAT as customer satisfaction
        ("Our CSAT jumped this quarter", "Customer satisfaction survey results.", "sex_addiction"),
        # a couple of, roommates called a couple
        ("A couple of questions about CEUs", "", "couples"),
        ("Two roommates bicker like a couple", "Staff joke about couples therapy.", "couples"),
        ("Student caught cheating on the licensing exam", "", "couples"),
        # adoption of software or of a pet
        ("Our clinic's adoption of the new EHR", "", "adoption"),
        ("We just adopted a puppy for the office", "", "adoption"),
        # PPD skin test
        ("Need a PPD test for my new job", "HR wants the TB skin test done.", "perinatal"),
        ("Baby therapist question about notes", "", "perinatal"),
        ("Employment labor law for my group practice", "", "perinatal"),
        ("Birth order in case conceptualization", "", "perinatal"),
        # surrogate decision-maker
        ("Patient's surrogate decision-maker disagrees", "Hospice team meeting.", "infertility"),
        ("Fertile ground for your marketing", "", "infertility"),
        # trauma in the surgical or joking sense, IFS the ERP, bilateral knee
        ("Job: Level I trauma center social worker", "", "trauma"),
        ("IFS Cloud go-live", "Our ERP implementation for supply chain.", "trauma"),
        ("Bilateral knee surgery next month", "", "trauma"),
        ("Credentialing gave me PTSD", "", "trauma"),
        ("Zapier triggers firing twice", "", "trauma"),
        # Pride/rainbow in a promotion
        ("Pride sale on rainbow mugs", "", "lgbtq"),
        ("Fidelity review for our ACT team", "", "couples"),
        ("Pray for me, audit week", "", "faith_integration"),
    ],
)
def test_false_friend_does_not_name_the_specialty(
    taxonomy: Taxonomy, title: str, body: str, slug: str
) -> None:
    assert slug not in specialties(taxonomy, title, body)


@pytest.mark.parametrize(
    ("community", "title", "body", "intent"),
    [
        (
            "r/therapists",
            "Referral: perinatal therapist in Austin?",
            "Client is 8 weeks postpartum, BCBS. Telehealth ok.",
            Intent.REFERRAL_REQUEST,
        ),
        (
            "linkedin",
            "Our clinic is looking for therapists who specialize in betrayal trauma",
            "If this is your area, comment below.",
            Intent.REFERRAL_REQUEST,
        ),
        (
            "r/therapists",
            "How do you handle a client who keeps cancelling?",
            "My client has cancelled 4 sessions. How do you approach this in session?",
            Intent.CONSULT_QUESTION,
        ),
        (
            "linkedin",
            "Fill your caseload in 30 days",
            "My coaching program has limited spots. Use code FULL20 for 20% off!",
            Intent.SPAM,
        ),
        (
            "blog",
            "What I tell parents after a NICU stay",
            "In this post I share three things. Full post: https://example.org/blog/nicu",
            Intent.ARTICLE_SHARE,
        ),
        (
            "r/therapists",
            "Three no-shows today",
            "Just venting. Ugh, is that terrible?",
            Intent.VENT,
        ),
        (
            "r/privatepractice",
            "Timely filing denial from a payer",
            "My biller missed the claims window. Has anyone appealed with medical necessity?",
            Intent.BUSINESS,
        ),
        (
            "r/AskTherapists",
            "Should I see a therapist for my panic attacks?",
            "I'm 26 and my husband says it's stress. Is this normal?",
            Intent.CLIENT_SEEKING_HELP,
        ),
        # kind: "anyone in <place>" asking colleagues' experience, not for a name
        (
            "r/privatepractice",
            "Anyone in Ohio figured out the county's billing portal?",
            "Two invoices bounced this month for a missing code.",
            Intent.BUSINESS,
        ),
        # kind: "licensed" in a question about one's own licence is no recruiting
        (
            "r/counseling",
            "Do I need licensed supervision hours before the exam?",
            "My supervisor thinks so. How do you all track them?",
            Intent.CONSULT_QUESTION,
        ),
        (
            "r/privatepractice",
            "Closing my office, furniture for sale",
            "Pickup only.",
            Intent.OTHER,
        ),
    ],
)
def test_intent_is_read_from_the_post(
    taxonomy: Taxonomy, community: str, title: str, body: str, intent: Intent
) -> None:
    assert analyze(taxonomy, title, body, community).intent is intent


@pytest.mark.parametrize(
    ("title", "body", "intent"),
    [
        # kind: an app or course launch that pays therapists for sending it clients
        (
            "Meet Driftwood: a trauma-informed sleep app for queer adults",
            "Launch day! Therapists, join our affiliate program and earn 15% per signup.",
            Intent.SPAM,
        ),
        # kind: a classified for office space, priced, with a viewing date
        (
            "Suite for sale in Astoria, great for a group practice",
            "Three offices, waiting room. Previous owners were therapists. Open house Saturday.",
            Intent.OTHER,
        ),
    ],
)
def test_advertising_and_classifieds_are_not_questions(
    taxonomy: Taxonomy, title: str, body: str, intent: Intent
) -> None:
    assert analyze(taxonomy, title, body, "linkedin").intent is intent


def test_being_listed_by_a_referral_source_is_practice_business(taxonomy: Taxonomy) -> None:
    # kind: a directory's or a clinic's list of therapists, and what it costs to be on it
    title = "Pediatric practice wants to add me as a preferred provider"
    body = "Their listing fee is $150 a year. How do you price consults for their families?"
    assert analyze(taxonomy, title, body, "r/privatepractice").intent is Intent.BUSINESS


def test_colleagues_meeting_up_is_a_discussion(taxonomy: Taxonomy) -> None:
    # kind: a chapter meeting or a meetup of clinicians in one specialty
    title = "Grief clinicians in Ohio: spring meetup in Columbus"
    body = "Our chapter meeting is open to anyone doing bereavement work. Come meet your referrals."
    assert analyze(taxonomy, title, body, "r/therapists").intent is Intent.DISCUSSION


@pytest.mark.parametrize(
    ("title", "body"),
    [
        # kind: "<kind of> therapist for a <client>", no "referral" and no question
        ("Tulsa: grief therapist for a widower who wants in person", "Client of mine, 70s."),
        # kind: where would you send someone, in plain words
        (
            "Neighbor's kid saw a shooting at the mall",
            "Her mom asked me. Who would you send her to?",
        ),
        ("Friend's husband keeps hiding a second phone", "Who do I point him to in Fresno?"),
        # kind: anyone (or a referral) in a named place
        ("Teen with panic after a car crash", "Client's cousin. Anyone in Ohio by video?"),
        ("Referral in Denver? Postpartum dad", "He won't do groups. Client has been struggling."),
        # kind: a clinic or an agency recruiting clinicians for its patients
        (
            "Eating disorder program seeks therapists for step-down clients",
            "We need Ohio-licensed therapists for weekly outpatient follow-up. Part time.",
        ),
    ],
)
def test_a_referral_asked_in_plain_words_is_a_referral_request(
    taxonomy: Taxonomy, title: str, body: str
) -> None:
    assert analyze(taxonomy, title, body, "r/therapists").intent is Intent.REFERRAL_REQUEST


@pytest.mark.parametrize(
    ("community", "title", "body", "client_side"),
    [
        # kind: someone shopping for their own therapist (the one they have, their plan)
        (
            "r/Austin",
            "Do therapists who only do adoption stuff exist?",
            "My current therapist means well. I have Blue Cross insurance. How did you find yours?",
            True,
        ),
        (
            "r/AskTherapists",
            "My wife had a miscarriage and won't talk to me",
            "I don't know how to help her. Should I find a therapist for us?",
            True,
        ),
        (
            "r/therapists",
            "Starting IFS next week and I'm scared",
            "My therapist says parts work helps. I have PTSD. Is it normal to feel silly?",
            True,
        ),
        (
            "r/therapists",
            "Client after a miscarriage won't talk in session",
            "How do you work with clients who shut down after pregnancy loss?",
            False,
        ),
    ],
)
def test_client_side_posts_are_told_apart_from_colleagues(
    taxonomy: Taxonomy, community: str, title: str, body: str, client_side: bool
) -> None:
    assert analyze(taxonomy, title, body, community).client_side is client_side


@pytest.mark.parametrize(
    ("community", "title", "body", "crisis"),
    [
        (
            "r/AskTherapists",
            "I can't do this anymore",
            "Honestly I want to die. Everyone would be better off.",
            True,
        ),
        (
            "r/AskTherapists",
            "is it normal",
            "I've been cutting myself again since the breakup.",
            True,
        ),
        (
            "r/AskTherapists",
            "scared at home",
            "My husband hits me when he drinks. What do I do?",
            True,
        ),
        (
            "r/therapists",
            "Client disclosed SI last session",
            "How do you document a safety plan? She denies SI now.",
            False,
        ),
        ("r/therapists", "Suicide risk assessment tools?", "What do you use with teens?", False),
    ],
)
def test_crisis_is_a_first_person_disclosure(
    taxonomy: Taxonomy, community: str, title: str, body: str, crisis: bool
) -> None:
    assert bool(analyze(taxonomy, title, body, community).crisis) is crisis


def test_crisis_post_sinks_to_the_bottom_and_is_flagged(matchers: dict[str, Matcher]) -> None:
    post = ScoringInput(
        "postpartum and I keep thinking they'd be better off without me",
        "I'm 6 weeks postpartum. I don't want to be here anymore.",
        "r/AskTherapists",
    )
    result = matchers["P2"].score(post)
    assert result.crisis
    assert result.score < 0.01
    assert any(r.kind is ReasonKind.CRISIS for r in result.reasons)


def test_client_side_post_ranks_below_a_colleague_consult(matchers: dict[str, Matcher]) -> None:
    client = ScoringInput(
        "How do I find a CSAT near me?",
        "My husband admitted to porn addiction. Should I go?",
        "r/AskTherapists",
    )
    consult = ScoringInput(
        "CSAT question: disclosure timing",
        "My client is 3 weeks into treatment for porn addiction.",
        "r/therapists",
    )
    p1 = matchers["P1"]
    assert p1.score(client).client_side
    assert p1.score(client).score < p1.score(consult).score / 5


def test_referral_in_the_therapists_region_beats_one_out_of_state(
    matchers: dict[str, Matcher],
) -> None:
    def referral(place: str) -> ScoringInput:
        return ScoringInput(
            f"Referral: EMDR therapist in {place}?",
            "Client wants trauma work, in person.",
            "r/therapists",
        )

    p3 = matchers["P3"]
    home, away = p3.score(referral("Queens")), p3.score(referral("Denver"))
    assert home.score > 2 * away.score
    assert any(r.kind is ReasonKind.LOCATION and r.text == "Queens" for r in home.reasons)


def test_filled_referral_is_flagged_and_worth_less(matchers: dict[str, Matcher]) -> None:
    open_ = ScoringInput(
        "Referral: PMH-C in Houston?", "Client is postpartum, telehealth ok.", "r/therapists"
    )
    filled = ScoringInput(
        open_.title, open_.body + "\n\nEdit: she found someone, thanks all!", "r/therapists"
    )
    p2 = matchers["P2"]
    assert MatchFlag.FILLED in p2.score(filled).flags
    assert p2.score(filled).score < p2.score(open_).score


def test_locked_thread_scores_zero(matchers: dict[str, Matcher]) -> None:
    post = ScoringInput(
        "EMDR readiness question", "Client is dissociative.", "r/therapists", locked=True
    )
    assert matchers["P3"].score(post).score == 0.0


def test_older_thread_scores_lower(matchers: dict[str, Matcher]) -> None:
    now = datetime(2026, 1, 10, tzinfo=UTC)
    fresh = ScoringInput(
        "IFS protector question", "Client's protector parts.", "r/therapists", created_at=now
    )
    stale = ScoringInput(
        fresh.title, fresh.body, fresh.community, created_at=now - timedelta(days=9)
    )
    assert matchers["P3"].score(stale, now=now).score < matchers["P3"].score(fresh, now=now).score


def test_thread_with_many_replies_scores_lower(matchers: dict[str, Matcher]) -> None:
    quiet = ScoringInput(
        "IFS protector question", "Client's protector parts.", "r/therapists", num_comments=0
    )
    busy = ScoringInput(quiet.title, quiet.body, quiet.community, num_comments=80)
    assert matchers["P3"].score(busy).score < matchers["P3"].score(quiet).score


def test_already_engaged_thread_scores_lower(matchers: dict[str, Matcher]) -> None:
    post = ScoringInput("IFS protector question", "Client's protector parts.", "r/therapists")
    assert matchers["P3"].score(post, engaged=True).score < matchers["P3"].score(post).score


def test_community_weight_scales_the_score(taxonomy: Taxonomy) -> None:
    profile = Profile(specialties={"trauma": 1.0}, community_weights={"r/EMDR": 2.0})
    post = ScoringInput("EMDR consult", "Client is stuck in a loop.", "r/EMDR")
    other = ScoringInput(post.title, post.body, "r/therapists")
    matcher = Matcher(taxonomy, profile)
    assert matcher.score(post).score == pytest.approx(2 * matcher.score(other).score)


def test_extra_terms_add_relevance_with_reasons(taxonomy: Taxonomy) -> None:
    post = ScoringInput(
        "Ketamine-assisted therapy consult", "Client asks about KAP.", "r/therapists"
    )
    plain = Matcher(taxonomy, Profile(specialties={"trauma": 1.0}))
    extra = Matcher(
        taxonomy, Profile(specialties={"trauma": 1.0}, extra_terms=("ketamine OR KAP",))
    )
    result = extra.score(post)
    assert result.score > plain.score(post).score
    assert {r.text for r in result.reasons if r.kind is ReasonKind.EXTRA_TERM} == {
        "Ketamine",
        "KAP",
    }


def test_exclusion_zeroes_the_score_and_flags_it(taxonomy: Taxonomy) -> None:
    profile = Profile(specialties={"trauma": 1.0}, exclusions=('"EMDR training" AND discount',))
    post = ScoringInput(
        "EMDR training discount!", "Save 30% on EMDR training this week.", "linkedin"
    )
    result = Matcher(taxonomy, profile).score(post)
    assert result.score == 0.0
    assert MatchFlag.EXCLUDED in result.flags


def test_bad_profile_expression_names_the_field(taxonomy: Taxonomy) -> None:
    with pytest.raises(ValueError, match=r"(?s)profile\.exclusions\[1\]: .*never closed"):
        Matcher(
            taxonomy, Profile(specialties={"trauma": 1.0}, exclusions=("spam", "(webinar OR IFS"))
        )


def test_unknown_specialty_slug_is_an_error(taxonomy: Taxonomy) -> None:
    with pytest.raises(ValueError, match="unknown specialty slug"):
        Matcher(taxonomy, Profile(specialties={"sex_addition": 1.0}))


def test_fetched_post_is_scored_like_its_scoring_input(matchers: dict[str, Matcher]) -> None:
    from engage.types import FetchedPost, Platform

    when = datetime(2026, 1, 1, tzinfo=UTC)
    fetched = FetchedPost(
        Platform.REDDIT,
        "t3_x",
        "r/therapists",
        "EMDR readiness",
        "Client dissociates.",
        "https://reddit.example/x",
        when,
    )
    p3 = matchers["P3"]
    assert p3.score(fetched, now=when).score == p3.score(ScoringInput.of(fetched), now=when).score


@pytest.mark.parametrize(
    ("title", "body", "slug"),
    [
        # an acronym spelled out as something else, before or after it
        ("Our EMDR (Electronic Medical Data Registry) upgrade", "Go-live in May.", "trauma"),
        ("Training on the Integrated Funding Schedule (IFS)", "Budget season again.", "trauma"),
        (
            "Clinic's new IVF (Intake Verification Flow) is slow",
            "The IVF step times out.",
            "infertility",
        ),
        ("EFT (Emotional Freedom Technique) tapping for stress?", "", "couples"),
        # more false friends in the same spirit as the README's
        (
            "HIPAA accounting of disclosures request",
            "Which records disclosures count?",
            "sex_addiction",
        ),
        ("Our nonprofit's annual fundraiser was a lovely affair", "", "couples"),
        ("Primary vs surrogate keys in our scheduling database", "", "infertility"),
        ("Adopt-a-Highway cleanup with our staff", "", "adoption"),
        ("How long do you hold a pregnant pause?", "", "perinatal"),
        ("Transition plan before I close my practice", "", "lgbtq"),
        ("Favourite Korean dramas to recommend as homework? lol", "", "asian_american"),
    ],
)
def test_more_false_friends_do_not_name_the_specialty(
    taxonomy: Taxonomy, title: str, body: str, slug: str
) -> None:
    assert slug not in specialties(taxonomy, title, body)


@pytest.mark.parametrize(
    ("title", "body", "slug"),
    [
        ("IFS (Internal Family Systems) with a teen's protector", "", "trauma"),
        ("Starting EMDR (eye movement desensitization and reprocessing)", "", "trauma"),
        ("Client doing IVF (in vitro fertilization) for the 2nd time", "", "infertility"),
        (
            "Client's three circles keep changing",
            "Inner circle is porn and chat sites.",
            "sex_addiction",
        ),
    ],
)
def test_spelled_out_acronyms_and_jargon_keep_their_specialty(
    taxonomy: Taxonomy, title: str, body: str, slug: str
) -> None:
    assert slug in specialties(taxonomy, title, body)


def test_in_person_only_referral_is_worth_less_to_a_therapist_who_cannot_see_it(
    matchers: dict[str, Matcher],
) -> None:
    def referral(extra: str, place: str = "Houston") -> ScoringInput:
        return ScoringInput(
            f"Postpartum therapist in {place}?",
            f"Client is 10 weeks postpartum with panic. {extra}",
            "r/therapists",
        )

    p2 = matchers["P2"]  # telehealth only, Texas
    assert p2.score(referral("No telehealth, in person only.")).score < 0.5 * (
        p2.score(referral("Telehealth is fine.")).score
    )
    p1 = matchers["P1"]  # offices in Southern California only
    near, far = (
        ScoringInput(
            f"CSAT in {place}?", "Client wants in person only, no telehealth.", "r/therapists"
        )
        for place in ("Irvine", "Sacramento")
    )
    assert p1.score(far).score < 0.5 * p1.score(near).score


@pytest.mark.parametrize(
    ("title", "body"),
    [
        # kind: a group named by its size or by its billing number, with no "group practice"
        ("Scheduling app for a 9-clinician group?", "Ours keeps double-booking new intakes."),
        ("One group NPI or one per therapist?", "Adding a payer for the whole team."),
        ("Group owner here: who covers when I'm away?", "Two weeks off in August."),
    ],
)
def test_a_group_practice_is_known_in_plain_words(
    taxonomy: Taxonomy, title: str, body: str
) -> None:
    assert "group" in analyze(taxonomy, title, body, "r/privatepractice").practice_kinds


def test_group_practice_question_elsewhere_is_not_the_owners_own(
    matchers: dict[str, Matcher],
) -> None:
    def question(place: str) -> ScoringInput:
        return ScoringInput(
            f"Group practice owners in {place}: payroll for W-2 clinicians?",
            "Switching providers, which do you use?",
            "r/privatepractice",
        )

    p3 = matchers["P3"]
    assert p3.score(question("Denver")).score < 0.5 * p3.score(question("Brooklyn")).score
