"""Which of the therapist's own articles answer a thread: plain word overlap, explainable."""

from __future__ import annotations

import re
from collections.abc import Sequence

from engage.guard.text import words
from engage.types import BlogArticle, DraftInput

_STOPWORDS = words(
    """a about after again all also am an and any are as at be because been before being but by
    can could did do does doing for from had has have having how i if in into is it its just
    like me more most my no not of on or other our out over own part same should so some such
    than that the their them then there these they this those through to too under until up very
    was we were what when where which while who why will with would you your anyone anybody
    someone thoughts question questions help thanks think know really get got make way ways"""
)
_MIN_SCORE = 2.0
_PHRASE_WEIGHT = 2.0  # words the matcher found in the thread count double
_SPECIALTY_BONUS = 1.0  # per specialty the article and the thread share


def suggest_articles(
    draft_input: DraftInput, articles: Sequence[BlogArticle], limit: int = 3
) -> list[BlogArticle]:
    """Articles whose title and summary share enough content words with the thread (and its
    matched phrases), best first. Never for a crisis or a help-seeker's thread: sharing one's
    own writing there would be self-promotion."""
    if draft_input.crisis or draft_input.client_side:
        return []
    thread = _stems(draft_input.text)
    phrases = _stems(" ".join(draft_input.phrases))
    scored = []
    for order, article in enumerate(articles):
        own = _stems(f"{article.title} {article.summary}")
        score = len(own & thread) + (_PHRASE_WEIGHT - 1) * len(own & phrases)
        score += _SPECIALTY_BONUS * len(set(article.specialties) & set(draft_input.specialties))
        if score >= _MIN_SCORE:
            scored.append((-score, order, article))
    return [article for _, _, article in sorted(scored, key=lambda s: s[:2])[:limit]]


def _stems(text: str) -> set[str]:
    """Lower-case content words with a plural or -ing ending cut, so "referrals" meets
    "referral" and "sharing" meets "share"."""
    found = set()
    for word in re.findall(r"[a-z][a-z'-]+", text.lower()):
        if word in _STOPWORDS or len(word) < 3:
            continue
        for suffix in ("ing", "es", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word = word[: -len(suffix)]
                break
        found.add(word.rstrip("e"))
    return found
