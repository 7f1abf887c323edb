"""`engage stats`: a month of activity, seeded through the models and the CLI, counted by ISO
week in the digest's timezone, and checked against counts made here independently."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from engage.app import make_engage
from engage.models import Draft, DraftEvent, Engagement, Interaction, Match, Person, Thread
from tests.e2e.people_world import TIMEZONE, as_json, run, write_config

pytestmark = pytest.mark.usefixtures("app_database")

ZONE = ZoneInfo(TIMEZONE)
WEEKS = 6


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return write_config(tmp_path)


def week(moment: datetime | date) -> str:
    day = moment.astimezone(ZONE).date() if isinstance(moment, datetime) else moment
    year, number, _ = day.isocalendar()
    return f"{year}-W{number:02d}"


def sunday_night(now: datetime) -> datetime:
    """Sunday 23:30 in Los Angeles a week or more ago: Monday in UTC, still Sunday's week."""
    local = now.astimezone(ZONE).date()
    sunday = local - timedelta(days=local.weekday() + 8)
    return datetime.combine(sunday, time(23, 30), ZONE).astimezone(UTC)


def seed_month(config: Path, now: datetime) -> Counter[tuple[str, str]]:
    """A month of activity; returns what each week should count, by (measure, week)."""
    expected: Counter[tuple[str, str]] = Counter()
    hours = [5, 30, 77, 150, 200, 260, 333, 420, 500, 610, 700]
    boundary = sunday_night(now)
    engage = make_engage(config)
    with engage.db.write() as session:
        # threads: above min_score (0.3) count; below it, a crisis or a client's post do not
        cases = [(0.9, False, False), (0.5, False, False), (0.2, False, False),
                 (0.8, True, False), (0.7, False, True), (0.31, False, False)]  # fmt: skip
        for n, at in enumerate([now - timedelta(hours=h) for h in hours] + [boundary]):
            score, crisis, client_side = cases[n % len(cases)]
            thread = Thread(platform="reddit", external_id=f"t{n}", community="r/therapists",
                            title=f"Thread {n}", url=f"https://www.reddit.com/t{n}/",
                            created_at=at, first_seen_at=at)  # fmt: skip
            session.add(thread)
            session.flush()
            session.add(
                Match(
                    thread_id=thread.id,
                    score=score,
                    intent="consult_question",
                    crisis=crisis,
                    client_side=client_side,
                    profile_hash="t",
                )
            )
            if score > 0.3 and not crisis and not client_side:
                expected["threads_surfaced", week(at)] += 1
        # drafts approved: pending -> approved counts once per draft and week; a publishing
        # draft held back (publishing -> approved) is not an approval
        for n, h in enumerate(hours[:6]):
            at = now - timedelta(hours=h)
            draft = Draft(kind="reply", platform="reddit", text=f"reply {n}", status="approved")
            session.add(draft)
            session.flush()
            session.add(DraftEvent(draft_id=draft.id, from_status="pending",
                                   to_status="approved", actor="t", at=at))  # fmt: skip
            expected["drafts_approved", week(at)] += 1
            if n == 0:  # edited and approved again the same hour: still one approval
                session.add(DraftEvent(draft_id=draft.id, from_status="pending",
                                       to_status="approved", actor="t", at=at))  # fmt: skip
            if n == 1:
                session.add(DraftEvent(draft_id=draft.id, from_status="publishing",
                                       to_status="approved", actor="worker", at=at))  # fmt: skip
        # engagements by API and by hand
        for n, h in enumerate(hours):
            at = now - timedelta(hours=h + 1)
            via = "hand" if n % 3 == 0 else "api"
            session.add(Engagement(platform="reddit", kind="reply", via=via, at=at))
            expected[f"published_{via}", week(at)] += 1
        # colleagues: first seen; a merged handle is not a new colleague
        people = []
        for n, h in enumerate(hours[::2]):
            at = now - timedelta(hours=h + 2)
            person = Person(platform="reddit", handle=f"colleague{n}", first_seen_at=at)
            session.add(person)
            session.flush()
            people.append(person)
            expected["new_colleagues", week(at)] += 1
        merged = Person(
            platform="mastodon",
            handle="colleague0@x.social",
            first_seen_at=now - timedelta(hours=3),
            merged_into_id=people[0].id,
        )
        session.add(merged)
        # interactions: replies in count as replies received, replies out do not; met_* are steps
        for n, h in enumerate(hours):
            at = now - timedelta(hours=h + 4)
            direction = "in" if n % 2 == 0 else "out"
            kind = "replied_to_me" if direction == "in" else "replied_to_them"
            session.add(Interaction(person_id=people[n % len(people)].id, kind=kind,
                                    direction=direction, platform="reddit",
                                    external_id=f"i{n}", at=at))  # fmt: skip
            if direction == "in":
                expected["replies_received", week(at)] += 1
        for h in hours[1:8:3]:
            at = now - timedelta(hours=h + 6)
            session.add(Interaction(person_id=people[0].id, kind="met_call", direction="out",
                                    platform="reddit", at=at))  # fmt: skip
            expected["next_steps", week(at)] += 1
    engage.close()
    # new clients, through the CLI: by the day they came (a local date)
    today = now.astimezone(ZONE).date()
    intakes = [
        (0, "therapist", True),
        (2, "therapist", False),
        (3, "website", False),
        (9, "therapist", True),
        (12, "pastor", False),
        (16, "directory", False),
        (23, "therapist", False),
        (27, "insurance", False),
        (27, "word_of_mouth", False),
    ]
    for days, source, from_colleague in intakes:
        day = today - timedelta(days=days)
        args = ["--source", source, "--date", day.isoformat()]
        if from_colleague:
            args += ["--from", "u/colleague0"]
        result = run(config, "referrals", "add", *args)
        assert result.exit_code == 0, result.output
        expected["new_clients", week(day)] += 1
        expected[f"clients_{source}", week(day)] += 1
        expected["from_colleagues", week(day)] += from_colleague
    return expected


def test_stats_json_over_a_seeded_month_matches_counts_made_independently(config: Path) -> None:
    now = datetime.now(UTC)
    expected = seed_month(config, now)
    report = as_json(config, "stats", "--weeks", str(WEEKS))
    assert report["timezone"] == TIMEZONE
    weeks = [row["week"] for row in report["weeks"]]
    assert len(weeks) == WEEKS and weeks[-1] == week(now)
    plain = ["threads_surfaced", "drafts_approved", "published_api", "published_hand",
             "replies_received", "new_colleagues", "next_steps", "new_clients",
             "from_colleagues"]  # fmt: skip
    for row in report["weeks"]:
        label = row["week"]
        for key in plain:
            assert row[key] == expected[key, label], (key, label)
        for source, n in row["new_clients_by_source"].items():
            assert n == expected[f"clients_{source}", label], (source, label)
        clients = expected["new_clients", label]
        share = round(expected["clients_therapist", label] / clients, 3) if clients else None
        assert row["therapist_share"] == share
    assert sum(expected[k] for k in expected if k[0] == "threads_surfaced" and k[1] in weeks) > 0


def test_the_boundary_sunday_night_counts_in_its_local_week(config: Path) -> None:
    now = datetime.now(UTC)
    boundary = sunday_night(now)
    assert boundary.astimezone(UTC).weekday() == 0  # Monday in UTC
    engage = make_engage(config)
    with engage.db.write() as session:
        session.add(Engagement(platform="reddit", kind="reply", via="api", at=boundary))
    engage.close()
    report = as_json(config, "stats", "--weeks", "3")
    counted = {row["week"]: row["published_api"] for row in report["weeks"]}
    assert counted[week(boundary)] == 1
    assert sum(counted.values()) == 1


def test_rows_never_non_zero_are_left_out_of_the_chart_and_named_in_json(config: Path) -> None:
    result = run(config, "referrals", "add", "--source", "therapist")
    assert result.exit_code == 0, result.output
    report = as_json(config, "stats")
    assert report["ever_nonzero"] == ["new_clients", "clients_therapist", "therapist_share"]
    chart = run(config, "stats")
    assert chart.exit_code == 0, chart.output
    assert "New clients" in chart.output and "100%" in chart.output
    assert "Threads surfaced" not in chart.output


def test_stats_with_nothing_yet_says_so(config: Path) -> None:
    result = run(config, "stats")
    assert result.exit_code == 0
    assert "nothing to chart yet" in result.output
    assert json.loads(run(config, "stats", "--json").output)["ever_nonzero"] == []
