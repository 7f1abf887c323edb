"""Crisis triage is read once per text and detector version, stored with the thread, and
reused by every re-scoring: a profile change re-scores fast, an edit is read again."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from engage.config import Config, Settings
from engage.db import Database
from engage.match_rows import build_matcher, score_threads
from engage.models import Match, Thread

CALM = "Disclosure timing with a couple: how long do you wait after the first session?"
CRISIS = "I took all my pills an hour ago and I can't stop shaking. I don't want to be here."


def config(specialty: str) -> Config:
    settings = Settings.model_validate({"profile": {"specialties": {specialty: 1.0}}})
    return Config(settings, None, Path("."))


def stored(db: Database, body: str) -> int:
    with db.write() as session:
        thread = Thread(platform="reddit", external_id="t1", community="r/therapists",
                        title="A question", body=body, created_at=datetime.now(UTC))  # fmt: skip
        session.add(thread)
        session.flush()
        return thread.id


def score(db: Database, thread_id: int, specialty: str = "sex_addiction") -> Thread:
    with db.write() as session:
        score_threads(session, build_matcher(config(specialty)), [thread_id])
    with db.read() as session:
        return session.get_one(Thread, thread_id)


def test_a_scored_thread_keeps_its_triage(db: Database) -> None:
    thread = score(db, stored(db, CRISIS))
    assert thread.triage is not None and thread.triage["crisis"] is True
    assert thread.triage_version


def test_another_profile_reuses_the_stored_triage(db: Database) -> None:
    thread_id = stored(db, CRISIS)
    first = score(db, thread_id, "sex_addiction")
    again = score(db, thread_id, "perinatal")
    assert (again.triage, again.triage_version) == (first.triage, first.triage_version)
    with db.read() as session:
        assert session.scalar(select(Match.crisis).where(Match.thread_id == thread_id)) is True


def test_an_edited_thread_is_triaged_again(db: Database) -> None:
    thread_id = stored(db, CALM)
    assert score(db, thread_id).triage["crisis"] is False  # type: ignore[index]
    with db.write() as session:
        session.get_one(Thread, thread_id).body = CRISIS  # a crisis disclosed in an edit
    edited = score(db, thread_id)
    assert edited.triage is not None and edited.triage["crisis"] is True
    with db.read() as session:
        assert session.scalar(select(Match.crisis).where(Match.thread_id == thread_id)) is True
