"""Which of the therapist's own articles answer a thread: plain word overlap, explainable."""

from __future__ import annotations

import re
from collections.abc import Sequence

from engage.guard.text import words
from engage.matching.taxonomy import Taxonomy
from engage.types import BlogArticle, DraftInput

_STOPWORDS = words(
    """a about after again all also am an and any are as at be because been before being but by
    can could did do does doing for from had has have having how i if in into is it its just
    like me more most my no not of on or other our out over own part same should so some such
    than that the their them then there these they this those through to too under until up very
    was we were what when where which while who why will with would you your anyone anybody
    someone thoughts question questions help thanks think know really get got make way ways
    work works working need needs want wants real whether ask asked asking take new one two
    first last long time times even still much many good well feel feeling said say see"""
)
#: A question sentence: what the thread asks, which an article must speak to.
_QUESTION = re.compile(r"[^.!?\n]*\?")
_MIN_SCORE = 2.0
_PHRASE_WEIGHT = 2.0  # words the matcher found in the thread count double
_SPECIALTY_BONUS = 1.0  # per specialty the article and the thread share


def suggest_articles(
    draft_input: DraftInput, articles: Sequence[BlogArticle], limit: int = 3
) -> list[BlogArticle]:
    """Articles that answer the thread, best first: about one of the thread's specialties (when
    both are known), sharing words with what the thread asks (its title and its questions), and
    sharing enough content words with it overall. Never for a crisis or a help-seeker's thread:
    sharing one's own writing there would be self-promotion."""
    if draft_input.crisis or draft_input.client_side:
        return []
    thread = stems(draft_input.text)
    asked = stems(" ".join([draft_input.title, *_QUESTION.findall(draft_input.body)]))
    phrases = stems(" ".join(draft_input.phrases))
    scored = []
    for order, article in enumerate(articles):
        shared_specialties = set(article.specialties) & set(draft_input.specialties)
        if not _same_topic(article.specialties, draft_input.specialties):
            continue  # another topic, however many words it shares
        own = stems(f"{article.title} {article.summary}")
        if not own & asked:
            continue  # it may be on the topic, but not on what is asked
        score = len(own & thread) + (_PHRASE_WEIGHT - 1) * len(own & phrases)
        score += _SPECIALTY_BONUS * len(shared_specialties)
        if score >= _MIN_SCORE:
            scored.append((-score, order, article))
    return [article for _, _, article in sorted(scored, key=lambda s: s[:2])[:limit]]


def _same_topic(article: Sequence[str], thread: Sequence[str]) -> bool:
    """Unknown topics don't disagree; a known article's main topic (its first) must be one
    the thread is about."""
    return not article or not thread or article[0] in thread


#: An article is about the specialties its text evidences at least this share of its
#: strongest one: "betrayal trauma" in an article on disclosure doesn't make it a trauma article.
_MAIN_TOPIC_SHARE = 0.6


def article_topics(taxonomy: Taxonomy, title: str, summary: str) -> tuple[str, ...]:
    """What an article is mainly about, as taxonomy slugs, strongest first."""
    from engage.matching.analysis import analyze

    strengths = analyze(taxonomy, title, summary, "").strengths
    top = max(strengths.values(), default=0.0)
    ranked = sorted(strengths.items(), key=lambda item: -item[1])
    return tuple(slug for slug, strength in ranked if strength >= _MAIN_TOPIC_SHARE * top > 0)


def stems(text: str) -> set[str]:
    """Lower-case content words with a plural or -ing ending cut, so "referrals" meets
    "referral" and "sharing" meets "share"."""
    found = set()
    for word in re.findall(r"[a-z][a-z'-]+", text.lower()):
        word = word.removesuffix("'s").strip("'-")
        if word in _STOPWORDS or len(word) < 3:
            continue
        for suffix in ("ing", "es", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word = word[: -len(suffix)]
                break
        found.add(word.rstrip("e"))
    return found
