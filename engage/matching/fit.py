"""Whether the therapist fits what a referral request asks for: language, insurance, who the
client is, how they must be seen, a named modality.

Read only for referral requests (the scorer asks), so it costs nothing on most posts. The words
come from the taxonomy's [fit] table; the checks compare them with the profile. Pure: no IO, and
nothing here ranks (the scorer turns a clear mismatch into its `fit` factor).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from weakref import WeakKeyDictionary

from engage.matching.taxonomy import Taxonomy
from engage.types import Profile
from engage.types.matching import FitCheck

# A requirement found at start:end of the post's combined text.
Need = tuple[str, str, int, int]  # (kind, need, start, end)

_AGE = r"\d{1,2}[- ]?(?:years?|yrs?)[- ]old|\d{1,2} ?(?:yo|y/o)"
_CHILD_AGE = re.compile(r"(\d{1,2})")


class FitPlan:
    """The [fit] words of a taxonomy compiled into a few regexes."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        fit = taxonomy.fit
        languages = _alternation(fit["languages"])
        # "Mandarin-speaking", "speaks Mandarin", "fluent in Spanish", "sessions in Korean".
        self.language = re.compile(
            rf"\b(?:({languages})[- ](?:speaking|speaker|speakers)\b"
            rf"|(?:speaks?|speaking|fluent in|bilingual in|sessions? in|therapy in|"
            rf"counseling in|primary language is|only speaks) ({languages})\b)",
            re.IGNORECASE,
        )
        self.language_words = tuple(w.lower() for w in fit["languages"] if w != "English")
        self.payer_words = tuple({w.lower().split()[0].split("-")[0] for w in fit["payers"]})
        self.modality_words = tuple({w.split()[0].split("-")[0] for w in fit["modalities"]})
        self.payer = re.compile(rf"\b({_alternation(fit['payers'])})\b", re.IGNORECASE)
        self.payer_waived = re.compile(
            r"\b(?:oon|out of network|out-of-network|private pay|self pay|cash pay)\b"
            r"[^.\n]{0,20}\b(?:fine|ok|okay|works|is fine)\b",
            re.IGNORECASE,
        )
        # The client is a child or teen: "for an 8-year-old", "for a teen", "my 15 yo".
        self.minor = re.compile(
            rf"\b(?:for|with|see|sees|seeing) (?:a |an |my |our |her |his |their |this )?"
            rf"(?:({_AGE})|(child|kid|toddler|preschooler|little (?:boy|girl))|"
            rf"(teen|teenager|adolescent|high schooler|middle schooler))\b",
            re.IGNORECASE,
        )
        self.telehealth = re.compile(
            r"\b(?:telehealth only|virtual only|online only|video only|see (?:her|him|them) "
            r"online|who can see (?:her|him|them) online|has to be (?:online|virtual)|"
            r"must be (?:telehealth|virtual|online))\b",
            re.IGNORECASE,
        )
        self.modality = re.compile(rf"\b({_alternation(fit['modalities'])})\b")
        self.child_slug = fit.get("child_specialty", "")


_PLANS: WeakKeyDictionary[Taxonomy, FitPlan] = WeakKeyDictionary()


def fit_plan(taxonomy: Taxonomy) -> FitPlan:
    compiled = _PLANS.get(taxonomy)
    if compiled is None:
        compiled = _PLANS[taxonomy] = FitPlan(taxonomy)
    return compiled


def needs(plan: FitPlan, text: str, in_person_only: bool) -> list[Need]:
    """What a referral request asks for, in text order within each kind."""
    found: list[Need] = []
    folded = text.lower()
    # Each kind's regex runs only when a word every match of it holds is in the post.
    if any(word in folded for word in _LANGUAGE_WORDS) and any(
        word in folded for word in plan.language_words
    ):
        found += _languages(plan, text)
    if any(word in folded for word in plan.payer_words) and not plan.payer_waived.search(text):
        for m in plan.payer.finditer(text):
            found.append(("insurance", _payer_name(m.group(1)), m.start(), m.end()))
    if any(word in folded for word in _MINOR_WORDS):
        found += _minors(plan, text)
    if any(word in folded for word in _REMOTE_WORDS):
        for m in plan.telehealth.finditer(text):
            found.append(("delivery", "telehealth", m.start(), m.end()))
    if in_person_only:
        found.append(("delivery", "in person", 0, 0))
    if any(word in text for word in plan.modality_words):
        for m in plan.modality.finditer(text):
            found.append(("modality", m.group(1), m.start(), m.end()))
    return _first_of_each(found)


# Every match of `language` holds one of these ("Mandarin-speaking", "fluent in", "sessions in").
_LANGUAGE_WORDS = ("speak", "fluent", "bilingual", "language", "session", "therapy in",
                   "counseling in")  # fmt: skip
# Every match of `minor` holds one of these ("8-year-old", "15 yo", "a teen").
_MINOR_WORDS = ("year", "yr", "yo ", "yo,", "yo.", "yo)", "y/o", "child", "kid", "toddler",
                "little", "teen", "adolesc", "schooler")  # fmt: skip
_REMOTE_WORDS = ("online", "virtual", "video", "telehealth")


def _languages(plan: FitPlan, text: str) -> list[Need]:
    found: list[Need] = []
    for m in plan.language.finditer(text):
        language = (m.group(1) or m.group(2)).title()
        if language != "English":
            found.append(("language", language, m.start(), m.end()))
    return found


def _minors(plan: FitPlan, text: str) -> list[Need]:
    found: list[Need] = []
    for m in plan.minor.finditer(text):
        age, child, _teen = m.groups()
        if age:
            years = int(_CHILD_AGE.search(age).group(1))  # type: ignore[union-attr]
            if years >= 18:
                continue
            who = "children" if years < 13 else "teens"
        else:
            who = "children" if child else "teens"
        found.append(("population", who, m.start(), m.end()))
    return found


class ProfileFit:
    """What a profile can offer, read once per Matcher."""

    def __init__(self, plan: FitPlan, profile: Profile) -> None:
        self.languages = {lang.strip().lower() for lang in profile.languages} | {"english"}
        self.insurance = [payer.strip().lower() for payer in profile.insurance]
        self.modalities = {m.strip().lower() for m in profile.modalities}
        populations = " ".join(profile.populations).lower()
        if populations:
            self.children = any(w in populations for w in ("child", "kid", "minor", "famil"))
            self.teens = any(w in populations for w in ("teen", "adolesc", "minor", "youth"))
        else:  # unsaid: a therapist who lists no work with children sees adults
            serves_minors = profile.specialties.get(plan.child_slug, 0.0) > 0
            self.children = self.teens = serves_minors
        delivery = " ".join(profile.delivery).lower()
        self.telehealth = not delivery or "tele" in delivery or "online" in delivery
        self.in_person = not delivery or "person" in delivery or "office" in delivery

    def check(self, kind: str, need: str) -> bool | None:
        if kind == "language":
            return need.lower() in self.languages
        if kind == "insurance":
            if not self.insurance:
                return None
            key = need.lower()
            return any(key in payer or payer in key for payer in self.insurance)
        if kind == "population":
            return self.children if need == "children" else self.teens
        if kind == "delivery":
            return self.telehealth if need == "telehealth" else self.in_person
        if kind == "modality":
            return need.lower() in self.modalities if self.modalities else None
        return None


def checks(
    plan: FitPlan, fit: ProfileFit, text: str, in_person_only: bool
) -> list[tuple[FitCheck, int, int]]:
    """Each requirement of the referral with whether the profile meets it, and where it is."""
    return [
        (FitCheck(kind, need, fit.check(kind, need)), start, end)
        for kind, need, start, end in needs(plan, text, in_person_only)
    ]


def _first_of_each(found: Iterable[Need]) -> list[Need]:
    seen: set[tuple[str, str]] = set()
    kept = []
    for need in found:
        key = (need[0], need[1].lower())
        if key not in seen:
            seen.add(key)
            kept.append(need)
    return kept


_PAYER_NAMES = {"bcbs": "BCBS", "uhc": "UnitedHealthcare", "medi cal": "Medi-Cal"}


def _payer_name(matched: str) -> str:
    key = re.sub(r"[\s\-]+", " ", matched.lower())
    return _PAYER_NAMES.get(key, matched if matched.isupper() else matched.title())


def _alternation(words: Iterable[str]) -> str:
    return "|".join(
        re.escape(w).replace(r"\ ", r"[\s\-]+") for w in sorted(words, key=len, reverse=True)
    )
