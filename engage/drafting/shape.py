"""A thread's shape, read before a move is chosen: the questions it asks, the opinions it
states (that a reply could agree or disagree with), and whether it asks for a referral whose
requirements the therapist doesn't meet.

Why: a reply that agrees with a question, disagrees without saying with what, or offers the
therapist for a Korean-speaking referral they can't take reads as a bot. The move table
(engage.drafting.moves) and the templates read this shape, so both see the same thread.

Pure functions of DraftInput, Profile and matching's fit checks: must not do IO, and must not
return anything unsafe to quote (an opinion is kept only when reading.quotable allows it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from engage.drafting.reading import quotable
from engage.types import DraftInput, Intent, Profile
from engage.types.matching import FitCheck

_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
# First-person or evaluative words that make a sentence a view someone could agree with.
_OPINION = re.compile(
    r"\b(?:I\s+(?:really\s+|honestly\s+|genuinely\s+)?(?:think|believe|'?m\s+convinced|"
    r"would\s+argue|'d\s+argue|find\s+that|suspect|don'?t\s+(?:think|buy)|'?ve\s+found|"
    r"'?m\s+(?:skeptical|not\s+sold|not\s+convinced))|my\s+(?:instinct|sense|take)\s+is|"
    r"in\s+my\s+(?:experience|opinion|view)|imo|imho|(?:says|argues|claims|insists)\s+(?:that\s+)?|"
    r"honestly|hot\s+take|unpopular\s+opinion|controversial\s+opinion|should(?:n't)?|"
    r"over(?:rated|blown|used|hyped)|under(?:rated|used)|is\s+(?:a\s+)?(?:myth|nonsense|harmful|"
    r"essential|overkill|a\s+waste)|waste\s+of|never\s+works?|always\s+works?|doesn'?t\s+work|"
    r"the\s+(?:best|worst)\s+(?:way|thing)|better\s+than|worse\s+than)\b",
    re.IGNORECASE,
)
# Cues that still make a question carry a view: "I think X is overrated, am I wrong?"
_FIRST_PERSON_VIEW = re.compile(
    r"\b(?:I\s+(?:think|believe)|in\s+my\s+experience|imo|hot\s+take|"
    r"unpopular\s+opinion|am\s+I\s+wrong\s+(?:that|to\s+think))\b",
    re.IGNORECASE,
)
_CUE_LEAD = re.compile(
    r"^(?:(?:[\w'-]+\s+){0,3}(?:says|argues|claims|insists)\s+(?:that\s+)?|(?:hot\s+take|unpopular\s+opinion|controversial\s+opinion|honestly|imo|imho)\s*[:,-]?\s*|"
    r"(?:am\s+I\s+wrong\s+(?:that|to\s+think)|I\s+(?:really\s+)?(?:think|believe|'?ve\s+found)|"
    r"my\s+(?:instinct|sense|take)\s+is|in\s+my\s+(?:experience|opinion))(?:\s+that\b(?!'))?\s*,?\s*)+",
    re.IGNORECASE,
)
_OPINION_MAX = 90
# What is left after the cue is about the speaker ("I think I'm missing something"), or points
# at something unnamed ("I think that's partly true"): not a view a reply can name.
_ABOUT_ME = re.compile(
    r"^(?:I|I'm|I've|I'd|I'll|me|my|(?:that|this|it)(?:'s|\s+is))\b", re.IGNORECASE
)
_LANGUAGES = (
    "Spanish", "Mandarin", "Cantonese", "Korean", "Japanese", "Vietnamese", "Tagalog",
    "Arabic", "Farsi", "Persian", "Russian", "Ukrainian", "Polish", "Portuguese", "French",
    "German", "Italian", "Hindi", "Urdu", "Punjabi", "Bengali", "Hebrew", "Turkish", "Greek",
    "Armenian", "Somali", "Amharic", "Haitian Creole", "ASL",
)  # fmt: skip
_LANGUAGE_NEED = re.compile(
    r"\b(" + "|".join(_LANGUAGES) + r")(?:[- ]speak(?:ing|er))|"
    r"\b(?:speaks?|speaking|fluent\s+in|bilingual\s+in|sessions?\s+in|therapy\s+in)\s+("
    + "|".join(_LANGUAGES)
    + r")\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Shape:
    """`questions`: every question sentence, as written (title first); `opinions`: views the
    thread states, each short and safe to name in a reply; `referral`: it asks for a referral;
    `unmet`: the referral's requirements the therapist clearly doesn't meet ("Korean")."""

    questions: tuple[str, ...] = ()
    opinions: tuple[str, ...] = ()
    referral: bool = False
    unmet: tuple[FitCheck, ...] = ()

    @property
    def fits(self) -> bool:
        return not self.unmet


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]


def read_shape(
    draft_input: DraftInput, profile: Profile, fit: Sequence[FitCheck] | None = None
) -> Shape:
    """The thread's shape. `fit` is matching's check of a referral's requirements (None: not
    known, then the languages the referral names are checked against the profile's)."""
    all_sentences = [*sentences(draft_input.title), *sentences(draft_input.body)]
    questions = tuple(s for s in all_sentences if s.rstrip().endswith("?"))
    opinions: list[str] = []
    for sentence in all_sentences:
        is_question = sentence.rstrip().endswith("?")
        if (_FIRST_PERSON_VIEW if is_question else _OPINION).search(sentence):
            named = opinion_words(sentence)
            if named and named.lower() not in (o.lower() for o in opinions):
                opinions.append(named)
    referral = draft_input.intent is Intent.REFERRAL_REQUEST
    unmet: tuple[FitCheck, ...] = ()
    if referral:
        checks = tuple(fit) if fit is not None else language_checks(draft_input, profile)
        unmet = tuple(c for c in checks if c.met is False)
    return Shape(questions, tuple(opinions), referral, unmet)


def opinion_words(sentence: str) -> str | None:
    """The view in a few words: the cue ("I think", "Hot take:") dropped, the clause that holds
    the view kept, cut at a clause break when long; None when it can't be named safely."""
    text = _CUE_LEAD.sub("", sentence.strip()).rstrip(" ?.!")
    text = re.sub(r",?\s*\b(?:i\.e|e\.g|etc)$", "", text)  # cut where a sentence split "i.e."
    if len(text) > _OPINION_MAX:
        parts = [p for p in re.split(r"[,;:]\s+|\s+[-–—]\s+", text) if p]
        with_cue = [p for p in parts if _OPINION.search(p)]
        text = (with_cue or parts)[0]
        if len(text) > _OPINION_MAX:
            text = text[:_OPINION_MAX].rsplit(" ", 1)[0]
    named = quotable(text)
    if named is None or _ABOUT_ME.match(named):
        return None
    first = named.split()[0]
    if len(first) > 1 and (first.isupper() or first[1:].lower() != first[1:]):
        return named  # an acronym or a name ("CSAT", "EMDR", "McKenzie")
    return named[0].lower() + named[1:]


def language_checks(draft_input: DraftInput, profile: Profile) -> tuple[FitCheck, ...]:
    """The fallback fit: the languages a referral asks the therapist to speak, met when the
    profile lists them (English always)."""
    spoken = {lang.strip().lower() for lang in profile.languages} | {"english"}
    found: dict[str, FitCheck] = {}
    for m in _LANGUAGE_NEED.finditer(draft_input.text):
        need = (m.group(1) or m.group(2)).title()
        if need.upper() == "ASL":
            need = "ASL"
        found.setdefault(need.lower(), FitCheck("language", need, need.lower() in spoken))
    return tuple(found.values())
