"""`engage referrals`: new clients counted by source only. Anything that could be a client's
name or detail is refused before anything is stored, and the message says what is accepted."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.people_world import add_person, as_json, run, write_config

pytestmark = pytest.mark.usefixtures("app_database")


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return write_config(tmp_path)


CLIENT_LIKE = [
    pytest.param(["--source", "therapist", "Maria", "Lopez"], id="extra-words"),
    pytest.param(["--source", "therapist", "Maria Lopez, 34, teacher"], id="extra-detail"),
    pytest.param(["--source", "Maria Lopez"], id="name-as-source"),
    pytest.param(["--source", "therapist", "--name", "Maria Lopez"], id="unknown-option"),
    pytest.param(["--source", "therapist", "--date", "Maria, 34"], id="detail-as-date"),
    pytest.param(["--source", "therapist", "--from", "Maria Lopez"], id="name-as-referrer"),
]


@pytest.mark.parametrize("args", CLIENT_LIKE)
def test_referrals_add_with_client_like_free_text_is_refused_with_a_clear_error(
    config: Path, args: list[str]
) -> None:
    result = run(config, "referrals", "add", *args)
    assert result.exit_code == 2, result.output
    assert "refused, nothing stored" in result.output
    assert (
        "--source therapist|pastor|physician|directory|website|insurance|word_of_mouth|other"
        in (result.output)
    )
    assert "Maria" not in result.output  # never repeated back
    assert "Traceback" not in result.output
    assert as_json(config, "referrals") == []


def test_referrals_add_without_a_source_names_what_is_accepted(config: Path) -> None:
    result = run(config, "referrals", "add")
    assert result.exit_code == 2
    assert "--source therapist|pastor" in result.output
    assert as_json(config, "referrals") == []


def test_referrals_are_listed_by_month_and_source_with_those_from_colleagues(
    config: Path,
) -> None:
    add_person(config, "reddit", "dana_r")
    for args in (
        ["--source", "therapist", "--from", "u/dana_r", "--date", "2026-10-03"],
        ["--source", "therapist", "--date", "2026-10-20"],
        ["--source", "website", "--date", "2026-10-21"],
        ["--source", "word_of_mouth", "--date", "2026-11-02"],
    ):
        result = run(config, "referrals", "add", *args)
        assert result.exit_code == 0, result.output
    assert as_json(config, "referrals") == [
        {"month": "2026-10", "total": 3, "by_source": {"therapist": 2, "website": 1},
         "from_colleagues": 1},
        {"month": "2026-11", "total": 1, "by_source": {"word_of_mouth": 1},
         "from_colleagues": 0},
    ]  # fmt: skip


def test_a_referral_dated_in_the_future_is_refused(config: Path) -> None:
    result = run(config, "referrals", "add", "--source", "pastor", "--date", "2999-01-01")
    assert result.exit_code == 2
    assert as_json(config, "referrals") == []
