"""What a template says about the thread and the therapist: the question asked, the thread's
own words, who the therapist is. Pure functions of DraftInput and Profile."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from engage.drafting.resources import words_for
from engage.guard.text import words
from engage.types import DraftInput, Profile

Pick = Callable[..., str]

_QUESTION = re.compile(r"[^.!?\n]*\?")
_CLAUSE = re.compile(r"[,;:?!(]\s*|\s+[-–—]\s+")
# Quoted text must not carry details about a third person, nor numbers (ages, dates, doses),
# nor words of the consulting room that would make the reply sound like a therapist-client talk.
_NOT_QUOTABLE = re.compile(
    r"\d|@|https?:|www\.|\b(?:client|patient|he|she|his|her|him|husband|wife|son|daughter|"
    r"kid|mom|dad|mother|father|boyfriend|girlfriend|boss|coworker|named?|office|caseload|couch|"
    r"waiting\s+room|(?:in|last|next|my|our)\s+sessions?)\b",
    re.IGNORECASE,
)
_LEAD = re.compile(r"^(?:and|but|so|also|or|edit|update|tl;?dr)\b[:,]?\s*", re.IGNORECASE)
_QUOTE_MIN, _QUOTE_MAX = 15, 140
# Credentials that are degrees rather than a role one can "be" ("I'm an LMFT", not "a PhD").
_DEGREES = words("PHD PSYD MD MA MS MSW MED EDD MSC BA BS DO DNP")
_VOWEL_LETTERS = frozenset("AEFHILMNORSX")  # acronyms read "an LMFT", "an RN"
_MAJOR = 0.5  # a specialty weight from which it is part of how the therapist introduces themself


def picker(*seed: str) -> Pick:
    """A deterministic choice among phrasings, seeded by what is being answered and who
    answers, so the same thread drafts the same way twice, different threads (or two
    therapists in one thread) rarely share a phrasing, and each slot varies on its own."""
    base = "\x1f".join(seed)

    def pick(slot: str, *options: str) -> str:
        digest = hashlib.sha256(f"{base}\x1e{slot}".encode()).digest()
        return options[int.from_bytes(digest[:8], "big") % len(options)]

    return pick


def question(draft_input: DraftInput) -> str | None:
    """The question the thread asks, as written, if one can be quoted back safely. Questions
    naming a matched phrase win, then the title's, then the first."""
    candidates = [
        quote
        for source in (draft_input.title, draft_input.body)
        for m in _QUESTION.finditer(source)
        if (quote := quotable(m.group()))
    ]
    phrases = [p.lower() for p in draft_input.phrases]
    return next(
        (c for c in candidates if any(p in c.lower() for p in phrases)),
        candidates[0] if candidates else None,
    )


def excerpt(draft_input: DraftInput) -> str | None:
    """Words of the thread's own to quote when it asks nothing quotable: its title, else a part
    of it. Never the body's statements: they are where colleagues describe their clients."""
    parts = [draft_input.title, *_CLAUSE.split(draft_input.title)]
    return next((quote.rstrip(".") for part in parts if (quote := quotable(part))), None)


def quotable(text: str) -> str | None:
    """`text` tidied for quoting back, or None when it is too short or long to quote, or could
    carry details about a third person (the guard's client details live in such sentences)."""
    tidy = " ".join(text.replace("“", '"').replace("”", '"').split()).lstrip("-*#>•:) ")
    if tidy.count('"') % 2:  # a quotation mark left open (or closed) outside this sentence
        tidy = tidy.replace('"', "")
    tidy = _LEAD.sub("", tidy.replace('"', "'").strip())  # nested in our “…”: single quotes
    if not _QUOTE_MIN <= len(tidy) <= _QUOTE_MAX or _NOT_QUOTABLE.search(tidy):
        return None
    return tidy[0].upper() + tidy[1:]


def topic(draft_input: DraftInput) -> str | None:
    """The thread's strongest quotable topic phrase, cased as the poster wrote it mid-sentence
    if they did (a title's "Affair recovery" reads as "affair recovery" in the body)."""
    phrase = next((p for p in draft_input.phrases if not _NOT_QUOTABLE.search(p)), None)
    if phrase is None:
        return None
    for m in re.finditer(re.escape(phrase), draft_input.body, re.IGNORECASE):
        before = draft_input.body[: m.start()].rstrip()
        if before and before[-1] not in '.!?:\n"“(*#-':
            return m.group()
    return phrase


def shared_focus(draft_input: DraftInput, profile: Profile) -> str | None:
    """The therapist's major specialty this thread is about, in prose; else their strongest
    (a minor one, like the business side for a clinician, is not who they are)."""
    weights = profile.specialties
    shared = next((s for s in draft_input.specialties if weights.get(s, 0) >= _MAJOR), None)
    strongest = max((s for s in weights if weights[s] > 0), key=weights.__getitem__, default=None)
    slug = shared or strongest
    return words_for(slug).prose if slug else None


def intro(profile: Profile, *, named: bool = False) -> str:
    """Who is speaking, always as a therapist: "I'm an LMFT and CSAT in Southern California",
    "I'm a therapist (PhD) in Texas"; `named` puts the name first, for a colleague who may
    pass it on."""
    credentials = [c.strip() for c in re.split(r"[,;/]|\band\b", profile.credentials)]
    credentials = [c for c in credentials if c]
    roles = [c for c in credentials if c.replace(".", "").upper() not in _DEGREES]
    degrees = [c for c in credentials if c not in roles]
    if roles:
        role = f"{_indefinite(roles[0])} {_and(roles)}"
    else:
        role = "a therapist" + (f" ({', '.join(degrees)})" if degrees else "")
    who = f"{profile.name}, " if named and profile.name else ""
    where = f" in {profile.location}" if profile.location else ""
    return f"I'm {who}{role}{where}"


def practice_detail(profile: Profile) -> str:
    """Licences and delivery, for someone deciding on a referral: "licensed in CA; in person
    and telehealth" (empty when the profile says neither)."""
    parts = []
    if profile.licensed_in:
        parts.append("licensed in " + _and(list(profile.licensed_in)))
    delivery = [d.replace("_", " ") for d in profile.delivery]
    if delivery:
        parts.append(_and(delivery))
    return "; ".join(parts)


def _indefinite(word: str) -> str:
    if word.isupper():
        return "an" if word[0] in _VOWEL_LETTERS else "a"
    return "an" if word[:1].lower() in "aeiou" else "a"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
