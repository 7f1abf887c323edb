"""One sentence a therapist reads in a glance: why a thread is worth their time.

"A colleague in Orange County asks for a CSAT referral; you're a CSAT licensed in CA." It is
built from what the scorer found (the match's reasons: places, specialties, a referral's fit),
the thread's intent and flags, and the profile, in the therapist's own words: the taxonomy's
short names, never slugs. Pure: works on a MatchResult's reasons or on their stored JSON form,
so `engage threads list --worth`, the digest and anything else can call it on stored matches.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from engage.matching.taxonomy import Taxonomy
from engage.types import Intent, Profile, Reason

_ACRONYM_MAX = 6


def why_sentence(
    intent: Intent | str,
    reasons: Sequence[Reason | Mapping[str, Any]],
    profile: Profile,
    taxonomy: Taxonomy,
    flags: Iterable[str] = (),
) -> str:
    """The thread's intent, the therapist's matching specialty, the place and the fit, as one
    sentence. `reasons` and `flags` as a MatchResult has them or as a match row stores them."""
    intent = Intent(intent)
    flags = {str(getattr(flag, "value", flag)) for flag in flags}
    read = [_plain(reason) for reason in reasons]
    payers = {payer.lower() for payer in taxonomy.fit["payers"]}
    places = _distinct(  # as the post names it, unless it names it by a payer ("BCBS of Texas")
        text
        for kind, _, text, _ in read
        if kind == "location" and not payers & set(text.lower().split())
    )
    states = _distinct(label for kind, label, _, _ in read if kind == "location")
    slugs = _ranked_specialties(read, profile)
    if len(slugs) > 1:  # the practice side of a clinical thread is not what it is about
        slugs = [slugs[0], *(s for s in slugs[1:] if s != taxonomy.business_specialty)]
    shorts = [taxonomy.short_names.get(slug, slug.replace("_", " ")) for slug in slugs[:2]]
    topic = " and ".join(shorts) if shorts else "your work"
    acronym = _named_acronym(read, slugs[:1], profile)

    who = "Someone looking for help" if "client_side" in flags else "A colleague"
    if places:
        who += f" in {places[0]}"
    sentence = f"{who} {_wants(intent, topic, acronym, slugs, taxonomy)}"

    you = _you(profile, acronym, topic, states, taxonomy, slugs)
    misses = [_need(label) for kind, label, _, weight in read if kind == "fit" and weight == 0]
    if you:
        sentence += f"; {you}"
    if misses:
        sentence += f", but they need {_join(_distinct(misses))}"
    if "filled" in flags:
        sentence += " (the referral may already be filled)"
    return sentence + "."


def _plain(reason: Reason | Mapping[str, Any]) -> tuple[str, str, str, float]:
    if isinstance(reason, Reason):
        return reason.kind.value, reason.label, reason.text, reason.weight
    return (
        str(reason.get("kind", "")),
        str(reason.get("label", "")),
        str(reason.get("text", "")),
        float(reason.get("weight", 0.0)),
    )


def _ranked_specialties(read: list[tuple[str, str, str, float]], profile: Profile) -> list[str]:
    """The therapist's specialties the thread is about, most weight first."""
    totals: dict[str, float] = {}
    for kind, label, _, weight in read:
        if kind == "specialty" and profile.specialties.get(label, 0.0) > 0:
            totals[label] = totals.get(label, 0.0) + weight * profile.specialties[label]
    return sorted(totals, key=lambda slug: -totals[slug])


def _named_acronym(
    read: list[tuple[str, str, str, float]], slugs: list[str], profile: Profile
) -> str:
    """A credential or modality the post names in capitals for the leading specialty ("CSAT",
    "EMDR"), preferring one the therapist holds."""
    found = _distinct(
        text.rstrip("s")
        for kind, label, text, _ in read
        if kind in ("specialty", "fit")
        and (label in slugs or label.startswith("modality"))
        and 2 <= len(text) <= _ACRONYM_MAX
        and text.rstrip("s").isupper()
    )
    credentials = profile.credentials.upper()
    held = [a for a in found if a in credentials]
    return (held or found or [""])[0]


def _wants(intent: Intent, topic: str, acronym: str, slugs: list[str], taxonomy: Taxonomy) -> str:
    business = bool(slugs) and slugs[0] == taxonomy.business_specialty
    if intent is Intent.REFERRAL_REQUEST:
        if acronym:
            return f"asks for {_article(acronym)} {acronym} referral"
        return f"asks for a referral for {topic}"
    if intent is Intent.BUSINESS or (business and intent is Intent.CONSULT_QUESTION):
        return "asks other owners a practice question" if business else f"asks about {topic}"
    if intent is Intent.CONSULT_QUESTION:
        return f"asks for consultation on {topic}"
    if intent is Intent.DISCUSSION:
        return f"opens a discussion of {topic}"
    if intent is Intent.ARTICLE_SHARE:
        return f"shares an article on {topic}"
    if intent is Intent.VENT:
        return f"is venting about {topic}"
    if intent is Intent.CLIENT_SEEKING_HELP:
        return f"asks about {topic} (answer with how to find a professional, not networking)"
    if intent is Intent.SPAM:
        return f"advertises something about {topic}"
    return f"writes about {topic}"


def _you(
    profile: Profile,
    acronym: str,
    topic: str,
    states: list[str],
    taxonomy: Taxonomy,
    slugs: list[str],
) -> str:
    """The therapist's side: what they are and where they may practise."""
    where = ""
    if states:  # a region's name or a state's code
        place = states[0]
        state = place if place in taxonomy.state_names else _state_of(taxonomy, place)
        where = f"licensed in {state}" if state else f"in {place}"
    if acronym and acronym in profile.credentials.upper():
        return f"you're a {acronym}" + (f" {where}" if where else "")
    if not slugs:
        return f"you're {where}" if where else ""
    if slugs[0] == taxonomy.business_specialty:
        kind = (profile.practice or "practice").replace("owner", "").strip()
        return f"you run {_article_word(kind)} {kind}" + (f" and are {where}" if where else "")
    leading = profile.specialties.get(slugs[0], 0.0)
    plural = " and " in topic
    if leading >= 0.8:
        mine = f"{topic} {'are your specialties' if plural else 'is your specialty'}"
    else:
        mine = f"{topic} {'are' if plural else 'is'} part of your work"
    return mine + (f", and you're {where}" if where else "")


def _state_of(taxonomy: Taxonomy, region: str) -> str:
    return next((p.state for p in taxonomy.places.values() if p.region == region), "")


_NEEDS = {
    "language": "someone who speaks {}",
    "insurance": "someone who takes {}",
    "population": "someone who sees {}",
    "modality": "{}",
    "place": "someone licensed in {}",
    "faith": "{}",
}


def _need(label: str) -> str:
    """A stored fit label ("language: Mandarin") as words ("someone who speaks Mandarin")."""
    kind, _, need = label.partition(": ")
    if kind == "delivery":
        return "in-person sessions" if need == "in person" else "telehealth"
    return _NEEDS.get(kind, "{}").format(need)


def _article(acronym: str) -> str:
    """ "an EMDR", "an IFS", "a CSAT": by how the first letter is said."""
    return "an" if acronym[:1] in "AEFHILMNORSX" else "a"


def _article_word(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _distinct(items: Iterable[str]) -> list[str]:
    return [item for item in dict.fromkeys(items) if item]


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
