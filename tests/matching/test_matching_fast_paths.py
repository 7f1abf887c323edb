"""The shortcuts the scorer takes for speed give the same answers as the plain way.

`Plan.collect` must find what `Lexicon.scan` finds; `fold` on ASCII must equal the translation
table; a pattern's `required_literal` must be in every text the pattern matches.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engage.matching import Taxonomy
from engage.matching.analysis import (
    combined_text,
    plan,
    required_alternatives,
    required_literal,
)
from engage.matching.lexicon import _ASCII_LOWER, fold
from engage.matching.taxonomy import CUE, IGNORE, TERM

# The vocabulary's tricky spots: multi-word phrases (and their inner phrases), separators,
# exact-case abbreviations, false friends, places, case and curly quotes.
_FRAGMENTS = st.sampled_from(
    [
        "my husband",
        "My  Husband's",
        "post-partum",
        "post \n partum",
        "betrayal trauma",
        "a couple of",
        "couples therapy",
        "CSAT",
        "csat",
        "xCSAT",
        "CSAT-S",
        "S-Anon",
        "IFS Cloud",
        "EMDR",
        "NYC",
        "Orange County",
        "San Francisco Bay Area",
        "customer satisfaction",
        "I\u2019m 24",
        "Referral:",
        "referral request",
        "Edit: found someone",
        "better off without me",
        "not suicidal",
        "group practice owners",
        "İ",
        "ß",
        "\x00",
        "🏳️‍🌈",
    ]
)
_TEXT = st.lists(st.one_of(st.text(max_size=20), _FRAGMENTS), max_size=20).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(title=_TEXT, body=_TEXT)
def test_plan_collects_what_the_lexicon_scans(taxonomy: Taxonomy, title: str, body: str) -> None:
    text = combined_text(title, body)
    specialty_hits: list[Any] = []
    other_hits: list[Any] = []
    plan(taxonomy).collect(text, fold(text), specialty_hits, other_hits)

    expected_specialty = []
    expected_other = []
    for hit in taxonomy.lexicon.scan(text):
        specialties = [(f.key, f.term) for f in hit.features if f.kind in (TERM, CUE)]
        if specialties:
            expected_specialty.append((specialties, hit.start, hit.end))
        if any(f.kind not in (TERM, CUE, IGNORE) for f in hit.features):
            expected_other.append((hit.phrase, hit.start, hit.end))
    got_specialty = [([s[:2] for s in found], start, end) for found, start, end in specialty_hits]
    got_other = [(entry.phrase, start, end) for entry, start, end in other_hits]
    assert got_specialty == expected_specialty
    assert got_other == expected_other


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60) | _TEXT)
def test_fold_is_the_translation_table(text: str) -> None:
    assert fold(text) == text.translate(_ASCII_LOWER)
    assert len(fold(text)) == len(text)


@pytest.mark.parametrize(
    ("pattern", "literal"),
    [
        ("[Rr]eferral:", "eferral:"),
        ("omment [A-Z]{3,}\\b", "omment "),
        ("9\\d{4}\\b", "9"),
        ("ab{2}cd", "cd"),
        ("abc?d", "ab"),
        ("(x|y)abcd", "abcd"),
        ("[a]]x", "]x"),
        ("abc|def", ""),
        ("(?i)abc", ""),
        ("\\$ ?\\d", "$"),
        ("a\\.b\\d", "a.b"),
        ("(x\\$)y", "y"),
    ],
)
def test_required_literal(pattern: str, literal: str) -> None:
    assert required_literal(re.compile(pattern)) == literal


_PATTERNS = [
    "[Rr]eferral:",
    "ab{2}cd",
    "abc?d",
    "ab*?c",
    "(x|y)abcd",
    "[a]]x",
    "a.b",
    "x{",
    "a\\\\b",
    "^ab$",
    "a+b+",
    "(?:ab)?cd",
    "\\$ ?\\d",
    "x\\.?y",
    "(?:ab|cd)x",
    "(?:ab|cd)?x",
]


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="abcdxyzR]{\\. \n$", max_size=12), index=st.integers(min_value=0))
def test_required_literal_is_in_every_match(taxonomy: Taxonomy, text: str, index: int) -> None:
    patterns = [re.compile(p) for p in _PATTERNS]
    patterns += [p for rule in taxonomy.intents.values() for p in rule.patterns]
    patterns += list(taxonomy.client_patterns)
    pattern = patterns[index % len(patterns)]
    if pattern.search(text):
        assert required_literal(pattern) in text
        alternatives = required_alternatives(pattern)
        assert not alternatives or any(a in text for a in alternatives)
