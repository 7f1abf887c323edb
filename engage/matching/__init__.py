"""Specialty matching: pure functions on text, no IO beyond reading the taxonomy file."""

from engage.matching.evaluate import evaluate, evaluate_file, metrics, persona_profile
from engage.matching.expr import Expression, parse
from engage.matching.scorer import Matcher, score
from engage.matching.taxonomy import (
    Taxonomy,
    default_taxonomy,
    default_taxonomy_path,
    load_taxonomy,
)
from engage.matching.why import why_sentence

__all__ = [
    "Expression",
    "Matcher",
    "Taxonomy",
    "default_taxonomy",
    "default_taxonomy_path",
    "evaluate",
    "evaluate_file",
    "load_taxonomy",
    "metrics",
    "parse",
    "persona_profile",
    "score",
    "why_sentence",
]
