"""The database tables (SQLAlchemy 2.0 typed ORM). Alembic migrations in engage/migrations
must match these; tests/test_migrations.py checks that they do.

Times are stored as UTC and always come back timezone-aware, on SQLite as on PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC, returns aware UTC; refuses naive input so no local time sneaks in."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use an aware UTC time")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime,
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class Source(Base):
    """A watched place. `checkpoint` is the source's own JSON; the schedule is `next_poll_at`."""

    __tablename__ = "sources"
    __table_args__ = (UniqueConstraint("kind", "target"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    target: Mapped[str] = mapped_column(String(2000))
    own: Mapped[bool] = mapped_column(Boolean, default=False)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    from_config: Mapped[bool] = mapped_column(Boolean, default=False)
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)
    checkpoint: Mapped[dict[str, Any] | None]
    poll_minutes: Mapped[float] = mapped_column(Float, default=15.0)
    next_poll_at: Mapped[datetime | None] = mapped_column(index=True)
    claimed_until: Mapped[datetime | None]
    last_poll_at: Mapped[datetime | None]
    last_ok_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None]
    failures: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Thread(Base):
    __tablename__ = "threads"
    __table_args__ = (
        UniqueConstraint("platform", "external_id"),
        Index("ix_threads_created_at", "created_at"),
        Index("ix_threads_first_seen_at", "first_seen_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(500))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))
    community: Mapped[str] = mapped_column(String(300), default="")
    author: Mapped[str | None] = mapped_column(String(300))
    title: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(2000), default="")
    link_url: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime]
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    num_comments: Mapped[int] = mapped_column(Integer, default=0)
    score: Mapped[int] = mapped_column(Integer, default=0)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    removed: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The crisis detector's answer for this text, read once (engage.crisis.detector.as_record)
    #: by the detector of `triage_version`; every profile's scoring reuses it.
    triage: Mapped[dict[str, Any] | None]
    triage_version: Mapped[str | None] = mapped_column(String(64))

    match: Mapped[Match | None] = relationship(back_populates="thread", uselist=False)


class Comment(Base):
    __tablename__ = "comments"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(500))
    parent_external_id: Mapped[str | None] = mapped_column(String(500))
    author: Mapped[str | None] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime]
    removed: Mapped[bool] = mapped_column(Boolean, default=False)
    mine: Mapped[bool] = mapped_column(Boolean, default=False)


class Match(Base):
    """The current score of a thread for the therapist's profile (re-scored when either changes)."""

    __tablename__ = "matches"
    __table_args__ = (Index("ix_matches_score", "score"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("threads.id", ondelete="CASCADE"), unique=True
    )
    score: Mapped[float] = mapped_column(Float)
    intent: Mapped[str] = mapped_column(String(40))
    specialties: Mapped[list[Any]] = mapped_column(default=list)
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    flags: Mapped[list[Any]] = mapped_column(default=list)
    crisis: Mapped[bool] = mapped_column(Boolean, default=False)
    client_side: Mapped[bool] = mapped_column(Boolean, default=False)
    profile_hash: Mapped[str] = mapped_column(String(64))
    scored_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    thread: Mapped[Thread] = relationship(back_populates="match")


class BlogPost(Base):
    """A post on the therapist's own blog; becomes a blog-share draft and article suggestions."""

    __tablename__ = "blog_posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    title: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None]
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class Draft(Base):
    """A reply or share waiting for, or past, human approval.

    Only engage.desk.states changes `status`; `approved_hash` covers the exact text and target
    that were approved, and `attempt_id` marks one publishing attempt for reconciliation.
    `publish_after` holds an approved draft back (a platform's rate limit, a refused connection,
    the minimum gap between posts); `published_via` is "api" or "hand".
    `auto_key` names what a draft queued by the drafting step answers ("thread:12",
    "blog_post:3"); it is unique, so two runs drafting at once can't queue one thing twice.
    """

    __tablename__ = "drafts"
    __table_args__ = (
        Index("ix_drafts_status_created_at", "status", "created_at"),
        Index("ix_drafts_auto_key", "auto_key", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    move: Mapped[str | None] = mapped_column(String(40))
    thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("threads.id", ondelete="SET NULL"), index=True
    )
    blog_post_id: Mapped[int | None] = mapped_column(
        ForeignKey("blog_posts.id", ondelete="SET NULL")
    )
    platform: Mapped[str] = mapped_column(String(20))
    target: Mapped[str] = mapped_column(String(2000), default="")
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    warnings: Mapped[list[Any]] = mapped_column(default=list)
    cites: Mapped[list[Any]] = mapped_column(default=list)
    approved_hash: Mapped[str | None] = mapped_column(String(64))
    approved_at: Mapped[datetime | None]
    approved_by: Mapped[str | None] = mapped_column(String(200))
    attempt_id: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(Text)
    published_ref: Mapped[str | None] = mapped_column(String(500))
    published_url: Mapped[str | None] = mapped_column(String(2000))
    published_at: Mapped[datetime | None]
    published_via: Mapped[str | None] = mapped_column(String(10))
    publish_after: Mapped[datetime | None]
    #: The person a note is to (a next step off the screen); replies have their thread.
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    auto_key: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class DraftEvent(Base):
    """Append-only audit log of every draft transition: who, when, from what to what, why."""

    __tablename__ = "draft_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Feedback(Base):
    """A rejection with a reason, kept as feedback: it ranks its kind of thread lower (the
    thread's intent and leading specialty at rejection, engage.feedback) until `undone_at`."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int | None] = mapped_column(
        ForeignKey("drafts.id", ondelete="SET NULL"), index=True
    )
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id", ondelete="SET NULL"))
    intent: Mapped[str] = mapped_column(String(40))
    specialty: Mapped[str | None] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    undone_at: Mapped[datetime | None]


class Person(Base):
    """A colleague met through engagement: never a client. Only what they wrote in public.

    One person may have several handles (one row per platform handle); `merged_into_id` points
    a merged row at the person it now is (`engage people merge`)."""

    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("platform", "handle"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    handle: Mapped[str] = mapped_column(String(300))
    display_name: Mapped[str | None] = mapped_column(String(300))
    is_clinician: Mapped[bool | None] = mapped_column(Boolean)
    location: Mapped[str | None] = mapped_column(String(300))
    specialties: Mapped[list[Any]] = mapped_column(default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_contact_at: Mapped[datetime | None]
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )


class Engagement(Base):
    """Something the therapist put out into a conversation: a published draft, by API or by
    hand. Written in the same transaction as the draft's move to published, so the log and the
    drafts can't disagree; `external_id` is the post's id on its platform (None when posted by
    hand without a URL)."""

    __tablename__ = "engagements"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int | None] = mapped_column(
        ForeignKey("drafts.id", ondelete="SET NULL"), unique=True
    )
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id", ondelete="SET NULL"))
    platform: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    move: Mapped[str | None] = mapped_column(String(40))
    community: Mapped[str] = mapped_column(String(300), default="")
    via: Mapped[str] = mapped_column(String(10), default="api")
    external_id: Mapped[str | None] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(2000))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Interaction(Base):
    """One contact with a person, either way: they replied to us or mentioned us (in), we
    replied to them (out), or a next step taken off the screen (met_note, met_call, met_coffee,
    met_group). `external_id` is the platform's id of their post, so one read twice is stored
    once."""

    __tablename__ = "interactions"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    engagement_id: Mapped[int | None] = mapped_column(
        ForeignKey("engagements.id", ondelete="SET NULL")
    )
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(40))
    direction: Mapped[str] = mapped_column(String(3), default="in")
    platform: Mapped[str] = mapped_column(String(20), default="")
    external_id: Mapped[str | None] = mapped_column(String(500))
    excerpt: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(String(2000))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    #: The draft written to answer it, if the therapist wanted one.
    answer_draft_id: Mapped[int | None] = mapped_column(
        ForeignKey("drafts.id", ondelete="SET NULL")
    )


class Intake(Base):
    """A new client counted by how they were referred. Deliberately no name, no client detail."""

    __tablename__ = "intakes"

    id: Mapped[int] = mapped_column(primary_key=True)
    received_on: Mapped[date] = mapped_column(Date, index=True)
    channel: Mapped[str] = mapped_column(String(40))
    referrer_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DigestRun(Base):
    """One digest per local date per recipient; the unique key is what makes that true."""

    __tablename__ = "digest_runs"
    __table_args__ = (UniqueConstraint("local_date", "recipient"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    local_date: Mapped[date] = mapped_column(Date)
    recipient: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    message_id: Mapped[str | None] = mapped_column(String(300))
    covered_until: Mapped[datetime | None]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)


class JobRun(Base):
    __tablename__ = "job_runs"
    __table_args__ = (Index("ix_job_runs_job_started_at", "job", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(20), server_default=text("'running'"))
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)
    error: Mapped[str | None] = mapped_column(Text)
