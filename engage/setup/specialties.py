"""Specialties named in a therapist's words, matched to the taxonomy's slugs.

"sex addiction" -> sex_addiction, "betrayal trauma" -> sex_addiction (one of its terms), "EMDR"
-> trauma, "couples work" -> couples, "Perinatl" -> perinatal; "couples=0.6" is still read as a
slug and weight. Why: the config wants slugs from config/specialties.toml, which nobody should
have to look up, and a specialty the matcher doesn't know makes `config check` fail.

Weights follow the order they were named in: the first is the main one (1.0), then 0.8, then
0.6; an explicit `=weight` wins. Pure apart from reading the taxonomy file once; never guesses
between two specialties (an ambiguous word is reported with both, to be asked again).
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from engage.setup.answers import AnswerError, clean

#: Weight by position: the first-named specialty is the main one.
ORDER_WEIGHTS = (1.0, 0.8, 0.6)
LATER_WEIGHT = 0.5
#: Words that name more than one specialty: asked again, never guessed.
AMBIGUOUS = {
    "addiction": ("sex_addiction", "substance_use"),
    "addictions": ("sex_addiction", "substance_use"),
    "recovery": ("sex_addiction", "substance_use"),
}
# Priority of a phrase's tier when one phrase belongs to more than one specialty.
_TIER = {"slug": 0, "name": 0, "part": 1, "term": 1, "abbreviation": 1, "related": 2}


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The taxonomy's specialties: slug -> name, and every phrase -> (tier, slug)."""

    names: dict[str, str]
    phrases: dict[str, list[tuple[int, str]]]
    exact_case: dict[str, str]  # short abbreviations that must be typed in capitals ("PT", "DID")


@dataclass(frozen=True, slots=True)
class Choice:
    slug: str
    name: str
    said: str  # the words that named it
    weight: float


def norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s&+]", " ", text.lower().replace("_", " ")).split())


def vocabulary_from(data: dict[str, Any]) -> Vocabulary:
    names: dict[str, str] = {}
    phrases: dict[str, list[tuple[int, str]]] = {}
    exact: dict[str, str] = {}

    def add(phrase: str, tier: str, slug: str) -> None:
        key = norm(phrase)
        if key and (_TIER[tier], slug) not in phrases.setdefault(key, []):
            phrases[key].append((_TIER[tier], slug))

    for slug, spec in (data.get("specialties") or {}).items():
        if not isinstance(spec, dict):
            continue
        name = str(spec.get("name") or slug)
        names[slug] = name
        add(slug, "slug", slug)
        add(name, "name", slug)
        for part in re.split(r"[,:]", name):
            add(part, "part", slug)
        for tier in ("terms", "related"):
            for phrase in spec.get(tier) or ():
                add(str(phrase), "term" if tier == "terms" else "related", slug)
        for abbreviation in spec.get("abbreviations") or ():
            text = str(abbreviation)
            if len(text) >= 4:
                add(text, "abbreviation", slug)
            else:
                exact[text] = slug
    return Vocabulary(names, phrases, exact)


@cache
def default_vocabulary() -> Vocabulary:
    from engage.matching.taxonomy import default_taxonomy_path

    path: Path = default_taxonomy_path()
    return vocabulary_from(tomllib.loads(path.read_text(encoding="utf-8")))


def _exact(piece: str, vocab: Vocabulary) -> str | None:
    """The slug `piece` names outright (a slug, name, term, abbreviation); AnswerError when it
    names two specialties equally."""
    if piece.strip() in vocab.exact_case:
        return vocab.exact_case[piece.strip()]
    key = norm(piece)
    found = vocab.phrases.get(key) or (vocab.phrases.get(key[:-1]) if key.endswith("s") else None)
    if not found:
        return None
    best = min(tier for tier, _ in found)
    slugs = sorted({slug for tier, slug in found if tier == best})
    if len(slugs) > 1:
        both = " or ".join(vocab.names[s] for s in slugs)
        raise AnswerError(f"{piece!r} could be {both}: say a little more")
    return slugs[0]


def _within(piece: str, vocab: Vocabulary) -> str | None:
    """The specialty of the longest phrase inside `piece` ("mostly couples work" -> couples)."""
    key = f" {norm(piece)} "
    hits = [(len(p), -min(t for t, _ in s), p) for p, s in vocab.phrases.items()
            if len(p) >= 4 and f" {p} " in key]  # fmt: skip
    if not hits:
        return None
    _, _, phrase = max(hits)
    return _exact(phrase, vocab)


def _close(piece: str, vocab: Vocabulary) -> str | None:
    close = difflib.get_close_matches(norm(piece), list(vocab.phrases), n=1, cutoff=0.82)
    return _exact(close[0], vocab) if close else None


def resolve(piece: str, vocab: Vocabulary) -> list[str]:
    """The slug(s) one answer piece names; [] when it names none."""
    if norm(piece) in AMBIGUOUS:
        both = " or ".join(vocab.names[s] for s in AMBIGUOUS[norm(piece)] if s in vocab.names)
        raise AnswerError(f"{piece.strip()[:40]!r} could be {both}: say a little more")
    if slug := _exact(piece, vocab):
        return [slug]
    parts = [p for p in re.split(r"\band\b|&|/|\+", piece) if p.strip()]
    if len(parts) > 1:
        try:
            found = [resolve(part, vocab) for part in parts]
        except AnswerError:
            found = []
        if found and all(found):
            return list(dict.fromkeys(slug for slugs in found for slug in slugs))
    for find in (_within, _close):
        if slug := find(piece, vocab):
            return [slug]
    return []


def suggestions(piece: str, vocab: Vocabulary) -> list[str]:
    """The names of the specialties whose phrases look most like `piece`."""
    close = difflib.get_close_matches(norm(piece), list(vocab.phrases), n=6, cutoff=0.6)
    slugs = [min(vocab.phrases[c])[1] for c in close]
    return [vocab.names[slug] for slug in dict.fromkeys(slugs)][:2]


def choose(raw: str, vocab: Vocabulary | None = None) -> list[Choice]:
    """Every specialty an answer names, in order, weighted; AnswerError naming what wasn't
    understood (with the nearest names) or what was ambiguous."""
    vocab = vocab or default_vocabulary()
    pieces = [p.strip() for p in re.split(r"[,;\n]+", clean(raw, limit=1000)) if p.strip()]
    if not pieces:
        raise AnswerError("name one or more, main ones first, e.g. couples, trauma (? lists them)")
    said: dict[str, list[str]] = {}
    weights: dict[str, float] = {}
    unknown: list[str] = []
    for piece in pieces:
        phrase, _, weight_text = piece.partition("=")
        slugs = resolve(phrase, vocab)
        if not slugs:
            unknown.append(phrase.strip())
            continue
        for slug in slugs:
            said.setdefault(slug, []).append(phrase.strip())
            if weight_text.strip():
                weights[slug] = _weight(weight_text, piece)
    if unknown:
        first = unknown[0][:40]
        near = suggestions(first, vocab)
        hint = f" (nearest: {'; '.join(near)})" if near else ""
        raise AnswerError(f"didn't recognise {first!r}{hint}; type ? to list the specialties")
    choices = []
    for position, (slug, words) in enumerate(said.items()):
        weight = weights.get(slug, ORDER_WEIGHTS[position] if position < 3 else LATER_WEIGHT)
        choices.append(Choice(slug, vocab.names[slug], ", ".join(dict.fromkeys(words)), weight))
    return choices


def _weight(text: str, piece: str) -> float:
    try:
        weight = float(text.strip())
    except ValueError:
        raise AnswerError(
            f"{piece[:40]!r}: a weight is a number from 0 to 1, e.g. couples=0.6"
        ) from None
    if not 0.0 <= weight <= 1.0:
        raise AnswerError(f"{piece[:40]!r}: a weight is a number from 0 to 1, e.g. couples=0.6")
    return weight


def as_table(choices: list[Choice]) -> dict[str, float]:
    return {choice.slug: choice.weight for choice in choices}


def describe(choice: Choice) -> str:
    strength = "main" if choice.weight >= 0.9 else f"also, weight {choice.weight:g}"
    return f"{choice.name} ({strength}) <- {choice.said}"


def listing(vocab: Vocabulary | None = None) -> str:
    vocab = vocab or default_vocabulary()
    return "\n".join(f"  {name}" for name in vocab.names.values())
