"""The move table: what kind of reply a thread gets, and which moves the desk may switch to."""

from __future__ import annotations

import pytest

from engage.drafting import allowed_moves, choose_move
from engage.types import Intent, Move
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


def test_a_consult_in_the_therapists_area_is_answered_from_experience(thread: MakeInput) -> None:
    assert choose_move(thread()) is Move.AGREE_EXAMPLE


def test_a_consult_outside_the_therapists_area_gets_a_question(thread: MakeInput) -> None:
    assert choose_move(thread(phrases=())) is Move.ASK


def test_a_hot_take_invites_respectful_disagreement(thread: MakeInput) -> None:
    post = thread(intent=Intent.DISCUSSION, title="Hot take: CSAT training is overrated")
    assert choose_move(post) is Move.DISAGREE_EXAMPLE


def test_an_ordinary_discussion_gets_agreement_with_an_example(thread: MakeInput) -> None:
    assert choose_move(thread(intent=Intent.DISCUSSION)) is Move.AGREE_EXAMPLE


@pytest.mark.parametrize("intent", [Intent.ARTICLE_SHARE, Intent.BUSINESS, Intent.OTHER])
def test_shares_and_business_get_a_question(thread: MakeInput, intent: Intent) -> None:
    assert choose_move(thread(intent=intent)) is Move.ASK


def test_sharing_an_article_is_never_chosen_but_always_allowed_among_peers(
    thread: MakeInput,
) -> None:
    choices = {choose_move(thread(intent=intent)) for intent in Intent}
    assert Move.SHARE_ARTICLE not in choices
    assert Move.SHARE_ARTICLE in allowed_moves(thread())
