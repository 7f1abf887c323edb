"""`engage people`: colleagues listed once however many handles they have, noted (never about a
client), and the next step off the screen suggested, drafted and recorded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from engage.app import make_engage
from engage.models import Draft, Interaction
from tests.e2e.people_world import (
    add_person,
    as_json,
    authored_thread,
    exchange,
    run,
    write_config,
)

pytestmark = pytest.mark.usefixtures("app_database")

CLIENT_NOTE = "Her client Maria Lopez, 34, a teacher from Brea, is on my waitlist too"


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return write_config(tmp_path)


def test_people_merge_shows_one_person_with_both_handles(config: Path) -> None:
    dana = add_person(config, "reddit", "dana_r", name="Dana Ruiz")
    other = add_person(config, "mastodon", "dana@mastodon.social")
    exchange(config, dana, "in")
    exchange(config, other, "out", platform="mastodon")
    add_person(config, "bluesky", "sam.bsky.social")
    result = run(config, "people", "merge", "u/dana_r", "@dana@mastodon.social")
    assert result.exit_code == 0, result.output
    people = as_json(config, "people")
    assert len(people) == 2
    [merged] = [p for p in people if p["id"] == dana]
    labels = [h["label"] for h in merged["handles"]]
    assert labels == ["u/dana_r", "@dana@mastodon.social"]
    assert (merged["exchanges_in"], merged["exchanges_out"]) == (1, 1)
    assert as_json(config, "people", "show", "mastodon:dana@mastodon.social")["id"] == dana


def test_people_are_listed_warmest_first(config: Path) -> None:
    now = datetime.now(UTC)
    old = add_person(config, "reddit", "wrote_last_year")
    for days in (400, 401, 402, 403):
        exchange(config, old, "in", now - timedelta(days=days))
    recent = add_person(config, "reddit", "wrote_this_week")
    exchange(config, recent, "in", now - timedelta(days=2))
    exchange(config, recent, "out", now - timedelta(days=1))
    order = [p["handles"][0]["handle"] for p in as_json(config, "people")]
    assert order == ["wrote_this_week", "wrote_last_year"]


def test_a_note_naming_a_client_is_refused_and_not_stored(config: Path) -> None:
    add_person(config, "reddit", "dana_r")
    result = run(config, "people", "note", "u/dana_r", CLIENT_NOTE)
    assert result.exit_code == 1
    assert "refused, nothing stored" in result.output
    assert "never a client" in result.output
    assert as_json(config, "people", "show", "u/dana_r")["notes"] == ""


def test_a_note_about_the_colleague_is_kept_with_its_date(config: Path) -> None:
    add_person(config, "reddit", "dana_r")
    result = run(config, "people", "note", "u/dana_r", "Runs a betrayal trauma group in Brea")
    assert result.exit_code == 0, result.output
    notes = as_json(config, "people", "show", "u/dana_r")["notes"]
    assert notes.endswith(": Runs a betrayal trauma group in Brea")


def test_a_bare_name_on_two_platforms_asks_which_one(config: Path) -> None:
    add_person(config, "reddit", "dana")
    add_person(config, "linkedin", "dana")
    result = run(config, "people", "show", "dana")
    assert result.exit_code == 2
    assert "platform:handle" in result.output
    assert as_json(config, "people", "show", "linkedin:dana")["handles"][0]["platform"] == (
        "linkedin"
    )


def test_specialty_and_place_come_from_the_colleagues_own_threads(config: Path) -> None:
    add_person(config, "reddit", "dana_r")
    authored_thread(config, "dana_r", "CSAT in Fullerton: consult on a disclosure",
                    "I work with betrayal trauma.", ["sex_addiction"])  # fmt: skip
    shown = as_json(config, "people", "show", "u/dana_r")
    assert shown["specialties"] == ["sex_addiction"]
    assert "Fullerton" in shown["places"]


def test_the_next_step_is_suggested_after_the_threshold_and_not_before(config: Path) -> None:
    dana = add_person(config, "reddit", "dana_r")  # not local, no shared specialty known
    exchange(config, dana, "in")
    exchange(config, dana, "out")
    assert as_json(config, "people", "next") == []
    exchange(config, dana, "in")
    [step] = as_json(config, "people", "next")
    assert (step["who"], step["step"]) == ("u/dana_r", "note")
    assert step["command"] == "engage people note-draft u/dana_r"
    assert "3 exchanges (2 from them, 1 from you)" in step["why"]


def test_exchanges_one_way_only_are_not_enough_for_a_step(config: Path) -> None:
    dana = add_person(config, "reddit", "dana_r")
    for _ in range(4):
        exchange(config, dana, "in")
    assert as_json(config, "people", "next") == []


def test_a_local_colleague_sharing_a_specialty_is_suggested_without_exchanges(
    config: Path,
) -> None:
    add_person(config, "reddit", "dana_r")
    authored_thread(config, "dana_r", "CSAT in Fullerton: consult on a disclosure",
                    "I work with betrayal trauma.", ["sex_addiction"])  # fmt: skip
    [step] = as_json(config, "people", "next")
    assert (step["step"], step["local"], step["shared_specialties"]) == (
        "note", True, ["sex_addiction"]
    )  # fmt: skip


def test_recording_a_step_updates_the_person_and_the_stats(config: Path) -> None:
    dana = add_person(config, "reddit", "dana_r")
    for direction in ("in", "out", "in"):
        exchange(config, dana, direction)
    before = as_json(config, "stats", "--weeks", "1")["weeks"][-1]["next_steps"]
    result = run(config, "people", "met", "u/dana_r", "--how", "coffee")
    assert result.exit_code == 0, result.output
    shown = as_json(config, "people", "show", "u/dana_r")
    assert [s["how"] for s in shown["steps"]] == ["coffee"]
    assert datetime.fromisoformat(shown["last_contact_at"]) > datetime.now(UTC) - timedelta(
        minutes=5
    )
    assert shown["interactions"][0]["kind"] == "met_coffee"
    assert (shown["exchanges_in"], shown["exchanges_out"]) == (2, 1)  # a step is not an exchange
    assert as_json(config, "stats", "--weeks", "1")["weeks"][-1]["next_steps"] == before + 1
    assert as_json(config, "people", "next") == []  # not again for a while


def test_after_the_pause_the_ladder_suggests_the_next_kind_of_step(config: Path) -> None:
    dana = add_person(config, "reddit", "dana_r")
    long_ago = datetime.now(UTC) - timedelta(days=45)
    for direction in ("in", "out", "in"):
        exchange(config, dana, direction, long_ago)
    exchange(config, dana, "out", long_ago, kind="met_note")
    [step] = as_json(config, "people", "next")
    assert step["step"] == "call"  # not local: a call, not coffee


def test_note_draft_is_a_pending_draft_to_the_person_and_ends_the_suggestion(
    config: Path,
) -> None:
    dana = add_person(config, "reddit", "dana_r", name="Dana")
    for direction in ("in", "out", "in"):
        exchange(config, dana, direction)
    made = as_json(config, "people", "note-draft", "u/dana_r")
    assert made["text"].startswith("Hi Dana, ")
    assert "Would you be open to a short phone call" in made["text"]
    engage = make_engage(config)
    with engage.db.read() as session:
        draft = session.scalars(select(Draft)).one()
        assert (draft.kind, draft.status, draft.person_id, draft.platform) == (
            "note", "pending", dana, "reddit"
        )  # fmt: skip
    engage.close()
    assert as_json(config, "people", "next") == []
    again = run(config, "people", "note-draft", "u/dana_r")
    assert again.exit_code == 2
    assert "already a note" in again.output


def test_a_drafted_note_naming_a_client_cannot_be_approved(config: Path) -> None:
    add_person(config, "reddit", "dana_r")
    made = as_json(config, "people", "note-draft", "u/dana_r", "--text", CLIENT_NOTE)
    assert "client_identifying" in [w["slug"] for w in made["warnings"]]
    result = run(config, "drafts", "approve", str(made["draft_id"]))
    assert result.exit_code == 1
    assert "client_identifying" in result.output


def test_a_note_thanking_a_colleague_for_their_answer_is_read_as_to_a_colleague(
    config: Path,
) -> None:
    add_person(config, "reddit", "dana_r")
    thanks = "Thank you for your answer on disclosure pacing."
    made = as_json(config, "people", "note-draft", "u/dana_r", "--text", thanks)
    assert made["warnings"] == []


def test_a_step_for_someone_unknown_is_refused_and_nothing_is_recorded(config: Path) -> None:
    result = run(config, "people", "met", "u/nobody", "--how", "call")
    assert result.exit_code == 2
    assert "engage people" in result.output
    engage = make_engage(config)
    with engage.db.read() as session:
        assert session.scalars(select(Interaction)).all() == []
    engage.close()
