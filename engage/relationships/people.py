"""The colleagues the therapist has talked with: listed warmest first, shown with their
exchanges, noted, and merged when one person has several handles.

Why: the point of every reply is a colleague who knows you; this is the list of them, and of
what is known about each from their own public posts (the matcher's specialties of the threads
they authored, the places those threads name), so the therapist sees who is local and who works
on what, without asking anyone anything.

Warmth (the order of `engage people`): every exchange either way counts 1 and every next step
taken off the screen (a note, a call, coffee, a consultation group) counts 3, each halved for
every HALF_LIFE of its age: someone you wrote with twice last week is warmer than someone you
wrote with five times last year.

One person, several handles: `merge` points the second person's row at the first
(`merged_into_id`); every listing folds merged rows into the person they now are.

Must not store anything about a client: a note is refused, and nothing stored, when the guard
finds client-identifying details in it. Must not print (the CLI does), nor create people (the
replies reader does, from what colleagues wrote in public).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from engage.errors import EngageError, NotFoundError, UsageError
from engage.models import Interaction, Match, Person, Thread, utcnow
from engage.types.relationships import (
    Handle,
    InteractionView,
    PersonView,
    StepTaken,
    parse_handle,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from engage.db import Database
    from engage.matching import Taxonomy
    from engage.matching.taxonomy import Place

#: An exchange (or a step) counts half as much for every HALF_LIFE of its age.
HALF_LIFE = timedelta(days=30)
EXCHANGE_WEIGHT = 1.0
STEP_WEIGHT = 3.0
#: Interactions of these kinds are next steps taken off the screen, not exchanges.
STEP_PREFIX = "met_"
#: How many interactions `engage people show` lists, newest first.
SHOWN_INTERACTIONS = 20
NOTE_MAX_CHARS = 2000


class ClientDetailsRefused(EngageError):
    """A note about a colleague that could identify a client: refused, nothing stored."""


# -- handles ------------------------------------------------------------------------------------


def find_person(session: Session, text: str) -> Person:
    """The person (their root row, merged rows followed) a typed handle names; NotFoundError
    when none, UsageError when it names people on several platforms."""
    from sqlalchemy import func, select

    platform, handle = parse_handle(text)
    if not handle:
        raise UsageError("give a colleague's handle: u/name, @name@host, name.bsky.social, "
                         "or platform:name")  # fmt: skip
    query = select(Person).where(func.lower(Person.handle) == handle.lower())
    if platform is not None:
        query = query.where(Person.platform == platform)
    rows = list(session.scalars(query.order_by(Person.id)))
    people = groups(session)
    root_of = {p.id: members[0] for members in people.values() for p in members}
    roots = {root_of[row.id].id: root_of[row.id] for row in rows}
    if not roots:
        raise NotFoundError(f"no colleague {text.strip()!r} is known to engage (see engage people)")
    if len(roots) > 1:
        options = ", ".join(f"{row.platform}:{row.handle}" for row in rows)
        raise UsageError(f"{text.strip()!r} names more than one colleague ({options}): "
                         "say which with platform:handle")  # fmt: skip
    return next(iter(roots.values()))


def groups(session: Session) -> dict[int, list[Person]]:
    """Every person by root id, the root row first, merged rows after it."""
    from sqlalchemy import select

    rows = {row.id: row for row in session.scalars(select(Person).order_by(Person.id))}

    def root(row: Person) -> int:
        seen = {row.id}
        while row.merged_into_id is not None and row.merged_into_id in rows:
            row = rows[row.merged_into_id]
            if row.id in seen:
                break
            seen.add(row.id)
        return row.id

    found: dict[int, list[Person]] = defaultdict(list)
    for row in rows.values():
        found[root(row)].append(row)
    return {
        rid: sorted(members, key=lambda p: (p.id != rid, p.id)) for rid, members in found.items()
    }


# -- what is known, and how warm -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Known:
    """What a person's own public threads say: the matcher's specialties, the places named."""

    specialties: tuple[str, ...] = ()
    places: tuple[Place, ...] = ()


def taxonomy() -> Taxonomy:
    """The matcher's taxonomy (places and specialties), read once per process."""
    from engage.matching import default_taxonomy

    return default_taxonomy()


def places_in(text: str, tax: Taxonomy | None = None) -> tuple[Place, ...]:
    """The places the taxonomy finds in a text (a profile's location, a colleague's post)."""
    if not text.strip():
        return ()
    tax = tax or taxonomy()
    found: dict[str, Place] = {}
    for hit in tax.lexicon.scan(text):
        for feature in hit.features:
            if feature.kind == "place":
                found.setdefault(feature.key, tax.places[feature.key])
    return tuple(found.values())


def known_from_posts(session: Session, people: dict[int, list[Person]]) -> dict[int, Known]:
    """For each root id, the specialties and places of the threads its handles authored."""
    from sqlalchemy import func, select

    owner = {(p.platform, p.handle.lower()): rid for rid, rows in people.items() for p in rows}
    if not owner:
        return {}
    authors = sorted({handle for _, handle in owner})
    specialties: dict[int, Counter[str]] = defaultdict(Counter)
    texts: dict[int, list[str]] = defaultdict(list)
    query = (
        select(Thread.platform, Thread.author, Thread.title, Thread.body, Match.specialties)
        .outerjoin(Match, Match.thread_id == Thread.id)
        .where(func.lower(Thread.author).in_(authors))
    )
    for platform, author, title, body, slugs in session.execute(query):
        rid = owner.get((platform, (author or "").lower()))
        if rid is None:
            continue
        specialties[rid].update(str(s) for s in slugs or [])
        texts[rid].append(f"{title}\n{body}")
    known = {}
    for rid in set(specialties) | set(texts):
        places = places_in("\n".join(texts[rid])) if texts[rid] else ()
        ordered = tuple(slug for slug, _ in specialties[rid].most_common())
        known[rid] = Known(ordered, places)
    return known


def warmth(interactions: Iterable[InteractionView], now: datetime) -> float:
    """Exchanges both ways (1 each) and steps off the screen (3 each), halved per HALF_LIFE."""
    total = 0.0
    for item in interactions:
        age = max(0.0, (now - item.at) / HALF_LIFE)
        total += (STEP_WEIGHT if item.is_step else EXCHANGE_WEIGHT) * 0.5**age
    return total


def interaction_views(
    session: Session, person_ids: Sequence[int]
) -> dict[int, list[InteractionView]]:
    """Every interaction of these person rows, newest first, by person row id."""
    from sqlalchemy import select

    found: dict[int, list[InteractionView]] = defaultdict(list)
    if not person_ids:
        return found
    query = (
        select(Interaction)
        .where(Interaction.person_id.in_(list(person_ids)))
        .order_by(Interaction.at.desc(), Interaction.id.desc())
    )
    for row in session.scalars(query):
        found[row.person_id].append(InteractionView(
            at=row.at, kind=row.kind, direction=row.direction, platform=row.platform,
            excerpt=row.excerpt, url=row.url, thread_id=row.thread_id,
        ))  # fmt: skip
    return found


def person_view(
    rows: list[Person], interactions: list[InteractionView], known: Known, now: datetime,
    *, with_interactions: bool = False,
) -> PersonView:  # fmt: skip
    """One person from their rows (root first) and all their handles' interactions."""
    root = rows[0]
    exchanges = [i for i in interactions if not i.is_step]
    steps = sorted((StepTaken(i.kind.removeprefix(STEP_PREFIX), i.at)
                    for i in interactions if i.is_step), key=lambda s: s.at)  # fmt: skip
    stored = [str(s) for row in rows for s in row.specialties or []]
    specialties = tuple(dict.fromkeys([*stored, *known.specialties]))
    contacts = [row.last_contact_at for row in rows if row.last_contact_at is not None]
    contacts += [i.at for i in interactions]
    return PersonView(
        id=root.id,
        handles=tuple(Handle(row.platform, row.handle) for row in rows),
        display_name=next((row.display_name for row in rows if row.display_name), None),
        is_clinician=next((row.is_clinician for row in rows if row.is_clinician is not None), None),
        location=next((row.location for row in rows if row.location), None),
        places=tuple(dict.fromkeys(place.name for place in known.places)),
        specialties=specialties,
        first_seen_at=min([row.first_seen_at for row in rows] + [i.at for i in interactions]),
        last_contact_at=max(contacts) if contacts else None,
        exchanges_in=sum(1 for i in exchanges if i.direction == "in"),
        exchanges_out=sum(1 for i in exchanges if i.direction == "out"),
        steps=tuple(steps),
        warmth=warmth(interactions, now),
        notes="\n".join(row.notes.strip() for row in rows if row.notes.strip()),
        interactions=tuple(interactions[:SHOWN_INTERACTIONS]) if with_interactions else (),
    )


@dataclass(frozen=True, slots=True)
class Colleague:
    """A person as the relationships steps reason about them: the view, the places found."""

    view: PersonView
    places: tuple[Place, ...]
    row_ids: tuple[int, ...]


def colleagues(
    session: Session, now: datetime, *, only: int | None = None, with_interactions: bool = False
) -> list[Colleague]:
    """Every person once (merged rows folded in), warmest first, then the most recent; `only`:
    just the person of that root id."""
    people = groups(session)
    if only is not None:
        people = {only: people[only]}
    by_row = interaction_views(session, [p.id for rows in people.values() for p in rows])
    known = known_from_posts(session, people)
    found = []
    for rid, rows in people.items():
        interactions = sorted((i for row in rows for i in by_row.get(row.id, [])),
                              key=lambda i: i.at, reverse=True)  # fmt: skip
        facts = known.get(rid, Known())
        view = person_view(rows, interactions, facts, now, with_interactions=with_interactions)
        found.append(Colleague(view, facts.places, tuple(p.id for p in rows)))
    found.sort(key=lambda c: (-c.view.warmth, -_timestamp(c.view.last_contact_at), c.view.id))
    return found


def _timestamp(moment: datetime | None) -> float:
    return moment.timestamp() if moment is not None else float("-inf")


# -- the steps behind `engage people` ------------------------------------------------------------


def list_people(db: Database, *, now: datetime | None = None) -> list[PersonView]:
    """Every colleague once, warmest first (see the module docstring for warmth)."""
    with db.read() as session:
        return [c.view for c in colleagues(session, now or utcnow())]


def show_person(db: Database, handle: str, *, now: datetime | None = None) -> PersonView:
    """One colleague with all their handles and their latest interactions."""
    now = now or utcnow()
    with db.read() as session:
        root = find_person(session, handle)
        return colleague(session, root.id, now, with_interactions=True).view


def colleague(session: Session, root_id: int, now: datetime, *, with_interactions: bool = False
              ) -> Colleague:  # fmt: skip
    """One person (by root id) as `colleagues` gives each."""
    return colleagues(session, now, only=root_id, with_interactions=with_interactions)[0]


def check_note(text: str) -> str:
    """The note, stripped; ClientDetailsRefused when the guard finds client-identifying details
    in it, UsageError when it is empty or too long."""
    from engage import guard
    from engage.types import GuardContext, GuardSlug

    note = text.strip()
    if not note:
        raise UsageError("the note is empty: write what the colleague said or does in public")
    if len(note) > NOTE_MAX_CHARS:
        raise UsageError(f"a note is at most {NOTE_MAX_CHARS} characters; this one has {len(note)}")
    found = [w for w in guard.check(note, GuardContext())
             if w.slug == GuardSlug.CLIENT_IDENTIFYING]  # fmt: skip
    if found:
        raise ClientDetailsRefused(
            f"refused, nothing stored: {found[0].message}. Notes hold what the colleague shares "
            "in public (their specialty, their town, what you talked about), never a client"
        )
    return note


def add_note(db: Database, handle: str, text: str, *, now: datetime | None = None) -> PersonView:
    """Append a dated note to a colleague, after the guard found nothing about a client in it."""
    now = now or utcnow()
    note = check_note(text)
    with db.write() as session:
        root = find_person(session, handle)
        line = f"{now:%Y-%m-%d}: {' '.join(note.split())}"
        root.notes = f"{root.notes.rstrip()}\n{line}".strip() if root.notes else line
        session.flush()
        return colleague(session, root.id, now).view


def merge_people(db: Database, handle: str, other: str, *, now: datetime | None = None
                 ) -> PersonView:  # fmt: skip
    """`other` is the same person as `handle`: its row (and any merged into it) now points at
    `handle`'s, and every listing shows them once with all their handles."""
    now = now or utcnow()
    with db.write() as session:
        first = find_person(session, handle)
        second = find_person(session, other)
        if first.id == second.id:
            raise UsageError(f"{handle!r} and {other!r} are already one person")
        from sqlalchemy import update

        session.execute(update(Person).where(Person.merged_into_id == second.id)
                        .values(merged_into_id=first.id)
                        .execution_options(synchronize_session=False))  # fmt: skip
        second.merged_into_id = first.id
        if second.last_contact_at and (
            first.last_contact_at is None or second.last_contact_at > first.last_contact_at
        ):
            first.last_contact_at = second.last_contact_at  # fmt: skip
        session.flush()
        session.expire_all()
        return colleague(session, first.id, now).view
