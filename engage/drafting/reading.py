"""What a template says about the thread and the therapist: the question asked, the thread's
own words, who the therapist is. Pure functions of DraftInput and Profile."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from engage.drafting.resources import words_for
from engage.types import DraftInput, Profile

Pick = Callable[..., str]

_QUESTION = re.compile(r"[^.!?\n]*\?")
# A quoted question must not carry details about a third person (the guard's client details
# live in sentences like these) nor numbers (ages, dates, doses).
_NOT_QUOTABLE = re.compile(
    r"\d|@|https?:|www\.|\b(?:client|patient|he|she|his|her|him|husband|wife|partner|son|"
    r"daughter|kid|mom|dad|mother|father|boyfriend|girlfriend|boss|coworker|named?)\b",
    re.IGNORECASE,
)
_LEAD = re.compile(r"^(?:and|but|so|also|or|edit|update|tl;?dr)\b[:,]?\s*", re.IGNORECASE)
_QUOTE_MIN, _QUOTE_MAX = 15, 140
# Credentials that are degrees rather than a role one can "be" ("I'm an LMFT", not "a PhD").
_DEGREES = frozenset("PHD PSYD MD MA MS MSW MED EDD MSC BA BS DO DNP".split())
_VOWEL_LETTERS = frozenset("AEFHILMNORSX")  # acronyms read "an LMFT", "an RN"
_DELIVERY = {"in_person": "in person", "telehealth": "telehealth", "online": "online"}


def picker(draft_input: DraftInput, profile: Profile) -> Pick:
    """A deterministic choice among phrasings, seeded by the thread and the therapist, so the
    same thread drafts the same way twice, different threads (or two therapists in one
    thread) rarely share a phrasing, and each slot varies independently of the others."""
    base = "\x1f".join(
        (draft_input.url, draft_input.title, draft_input.body, profile.name, profile.credentials)
    )

    def pick(slot: str, *options: str) -> str:
        digest = hashlib.sha256(f"{base}\x1e{slot}".encode()).digest()
        return options[int.from_bytes(digest[:8], "big") % len(options)]

    return pick


def question(draft_input: DraftInput) -> str | None:
    """The question the thread asks, as written, if one can be quoted back safely: short, about
    the topic rather than a person, with no numbers. Questions naming a matched phrase win,
    then the title's, then the first."""
    candidates = []
    for source in (draft_input.title, draft_input.body):
        for m in _QUESTION.finditer(source):
            text = _LEAD.sub("", " ".join(m.group().split()).lstrip("-*#>•:) "))
            if _QUOTE_MIN <= len(text) <= _QUOTE_MAX and not _NOT_QUOTABLE.search(text):
                candidates.append(text[0].upper() + text[1:])
    if not candidates:
        return None
    phrases = [p.lower() for p in draft_input.phrases]
    return next((c for c in candidates if any(p in c.lower() for p in phrases)), candidates[0])


def topic(draft_input: DraftInput) -> str | None:
    """The thread's strongest topic phrase, cased as the poster wrote it mid-sentence."""
    if not draft_input.phrases:
        return None
    phrase = draft_input.phrases[0]
    for m in re.finditer(re.escape(phrase), draft_input.body, re.IGNORECASE):
        before = draft_input.body[: m.start()].rstrip()
        if before and before[-1] not in ".!?:\n\"“(*#-":
            return m.group()
    keep = phrase.isupper() or any(c.isupper() for c in phrase[1:])
    return phrase if keep else phrase[:1].lower() + phrase[1:]


def shared_focus(draft_input: DraftInput, profile: Profile) -> str | None:
    """The therapist's specialty this thread is about, in prose; else their strongest one."""
    mine = {slug for slug, weight in profile.specialties.items() if weight > 0}
    shared = next((s for s in draft_input.specialties if s in mine), None)
    strongest = max(mine, key=lambda s: profile.specialties[s], default=None)
    slug = shared or strongest
    return words_for(slug).prose if slug else None


def intro(profile: Profile, *, named: bool = False) -> str:
    """Who is speaking, always as a therapist: "I'm an LMFT and CSAT in Southern California",
    "I'm a therapist (PhD) in Texas"; `named` puts the name first, for a colleague who may
    pass it on."""
    credentials = [c.strip() for c in re.split(r"[,;/]|\band\b", profile.credentials) if c]
    credentials = [c for c in credentials if c]
    roles = [c for c in credentials if c.replace(".", "").upper() not in _DEGREES]
    degrees = [c for c in credentials if c not in roles]
    if roles:
        role = f"{_indefinite(roles[0])} {' and '.join(roles)}"
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
    delivery = [_DELIVERY.get(d, d.replace("_", " ")) for d in profile.delivery]
    if delivery:
        parts.append(_and(delivery))
    return "; ".join(parts)


def _indefinite(word: str) -> str:
    if word.isupper():
        return "an" if word[0] in _VOWEL_LETTERS else "a"
    return "an" if word[:1].lower() in "aeiou" else "a"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
