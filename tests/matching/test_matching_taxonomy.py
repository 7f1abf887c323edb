"""Loading the taxonomy file: the shipped one is complete, broken ones fail with the key named."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from engage.matching import Taxonomy, default_taxonomy_path, load_taxonomy

EVAL_SLUGS = {
    "sex_addiction",
    "couples",
    "adoption",
    "infertility",
    "perinatal",
    "trauma",
    "anxiety_ocd",
    "eating_disorders",
    "child_adolescent",
    "substance_use",
    "grief",
    "lgbtq",
    "faith_integration",
    "asian_american",
    "private_practice_business",
}


def shipped() -> dict[str, Any]:
    with default_taxonomy_path().open("rb") as f:
        return tomllib.load(f)


def test_shipped_taxonomy_covers_every_eval_slug(taxonomy: Taxonomy) -> None:
    assert set(taxonomy.specialties) == EVAL_SLUGS


def test_load_taxonomy_reads_an_explicit_path(tmp_path: Path) -> None:
    path = tmp_path / "specialties.toml"
    path.write_bytes(default_taxonomy_path().read_bytes())
    assert set(load_taxonomy(path).specialties) == EVAL_SLUGS


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("[specialties\n")
    with pytest.raises(ValueError, match="broken.toml"):
        load_taxonomy(path)


def test_phrase_that_cannot_match_is_rejected() -> None:
    data = shipped()
    data["specialties"]["grief"]["terms"].append("#grief")
    with pytest.raises(ValueError, match=r"specialties\.grief: phrase '#grief'"):
        Taxonomy(data)


def test_missing_terms_list_is_named() -> None:
    data = shipped()
    del data["specialties"]["grief"]["terms"]
    with pytest.raises(ValueError, match=r"specialties\.grief\.terms: missing"):
        Taxonomy(data)


def test_bad_intent_pattern_is_named() -> None:
    data = shipped()
    data["intents"]["spam"]["patterns"] = ["(unclosed"]
    with pytest.raises(ValueError, match=r"intents\.spam\.patterns: bad regex"):
        Taxonomy(data)


def test_region_of_unknown_state_is_rejected() -> None:
    data = shipped()
    data["geography"]["regions"]["southern_california"]["state"] = "XX"
    with pytest.raises(ValueError, match="unknown state 'XX'"):
        Taxonomy(data)
