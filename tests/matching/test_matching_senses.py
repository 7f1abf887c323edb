"""Word senses by context, negation scope and the owner's business: one kind of text per test.

The posts are written for these tests (none is taken from an eval set). Each names the kind of
wording it stands for, so a rule that passes here generalises by kind, not by post.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from engage.matching import Matcher, Taxonomy
from engage.matching.analysis import analyze
from engage.types import Intent, Profile, ScoringInput


def named(
    taxonomy: Taxonomy, title: str, body: str = "", community: str = "r/therapists"
) -> set[str]:
    return set(analyze(taxonomy, title, body, community).strengths)


# -- context: who is the subject, where is it said ---------------------------------------------


def test_outside_clinicians_communities_a_specialty_word_needs_talk_of_therapy(
    taxonomy: Taxonomy,
) -> None:
    text = "Starting IVF with our heifers this spring", "Vet says two rounds. Costs?"
    assert "infertility" not in named(taxonomy, *text, community="r/farming")


def test_outside_clinicians_communities_talk_of_therapy_makes_it_count(
    taxonomy: Taxonomy,
) -> None:
    title, body = "Two failed IVF transfers", "My therapist says the grief is normal. Is it?"
    assert "infertility" in named(taxonomy, title, body, community="r/AskWomen")


def test_in_a_clinicians_community_the_community_is_the_context(taxonomy: Taxonomy) -> None:
    assert "infertility" in named(taxonomy, "Third IVF round, she's numb", "")


def test_therapy_denied_is_not_context(taxonomy: Taxonomy) -> None:
    title = "Queer hiking group in Denver?"
    body = "Not looking for therapy or a support group, just people to hike with."
    assert "lgbtq" not in named(taxonomy, title, body, community="r/Denver")


def test_physical_therapy_is_not_mental_health_context(taxonomy: Taxonomy) -> None:
    body = "Physical therapy twice a week; our embryo of a plan is to walk by June."
    assert named(taxonomy, "Dad's knee", body, community="r/AgingParents") == set()


# -- negation and contrast scope ---------------------------------------------------------------


def test_a_term_under_no_is_not_evidence(taxonomy: Taxonomy) -> None:
    found = named(taxonomy, "No porn, no affair - they fight about chores", "Couple in their 30s.")
    assert "sex_addiction" not in found


def test_a_term_under_isnt_about_is_not_evidence(taxonomy: Taxonomy) -> None:
    title = "This isn't about postpartum stuff, her kid is 12"
    assert "perinatal" not in named(taxonomy, title, "Homework fights every night.")


def test_negation_covers_the_list_it_heads(taxonomy: Taxonomy) -> None:
    title = "Not looking for EMDR or trauma work"
    assert "trauma" not in named(taxonomy, title, "Which EHR do group practices like?")


def test_a_hedge_is_not_a_negation(taxonomy: Taxonomy) -> None:
    assert "trauma" in named(taxonomy, "Not sure EMDR fits a client this flooded", "")


def test_negation_reaches_only_the_next_phrase(taxonomy: Taxonomy) -> None:
    title = "Client is not ready for EMDR yet"  # "ready for" stands between: still about EMDR
    assert "trauma" in named(taxonomy, title, "")


def test_a_negated_term_is_not_shown_as_a_reason(matchers: dict[str, Matcher]) -> None:
    post = ScoringInput("Not a porn question: CSAT colleagues, how do you bill intensives?", "")
    result = matchers["P1"].score(post)
    assert "porn" not in {r.text.lower() for r in result.reasons}


def test_a_title_that_rules_a_specialty_out_and_a_body_that_repeats_it(taxonomy: Taxonomy) -> None:
    # kind: a consult that names a specialty only to set it aside
    title = "Not an eating disorder, I think: teen skips lunch to game"
    body = "Mom read about anorexia online. No purging, weight is stable, he eats dinner."
    assert "eating_disorders" not in named(taxonomy, title, body)


def test_one_denial_in_the_title_leaves_the_specialty(taxonomy: Taxonomy) -> None:
    # kind: "not yet" and "never" are about time, not about the topic
    title = "Not postpartum yet: 30 weeks pregnant and dreading the birth"
    assert "perinatal" in named(taxonomy, title, "Anyone do fear-of-birth work?")


def test_a_list_of_what_a_client_does_not_do_is_no_denial(taxonomy: Taxonomy) -> None:
    # kind: "no X, no Y" in the body describes the case; the title never denied it
    title = "Compulsive porn use or just a bad habit?"
    body = "He watches porn nightly. No affairs, no hookups, no escorts. Is this CSB?"
    assert "sex_addiction" in named(taxonomy, title, body)


def test_a_phrase_taken_back_by_a_disclaimer_is_not_evidence(taxonomy: Taxonomy) -> None:
    # kind: "X, but that's not what this is about"
    title = "Client is trans but that's not what this is about: late-cancel fee dispute"
    assert "lgbtq" not in named(taxonomy, title, "She says she never got the policy.")


# -- slang and metaphor ------------------------------------------------------------------------


def test_thing_porn_is_slang_for_pictures(taxonomy: Taxonomy) -> None:
    body = "Sharing some food porn from the CEU lunch, the tacos were unreal."
    assert "sex_addiction" not in named(taxonomy, "Conference recap", body)


def test_porn_as_the_look_of_a_picture_is_slang(taxonomy: Taxonomy) -> None:
    # kind: "<thing> porn" for an aesthetic, in a post about photos or decor
    body = "Clients love that cozy bookshelf porn aesthetic for their office photos. Lighting tips?"
    assert "sex_addiction" not in named(taxonomy, "Headshots for my practice site", body)


def test_an_attack_and_its_aftermath_in_plain_words_is_trauma(taxonomy: Taxonomy) -> None:
    # kind: no clinical word, only what happened and what followed
    title = "Barista at my cafe was mugged last month"
    body = "She keeps replaying it and is jumpy at every door chime. Who would you send her to?"
    assert "trauma" in named(taxonomy, title, body, community="r/therapists")


def test_the_postpartum_of_a_project_is_a_metaphor(taxonomy: Taxonomy) -> None:
    body = "Anyone else get a postpartum slump after a big product launch at the clinic?"
    assert "perinatal" not in named(taxonomy, "After the EHR migration", body)


def test_a_school_trimester_is_not_pregnancy(taxonomy: Taxonomy) -> None:
    body = "Our district moved to trimester grading and my school-based clients are stressed."
    assert "perinatal" not in named(taxonomy, "School counselor question", body)


# -- first aid and medicine --------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Which trauma shears survive the autoclave?",
        "Restocking the trauma kit in our group room",
        "Client's dad had a traumatic brain injury, coordinating rehab",
        "Did a trauma surgery rotation before switching to social work",
    ],
)
def test_trauma_as_injury_is_not_psychological_trauma(taxonomy: Taxonomy, title: str) -> None:
    assert "trauma" not in named(taxonomy, title, "", community="r/socialwork")


def test_trauma_named_once_as_injury_medicine_keeps_that_sense(taxonomy: Taxonomy) -> None:
    # kind: a hospital trauma job named once, then "trauma" alone later in the post
    title = "Six years on a Level 1 trauma unit, applying to MSW programs"
    body = "Will admissions care about my trauma experience, or only my volunteer hours?"
    assert "trauma" not in named(taxonomy, title, body, community="r/socialwork")


def test_dissociation_in_chemistry_is_not_dissociation(taxonomy: Taxonomy) -> None:
    title = "Dissociation constant keeps drifting in my binding assay"
    assert "trauma" not in named(taxonomy, title, "", community="r/socialwork")


def test_a_loss_told_in_plain_words_is_perinatal_work(taxonomy: Taxonomy) -> None:
    # kind: a pregnancy loss named by what the body does after it, no clinical term
    body = "Two days after the loss, milk came in; she is back at work Monday."
    assert "perinatal" in named(taxonomy, "Supporting a client back at work", body)


def test_animals_births_are_not_perinatal_work(taxonomy: Taxonomy) -> None:
    body = "Our mare foaled early; is there a NICU for foals near Austin? I'm a counselor by day."
    assert "perinatal" not in named(taxonomy, "Early foal", body)


# -- law and records ---------------------------------------------------------------------------


def test_disclosure_of_records_alone_names_no_specialty(taxonomy: Taxonomy) -> None:
    body = "An attorney wants disclosure of a former client's chart. How fast must we respond?"
    assert "sex_addiction" not in named(taxonomy, "Subpoena question", body)


def test_meeting_others_for_sex_in_plain_words_is_sexual_behavior(taxonomy: Taxonomy) -> None:
    # kind: secret sexual behavior named in plain words, no clinical term
    body = "He has been seeing women he finds on a forum for sex since before the wedding."
    assert "sex_addiction" in named(taxonomy, "Three weeks in with a new client", body)


@pytest.mark.parametrize(
    "body",
    [
        "Her husband had a double life she knew nothing about for a decade.",
        "The bank statements showed two years of paid webcam sessions.",
        "Patients tell us they keep going back to anonymous sex despite the risks.",
        "He admitted to meeting strangers from a classifieds site while she was at work.",
    ],
)
def test_a_hidden_sexual_life_in_plain_words_is_sexual_behavior(
    taxonomy: Taxonomy, body: str
) -> None:
    # kind: a secret sexual life described without a clinical term
    assert "sex_addiction" in named(taxonomy, "Who would see this couple?", body)


def test_for_sex_education_is_not_sexual_behavior(taxonomy: Taxonomy) -> None:
    body = "Which curriculum do you use for sex ed with the 13 and 14 year olds?"
    assert "sex_addiction" not in named(taxonomy, "Group for middle schoolers", body)


def test_a_formal_disclosure_still_names_sex_addiction(taxonomy: Taxonomy) -> None:
    body = "The betrayed partner wants the formal disclosure before the intensive."
    assert "sex_addiction" in named(taxonomy, "Disclosure prep", body)


def test_surrogates_court_is_probate(taxonomy: Taxonomy) -> None:
    body = "Surrogate's Court wants an affidavit from the estate's counselor."
    assert "infertility" not in named(taxonomy, "Probate question", body)


def test_a_medical_surrogate_named_once_stays_a_decision_maker(taxonomy: Taxonomy) -> None:
    # kind: the decision-maker called "the surrogate" far from where the post first says so
    title = "Who signs the release now?"
    body = (
        "My client named her brother as her health care surrogate when she went into memory "
        "care. Her daughter disagrees with him about pretty much everything, including me, and "
        "has been calling the office twice a week since the move to ask what we talk about. "
        "Can the surrogate sign a release for my notes, or does it have to be her?"
    )
    assert "infertility" not in named(taxonomy, title, body)


def test_a_surrogate_carrying_a_baby_is_still_infertility_work(taxonomy: Taxonomy) -> None:
    body = "Her surrogate is 20 weeks and the intended mom can't stop checking her texts."
    assert "infertility" in named(taxonomy, "Intended parent anxiety", body)


def test_conceiving_a_plan_is_an_idiom(taxonomy: Taxonomy) -> None:
    # kind: "conceive" of plans and ideas, even after "trying to"
    title = "Rent doubled at renewal, trying to conceive a way to keep the office"
    assert "infertility" not in named(taxonomy, title, "Three of us share it. Ideas welcome.")


def test_trying_to_conceive_is_still_infertility(taxonomy: Taxonomy) -> None:
    body = "Client has been trying to conceive for two years and dreads every baby shower."
    assert "infertility" in named(taxonomy, "Two years of waiting", body)


def test_pregnancy_in_employment_law_is_not_perinatal_work(taxonomy: Taxonomy) -> None:
    # kind: leave, accommodations and an employer's handbook, in the words of pregnancy
    title = "Pregnancy leave for our front desk staff"
    body = "Updating the handbook and payroll for the new pregnancy leave rules. Who did yours?"
    assert "perinatal" not in named(taxonomy, title, body, community="r/privatepractice")


def test_a_pregnant_clients_job_worries_are_still_perinatal(taxonomy: Taxonomy) -> None:
    body = "She is 30 weeks pregnant and terrified her boss will push her out before the baby."
    assert "perinatal" in named(taxonomy, "Client dreading going back", body)


# -- advertising borrowing a modality's name ---------------------------------------------------


def test_a_course_sold_in_a_modalitys_name_is_spam(matchers: dict[str, Matcher]) -> None:
    post = ScoringInput(
        "Get certified as an EMDR-informed coach this weekend",
        "No degree required. Early bird $299, link below!",
        "r/therapists",
    )
    result = matchers["P3"].score(post)
    assert result.intent is Intent.SPAM
    assert result.score == 0.0


def test_a_seller_writing_in_the_first_person_is_spam_not_a_client(taxonomy: Taxonomy) -> None:
    body = "After my own IVF I found this tea. I feel amazing! 25% off with code WOMB25."
    assert analyze(taxonomy, "Natural fertility tea", body, "r/infertility").intent is Intent.SPAM


# -- the owner's business ----------------------------------------------------------------------


def test_a_hospitals_software_roll_out_is_not_practice_business(taxonomy: Taxonomy) -> None:
    # kind: a health system's operations, in the words a practice owner also uses
    title = "Our health system's new EHR: nurses won't chart in it"
    body = "We went live in March. Billing says claims are delayed. What got your staff on board?"
    assert "private_practice_business" not in named(taxonomy, title, body, community="r/socialwork")


def test_contracts_and_leases_are_practice_business(taxonomy: Taxonomy) -> None:
    body = "Our landlord wants a personal guarantee and the associate contracts need a non-solicit."
    found = analyze(taxonomy, "Second location", body, "r/privatepractice")
    assert "private_practice_business" in found.strengths
    assert found.intent is Intent.BUSINESS


def test_a_group_owner_gets_more_from_a_group_practice_question(
    matchers: dict[str, Matcher], taxonomy: Taxonomy, personas: dict[str, Profile]
) -> None:
    post = ScoringInput(
        "Fee splits for W-2 associates?",
        "Scaling our group practice; what productivity requirements do you set?",
        "r/privatepractice",
    )
    solo = Matcher(taxonomy, replace(personas["P3"], practice="solo practice"))
    assert matchers["P3"].score(post).score > solo.score(post).score


def office_question(body: str) -> ScoringInput:
    return ScoringInput("Dallas, solo: what do you make of this?", body, "r/privatepractice")


def test_an_office_question_in_their_state_is_not_a_telehealth_only_therapists(
    taxonomy: Taxonomy, personas: dict[str, Profile]
) -> None:
    # kind: premises (lease, landlord, office space) in the therapist's state
    post = office_question("The landlord wants a 5-year lease on a two-room office space.")
    remote = Matcher(taxonomy, personas["P2"])  # telehealth only, Texas
    in_person = Matcher(taxonomy, replace(personas["P2"], delivery=("in_person", "telehealth")))
    assert remote.score(post).score < 0.5 * in_person.score(post).score


def test_other_practice_questions_in_their_state_still_count_for_telehealth_only(
    taxonomy: Taxonomy, personas: dict[str, Profile]
) -> None:
    post = office_question("Our payer wants a prior authorization for every 90837 now.")
    remote = Matcher(taxonomy, personas["P2"])
    in_person = Matcher(taxonomy, replace(personas["P2"], delivery=("in_person", "telehealth")))
    assert remote.score(post).score == in_person.score(post).score > 0


def test_a_therapists_own_retirement_savings_are_not_practice_business(
    taxonomy: Taxonomy,
) -> None:
    # kind: personal finance asked by a therapist in private practice
    body = "In private practice with no employer match: a SEP IRA or a solo 401k? How much?"
    assert "private_practice_business" not in named(taxonomy, "Saving for retirement", body)


def test_another_kind_of_business_is_not_a_practice_question(taxonomy: Taxonomy) -> None:
    body = "My restaurant's delivery drivers are on 1099 - should they be W-2?"
    assert "private_practice_business" not in named(taxonomy, "Contractors?", body)


# -- other bodies' initials, school calendars, ideas, software, a job ---------------------------


def test_a_fellowships_initials_used_by_archivists_name_no_specialty(taxonomy: Taxonomy) -> None:
    # kind: an acronym that is another body's (the Society of American Archivists)
    body = "Is the SAA fall meeting worth it for records managers? Their archives track looks good."
    assert "sex_addiction" not in named(taxonomy, "Conference for our records person", body)


def test_a_degree_programs_trimesters_are_not_pregnancy(taxonomy: Taxonomy) -> None:
    # kind: a trimester of a program's calendar, named in the title and the body
    title, body = "Our trimester system and practicum", "My grad program runs on trimesters now."
    assert "perinatal" not in named(taxonomy, title, body)


def test_conceiving_a_niche_is_an_idea(taxonomy: Taxonomy) -> None:
    # kind: conceiving an idea, a niche, a website, often as a pun
    body = "Still conceiving my niche, then the website. Pun intended, I am nesting on it."
    assert "infertility" not in named(taxonomy, "New direction", body)


def test_software_adoption_named_once_keeps_that_sense(taxonomy: Taxonomy) -> None:
    body = (
        "The EHR adoption took a year across our sites and the staff grumbled the whole time."
        " What finally drove adoption was a few super users."
    )
    assert "adoption" not in named(taxonomy, "Lessons from a roll-out", body)


def test_foster_care_as_a_caseworkers_job_is_not_adoption_work(taxonomy: Taxonomy) -> None:
    body = "Foster care caseworker here, turnover is brutal and I want an exit path. Ideas?"
    assert "adoption" not in named(taxonomy, "Leaving child welfare?", body)


def test_a_foster_to_adopt_consult_is_still_adoption_work(taxonomy: Taxonomy) -> None:
    body = "Client in foster care is being adopted by her aunt and keeps testing the placement."
    assert "adoption" in named(taxonomy, "Kinship placement", body)


# -- whose business: staff of an organisation, an event at the office ---------------------------


def test_an_agency_employees_workplace_question_is_not_an_owners_even_in_their_state(
    taxonomy: Taxonomy, personas: dict[str, Profile]
) -> None:
    # kind: the writer is staff (their HR, their occupational health, their caseload)
    post = ScoringInput(
        "Onboarding question", "HR at our agency in Austin wants new hire paperwork redone.", ""
    )
    owner = Matcher(taxonomy, personas["P2"])
    staff = Matcher(taxonomy, replace(personas["P2"], practice="agency clinician"))
    assert owner.score(post).score < 0.5 * staff.score(post).score


def test_an_event_at_the_office_is_not_a_telehealth_only_therapists(
    taxonomy: Taxonomy, personas: dict[str, Profile]
) -> None:
    post = office_question("We host a holiday party at our office; do we need extra liability?")
    remote = Matcher(taxonomy, personas["P2"])
    in_person = Matcher(taxonomy, replace(personas["P2"], delivery=("in_person", "telehealth")))
    assert remote.score(post).score < 0.5 * in_person.score(post).score


def test_what_others_talk_about_set_against_the_writers_own_topic_is_not_evidence(
    taxonomy: Taxonomy,
) -> None:
    # kind: contrast ("everyone here talks X, but mine is ...")
    body = "I know this sub loves EMDR but mine is a payroll question: biweekly or monthly?"
    assert "trauma" not in named(taxonomy, "Quick one", body)


def test_a_sports_teams_practice_is_not_a_practice(taxonomy: Taxonomy) -> None:
    body = "Group practice for my son's soccer team moved to Wednesdays, right on my evening block."
    assert "private_practice_business" not in named(taxonomy, "Scheduling clash", body)


def test_an_accountant_alone_is_anyones_taxes(taxonomy: Taxonomy) -> None:
    found = analyze(taxonomy, "Taxes", "My accountant is away; is a donation deductible?", "")
    practice = analyze(
        taxonomy, "Taxes", "My accountant says our group practice owes payroll tax.", ""
    )
    assert found.strengths.get("private_practice_business", 0) < 0.5
    assert practice.strengths["private_practice_business"] > 0.5


def test_dissociation_told_in_plain_words_is_trauma_work(taxonomy: Taxonomy) -> None:
    # kind: a client who "goes somewhere else" and can't recall the minutes after
    body = "Mid-session he goes somewhere else, eyes glaze, and after he can't recall what we said."
    assert "trauma" in named(taxonomy, "Client drifting away", body)


def test_a_student_clinicians_learning_question_is_not_client_side(taxonomy: Taxonomy) -> None:
    # kind: a student in a field placement, in a help-seekers' community, saying "I feel"
    body = "MSW student at a field placement with survivors of complex trauma. I feel lost: books?"
    assert not analyze(taxonomy, "Where to start", body, "r/AskTherapists").client_side


def test_a_sexual_life_met_online_in_plain_words_is_sexual_behavior(taxonomy: Taxonomy) -> None:
    # kind: years of "bad websites" and of meeting people from the internet, no jargon
    body = "An elder admitted to bad websites and meeting men online for a decade. Where to start?"
    assert "sex_addiction" in named(taxonomy, "Our church's elder", body)


def test_a_twelve_step_group_for_sex_in_plain_words_is_sexual_recovery(
    taxonomy: Taxonomy,
) -> None:
    body = "Her husband attends a 12-step sex group and has a sponsor, but still hides his phone."
    assert "sex_addiction" in named(taxonomy, "Partner asks if this is normal", body)


def test_asking_for_a_counselor_who_understands_is_a_referral_request(
    taxonomy: Taxonomy,
) -> None:
    # kind: a pastor or a parent asks colleagues for someone, in plain words
    body = "A couple in our parish want a counselor who knows both church and this problem."
    found = analyze(taxonomy, "Counselor recommendation please", body, "facebook")
    assert found.intent is Intent.REFERRAL_REQUEST
