"""The therapist's own records as files they keep: engagements (what went out), people with
their handles, interactions both ways, and referrals (new clients by source), as one CSV file
per table or one JSON document, so their data is theirs and leaves with them.

CSV cells that a spreadsheet would run as a formula (text starting with = + - @ or a tab) are
written with a leading apostrophe: excerpts are other people's words.

Must not write anything but those files (nothing in the database changes), and must never
include a secret: nothing of the config, no tokens, no passwords; nor drafts that never went
out. Files are written whole (a temporary file renamed), so a failed export leaves no half file.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engage.errors import EngageError, UsageError
from engage.models import Engagement, Intake, Interaction, Person, Thread, utcnow
from engage.relationships.people import groups
from engage.types.relationships import ExportResult, Handle

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from engage.db import Database

FORMATS = ("csv", "json")
TABLES = ("engagements", "people", "interactions", "referrals")
JSON_FILE = "engage-export.json"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

COLUMNS: dict[str, tuple[str, ...]] = {
    "engagements": ("id", "at", "platform", "community", "kind", "move", "via", "url",
                    "external_id", "draft_id", "thread_id", "thread_title"),
    "people": ("id", "person_id", "platform", "handle", "label", "display_name", "is_clinician",
               "location", "specialties", "notes", "first_seen_at", "last_contact_at",
               "merged_into_id"),
    "interactions": ("id", "person_id", "person", "kind", "direction", "platform", "external_id",
                     "excerpt", "url", "at", "thread_id", "engagement_id"),
    "referrals": ("id", "received_on", "source", "referrer_id", "referrer", "created_at"),
}  # fmt: skip


def records(session: Session) -> dict[str, list[dict[str, Any]]]:
    """Every record of the four tables, oldest first, as plain values."""
    from sqlalchemy import select

    roots = {p.id: rid for rid, rows in groups(session).items() for p in rows}
    labels: dict[int, str] = {}
    people = []
    for person in session.scalars(select(Person).order_by(Person.id)):
        label = Handle(person.platform, person.handle).label
        labels[person.id] = label
        people.append({
            "id": person.id, "person_id": roots.get(person.id, person.id),
            "platform": person.platform, "handle": person.handle, "label": label,
            "display_name": person.display_name, "is_clinician": person.is_clinician,
            "location": person.location, "specialties": [str(s) for s in person.specialties or []],
            "notes": person.notes, "first_seen_at": person.first_seen_at,
            "last_contact_at": person.last_contact_at, "merged_into_id": person.merged_into_id,
        })  # fmt: skip
    engagements = [
        {"id": row.id, "at": row.at, "platform": row.platform, "community": row.community,
         "kind": row.kind, "move": row.move, "via": row.via, "url": row.url,
         "external_id": row.external_id, "draft_id": row.draft_id, "thread_id": row.thread_id,
         "thread_title": title}
        for row, title in session.execute(
            select(Engagement, Thread.title).outerjoin(Thread, Thread.id == Engagement.thread_id)
            .order_by(Engagement.at, Engagement.id))
    ]  # fmt: skip
    interactions = [
        {"id": row.id, "person_id": roots.get(row.person_id, row.person_id),
         "person": labels.get(row.person_id), "kind": row.kind, "direction": row.direction,
         "platform": row.platform, "external_id": row.external_id, "excerpt": row.excerpt,
         "url": row.url, "at": row.at, "thread_id": row.thread_id,
         "engagement_id": row.engagement_id}
        for row in session.scalars(select(Interaction).order_by(Interaction.at, Interaction.id))
    ]  # fmt: skip
    referrals = [
        {"id": row.id, "received_on": row.received_on, "source": row.channel,
         "referrer_id": row.referrer_id,
         "referrer": labels.get(row.referrer_id) if row.referrer_id else None,
         "created_at": row.created_at}
        for row in session.scalars(select(Intake).order_by(Intake.received_on, Intake.id))
    ]  # fmt: skip
    return {"engagements": engagements, "people": people, "interactions": interactions,
            "referrals": referrals}  # fmt: skip


def export_records(
    db: Database, directory: str | Path, *, format: str = "csv", now: datetime | None = None
) -> ExportResult:
    """Write the records into `directory` (made if missing; files of the same names replaced)."""
    if format not in FORMATS:
        raise UsageError(f"--format must be one of {', '.join(FORMATS)}")
    folder = Path(directory).expanduser()
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file: give a folder to write the export into")
    with db.read() as session:
        data = records(session)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if format == "json":
            document = {"format": "engage-export", "version": 1,
                        "exported_at": (now or utcnow()).isoformat(), **data}  # fmt: skip
            text = json.dumps(document, indent=2, ensure_ascii=False, default=_plain)
            files = [_write(folder / JSON_FILE, text + "\n")]
        else:
            files = [_write(folder / f"{table}.csv", to_csv(COLUMNS[table], data[table]))
                     for table in TABLES]  # fmt: skip
    except OSError as error:
        raise EngageError(f"could not write the export into {folder}: {error.strerror or error}"
                          ) from None  # fmt: skip
    counts = {table: len(data[table]) for table in TABLES}
    return ExportResult(str(folder), format, tuple(str(f) for f in files), counts)


def to_csv(columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: _cell(row.get(column)) for column in columns})
    return out.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    elif isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not exported")


def _write(path: Path, text: str) -> Path:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
