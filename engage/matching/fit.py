"""Whether the therapist fits what a referral request asks for: language, insurance, who the
client is, how they must be seen, a named modality, a faith, a licence in a named state.

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

# Words just before or after a language that make it a requirement ("Mandarin-speaking",
# "speaks Korean", "fluent in Spanish", "sessions in Russian").
_LANGUAGE_AFTER = ("-speaking", " speaking", "-speaker", " speaker")
_LANGUAGE_BEFORE = (
    "speaks ", "speak ", "speaking ", "fluent in ", "bilingual in ", "session in ", "sessions in ",
    "therapy in ", "counseling in ", "primary language is ",
)  # fmt: skip
# The client is a child or teen when one of these words follows "for/with/see (a/an/my...)".
_CHILD_WORDS = ("child", "children", "kid", "kids", "toddler", "preschooler", "little boy",
                "little girl")  # fmt: skip
_TEEN_WORDS = ("teen", "teens", "teenager", "adolescent", "adolescents", "high schooler",
               "middle schooler", "teen client")  # fmt: skip
# "16 years old", "16yo", and "a trans boy (16)": a person's age in parentheses.
_AGE = re.compile(
    r"(\d{1,2})(?:[- ]?(?:years?|yrs?)[- ]old|[ ]?(?:yo|y/o))\b"
    r"|(?:boy|girl|son|daughter|kid|client|teen|child) \((\d{1,2})\)"
)
_FOR = re.compile(r"\b(?:for|with|see|sees|seeing) (?:a |an |my |our |her |his |their |this )?$")
# A faith asked of the therapist: "a Christian counselor", "someone who will include her
# faith", "knows the Orthodox Jewish community".
_FAITH_AFTER = (" counselor", " therapist", " clinician", " provider", " community")
_ANY_FAITH = (
    "include her faith", "include his faith", "include their faith", "integrate her faith",
    "integrate his faith", "faith based", "faith-based",
)  # fmt: skip
# A licence asked for by state: "licensed in New Jersey", "NJ-licensed", "must be NJ licensed".
_LICENSED = re.compile(r"\blicensed in (?:the state of )?([A-Z][A-Za-z]+(?: [A-Z][a-z]+)?)")
_STATE_LICENSED = re.compile(r"\b([A-Z]{2})[- ]licensed\b")
_REMOTE = ("telehealth only", "virtual only", "online only", "video only", "see her online",
           "see him online", "see them online", "has to be online", "has to be virtual",
           "must be telehealth", "must be virtual", "must be online")  # fmt: skip
_WAIVED = re.compile(
    r"\b(?:oon|out of network|out-of-network|private pay|self pay|cash pay)\b"
    r"[^.\n]{0,20}\b(?:fine|ok|okay|works)\b"
)


class FitPlan:
    """The [fit] words of a taxonomy, as the strings `needs` looks for."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        fit = taxonomy.fit
        self.languages = tuple(w.lower() for w in fit["languages"] if w != "English")
        self.payers = tuple(w.lower() for w in fit["payers"])
        self.modalities = tuple(fit["modalities"])  # exact case
        self.faiths = tuple(w.lower() for w in fit["faiths"])
        self.child_slug = fit.get("child_specialty", "")
        self.states = {name: code for code, name in taxonomy.state_names.items()}
        self.states.update({code: code for code in taxonomy.state_names})
        self.state_names = dict(taxonomy.state_names)


_PLANS: WeakKeyDictionary[Taxonomy, FitPlan] = WeakKeyDictionary()


def fit_plan(taxonomy: Taxonomy) -> FitPlan:
    compiled = _PLANS.get(taxonomy)
    if compiled is None:
        compiled = _PLANS[taxonomy] = FitPlan(taxonomy)
    return compiled


def needs(plan: FitPlan, text: str, in_person_only: bool) -> list[Need]:
    """What a referral request asks for, in text order within each kind. Each word is looked
    for with str.find and its context read around it: cheaper than a regex over the post."""
    folded = text.lower()
    found: list[Need] = []
    # Each list is read with `in` first: most of its words are in no post.
    for language in [w for w in plan.languages if w in folded]:
        for at in _words(folded, language):
            end = at + len(language)
            before = folded[max(0, at - 22) : at]
            after = next((w for w in _LANGUAGE_AFTER if folded.startswith(w, end)), "")
            if after or before.endswith(_LANGUAGE_BEFORE):  # the span: "Mandarin-speaking"
                found.append(("language", text[at:end].title(), at, end + len(after)))
    payers = [
        (at, payer) for payer in plan.payers if payer in folded for at in _words(folded, payer)
    ]
    if payers and not _WAIVED.search(folded):
        for at, payer in sorted(payers):
            found.append(
                ("insurance", _payer_name(text[at : at + len(payer)]), at, at + len(payer))
            )
    if any(char.isdigit() for char in folded) and (
        "old" in folded or "yo" in folded or "y/o" in folded or "(" in folded
    ):
        for m in _AGE.finditer(folded):
            age = int(m.group(1) or m.group(2))
            if age < 18 and (m.group(2) or _FOR.search(folded, max(0, m.start() - 30), m.start())):
                who = "children" if age < 13 else "teens"
                found.append(("population", who, m.start(), m.end()))
    for who, words in (("children", _CHILD_WORDS), ("teens", _TEEN_WORDS)):
        for word in [w for w in words if w in folded]:
            for at in _words(folded, word):
                if word.endswith(" client") or _FOR.search(folded, max(0, at - 30), at):
                    found.append(("population", who, at, at + len(word)))
    for faith in [w for w in plan.faiths if w in folded]:
        for at in _words(folded, faith):
            end = at + len(faith)
            if folded.startswith(_FAITH_AFTER, end):
                found.append(("faith", f"{text[at:end].title()} counseling", at, end))
    for phrase in [w for w in _ANY_FAITH if w in folded]:
        for at in _words(folded, phrase):
            found.append(("faith", "faith-integrated counseling", at, at + len(phrase)))
    if "licensed" in text:
        for pattern in (_LICENSED, _STATE_LICENSED):
            for m in pattern.finditer(text):
                code = plan.states.get(m.group(1))
                if code:  # the state's name: "place: New Jersey", as the scorer's own check
                    found.append(("place", plan.state_names[code], m.start(), m.end()))
    for phrase in [w for w in _REMOTE if w in folded]:
        for at in _words(folded, phrase):
            found.append(("delivery", "telehealth", at, at + len(phrase)))
    if in_person_only:
        found.append(("delivery", "in person", 0, 0))
    for modality in [w for w in plan.modalities if w in text]:
        for at in _words(text, modality):
            found.append(("modality", modality, at, at + len(modality)))
    return _first_of_each(found)


def _words(text: str, word: str) -> list[int]:
    """Where `word` stands as a whole word in `text` (str.find, then the boundaries)."""
    found = []
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        if (at == 0 or not text[at - 1].isalnum()) and (
            end == len(text) or not text[end].isalnum()
        ):
            found.append(at)
        at = text.find(word, end)
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
        self.faith = (profile.faith or "").lower()
        self.licensed = {entry.strip() for entry in profile.licensed_in}
        self.licensed |= {plan.states[e] for e in self.licensed if e in plan.states}
        self.licensed |= {plan.state_names[e] for e in self.licensed if e in plan.state_names}
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
        if kind == "faith":  # a profile that names no faith does not offer one
            faith = need.lower().removesuffix(" counseling")
            return bool(self.faith) and (faith == "faith-integrated" or faith in self.faith)
        if kind == "place":  # a licence asked for by state
            return need in self.licensed
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
