"""Ideas for a short article (~300 words): the questions colleagues keep asking in the therapist's
specialties, grouped when they ask the same thing, ranked by how often and how recently.

Why: a question asked in three communities this month is a question many more colleagues have;
answering it once, in the therapist's own article, helps all of them and is what colleagues
remember a specialist by.

A thread's questions are drafting's (engage.drafting.shape), its topic is found the way an
article's is (engage.drafting.articles.article_topics), its content words are the ones articles
are matched by. Pure: no database, no network; it must not read client-side or crisis threads
(those are never material for the therapist's own writing).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from engage.drafting.articles import article_topics, stems
from engage.drafting.reading import quotable
from engage.drafting.shape import read_shape
from engage.matching.taxonomy import Taxonomy
from engage.types import Intent, Profile
from engage.types.ideas import ArticleIdea, AskedThread, IdeaThread

#: What colleagues ask each other: a referral request asks for a name, not for an answer, and
#: spam, shared articles and help-seekers' posts are not colleagues' questions.
ASKING = frozenset({Intent.CONSULT_QUESTION, Intent.DISCUSSION, Intent.BUSINESS, Intent.VENT,
                    Intent.OTHER})  # fmt: skip
#: Words nearly every colleague's question holds: sharing them says nothing about the question.
_GENERIC = stems("client patient therapist counselor clinician therapy session colleague people")
_MIN_SHARED = 2  # two questions ask the same thing when they share this many content words
_MIN_SHARE = 0.3  # and this share of the shorter one's
HALF_LIFE_DAYS = 7.0


@dataclass(frozen=True, slots=True)
class _Asked:
    """One thread read for ideas: its topic, its questions, their content words, and the
    content words of each taxonomy phrase matching found in it ("formal disclosure")."""

    source: AskedThread
    topic: str
    questions: tuple[str, ...]
    words: frozenset[str]
    terms: tuple[frozenset[str], ...] = ()


def article_ideas(
    threads: Sequence[AskedThread],
    profile: Profile,
    taxonomy: Taxonomy,
    *,
    now: datetime,
    weeks: int = 4,
) -> list[ArticleIdea]:
    """The ideas in `threads` from the last `weeks` weeks, best first (numbered from 1)."""
    since = now - timedelta(weeks=weeks)
    asked = [
        a
        for t in sorted(threads, key=lambda t: (t.created_at, t.id), reverse=True)
        if since <= t.created_at <= now and (a := read_asked(t, profile, taxonomy))
    ]
    groups: list[list[_Asked]] = []
    for one in asked:
        best, similar = None, 0
        for group in groups:
            if group[0].topic != one.topic:
                continue
            count = sum(same_question(one, other) for other in group)
            if count > similar and 2 * count >= len(group):
                best, similar = group, count
        if best is None:
            groups.append([one])
        else:
            best.append(one)
    ranked = sorted(
        (_idea(group, profile, taxonomy, now) for group in groups),
        key=lambda idea: (-idea.score, -idea.count, -idea.last_asked.timestamp(), idea.title),
    )
    return [replace(idea, number=n) for n, idea in enumerate(ranked, 1)]


def read_asked(thread: AskedThread, profile: Profile, taxonomy: Taxonomy) -> _Asked | None:
    """The thread as a colleague's question in one of the therapist's specialties, or None: a
    client-side, crisis or excluded thread, one that asks nothing, or one about another topic."""
    draft_input = thread.thread
    if draft_input.client_side or draft_input.crisis or thread.excluded:
        return None
    if draft_input.intent not in ASKING:
        return None
    questions = read_shape(draft_input, profile).questions
    if not questions:
        return None
    topic = _topic(draft_input.title, questions, draft_input.specialties, profile, taxonomy)
    if topic is None:
        return None
    text = " ".join([draft_input.title, *questions])
    terms = tuple(words for p in draft_input.phrases if len(words := frozenset(stems(p))) > 1)
    return _Asked(thread, topic, questions, frozenset(stems(text) - _GENERIC), terms)


def same_question(one: _Asked, other: _Asked) -> bool:
    """Two questions (of one topic) ask the same thing when they share at least two content
    words, and at least 30% of the shorter question's. The words of one taxonomy phrase count
    once: two questions that both name "formal disclosure" share a topic, not yet a question."""
    shared = one.words & other.words
    count = len(shared)
    for term in sorted({*one.terms, *other.terms}, key=len, reverse=True):
        if term <= shared:
            count -= len(term) - 1
            shared -= term
    return count >= _MIN_SHARED and count >= _MIN_SHARE * min(len(one.words), len(other.words))


def rank(asked_at: Sequence[datetime], weight: float, now: datetime) -> float:
    """How often and how recently: each time it was asked counts 1, halved for every week since
    (`0.5 ** (age_days / 7)`), summed, times the profile's weight for the topic. Three times
    this week outranks once today; once a month ago counts about a sixteenth."""
    days = [max((now - at).total_seconds(), 0.0) / 86400 for at in asked_at]
    return weight * sum(math.pow(0.5, age / HALF_LIFE_DAYS) for age in days)


def _topic(
    title: str,
    questions: Sequence[str],
    stored: Sequence[str],
    profile: Profile,
    taxonomy: Taxonomy,
) -> str | None:
    """What the questions are about, as one of the therapist's specialties: the topic of what
    is asked (found like an article's), else the thread's main topic as matching stored it."""
    mine = {slug for slug, weight in profile.specialties.items() if weight > 0}
    found = article_topics(taxonomy, title, " ".join(questions))
    return next((slug for slug in (*found, *stored[:1]) if slug in mine), None)


def _idea(group: list[_Asked], profile: Profile, taxonomy: Taxonomy, now: datetime) -> ArticleIdea:
    topic = group[0].topic
    # Words at least two of the threads share say what the idea is; a lone thread's title does.
    counted: dict[str, int] = {}
    for one in group:
        for word in one.words:
            counted[word] = counted.get(word, 0) + 1
    common = {w for w, n in counted.items() if n >= 2} if len(group) > 1 else set()
    common = common or stems(group[0].source.thread.title)
    threads = tuple(
        IdeaThread(
            id=one.source.id,
            title=one.source.thread.title,
            url=one.source.thread.url,
            community=one.source.thread.community,
            asked_at=one.source.created_at,
            question=_best_question(one.questions, common),
        )
        for one in group
    )
    return ArticleIdea(
        number=0,
        title=_working_title(group, common),
        specialty=topic,
        specialty_name=taxonomy.short_names.get(topic, topic),
        score=rank([one.source.created_at for one in group], profile.specialties[topic], now),
        threads=threads,
    )


def _working_title(group: list[_Asked], common: set[str]) -> str:
    """The question colleagues keep asking, as one of them phrased it: one safe to quote (no
    client details, numbers or names) when there is one, naming most of the shared words."""
    questions = [q for one in group for q in one.questions]
    safe = [quoted for q in questions if (quoted := quotable(q))]
    return _best_question(safe or [" ".join(q.split()).lstrip("-*#>•:) ") for q in questions],
                          common)  # fmt: skip


def _best_question(questions: Sequence[str], common: set[str]) -> str:
    """The question naming most of `common`, the first of equals (the newest thread's)."""
    return max(questions, key=lambda q: len(stems(q) & common))
