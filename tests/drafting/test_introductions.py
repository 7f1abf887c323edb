"""The desk's monthly check on the credential line (engage.desk.writing.introduced_lately): a
community hears "I'm Grace Lee, an LMFT and CSAT in Southern California" at most once in 30
days, counted from replies the therapist approved or published there. On both engines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from engage.db import Database
from engage.desk.writing import introduced_lately
from engage.drafting.reading import intro
from engage.models import Draft, Thread
from engage.types import Profile

NOW = datetime.now(UTC)
GRACE = Profile(
    specialties={"sex_addiction": 1.0},
    name="Grace Lee",
    credentials="LMFT, CSAT",
    location="Southern California",
)
OFFER = f"This is close to my work. {intro(GRACE, named=True)}. I see couples after betrayal."


def _thread(db: Database, name: str, community: str) -> int:
    with db.write() as session:
        row = Thread(platform="reddit", external_id=name, community=community,
                     title=f"title of {name}", body="words", created_at=NOW,
                     first_seen_at=NOW)  # fmt: skip
        session.add(row)
        session.flush()
        return row.id


def _draft(db: Database, thread_id: int, text: str, status: str, approved: datetime) -> None:
    with db.write() as session:
        session.add(Draft(kind="reply", move="agree_example", thread_id=thread_id,
                          platform="reddit", text=text, status=status,
                          approved_at=approved))  # fmt: skip


def _introduced(db: Database, thread_id: int) -> bool:
    with db.read() as session:
        return introduced_lately(session, session.get_one(Thread, thread_id), GRACE, now=NOW)


def test_an_approved_introduction_in_the_community_this_month_counts(db: Database) -> None:
    earlier, now = _thread(db, "a", "r/MFT"), _thread(db, "b", "r/MFT")
    _draft(db, earlier, OFFER, "approved", NOW - timedelta(days=3))
    assert _introduced(db, now)


def test_an_introduction_elsewhere_older_or_only_pending_does_not(db: Database) -> None:
    other, old, pending, now = (
        _thread(db, name, community)
        for name, community in (
            ("a", "r/therapists"), ("b", "r/MFT"), ("c", "r/MFT"), ("d", "r/MFT"),
        )
    )  # fmt: skip
    _draft(db, other, OFFER, "published", NOW - timedelta(days=1))
    _draft(db, old, OFFER, "published", NOW - timedelta(days=45))
    _draft(db, pending, OFFER, "pending", NOW - timedelta(days=1))
    assert not _introduced(db, now)


def test_a_reply_without_the_credential_line_does_not_count(db: Database) -> None:
    earlier, now = _thread(db, "a", "r/MFT"), _thread(db, "b", "r/MFT")
    _draft(db, earlier, "Good one to raise. I pace disclosure slowly.", "published", NOW)
    assert not _introduced(db, now)
