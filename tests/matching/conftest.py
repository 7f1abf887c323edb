"""One compiled taxonomy and the eval personas for every matching test."""

from __future__ import annotations

from pathlib import Path

import pytest

from engage.matching import Matcher, Taxonomy, load_taxonomy
from engage.matching.evaluate import read_personas
from engage.types import Profile

EVAL_DIR = Path(__file__).resolve().parents[1] / "data" / "eval"


@pytest.fixture(scope="session")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


@pytest.fixture(scope="session")
def personas() -> dict[str, Profile]:
    return read_personas(EVAL_DIR / "personas.json")


@pytest.fixture(scope="session")
def matchers(taxonomy: Taxonomy, personas: dict[str, Profile]) -> dict[str, Matcher]:
    return {pid: Matcher(taxonomy, profile) for pid, profile in personas.items()}
