"""Blog shares: a LinkedIn post for each of the therapist's new articles, in their voice."""

from __future__ import annotations

import re

from engage import guard
from engage.drafting import blog_share
from engage.types import BlogArticle, DraftKind, Profile

ARTICLE = BlogArticle(
    url="https://gracelee-therapy.com/blog/referrals-part-2",
    title="How to get referrals (Part 2: Other therapists)",
    summary=(
        "Roughly a fifth of my new clients come from other therapists who know me. "
        "Here is how consultation groups made that happen."
    ),
)
PLAIN = Profile(specialties={"sex_addiction": 1.0}, voice_samples=("I write plainly. No fuss.",))


def test_a_share_has_a_hook_the_link_and_hashtags_in_that_order(csat: Profile) -> None:
    hook, body, link, tags = blog_share(ARTICLE, csat).text.split("\n\n")
    assert ARTICLE.title in hook
    assert ARTICLE.url == link
    assert 3 <= len(tags.split()) <= 5
    assert all(tag.startswith("#") for tag in tags.split())
    assert 2 <= len(re.findall(r"[.!?](?=\s|\]|$)", body)) <= 4


def test_a_share_cites_the_article_and_is_a_blog_share(csat: Profile) -> None:
    share = blog_share(ARTICLE, csat)
    assert share.kind is DraftKind.BLOG_SHARE
    assert share.cites == (ARTICLE.url,)


def test_a_share_says_the_article_is_the_therapists_own(csat: Profile) -> None:
    share = blog_share(ARTICLE, csat)
    assert not guard.check(share.text, guard.GuardContext(own_domains=("gracelee-therapy.com",)))


def test_a_share_quotes_the_gist_and_leaves_the_why_to_the_therapist(csat: Profile) -> None:
    text = blog_share(ARTICLE, csat).text
    assert "Roughly a fifth of my new clients come from other therapists who know me." in text
    assert re.search(r"\[[^\]]+\]", text)


def test_hashtags_follow_the_articles_specialties_and_title() -> None:
    article = BlogArticle(ARTICLE.url, "Pacing formal disclosure", "", ("sex_addiction", "couples"))
    tags = blog_share(article, PLAIN).text.rsplit("\n\n", 1)[1].split()
    assert tags[:3] == ["#SexAddiction", "#CouplesTherapy", "#Disclosure"]


def test_a_share_borrows_the_emoji_of_a_voice_that_uses_one(csat: Profile) -> None:
    assert "🙂" in blog_share(ARTICLE, csat).text


def test_a_plain_voice_gets_no_emoji_and_no_exclamation_marks() -> None:
    text = blog_share(ARTICLE, PLAIN).text
    assert "!" not in text
    assert not re.search(r"[\U0001F300-\U0001FAFF]", text)


def test_two_articles_get_different_shares(csat: Profile) -> None:
    other = BlogArticle("https://gracelee-therapy.com/blog/b", "Pacing formal disclosure", "")
    assert blog_share(ARTICLE, csat).text != blog_share(other, csat).text


def test_a_share_for_a_short_channel_fits_it_and_keeps_the_link_and_the_bracket(
    csat: Profile,
) -> None:
    from engage.drafting.channels import channel_named

    limit = channel_named("bluesky").max_chars
    assert limit is not None and len(blog_share(ARTICLE, csat).text) > limit
    text = blog_share(ARTICLE, csat, limit).text
    assert len(text) <= limit
    assert ARTICLE.url in text and re.search(r"\[[^\]]+\]", text)


def test_a_share_for_a_roomy_channel_keeps_its_gist_and_hashtags(csat: Profile) -> None:
    assert blog_share(ARTICLE, csat, 3000).text == blog_share(ARTICLE, csat).text
