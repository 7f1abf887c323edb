"""What the digest gathers from the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from engage.config import DigestSettings
from engage.db import Database
from engage.digest.build import build_digest
from engage.digest.render import render_digest
from engage.models import Match, Thread


def add(db: Database, title: str, specialties: list[str], **match: object) -> None:
    now = datetime.now(UTC)
    with db.write() as session:
        thread = Thread(platform="reddit", external_id=title, community="r/therapists",
                        title=title, created_at=now - timedelta(hours=1))  # fmt: skip
        session.add(thread)
        session.flush()
        session.add(Match(thread_id=thread.id, score=1.0, intent="consult_question",
                          specialties=specialties, profile_hash="t", **match))  # fmt: skip


def test_why_names_the_therapists_own_specialties_first_and_only(db: Database) -> None:
    add(db, "EFT after an affair", ["sex_addiction", "couples", "trauma"])
    with db.read() as session:
        data = build_digest(session, DigestSettings(), since=None, yours=("couples", "grief"))
    [(_, [thread])] = data.communities
    assert thread.specialties == ["couples"]


def test_crisis_and_client_side_threads_are_never_networking_opportunities(db: Database) -> None:
    add(db, "I can't go on", ["sex_addiction"], crisis=True)
    add(db, "Should I leave my husband?", ["couples"], client_side=True)
    add(db, "Disclosure timing", ["sex_addiction"])
    with db.read() as session:
        data = build_digest(session, DigestSettings(), since=None)
    worth = [t.title for _, threads in data.communities for t in threads]
    assert worth == ["Disclosure timing"]
    assert [t.title for t in data.crisis] == ["I can't go on"]


def test_every_crisis_thread_of_the_period_is_in_the_digest(db: Database) -> None:
    titles = [f"I can't do this anymore ({n})" for n in range(7)]
    for title in titles:
        add(db, title, [], crisis=True)
    with db.read() as session:
        data = build_digest(session, DigestSettings(), since=None)
    assert sorted(t.title for t in data.crisis) == sorted(titles)
    text = render_digest(data).text
    assert "SOMEONE MAY NEED CRISIS SUPPORT (7)" in text
    assert all(title in text for title in titles)


def test_an_old_thread_that_turned_into_a_crisis_in_the_period_is_in_the_digest(
    db: Database,
) -> None:
    add(db, "Disclosure timing", ["sex_addiction"], crisis=True)
    week_ago = datetime.now(UTC) - timedelta(days=7)
    with db.write() as session:
        thread = session.query(Thread).one()
        thread.first_seen_at = week_ago
        thread.updated_at = datetime.now(UTC)  # its text changed today: a crisis disclosed
    with db.read() as session:
        data = build_digest(session, DigestSettings(), since=datetime.now(UTC) - timedelta(days=1))
    assert [t.title for t in data.crisis] == ["Disclosure timing"]


def approve_one(db: Database, *, approved_hours_ago: float) -> None:
    from engage.models import Draft

    when = datetime.now(UTC) - timedelta(hours=approved_hours_ago)
    with db.write() as session:
        session.add(Draft(kind="reply", platform="reddit", target="t3_x", text="ok",
                          status="approved", approved_hash="h", approved_at=when))  # fmt: skip


def test_approved_replies_not_yet_out_are_waiting_for_the_therapist(db: Database) -> None:
    approve_one(db, approved_hours_ago=1)
    with db.read() as session:
        data = build_digest(session, DigestSettings(), since=None)
    assert (data.approved_waiting, data.approvals_expiring, data.quiet) == (1, 0, False)
    assert "1 approved reply not yet out" in render_digest(data).text


def test_an_approval_running_out_within_a_day_is_announced(db: Database) -> None:
    approve_one(db, approved_hours_ago=50)
    with db.read() as session:
        data = build_digest(session, DigestSettings(), since=None, approval_hours=72)
    assert data.approvals_expiring == 1
    assert "1 of them expires within a day" in render_digest(data).html
