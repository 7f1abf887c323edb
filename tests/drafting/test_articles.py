"""Suggesting which of the therapist's own articles answer a thread."""

from __future__ import annotations

from dataclasses import replace

from engage.drafting import suggest_articles
from engage.types import BlogArticle
from tests.drafting.conftest import MakeInput

DISCLOSURE = BlogArticle(
    url="https://gracelee-therapy.com/blog/disclosure",
    title="Formal disclosure without retraumatizing the betrayed partner",
    summary="How much detail helps a betrayed partner heal, and how to pace it.",
)
REFERRALS = BlogArticle(
    url="https://gracelee-therapy.com/blog/referrals",
    title="How to get referrals from other therapists",
    summary="Consultation groups, notes and joining the dialogue.",
)
PRICING = BlogArticle(
    url="https://gracelee-therapy.com/blog/intensives",
    title="Pricing couples intensives",
    summary="What I charge for a three-day intensive and why.",
    specialties=("private_practice_business",),
)


def test_the_article_that_answers_the_thread_comes_first(thread: MakeInput) -> None:
    assert suggest_articles(thread(), [REFERRALS, PRICING, DISCLOSURE])[0] == DISCLOSURE


def test_articles_on_other_topics_are_not_suggested(thread: MakeInput) -> None:
    assert suggest_articles(thread(), [REFERRALS, PRICING]) == []


def test_a_shared_specialty_tips_an_article_with_one_shared_word(thread: MakeInput) -> None:
    post = thread(title="Intensives?", body="Anyone offering them?", phrases=(), specialties=())
    business = replace(post, specialties=("private_practice_business",))
    assert suggest_articles(post, [PRICING]) == []
    assert suggest_articles(business, [PRICING]) == [PRICING]


def test_at_most_limit_articles_are_suggested(thread: MakeInput) -> None:
    many = [DISCLOSURE, *(BlogArticle(f"{DISCLOSURE.url}-{i}", DISCLOSURE.title) for i in range(5))]
    assert len(suggest_articles(thread(), many, limit=2)) == 2


def test_no_article_is_suggested_to_someone_in_crisis_or_seeking_help(thread: MakeInput) -> None:
    assert suggest_articles(thread(crisis=True), [DISCLOSURE]) == []
    assert suggest_articles(thread(client_side=True), [DISCLOSURE]) == []


def test_an_article_is_not_suggested_where_its_main_topic_is_not_the_threads(
    thread: MakeInput,
) -> None:
    betrayal = replace(DISCLOSURE, specialties=("sex_addiction", "trauma"))
    combat = thread(
        title="Veteran with combat trauma won't talk about it: how do you pace disclosure?",
        body="He drinks to sleep. How much detail in early trauma work retraumatizes?",
        specialties=("trauma", "substance_use"),
    )
    assert suggest_articles(combat, [betrayal]) == []


def test_an_article_on_the_topic_but_not_on_what_is_asked_is_not_suggested(
    thread: MakeInput,
) -> None:
    billing = thread(
        title="Superbill codes for a couples intensive?",
        body="Which CPT codes do you use? My betrayed-partner clients keep asking.",
    )
    assert suggest_articles(billing, [replace(DISCLOSURE, specialties=("sex_addiction",))]) == []


def test_an_article_is_mainly_about_its_strongest_topics() -> None:
    from engage.drafting.articles import article_topics
    from engage.matching import load_taxonomy

    topics = article_topics(load_taxonomy(), DISCLOSURE.title, DISCLOSURE.summary)
    assert topics[0] == "sex_addiction"
