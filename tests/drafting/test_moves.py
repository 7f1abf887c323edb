"""The move table: what kind of reply a thread gets, and which moves the desk may switch to."""

from __future__ import annotations

import pytest

from engage.drafting import allowed_moves, choose_move
from engage.drafting.shape import read_shape
from engage.types import Intent, Move, Profile
from tests.drafting.conftest import MakeInput


def test_a_crisis_gets_crisis_resources_whatever_was_asked(thread: MakeInput) -> None:
    assert choose_move(thread(crisis=True, intent=Intent.REFERRAL_REQUEST)) is Move.CRISIS_RESOURCES


def test_a_crisis_allows_no_other_move(thread: MakeInput) -> None:
    assert allowed_moves(thread(crisis=True)) == (Move.CRISIS_RESOURCES,)


def test_a_help_seeker_gets_a_pointer_to_professionals(thread: MakeInput) -> None:
    post = thread(client_side=True, intent=Intent.CLIENT_SEEKING_HELP)
    assert choose_move(post) is Move.FIND_A_PROFESSIONAL


def test_a_help_seeker_gets_nothing_when_the_therapist_turned_that_off(thread: MakeInput) -> None:
    post = thread(client_side=True, intent=Intent.CLIENT_SEEKING_HELP)
    assert choose_move(post, reply_to_client_side=False) is None


def test_a_help_seeker_is_never_offered_a_networking_move(thread: MakeInput) -> None:
    allowed = allowed_moves(thread(client_side=True, intent=Intent.REFERRAL_REQUEST))
    assert set(allowed) == {Move.FIND_A_PROFESSIONAL, Move.CRISIS_RESOURCES}


def test_spam_is_not_drafted(thread: MakeInput) -> None:
    assert choose_move(thread(intent=Intent.SPAM)) is None


def test_a_colleagues_referral_request_gets_an_offer_with_an_example(thread: MakeInput) -> None:
    assert choose_move(thread(intent=Intent.REFERRAL_REQUEST)) is Move.AGREE_EXAMPLE


OPINION = "In my experience, a full formal disclosure works best after stabilization."


def test_a_consult_stating_a_view_in_the_therapists_area_gets_agreement(
    thread: MakeInput,
) -> None:
    assert choose_move(thread(body=OPINION + " How do you pace it?")) is Move.AGREE_EXAMPLE


def test_a_consult_asking_without_a_view_gets_an_answer_and_a_question(
    thread: MakeInput,
) -> None:
    assert choose_move(thread()) is Move.ASK


def test_agree_and_disagree_are_not_offered_where_no_opinion_is_stated(
    thread: MakeInput,
) -> None:
    allowed = allowed_moves(thread())
    assert Move.AGREE_EXAMPLE not in allowed and Move.DISAGREE_EXAMPLE not in allowed
    assert Move.AGREE_EXAMPLE in allowed_moves(thread(body=OPINION))


def test_a_billing_question_is_never_offered_crisis_resources(thread: MakeInput) -> None:
    billing = thread(
        intent=Intent.BUSINESS,
        title="Do you take Aetna PPO?",
        body="Thinking of paneling with Aetna. Do you take Aetna PPO? How long did it take?",
    )
    assert Move.CRISIS_RESOURCES not in allowed_moves(billing)


def test_a_referral_the_therapist_does_not_fit_is_not_offered_as_an_offer(
    thread: MakeInput,
) -> None:
    korean = thread(
        intent=Intent.REFERRAL_REQUEST,
        title="Korean-speaking couples therapist in LA?",
        body="Wife really wants someone who speaks Korean. Anyone?",
    )
    shape = read_shape(korean, Profile(specialties={"couples": 1.0}))
    assert choose_move(korean, shape=shape) is Move.ASK
    assert allowed_moves(korean, shape) == (Move.ASK,)


def test_a_hot_take_invites_respectful_disagreement(thread: MakeInput) -> None:
    post = thread(intent=Intent.DISCUSSION, title="Hot take: CSAT training is overrated")
    assert choose_move(post) is Move.DISAGREE_EXAMPLE


def test_a_discussion_stating_a_view_gets_agreement_with_an_example(thread: MakeInput) -> None:
    assert choose_move(thread(intent=Intent.DISCUSSION, body=OPINION)) is Move.AGREE_EXAMPLE


@pytest.mark.parametrize("intent", [Intent.ARTICLE_SHARE, Intent.BUSINESS, Intent.OTHER])
def test_shares_and_business_get_a_question(thread: MakeInput, intent: Intent) -> None:
    assert choose_move(thread(intent=intent)) is Move.ASK


def test_sharing_an_article_is_never_chosen_but_always_allowed_among_peers(
    thread: MakeInput,
) -> None:
    choices = {choose_move(thread(intent=intent)) for intent in Intent}
    assert Move.SHARE_ARTICLE not in choices
    assert Move.SHARE_ARTICLE in allowed_moves(thread())
