"""What a template says about the thread and the therapist: the question a bracket asks them
to answer, the opinion a reply names, the thread's own topic words, who the therapist is, why a
referral isn't theirs. Pure functions of DraftInput, Profile and the thread's shape; must not
return text that could carry a third person's details (everything quoted passes `quotable`)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence

from engage.drafting.resources import words_for
from engage.guard.text import words
from engage.types import DraftInput, Profile
from engage.types.matching import FitCheck

Pick = Callable[..., str]

# Quoted text must not carry details about a third person, nor numbers (ages, dates, doses),
# nor words of the consulting room that would make the reply sound like a therapist-client talk.
_CLAUSE = re.compile(r"[,;:?!(]\s*|\s+[-–—]\s+")
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
_VERBS = words("came went got gets get is was were feel felt came comes coming")
_PEOPLE = words("therapist counselor psychologist clinician client partner")
#: A phrase led by a unit of time measures a stage ("34 wks pregnant"): no topic on its own.
_DURATIONS = words("day days wk wks week weeks mo mos month months yr yrs year years")
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


def asked(questions: Sequence[str], phrases: Sequence[str]) -> str | None:
    """The question a reply's bracket asks the therapist to answer, if it can be named safely:
    one naming a matched phrase wins, then the first. Shown only inside a bracket (the
    therapist's words replace it), never quoted back in the reply."""
    candidates = [quote for q in questions if (quote := quotable(q))]
    return _naming(candidates, phrases)


def pick_opinion(opinions: Sequence[str], phrases: Sequence[str]) -> str | None:
    """The opinion an agree or disagree draft names: one about a matched phrase, else the
    first (already short and safe to quote: engage.drafting.shape)."""
    return _naming(list(opinions), phrases)


def _naming(candidates: list[str], phrases: Sequence[str]) -> str | None:
    lowered = [p.lower() for p in phrases]
    return next(
        (c for c in candidates if any(p in c.lower() for p in lowered)),
        candidates[0] if candidates else None,
    )


_UNMET = {
    "language": "I don't speak {}",
    "insurance": "I'm not in network with {}",
    "population": "I don't see {}",
    "delivery": "I don't offer {} sessions",
    "modality": "I'm not trained in {}",
    "place": "I'm not licensed in {}",
}
_FILTERS = {
    "language": "language",
    "insurance": "insurance",
    "population": "age group",
    "delivery": "online or in person",
    "modality": "type of therapy",
    "place": "location",
}


def unmet(checks: Sequence[FitCheck]) -> str:
    """Why the therapist isn't the one for a referral, in their voice: "I don't speak
    Korean"; empty when nothing is unmet."""
    return "; ".join(_UNMET.get(c.kind, "I can't offer {}").format(c.need) for c in checks)


def directory_filters(checks: Sequence[FitCheck]) -> str:
    """The directory filters that find what a referral asks for, specialty first."""
    wanted = ["specialty", *dict.fromkeys(_FILTERS.get(c.kind, "specialty") for c in checks)]
    wanted += ["location"] if len(wanted) < 3 else []
    return _and(list(dict.fromkeys(wanted)))


def excerpt(draft_input: DraftInput) -> str | None:
    """The title, or a clause of it, quotable: named inside a bracket (what the therapist's
    words answer) when the thread asks nothing quotable, never in the reply's own words."""
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
    phrase = next(
        (p for p in draft_input.phrases if not _NOT_QUOTABLE.search(p) and _noun_like(p)), None
    )
    if phrase is None:
        return None
    for m in re.finditer(rf"\b{re.escape(phrase)}\b", draft_input.body, re.IGNORECASE):
        before = draft_input.body[: m.start()].rstrip()
        if before and before[-1] not in '.!?:\n"“(*#-':
            return m.group()
    if phrase[:1].isupper() and not phrase.split()[0].isupper():
        return phrase[0].lower() + phrase[1:]
    return phrase


def _noun_like(phrase: str) -> bool:
    """A phrase a sentence can treat as a topic ("formal disclosure", "EMDR"); a single
    lower-case word may be an adjective or verb ("pregnant", "relapsing"), a phrase may be a
    verb ("came out"), a person ("trauma therapist") or a stage ("wks pregnant")."""
    first, *rest = phrase.lower().split() or [""]
    if phrase.isupper():
        return True
    return bool(rest) and not (
        first.endswith("ed")
        or first in _VERBS
        or first in _DURATIONS
        or rest[-1].rstrip("s") in _PEOPLE
    )


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
