"""What a post says, independent of who reads it: specialties, intent, author, crisis, places.

The analysis is profile-free so that one scan of a post can be scored for many therapists.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import NamedTuple

from engage.matching.lexicon import Feature, Hit, fold
from engage.matching.taxonomy import (
    CUE,
    INTENT,
    NEAR,
    PLACE,
    PRACTICE,
    SIGNAL,
    TERM,
    NegativeRule,
    Place,
    Taxonomy,
)
from engage.types import Intent, Span, TextField

# Title and body are scanned as one text; this separator keeps phrases from spanning both.
_SEPARATOR = "\n\x00\n"
_EDIT_LINE = re.compile(r"\b(?:edit|update|eta)\b", re.IGNORECASE)


class Found(NamedTuple):
    """A phrase at `start:end` of the combined text that counts toward `label` with `weight`."""

    label: str
    start: int
    end: int
    weight: float


@dataclass(slots=True)
class Analysis:
    """Internal and short-lived, so not frozen (a frozen dataclass is slower to build)."""

    text: str
    folded: str
    title_length: int
    evidence: dict[str, tuple[Found, ...]]
    strengths: dict[str, float]
    intent: Intent
    client_side: bool
    client_evidence: tuple[Found, ...]
    crisis: tuple[Found, ...]
    places: tuple[tuple[Place, Found], ...]
    practice_kinds: frozenset[str]
    filled: bool

    def span(self, found: Found) -> Span:
        """Where `found` lies in the post's own title or body."""
        if found.start < self.title_length:
            return Span(TextField.TITLE, found.start, found.end)
        offset = self.title_length + len(_SEPARATOR)
        return Span(TextField.BODY, found.start - offset, found.end - offset)

    def snippet(self, found: Found) -> str:
        return self.text[found.start : found.end]


def combined_text(title: str, body: str) -> str:
    return title + _SEPARATOR + body


def analyze(taxonomy: Taxonomy, title: str, body: str, community: str) -> Analysis:
    """Scan the post once and read every profile-independent fact from the hits."""
    text = combined_text(title, body)
    folded = fold(text)
    hits = taxonomy.lexicon.scan(text, folded)
    near: dict[str, list[tuple[int, int]]] = {}
    signals: dict[str, list[Found]] = {}
    intent_cues: dict[str, dict[str, float]] = {}
    places: list[tuple[Place, Found]] = []
    practice_kinds: set[str] = set()
    specialty_hits: list[tuple[Hit, Feature]] = []
    for hit in hits:
        for feature in hit.features:
            kind = feature.kind
            if kind in (TERM, CUE):
                specialty_hits.append((hit, feature))
            elif kind == INTENT:
                intent_cues.setdefault(feature.key, {})[hit.phrase] = feature.weight
            elif kind == SIGNAL:
                found = Found(hit.phrase, hit.start, hit.end, 1.0)
                signals.setdefault(feature.key, []).append(found)
            elif kind == NEAR:
                near.setdefault(feature.key, []).append((hit.start, hit.end))
            elif kind == PLACE:
                found = Found(feature.key, hit.start, hit.end, 1.0)
                places.append((taxonomy.places[feature.key], found))
            elif kind == PRACTICE:
                practice_kinds.add(feature.key)
    evidence = _specialty_evidence(taxonomy, specialty_hits, near, len(title))
    client_evidence = signals.get("client", [])
    client_score: float = len({f.label for f in client_evidence}) + sum(
        1 for p in taxonomy.client_patterns if p.search(text)
    )
    if community.lower() in taxonomy.help_seeker_communities:
        client_score += taxonomy.client_community
    professional = len({f.label for f in signals.get("professional", [])})
    client_side = client_score - professional >= taxonomy.client_margin
    crisis = signals.get("crisis", [])
    if client_side:
        crisis = crisis + signals.get("crisis_if_client", [])
    return Analysis(
        text=text,
        folded=folded,
        title_length=len(title),
        evidence=evidence,
        strengths={
            slug: 1.0 - math.exp(-sum(f.weight for f in found)) for slug, found in evidence.items()
        },
        intent=Intent.CLIENT_SEEKING_HELP if client_side else _intent(taxonomy, intent_cues, text),
        client_side=client_side,
        client_evidence=tuple(client_evidence),
        crisis=tuple(crisis),
        places=tuple(places),
        practice_kinds=frozenset(practice_kinds),
        filled=any(_EDIT_LINE.search(text, 0, f.start) for f in signals.get("filled", [])),
    )


def _cancelled(
    rules: list[NegativeRule], term: str, hit: Hit, near: dict[str, list[tuple[int, int]]]
) -> bool:
    for rule in rules:
        if rule.terms is not None and term not in rule.terms:
            continue
        for start, end in near.get(rule.rule_id, ()):
            if rule.within is None:
                return True
            if start - rule.within <= hit.end and hit.start <= end + rule.within:
                return True
    return False


def _specialty_evidence(
    taxonomy: Taxonomy,
    hits: list[tuple[Hit, Feature]],
    near: dict[str, list[tuple[int, int]]],
    title_length: int,
) -> dict[str, tuple[Found, ...]]:
    """Per specialty, each distinct phrase once at its best weight; cues only when a term is
    there too, so a lone "addiction" or "couple" names nothing."""
    best: dict[str, dict[str, Found]] = {}
    named: set[str] = set()
    for hit, feature in hits:
        rules = taxonomy.negatives_by_slug.get(feature.key)
        if rules and near and _cancelled(rules, feature.term, hit, near):
            continue
        weight = feature.weight * (taxonomy.title_weight if hit.start < title_length else 1.0)
        phrases = best.setdefault(feature.key, {})
        previous = phrases.get(feature.term)
        if previous is None or weight > previous.weight:
            phrases[feature.term] = Found(feature.key, hit.start, hit.end, weight)
        if feature.kind == TERM:
            named.add(feature.key)
    return {slug: tuple(found.values()) for slug, found in best.items() if slug in named}


def _intent(taxonomy: Taxonomy, cues: dict[str, dict[str, float]], text: str) -> Intent:
    """The intent whose distinct cues and patterns weigh most; ties follow the priority list."""
    best, best_total = Intent.OTHER, -1.0
    for intent in taxonomy.intent_priority:
        found = cues.get(intent)
        total = sum(found.values()) if found else 0.0
        for pattern in taxonomy.intents[intent].patterns:
            if pattern.search(text):
                total += 2.0
        if total > best_total:
            best, best_total = intent, total
    if best_total >= taxonomy.intent_threshold:
        return best
    return Intent.CONSULT_QUESTION if "?" in text else Intent.OTHER
