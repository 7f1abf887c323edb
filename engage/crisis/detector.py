"""One crisis detector for every part of engage: matching, drafting, the guard and the digest.

Pure: text in, a `CrisisAssessment` out; no IO, no database, no network. Cues come in families
(`cues.py`), the contexts that make them safe in `contexts.py`. When in doubt it flags: a false
flag costs a networking chance, a miss can cost a life. Consumers OR its answer with anything
else they know; a `False` here never switches another check off.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from typing import Any

from engage.crisis import model
from engage.crisis.contexts import (
    IDIOMS,
    OTHER,
    PEER_QUESTION,
    RECOVERED_NOW,
    SAFE_CONTEXTS,
    SELF,
    URGENT,
)
from engage.crisis.cues import INDEX
from engage.types import CrisisAssessment, CrisisCue

STRONG, WEAK = 2, 1
#: What the cues must add up to (see `_weight` for cues beside a safe context).
THRESHOLD = 2
#: Communities where posting at all says the writer may be in crisis.
CRISIS_COMMUNITIES = frozenset(
    {
        "r/suicidewatch",
        "r/selfharm",
        "r/domesticviolence",
        "r/abuse",
        "r/depression_help",
        "r/mentalhealthsupport",
    }
)
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u02bc": "'"})
_WORD = re.compile(r"\w")


def normalize(text: str) -> str:
    """Lower case with straight quotes, the same length as `text` (offsets stay valid)."""
    folded = text.lower()
    if len(folded) != len(text):  # a few characters grow when lowered: keep those as they are
        folded = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return folded.translate(_QUOTES)


#: How much of a post is read: Reddit allows 40,000 characters, Mastodon and Bluesky far fewer;
#: a hostile 10 MB body must not hold up a watch (cue offsets stay valid: it is a prefix).
MAX_CHARS = 60_000


def assess(text: str, community: str = "") -> CrisisAssessment:
    """Whether the writer, or someone they describe now, is in crisis: the cues OR the learned
    second opinion (which can add a flag, never remove one), with the words that say so."""
    text = text[:MAX_CHARS]
    found = assess_by_cues(text, community)
    learned = model.score(text)
    if not found.crisis and learned > model.threshold(safe_context=bool(found.safe_contexts)):
        return dataclasses.replace(found, crisis=True, learned_score=learned, by_model=True)
    return dataclasses.replace(found, learned_score=learned)


def assess_by_cues(text: str, community: str = "") -> CrisisAssessment:
    """The hand-written cues alone (for explanation, and to measure them apart)."""
    plain, origin = _readable(text)
    readable = IDIOMS.sub(lambda m: " " * len(m.group()), plain)
    safe = [] if URGENT.search(readable) else _safe_contexts(readable)
    cues = _cues(readable)
    if not cues:
        return CrisisAssessment(crisis=False, safe_contexts=tuple(safe))
    score = sum(_weight(cue, readable, safe) for cue in cues)
    if community.lower() in CRISIS_COMMUNITIES:
        score += WEAK
    if origin is not None:  # point at the words of the text as written
        cues = [
            dataclasses.replace(c, start=origin[c.start], end=origin[c.end - 1] + 1) for c in cues
        ]
    return CrisisAssessment(
        crisis=score >= THRESHOLD,
        score=score,
        kinds=tuple(sorted({c.kind for c in cues})),
        cues=tuple(cues),
        safe_contexts=tuple(safe),
    )


def _readable(text: str) -> tuple[str, list[int] | None]:
    """The text as the cues read it, and where each of its characters came from (None: the
    same place). Beyond ASCII, compatibility forms are folded (fullwidth ｅｎｄ is end) and
    invisible format characters dropped, so neither can hide a word from the cues."""
    if text.isascii():
        return normalize(text), None
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if unicodedata.category(char) == "Cf":
            continue
        for folded in unicodedata.normalize("NFKC", char).lower().translate(_QUOTES):
            chars.append(folded)
            origin.append(index)
    return "".join(chars), origin


def is_crisis(text: str, community: str = "") -> bool:
    return assess(text, community).crisis


def _cues(text: str) -> list[CrisisCue]:
    """Every cue once: a weak cue inside a strong one's span adds nothing, nor does a weak cue
    repeating words already counted; a cue just after a negation ("not wanting to die") is none."""
    strong: list[CrisisCue] = []
    weak: list[CrisisCue] = []
    for entry, m in INDEX.finditer(text):
        if not _WORD.search(m.group()) or _NEGATED.search(text, max(0, m.start() - 16), m.start()):
            continue
        kind, strength = entry.tag
        cue = CrisisCue(kind, m.start(), m.end(), strength)
        (strong if strength == STRONG else weak).append(cue)
    kept = _distinct(strong)
    seen: set[str] = set()
    for cue in _distinct(weak):
        words = text[cue.start : cue.end]
        if words not in seen and not any(k.start <= cue.end and cue.start <= k.end for k in kept):
            kept.append(cue)
            seen.add(words)
    return sorted(kept, key=lambda c: (c.start, -c.strength))


def _distinct(cues: list[CrisisCue]) -> list[CrisisCue]:
    """Overlapping cues of one strength count once (the longest)."""
    kept: list[CrisisCue] = []
    for cue in sorted(cues, key=lambda c: (c.start - c.end, c.start)):
        if not any(k.start < cue.end and cue.start < k.end for k in kept):
            kept.append(cue)
    return kept


def _weight(cue: CrisisCue, text: str, safe: list[str]) -> float:
    """A cue's weight beside safe contexts: weak cues nothing; strong ones half (a quarter in a
    story of recovery or a consultation about a client) — unless the cue's own sentence is the
    writer speaking of themself now: then all of it, whatever else the post mentions ("I read
    the news today" does not make "I am going to kill myself" safe)."""
    if not safe:
        return cue.strength
    if cue.strength == WEAK:
        return 0
    sentence = _sentence(cue, text)
    if _about_self(sentence) and not ("past_recovered" in safe and _PAST.search(sentence)):
        return STRONG
    return STRONG / 4 if {"past_recovered", "clinician_consult"} & set(safe) else STRONG / 2


#: A sentence told in the past: what lets a recovery story speak of an old crisis.
_PAST = re.compile(
    r"\b(?:was|were|had|tried|took|used\s+to|ago|back\s+then|since|when\s+i\s+was|at\s+\d+|"
    r"(?:19|20)\d\d|last\s+year|years?)\b"
)


_NEGATED = re.compile(r"\b(?:not|no|never|denies|denied|without|isn'?t|wasn'?t)\s+(?:\w+\s+)?$")


def _safe_contexts(text: str) -> list[str]:
    """The safe contexts present: a past crisis only when told from recovery, a clinician's
    consultation only when it asks peers something."""
    found = [name for name, pattern in SAFE_CONTEXTS.items() if pattern.search(text)]
    if "past_recovered" in found and not RECOVERED_NOW.search(text):
        found.remove("past_recovered")
    if "clinician_consult" in found and not PEER_QUESTION.search(text):
        found.remove("clinician_consult")
    return found


def _sentence(cue: CrisisCue, text: str) -> str:
    start = max(text.rfind(stop, 0, cue.start) for stop in ".!?\n") + 1
    ends = [i for i in (text.find(stop, cue.end) for stop in ".!?\n") if i >= 0]
    return text[start : min(ends, default=len(text))]


def _about_self(sentence: str) -> bool:
    """The sentence speaks of the writer (I, my) and of no client, character or other."""
    return bool(SELF.search(sentence)) and not OTHER.search(sentence)


def as_record(assessment: CrisisAssessment) -> dict[str, Any]:
    """An assessment as plain JSON, to be stored with its thread (triage is read once)."""
    return dataclasses.asdict(assessment)


def from_record(record: dict[str, Any]) -> CrisisAssessment:
    """The assessment `as_record` stored."""
    return CrisisAssessment(
        crisis=bool(record["crisis"]),
        score=float(record.get("score") or 0.0),
        kinds=tuple(record.get("kinds") or ()),
        cues=tuple(CrisisCue(**cue) for cue in record.get("cues") or ()),
        safe_contexts=tuple(record.get("safe_contexts") or ()),
        learned_score=record.get("learned_score"),
        by_model=bool(record.get("by_model")),
    )
