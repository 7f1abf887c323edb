"""The template drafter: specific, short, editable replies that say who is speaking, and only
safe words where someone is in crisis or looking for help."""

from __future__ import annotations

import dataclasses
import re

import pytest

from engage import guard
from engage.drafting import DraftingError, TemplateDrafter, reading
from engage.types import BlogArticle, DraftKind, Intent, Move, Profile
from engage.types.matching import FitCheck
from tests.drafting.conftest import MakeInput, blocking

drafter = TemplateDrafter()

CRISIS_TITLE = "I don't think I can keep doing this"
CRISIS_BODY = (
    "My husband found out about my porn use and left. I've been thinking everyone would be better "
    "off without me and I have a plan to end it tonight."
)
ARTICLE = BlogArticle(
    url="https://gracelee.example/blog/formal-disclosure",
    title="Formal disclosure without retraumatizing the betrayed partner",
    summary="Detail serves the partner's healing, not curiosity. Here is how I pace it.",
    specialties=("sex_addiction",),
)


def test_the_same_thread_drafts_the_same_way_twice(thread: MakeInput, csat: Profile) -> None:
    assert drafter.draft(thread(), csat) == drafter.draft(thread(), csat)


def test_two_threads_differing_only_in_their_question_get_different_text(
    thread: MakeInput, csat: Profile
) -> None:
    other = thread(body="When do you schedule the polygraph relative to the disclosure?")
    assert drafter.draft(thread(), csat).text != drafter.draft(other, csat).text


def test_two_therapists_in_one_thread_do_not_post_the_same_text(
    thread: MakeInput, csat: Profile
) -> None:
    colleague = Profile(
        specialties={"sex_addiction": 1.0}, credentials="LPC, CSAT", location="Ohio"
    )
    assert drafter.draft(thread(), csat).text != drafter.draft(thread(), colleague).text


REFERRAL = {
    "intent": Intent.REFERRAL_REQUEST,
    "title": "Looking for a CSAT in Orange County",
    "body": "Colleague here, need a CSAT for a man in Orange County, in person preferred.",
}
KOREAN = {
    "intent": Intent.REFERRAL_REQUEST,
    "title": "Korean-speaking couples therapist in LA or OC? Affair recovery",
    "body": "Wife's English is limited and she really wants someone who speaks Korean. "
    "Does anyone know a Korean-speaking MFT in LA County who does infidelity work?",
    "specialties": ("couples",),
    "phrases": ("affair recovery", "infidelity"),
}
OPINION = "In my experience, a full formal disclosure works best after stabilization."


def test_a_peer_reply_carries_no_credential_line(thread: MakeInput, csat: Profile) -> None:
    for move in (Move.ASK, Move.AGREE_EXAMPLE, Move.DISAGREE_EXAMPLE):
        text = drafter.draft(thread(body=OPINION), csat, move=move).text
        assert "LMFT" not in text and "CSAT in Southern California" not in text


def test_a_referral_offer_leaves_the_credential_line_out_when_the_community_had_it(
    thread: MakeInput, csat: Profile
) -> None:
    text = drafter.draft(thread(**REFERRAL), csat, introduce=False).text
    assert "LMFT" not in text and "Grace Lee" not in text
    assert "[how you work with" in text


@pytest.mark.parametrize(
    ("credentials", "location", "expected"),
    [
        ("", "Texas", "I'm a therapist in Texas"),
        ("PhD", "", "I'm a therapist (PhD)"),
        ("CSAT", "Southern California", "I'm a CSAT in Southern California"),
    ],
)
def test_the_introduction_reads_well_for_any_credentials(
    credentials: str, location: str, expected: str
) -> None:
    profile = Profile(
        specialties={"sex_addiction": 1.0}, credentials=credentials, location=location
    )
    assert reading.intro(profile) == expected


def test_an_ask_draft_names_the_question_to_answer_in_its_bracket(
    thread: MakeInput, csat: Profile
) -> None:
    text = drafter.draft(thread(), csat).text
    assert re.search(r"\[your answer to “How do you decide how much detail is helpful", text)


def test_no_draft_quotes_the_title_back(thread: MakeInput, csat: Profile) -> None:
    post = thread(title="How much detail in a formal disclosure?", body="Curious how you pace it.")
    text = drafter.draft(post, csat).text
    outside = re.sub(r"\[[^\]]*\]", "", text)
    assert "How much detail in a formal disclosure" not in outside
    assert "You asked" not in text


def test_an_ask_draft_asks_about_the_topic_never_the_posters_hunch(
    thread: MakeInput, csat: Profile
) -> None:
    text = drafter.draft(thread(), csat, move=Move.ASK).text
    outside = re.sub(r"\[[^\]]*\]", "", text)
    assert "formal disclosure" in outside  # the thread's own topic words, asked about
    assert "hunch" not in text and "what have you already tried" not in text


@pytest.mark.parametrize("stage", ["wks pregnant", "weeks postpartum", "months sober"])
def test_a_stage_measured_in_time_is_never_the_topic_asked_about(
    thread: MakeInput, stage: str
) -> None:
    post = thread(phrases=(stage, "birth trauma"), body=f"She is 34 {stage}. Thoughts?")
    assert reading.topic(post) == "birth trauma"


def test_an_agree_draft_names_the_opinion_it_agrees_with(thread: MakeInput, csat: Profile) -> None:
    text = drafter.draft(thread(body=OPINION), csat, move=Move.AGREE_EXAMPLE).text
    assert "a full formal disclosure works best after stabilization" in text


def test_a_disagree_draft_says_what_it_disagrees_with(thread: MakeInput, csat: Profile) -> None:
    text = drafter.draft(thread(body=OPINION), csat, move=Move.DISAGREE_EXAMPLE).text
    assert "a full formal disclosure works best after stabilization" in text
    assert re.search(r"\[an example from your work with [^\]]+ where it went differently\]", text)


def test_agreeing_with_a_thread_that_only_asks_is_refused(thread: MakeInput, csat: Profile) -> None:
    with pytest.raises(DraftingError, match="agree_example"):
        drafter.draft(thread(), csat, move=Move.AGREE_EXAMPLE)


def test_a_referral_in_a_language_the_therapist_lacks_helps_without_offering_them(
    thread: MakeInput, csat: Profile
) -> None:
    draft = drafter.draft(thread(**KOREAN), csat)
    assert draft.move is Move.ASK
    assert "I don't speak Korean" in draft.text
    assert "Psychology Today" in draft.text and "language" in draft.text
    assert "right in my area" not in draft.text and "Grace Lee" not in draft.text
    assert not blocking(draft.text, thread(**KOREAN))


def test_a_referral_the_profile_fits_by_language_is_offered(
    thread: MakeInput, csat: Profile
) -> None:
    korean_speaker = dataclasses.replace(csat, languages=("Korean",))
    assert drafter.draft(thread(**KOREAN), korean_speaker).drafter.endswith(
        "agree_example.referral_request.txt.j2"
    )


def test_matchings_fit_decides_over_the_language_fallback(thread: MakeInput, csat: Profile) -> None:
    unmet = (FitCheck("insurance", "Aetna", False),)
    draft = drafter.draft(thread(**REFERRAL), csat, fit=unmet)
    assert draft.move is Move.ASK and "I'm not in network with Aetna" in draft.text


@pytest.mark.parametrize(
    ("move", "fields"),
    [
        (Move.ASK, {}),
        (Move.AGREE_EXAMPLE, {"body": OPINION}),
        (Move.DISAGREE_EXAMPLE, {"body": OPINION}),
        (Move.AGREE_EXAMPLE, REFERRAL),
        (Move.ASK, KOREAN),
        (Move.ASK, {"intent": Intent.VENT, "body": "Third no-show this week."}),
        (Move.ASK, {"intent": Intent.ARTICLE_SHARE}),
    ],
)
def test_every_peer_reply_has_a_bracket_naming_what_to_write(
    thread: MakeInput, csat: Profile, move: Move, fields: dict[str, object]
) -> None:
    assert re.search(r"\[[^\]]{10,}\]", drafter.draft(thread(**fields), csat, move=move).text)


def test_a_question_about_a_client_is_not_quoted_back(thread: MakeInput, csat: Profile) -> None:
    post = thread(
        title="Disclosure pacing",
        body="My client, a 34-year-old pilot, wants to disclose everything. Should he wait?",
    )
    text = drafter.draft(post, csat).text
    assert "pilot" not in text
    assert "Should he wait" not in text


def test_a_thread_with_nothing_quotable_leaves_a_placeholder_not_its_body(
    thread: MakeInput, csat: Profile
) -> None:
    post = thread(
        title="Client reminds me of my dad",
        body="Same dismissive laugh, same career, similar age. I dread Tuesdays.",
        phrases=(),
    )
    text = drafter.draft(post, csat, move=Move.ASK).text
    assert "[your experience with" in text
    assert "laugh" not in text and "Tuesdays" not in text


def test_quotation_marks_inside_a_quoted_question_stay_balanced(
    thread: MakeInput, csat: Profile
) -> None:
    post = thread(title='"Sex addiction" vs CSBD: does the label change your treatment?', body="")
    text = drafter.draft(post, csat).text
    assert "“'Sex addiction' vs CSBD: does the label change your treatment?”" in text


@pytest.mark.parametrize("move", [Move.AGREE_EXAMPLE, Move.DISAGREE_EXAMPLE])
def test_an_example_move_leaves_brackets_for_the_therapists_own_example(
    thread: MakeInput, csat: Profile, move: Move
) -> None:
    text = drafter.draft(thread(body=OPINION), csat, move=move).text
    assert re.search(r"\[an example from your work with formal disclosure [^\]]*\]", text)


def test_a_referral_offer_names_the_therapist_and_where_they_can_see_people(
    thread: MakeInput, csat: Profile
) -> None:
    post = thread(
        intent=Intent.REFERRAL_REQUEST,
        title="Looking for a CSAT in Orange County",
        body="Colleague here, need a CSAT for a man in Orange County, in person preferred.",
    )
    draft = drafter.draft(post, csat)
    assert "I'm Grace Lee, an LMFT and CSAT in Southern California" in draft.text
    assert "licensed in CA; in person and telehealth" in draft.text
    assert "[how you work with" in draft.text
    assert not blocking(draft.text, post)


def test_a_reply_names_its_template(thread: MakeInput, csat: Profile) -> None:
    vent = thread(intent=Intent.VENT, body="Honestly, no-shows should be billed.")
    draft = drafter.draft(vent, csat)
    assert draft.drafter == "template:agree_example.vent.txt.j2"


def test_a_crisis_reply_gives_the_us_and_international_crisis_lines(
    thread: MakeInput, csat: Profile
) -> None:
    text = drafter.draft(thread(crisis=True), csat).text
    for resource in ("988", "text HOME to 741741", "911", "findahelpline.com"):
        assert resource in text


def test_a_crisis_reply_has_no_networking_and_passes_the_guard_in_its_thread(
    thread: MakeInput, csat: Profile
) -> None:
    post = thread(crisis=True, title=CRISIS_TITLE, body=CRISIS_BODY, community="r/offmychest")
    draft = drafter.draft(post, csat)
    assert draft.kind is DraftKind.CRISIS_REPLY
    assert not {"Grace", "CSAT", "LMFT", "California", "gracelee"} & set(
        re.findall(r"\w+", draft.text)
    )
    assert not blocking(draft.text, post)  # crisis_mishandled is blocking


def test_a_crisis_thread_refuses_any_other_move(thread: MakeInput, csat: Profile) -> None:
    with pytest.raises(DraftingError, match="crisis_resources"):
        drafter.draft(thread(crisis=True), csat, move=Move.AGREE_EXAMPLE)


def test_a_help_seeker_is_pointed_to_directories_without_advice_or_an_offer(
    thread: MakeInput, csat: Profile
) -> None:
    post = thread(
        client_side=True,
        intent=Intent.CLIENT_SEEKING_HELP,
        community="r/PornAddiction",
        title="Is this an addiction or am I just weak?",
        body="I've tried to quit porn for years and keep relapsing. Can therapy help with this?",
    )
    text = drafter.draft(post, csat).text
    assert "I'm a therapist" in text
    assert "Psychology Today" in text and "IITAP" in text
    assert "Southern California" not in text and "Grace" not in text
    assert not blocking(text, post)


def test_a_help_seeker_is_never_drafted_a_networking_reply(
    thread: MakeInput, csat: Profile
) -> None:
    with pytest.raises(DraftingError):
        drafter.draft(thread(client_side=True), csat, move=Move.AGREE_EXAMPLE)


def test_spam_is_not_drafted(thread: MakeInput, csat: Profile) -> None:
    with pytest.raises(DraftingError, match="nothing to draft"):
        drafter.draft(thread(intent=Intent.SPAM), csat)


def test_an_article_share_discloses_the_article_as_the_therapists_own_and_cites_it(
    thread: MakeInput, csat: Profile
) -> None:
    draft = drafter.draft(thread(), csat, article=ARTICLE)
    assert draft.move is Move.SHARE_ARTICLE
    assert draft.cites == (ARTICLE.url,)
    assert re.search(r"\bI wrote\b", draft.text)
    context = guard.GuardContext(thread=thread().text, own_domains=("gracelee.example",))
    assert not guard.check(draft.text, context)


def test_an_article_share_needs_an_article(thread: MakeInput, csat: Profile) -> None:
    with pytest.raises(DraftingError, match="article"):
        drafter.draft(thread(), csat, move=Move.SHARE_ARTICLE)


def test_a_peer_reply_links_nothing(thread: MakeInput, csat: Profile) -> None:
    assert drafter.draft(thread(), csat, move=Move.ASK).cites == ()
