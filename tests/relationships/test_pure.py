"""The pure parts of the relationships steps: handles as typed, the ladder of next steps, who is
local, the note's words, warmth, ISO weeks, the referral check, CSV cells."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from engage.errors import UsageError
from engage.relationships.export import to_csv
from engage.relationships.next_steps import home_of, locality, next_step_after, note_text
from engage.relationships.people import ClientDetailsRefused, check_note, parse_handle, warmth
from engage.relationships.referrals import ReferralRefused, check_referral
from engage.relationships.stats import week_spans
from engage.types import Profile
from engage.types.relationships import Handle, InteractionView

PROFILE = Profile(specialties={"sex_addiction": 1.0}, name="Grace Lee", credentials="LMFT",
                  location="Orange County, CA", licensed_in=("CA",))  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "parsed"),
    [
        ("u/dana_r", ("reddit", "dana_r")),
        ("/u/dana_r", ("reddit", "dana_r")),
        ("@dana@mastodon.social", ("mastodon", "dana@mastodon.social")),
        ("dana.bsky.social", ("bluesky", "dana.bsky.social")),
        ("@dana.bsky.social", ("bluesky", "dana.bsky.social")),
        ("linkedin:dana", ("linkedin", "dana")),
        ("reddit:u/dana_r", ("reddit", "dana_r")),
        ("dana", (None, "dana")),
    ],
)
def test_a_handle_is_read_as_a_therapist_types_it(
    typed: str, parsed: tuple[str | None, str]
) -> None:
    assert parse_handle(typed) == parsed


@pytest.mark.parametrize(
    "handle",
    [
        Handle("reddit", "dana_r"),
        Handle("mastodon", "d@x.social"),
        Handle("bluesky", "d.bsky.social"),
        Handle("linkedin", "d"),
    ],
)
def test_a_handles_label_reads_back_as_the_same_handle(handle: Handle) -> None:
    assert parse_handle(handle.label) == (handle.platform, handle.handle)


@pytest.mark.parametrize(
    ("taken", "same_region", "step"),
    [
        ((), False, "note"),
        (("note",), True, "coffee"),
        (("note",), False, "call"),
        (("note", "call"), False, "group"),
        (("coffee",), True, "group"),
        (("note", "coffee", "group"), True, None),
    ],
)
def test_the_ladder_of_steps_climbs_from_a_note_to_a_consultation_group(
    taken: tuple[str, ...], same_region: bool, step: str | None
) -> None:
    assert next_step_after(taken, same_region) == step


def test_a_colleague_in_the_same_region_is_local_and_in_the_same_region() -> None:
    from engage.relationships.people import places_in

    home = home_of(PROFILE)
    assert locality(places_in("a practice in Fullerton"), home) == (True, True)
    assert locality(places_in("a practice in Sacramento"), home) == (True, False)  # licensed: CA
    assert locality(places_in("a practice in Austin, Texas"), home) == (False, False)


def test_the_note_introduces_the_therapist_and_asks_one_simple_thing() -> None:
    text = note_text(PROFILE, name="Dana", ask="group", topic="betrayal trauma",
                     community="r/therapists")  # fmt: skip
    assert text == (
        "Hi Dana, I've appreciated our conversations in r/therapists about betrayal trauma. "
        "I'm Grace Lee, LMFT, in private practice in Orange County, CA. Would you like to start "
        "a consultation group with me? A few of us could meet monthly to talk through practice "
        "questions and cases."
    )


def test_warmth_halves_every_thirty_days_and_a_step_counts_three_exchanges() -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)

    def item(kind: str, days: int) -> InteractionView:
        return InteractionView(now - timedelta(days=days), kind, "out", "reddit", "", None, None)

    assert warmth([item("replied_to_them", 0)], now) == pytest.approx(1.0)
    assert warmth([item("replied_to_them", 30)], now) == pytest.approx(0.5)
    assert warmth([item("met_coffee", 0)], now) == pytest.approx(3.0)


def test_iso_weeks_cross_the_new_year_as_iso_numbers_them() -> None:
    spans = week_spans(date(2027, 1, 2), 2)  # a Saturday in ISO week 2026-W53
    assert [(s.label, s.start, s.end) for s in spans] == [
        ("2026-W52", date(2026, 12, 21), date(2026, 12, 27)),
        ("2026-W53", date(2026, 12, 28), date(2027, 1, 3)),
    ]


def test_a_note_with_a_clients_details_is_refused() -> None:
    with pytest.raises(ClientDetailsRefused):
        check_note("My client Maria Lopez, 34, a teacher, asked about her")
    assert check_note("  Runs a betrayal trauma group in Brea ") == (
        "Runs a betrayal trauma group in Brea"
    )


def test_an_empty_note_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        check_note("   ")


def test_a_referral_takes_a_source_a_date_and_nothing_else() -> None:
    today = date(2026, 12, 3)
    assert check_referral("therapist", (), None, today=today) == today
    assert check_referral("pastor", (), "2026-11-30", today=today) == date(2026, 11, 30)
    for source, extra, day in [("therapist", ("Maria",), None), ("Maria", (), None),
                               ("therapist", (), "last Tuesday")]:  # fmt: skip
        with pytest.raises(ReferralRefused):
            check_referral(source, extra, day, today=today)


def test_csv_cells_that_would_run_as_formulas_are_quoted() -> None:
    text = to_csv(["a", "b", "c"], [{"a": "=1+1", "b": "@SUM(A1)", "c": ["x", "y"]}])
    assert text.splitlines() == ["a,b,c", "'=1+1,'@SUM(A1),x; y"]
