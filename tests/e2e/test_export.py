"""`engage export DIR`: the therapist's records as files (CSV per table, or one JSON document)
that read back to the same counts, and never a secret."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from engage.app import make_engage
from engage.models import Engagement, Interaction
from tests.e2e.people_world import add_person, as_json, exchange, run, write_config

pytestmark = pytest.mark.usefixtures("app_database")

CANARY = "canary-smtp-password-7d1f"


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ENGAGE_SMTP_PASSWORD", CANARY)
    return write_config(tmp_path)


def seed(config: Path) -> dict[str, int]:
    dana = add_person(config, "reddit", "dana_r", name="Dana Ruiz")
    other = add_person(config, "mastodon", "dana@mastodon.social")
    sam = add_person(config, "bluesky", "sam.bsky.social")
    exchange(config, dana, "in")
    exchange(config, sam, "out", platform="bluesky")
    assert run(config, "people", "merge", "u/dana_r", "@dana@mastodon.social").exit_code == 0
    assert run(config, "people", "met", "u/dana_r", "--how", "call").exit_code == 0
    assert run(config, "people", "note", "u/dana_r", "Runs a consultation group").exit_code == 0
    for args in (["--source", "therapist", "--from", "u/dana_r"], ["--source", "website"]):
        assert run(config, "referrals", "add", *args).exit_code == 0
    engage = make_engage(config)
    with engage.db.write() as session:
        for via in ("api", "hand", "hand"):
            session.add(Engagement(platform="reddit", kind="reply", via=via,
                                   at=datetime.now(UTC)))  # fmt: skip
    engage.close()
    assert other != dana
    return {"engagements": 3, "people": 3, "interactions": 3, "referrals": 2}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_export_writes_one_csv_per_table_that_round_trips_the_counts(
    config: Path, tmp_path: Path
) -> None:
    counts = seed(config)
    out = tmp_path / "my-records"
    report = as_json(config, "export", str(out))
    assert report["counts"] == counts
    assert sorted(p.name for p in out.iterdir()) == [
        "engagements.csv", "interactions.csv", "people.csv", "referrals.csv"
    ]  # fmt: skip
    for table, n in counts.items():
        assert len(read_csv(out / f"{table}.csv")) == n, table
    people = {row["handle"]: row for row in read_csv(out / "people.csv")}
    assert people["dana@mastodon.social"]["person_id"] == people["dana_r"]["id"]
    referrals = read_csv(out / "referrals.csv")
    assert sorted(row["source"] for row in referrals) == ["therapist", "website"]
    assert [row["referrer"] for row in referrals if row["source"] == "therapist"] == ["u/dana_r"]


def test_export_as_json_is_one_document_that_round_trips_the_counts(
    config: Path, tmp_path: Path
) -> None:
    counts = seed(config)
    out = tmp_path / "json"
    result = run(config, "export", "--format", "json", str(out))
    assert result.exit_code == 0, result.output
    [path] = list(out.iterdir())
    document = json.loads(path.read_text(encoding="utf-8"))
    assert {table: len(document[table]) for table in counts} == counts
    assert len(as_json(config, "people")) == 2  # the merged person is one person
    assert {row["person_id"] for row in document["people"]} == {
        p["id"] for p in as_json(config, "people")
    }


def test_export_never_includes_a_secret(config: Path, tmp_path: Path) -> None:
    seed(config)
    for fmt in ("csv", "json"):
        out = tmp_path / fmt
        assert run(config, "export", "--format", fmt, str(out)).exit_code == 0
        for path in out.iterdir():
            assert CANARY not in path.read_text(encoding="utf-8")


def test_export_csv_cells_are_never_run_as_spreadsheet_formulas(
    config: Path, tmp_path: Path
) -> None:
    dana = add_person(config, "reddit", "dana_r")
    engage = make_engage(config)
    with engage.db.write() as session:
        session.add(Interaction(person_id=dana, kind="replied_to_me", direction="in",
                                platform="reddit", external_id="f1",
                                excerpt='=HYPERLINK("http://x.example","hi")'))  # fmt: skip
    engage.close()
    assert run(config, "export", str(tmp_path / "out")).exit_code == 0
    [row] = read_csv(tmp_path / "out" / "interactions.csv")
    assert row["excerpt"] == '\'=HYPERLINK("http://x.example","hi")'
