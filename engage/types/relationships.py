"""The colleagues the therapist talks with, as the relationships steps return them (people,
next steps off the screen, where new clients come from, weekly statistics, an export of the
therapist's own records). Plain values: no IO, and never anything about a client: a referral
is a source and a date, nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from engage.types.flow import Platform

#: A platform's replies checkpoint row: sources.kind is the platform's name plus this suffix.
REPLIES_KIND_SUFFIX = "_replies"

PLATFORMS = frozenset(p.value for p in Platform)

# -- people, next steps, referrals, statistics, export (engage.relationships: people, next_steps,
# referrals, stats, export) ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Handle:
    """One of a person's accounts: `handle` as its platform writes it (no u/ or leading @)."""

    platform: str
    handle: str

    @property
    def label(self) -> str:
        """How a therapist would type it: u/name, @name@host, name.bsky.social, platform:name."""
        if self.platform == "reddit":
            return f"u/{self.handle}"
        if self.platform == "mastodon":
            return f"@{self.handle}"
        if self.platform == "bluesky":
            return self.handle
        return f"{self.platform}:{self.handle}"

    def as_dict(self) -> dict[str, Any]:
        return {"platform": self.platform, "handle": self.handle, "label": self.label}


def parse_handle(text: str) -> tuple[str | None, str]:
    """(platform or None when it can't be told, handle as stored) from what a therapist types:
    `u/name` (Reddit), `@name@host` (Mastodon), `name.bsky.social` (Bluesky), `platform:name`,
    or a bare name (any platform)."""
    value = text.strip()
    platform, sep, rest = value.partition(":")
    if sep and platform.lower() in PLATFORMS and rest.strip():
        handle = rest.strip()
        if platform.lower() == "reddit":
            handle = handle.removeprefix("/").removeprefix("u/")
        return platform.lower(), handle.removeprefix("@")
    lowered = value.lower()
    if lowered.startswith(("u/", "/u/")):
        return "reddit", value.lstrip("/")[2:]
    bare = value.removeprefix("@")
    if "@" in bare:
        return "mastodon", bare
    if "." in bare and " " not in bare:
        return "bluesky", bare
    return None, bare


@dataclass(frozen=True, slots=True)
class InteractionView:
    """One contact with a colleague: `direction` "in" (they wrote to the therapist) or "out";
    `kind` met_note/met_call/met_coffee/met_group for a next step taken off the screen."""

    at: datetime
    kind: str
    direction: str
    platform: str
    excerpt: str
    url: str | None
    thread_id: int | None

    @property
    def is_step(self) -> bool:
        return self.kind.startswith("met_")

    def as_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(), "kind": self.kind, "direction": self.direction,
            "platform": self.platform, "excerpt": self.excerpt, "url": self.url,
            "thread_id": self.thread_id,
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class StepTaken:
    """A next step off the screen the therapist recorded (engage people met)."""

    how: str
    at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {"how": self.how, "at": self.at.isoformat()}


@dataclass(frozen=True, slots=True)
class PersonView:
    """A colleague, once however many handles they have (merged rows folded into `id`).

    `specialties` and `places` are what is known from their own public posts (the matcher's
    specialties of the threads they authored, the places those threads name) plus anything
    stored on the person; `exchanges_in/out` count replies both ways (steps off the screen are
    `steps`); `warmth` is engage.relationships.people.warmth."""

    id: int
    handles: tuple[Handle, ...]
    display_name: str | None
    is_clinician: bool | None
    location: str | None
    places: tuple[str, ...]
    specialties: tuple[str, ...]
    first_seen_at: datetime
    last_contact_at: datetime | None
    exchanges_in: int
    exchanges_out: int
    steps: tuple[StepTaken, ...]
    warmth: float
    notes: str
    interactions: tuple[InteractionView, ...] = ()

    @property
    def label(self) -> str:
        return self.handles[0].label if self.handles else f"person {self.id}"

    @property
    def exchanges(self) -> int:
        return self.exchanges_in + self.exchanges_out

    def as_dict(self) -> dict[str, Any]:
        row: dict[str, Any] = {
            "id": self.id, "handles": [h.as_dict() for h in self.handles],
            "display_name": self.display_name, "is_clinician": self.is_clinician,
            "location": self.location, "places": list(self.places),
            "specialties": list(self.specialties), "first_seen_at": self.first_seen_at.isoformat(),
            "last_contact_at": _iso(self.last_contact_at), "exchanges_in": self.exchanges_in,
            "exchanges_out": self.exchanges_out, "steps": [s.as_dict() for s in self.steps],
            "warmth": round(self.warmth, 3), "notes": self.notes,
        }  # fmt: skip
        if self.interactions:
            row["interactions"] = [i.as_dict() for i in self.interactions]
        return row


@dataclass(frozen=True, slots=True)
class NextStep:
    """A step off the screen worth taking with one colleague now, and why: `step` is note, call,
    coffee or group (an invitation to a consultation group); `command` is what to run."""

    person_id: int
    who: str
    display_name: str | None
    platform: str
    step: str
    why: str
    exchanges_in: int
    exchanges_out: int
    local: bool
    shared_specialties: tuple[str, ...]
    command: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "person_id": self.person_id, "who": self.who, "display_name": self.display_name,
            "platform": self.platform, "step": self.step, "why": self.why,
            "exchanges_in": self.exchanges_in, "exchanges_out": self.exchanges_out,
            "local": self.local, "shared_specialties": list(self.shared_specialties),
            "command": self.command,
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class ReferralAdded:
    """One new client counted: the date and the source, the colleague who referred, if known."""

    id: int
    received_on: date
    source: str
    referrer: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "received_on": self.received_on.isoformat(),
                "source": self.source, "referrer": self.referrer}  # fmt: skip


@dataclass(frozen=True, slots=True)
class ReferralMonth:
    """New clients of one month by source; `from_colleagues`: referred by someone engage knows."""

    month: str
    by_source: dict[str, int]
    from_colleagues: int

    @property
    def total(self) -> int:
        return sum(self.by_source.values())

    def as_dict(self) -> dict[str, Any]:
        return {"month": self.month, "total": self.total, "by_source": dict(self.by_source),
                "from_colleagues": self.from_colleagues}  # fmt: skip


@dataclass(frozen=True, slots=True)
class WeekSpan:
    """One ISO week in the digest's timezone: `label` like 2026-W49, Monday to Sunday."""

    label: str
    start: date
    end: date


@dataclass(frozen=True, slots=True)
class StatRow:
    """One measure across the weeks shown; `ever` is whether it was ever non-zero (all time), so
    the digest can leave out what never happened."""

    key: str
    label: str
    values: tuple[int | float | None, ...]
    ever: bool


@dataclass(frozen=True, slots=True)
class WeeklyStats:
    """Rows of measures by ISO week, oldest week first (engage.relationships.stats)."""

    timezone: str
    weeks: tuple[WeekSpan, ...]
    rows: tuple[StatRow, ...]

    def row(self, key: str) -> StatRow:
        return next(row for row in self.rows if row.key == key)

    @property
    def shown_rows(self) -> tuple[StatRow, ...]:
        """The rows that were ever non-zero: what a summary shows."""
        return tuple(row for row in self.rows if row.ever)

    @property
    def ever_nonzero(self) -> tuple[str, ...]:
        return tuple(row.key for row in self.rows if row.ever)

    def as_dict(self) -> dict[str, Any]:
        """One record per week (oldest first) with every measure; new clients by source nested."""
        records = []
        for i, week in enumerate(self.weeks):
            record: dict[str, Any] = {"week": week.label, "start": week.start.isoformat(),
                                      "end": week.end.isoformat()}  # fmt: skip
            by_source: dict[str, Any] = {}
            for row in self.rows:
                if row.key.startswith("clients_"):
                    by_source[row.key.removeprefix("clients_")] = row.values[i]
                else:
                    record[row.key] = row.values[i]
            record["new_clients_by_source"] = by_source
            records.append(record)
        return {"timezone": self.timezone, "weeks": records,
                "ever_nonzero": list(self.ever_nonzero)}  # fmt: skip


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What `engage export` wrote: the files, and how many records of each kind."""

    directory: str
    format: str
    files: tuple[str, ...]
    counts: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"directory": self.directory, "format": self.format, "files": list(self.files),
                "counts": dict(self.counts)}  # fmt: skip


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


# -- replies back (engage.relationships.replies, engage/platforms/*/replies.py) ------------------


@dataclass(frozen=True, slots=True)
class IncomingReply:
    """A reply to the therapist, or a mention of them, as a platform's replies reader saw it.

    Only what its author wrote in public: `author` is their handle as the platform writes it (no
    u/ or leading @), `author_name` their display name when the platform has one. `external_id`
    is the platform's id of the reply (Reddit's base-36 id, a Mastodon status URI, a Bluesky
    at:// URI); `parent_external_id` what it answers, in the same spelling as
    `Engagement.external_id` (our comment, status or post) when known; `thread_external_id` the
    thread's id when known (as `Thread.external_id`). `kind` is "reply" or "mention"."""

    platform: str
    external_id: str
    author: str
    author_name: str | None
    text: str
    url: str | None
    created_at: datetime
    parent_external_id: str | None
    thread_external_id: str | None
    kind: str
    community: str = ""


@dataclass(frozen=True, slots=True)
class OwnPost:
    """One of the therapist's published replies, for a reader that can only look under each of
    them (Reddit without an account: the public feed of a comment and its replies)."""

    external_id: str
    thread_external_id: str
    community: str


@dataclass(frozen=True, slots=True)
class ReplyView:
    """A reply (or mention) received, as `engage replies` and the digest show it: who wrote, where,
    what (an excerpt), and which of the therapist's replies it answers (`answers_url`)."""

    id: int
    at: datetime
    platform: str
    kind: str
    who: Handle
    display_name: str | None
    person_id: int
    excerpt: str
    url: str | None
    community: str
    thread_id: int | None
    thread_title: str
    engagement_id: int | None
    answers_url: str | None
    answer_draft_id: int | None

    @property
    def name(self) -> str:
        """How the digest names them: their display name, else their handle."""
        return self.display_name or self.who.label

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "at": self.at.isoformat(), "platform": self.platform, "kind": self.kind,
            "who": self.who.as_dict(), "display_name": self.display_name,
            "person_id": self.person_id, "excerpt": self.excerpt, "url": self.url,
            "community": self.community, "thread_id": self.thread_id,
            "thread_title": self.thread_title, "engagement_id": self.engagement_id,
            "answers_url": self.answers_url, "answer_draft_id": self.answer_draft_id,
        }  # fmt: skip


@dataclass(slots=True)
class RepliesRead:
    """What reading one platform's replies did: how many the platform returned, how many were
    stored (new), how many were left out and why, or the error that stopped it (kept on its
    checkpoint row and tried again later)."""

    platform: str
    read: int = 0
    stored: int = 0
    already_known: int = 0
    own: int = 0
    help_seekers: int = 0
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"platform": self.platform, "read": self.read, "stored": self.stored,
                "already_known": self.already_known, "own": self.own,
                "help_seekers": self.help_seekers, "error": self.error}  # fmt: skip


@dataclass(slots=True)
class RepliesReport:
    """One run of the replies job: one entry per platform that was due and read."""

    platforms: list[RepliesRead] = field(default_factory=list)

    @property
    def stored(self) -> int:
        return sum(p.stored for p in self.platforms)

    def summary(self) -> str:
        return ", ".join(
            f"{p.platform}: " + (f"failed ({p.error})" if p.error else f"{p.stored} new")
            for p in self.platforms
        )

    def as_dict(self) -> dict[str, Any]:
        return {"stored": self.stored, "platforms": [p.as_dict() for p in self.platforms]}
