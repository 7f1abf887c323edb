"""Next steps off the screen: when a colleague is worth a note, a call, coffee, or an
invitation to a consultation group, a note drafted for the therapist's approval, and the step
recorded once taken.

Why: replies online are "not as effective as meeting people face to face, but it's still
something"; the article's best channel was a monthly consultation group with two or three local
therapists, and one of its members started as a hand-written note from a stranger. So a
colleague becomes a suggestion when either
  - they have exchanged EXCHANGES_FOR_A_STEP replies with the therapist, at least one each way, or
  - they are local (a region of the therapist's location, or a state they practise or are
    licensed in, named by the colleague's own posts or stored location) and share a specialty of
    the therapist's profile (someone the therapist can refer to and be referred by),
and the step suggested climbs a ladder: a note first; after a note, coffee when they share a
region, else a call; after a call or coffee, an invitation to a consultation group ("Would you
like to start a consultation group with me?"); nothing after that. Once a step is taken (or a
note drafted), the colleague is not suggested again for STEP_PAUSE.

Must not send anything: a note is a draft like any other (guard-checked by engage.desk, approved
by the therapist, sent by them), and only engage.desk.states changes its status. Must not
suggest anyone known not to be a clinician.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from engage.errors import UsageError
from engage.models import Draft, Interaction, Thread, utcnow
from engage.relationships.people import (
    STEP_PREFIX,
    Colleague,
    colleague,
    colleagues,
    find_person,
    groups,
    places_in,
    taxonomy,
)
from engage.types import DraftKind, DraftStatus, Profile
from engage.types.relationships import Handle, NextStep, PersonView

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from engage.app import Engage
    from engage.db import Database
    from engage.matching import Taxonomy
    from engage.matching.taxonomy import Place

#: Replies exchanged (both ways together, at least one each way) before a step is suggested.
EXCHANGES_FOR_A_STEP = 3
#: After a step is taken, or a note drafted, the colleague is not suggested again for this long.
STEP_PAUSE = timedelta(days=30)
#: The steps, in the order the ladder climbs them (engage people met --how).
STEPS = ("note", "call", "coffee", "group")
#: Notes still on their way: while one is, no new step is suggested.
OPEN_NOTE = (DraftStatus.PENDING, DraftStatus.APPROVED, DraftStatus.PUBLISHING, DraftStatus.UNKNOWN)


def next_step_after(taken: Iterable[str], same_region: bool) -> str | None:
    """The ladder: note, then coffee (same region) or a call, then a consultation group."""
    done = set(taken)
    if "group" in done:
        return None
    if done & {"call", "coffee"}:
        return "group"
    if "note" in done:
        return "coffee" if same_region else "call"
    return "note"


def home_of(profile: Profile, tax: Taxonomy | None = None) -> tuple[frozenset[str], frozenset[str]]:
    """(states, regions) the therapist practises in: their location's places and licences."""
    tax = tax or taxonomy()
    places = places_in(profile.location, tax)
    by_name = {name.lower(): code for code, name in tax.state_names.items()}
    licensed = {
        code
        for entry in profile.licensed_in
        if (
            code := entry.upper()
            if entry.upper() in tax.state_names
            else by_name.get(entry.lower())
        )
    }
    return (
        frozenset({p.state for p in places} | licensed),
        frozenset(p.region for p in places if p.region),
    )


def locality(
    places: Iterable[Place], home: tuple[frozenset[str], frozenset[str]]
) -> tuple[bool, bool]:
    """(local, same region): a colleague's places against the therapist's states and regions."""
    states, regions = home
    mine = list(places)
    same_region = any(p.region and p.region in regions for p in mine)
    return same_region or any(p.state in states for p in mine), same_region


def next_steps(
    session: Session, profile: Profile, now: datetime | None = None,
    *, tax: Taxonomy | None = None,
) -> list[NextStep]:  # fmt: skip
    """The steps off the screen worth taking now, warmest colleague first (for the digest and
    `engage people next`); see the module docstring for who and which step."""
    now = now or utcnow()
    tax = tax or taxonomy()
    home = home_of(profile, tax)
    mine = {slug for slug, weight in profile.specialties.items() if weight > 0}
    paused = _recent_notes(session, now)
    found = []
    for person in colleagues(session, now):
        step = _suggestion(person, home, mine, paused, now, tax)
        if step is not None:
            found.append(step)
    return found


def suggested_steps(db: Database, profile: Profile, now: datetime | None = None) -> list[NextStep]:
    with db.read() as session:
        return next_steps(session, profile, now)


def _suggestion(
    person: Colleague, home: tuple[frozenset[str], frozenset[str]], mine: set[str],
    paused: set[int], now: datetime, tax: Taxonomy,
) -> NextStep | None:  # fmt: skip
    view = person.view
    if view.is_clinician is False or paused.intersection(person.row_ids):
        return None
    if view.steps and now - view.steps[-1].at < STEP_PAUSE:
        return None
    places = [*person.places, *places_in(view.location or "", tax)]
    local, same_region = locality(places, home)
    shared = tuple(slug for slug in view.specialties if slug in mine)
    talked = (view.exchanges >= EXCHANGES_FOR_A_STEP and view.exchanges_in >= 1
              and view.exchanges_out >= 1)  # fmt: skip
    if not (talked or (local and shared)):
        return None
    step = next_step_after((s.how for s in view.steps), same_region)
    if step is None:
        return None
    reasons = []
    if talked:
        reasons.append(f"{view.exchanges} exchanges ({view.exchanges_in} from them, "
                       f"{view.exchanges_out} from you)")  # fmt: skip
    if local:
        where = next((p.name for p in places if p.region in home[1] or p.state in home[0]), "")
        reasons.append(f"local ({where})" if where else "local")
    if shared:
        reasons.append("shares " + ", ".join(shared))
    if view.steps:
        reasons.append(f"last step: {view.steps[-1].how} on {view.steps[-1].at:%Y-%m-%d}")
    return NextStep(
        person_id=view.id, who=view.label, display_name=view.display_name,
        platform=view.handles[0].platform, step=step, why="; ".join(reasons),
        exchanges_in=view.exchanges_in, exchanges_out=view.exchanges_out, local=local,
        shared_specialties=shared, command=_command(view.label, step),
    )  # fmt: skip


def _command(label: str, step: str) -> str:
    who = f'"{label}"' if " " in label else label
    if step == "note":
        return f"engage people note-draft {who}"
    return f"engage people met {who} --how {step}"


def _recent_notes(session: Session, now: datetime) -> set[int]:
    """Person rows with a note on its way, or one drafted within STEP_PAUSE (even rejected)."""
    from sqlalchemy import or_, select

    query = select(Draft.person_id).where(
        Draft.kind == DraftKind.NOTE, Draft.person_id.is_not(None),
        or_(Draft.status.in_(list(OPEN_NOTE)), Draft.created_at > now - STEP_PAUSE),
    )  # fmt: skip
    return {int(pid) for pid in session.scalars(query) if pid is not None}


# -- a step taken --------------------------------------------------------------------------------


def record_step(db: Database, handle: str, how: str, *, now: datetime | None = None) -> PersonView:
    """The therapist took a step off the screen with a colleague: an outgoing interaction
    met_<how> and their last contact now. It shows in `engage people`, and in `engage stats`."""
    if how not in STEPS:
        raise UsageError(f"--how must be one of {', '.join(STEPS)}")
    now = now or utcnow()
    with db.write() as session:
        root = find_person(session, handle)
        session.add(Interaction(person_id=root.id, kind=f"{STEP_PREFIX}{how}", direction="out",
                                platform=root.platform, at=now))  # fmt: skip
        if root.last_contact_at is None or root.last_contact_at < now:
            root.last_contact_at = now
        session.flush()
        return colleague(session, root.id, now, with_interactions=True).view


# -- a note drafted ------------------------------------------------------------------------------

ASKS = {
    "call": "Would you be open to a short phone call sometime? I'd like to hear more about "
            "your work, and tell you a little about mine.",
    "coffee": "Would you like to meet for coffee sometime? I'd like to hear more about your "
              "work, and tell you a little about mine.",
    "group": "Would you like to start a consultation group with me? A few of us could meet "
             "monthly to talk through practice questions and cases.",
}  # fmt: skip


def note_text(
    profile: Profile, *, name: str, ask: str, topic: str | None, community: str | None
) -> str:
    """A short personal note: who the therapist is, what they talked about, one simple ask."""
    if ask not in ASKS:
        raise UsageError(f"--ask must be one of {', '.join(ASKS)}")
    about = f" about {topic}" if topic else ""
    where = f" in {community}" if community else ""
    opening = f"Hi {name}, I've appreciated our conversations{where}{about}."
    who = ", ".join(part for part in (profile.name, profile.credentials) if part)
    place = f"in private practice in {profile.location}" if profile.location else ""
    intro = f" I'm {', '.join(part for part in (who, place) if part)}." if who else ""
    return f"{opening}{intro} {ASKS[ask]}"


def write_to(handle: Handle) -> str:
    """Where the therapist can write to a colleague by hand (the note's target)."""
    if handle.platform == "reddit":
        return f"https://www.reddit.com/message/compose/?to={handle.handle}"
    if handle.platform == "mastodon" and "@" in handle.handle:
        name, _, host = handle.handle.partition("@")
        return f"https://{host}/@{name}"
    if handle.platform == "bluesky":
        return f"https://bsky.app/profile/{handle.handle}"
    return ""


def draft_note(
    engage: Engage, handle: str, *, ask: str | None = None, text: str | None = None,
    actor: str = "engage people note-draft", now: datetime | None = None,
) -> dict[str, Any]:  # fmt: skip
    """A note to a colleague, stored as a pending draft (kind note, person_id set, the person's
    platform) with the desk's guard warnings, for the therapist to approve and send by hand;
    then `engage people met HANDLE --how note`. `text` replaces the drafted words."""
    from engage.desk import add_draft

    now = now or utcnow()
    profile = engage.config.settings.profile.to_profile()
    with engage.db.write() as session:
        root = find_person(session, handle)
        rows = groups(session)[root.id]
        waiting = _open_note(session, [row.id for row in rows])
        if waiting is not None:
            raise UsageError(f"draft {waiting} is already a note to {handle.strip()} waiting to "
                             "go out: approve, edit or reject it (engage review)")  # fmt: skip
        found = colleague(session, root.id, now)
        view = found.view
        if ask is None:
            places = [*found.places, *places_in(view.location or "")]
            _, same_region = locality(places, home_of(profile))
            ask = "coffee" if same_region else "call"
        if text is None or not text.strip():
            name = view.display_name or root.handle
            topic, community = _topic(view, profile), _community(session, rows)
            text = note_text(profile, name=name, ask=ask, topic=topic, community=community)
        draft = add_draft(
            session, engage.config, text=text.strip(), kind=DraftKind.NOTE, move=None,
            platform=root.platform, target=write_to(Handle(root.platform, root.handle)),
            actor=actor,
        )  # fmt: skip
        draft.person_id = root.id
        session.flush()
        return {"draft_id": draft.id, "person_id": root.id, "who": view.label,
                "platform": root.platform, "target": draft.target, "text": draft.text,
                "warnings": draft.warnings}  # fmt: skip


def _open_note(session: Session, person_ids: list[int]) -> int | None:
    from sqlalchemy import select

    return session.scalar(
        select(Draft.id).where(Draft.kind == DraftKind.NOTE, Draft.person_id.in_(person_ids),
                               Draft.status.in_(list(OPEN_NOTE))).limit(1)
    )  # fmt: skip


def _topic(view: PersonView, profile: Profile) -> str | None:
    """The first specialty both share, named as the taxonomy names it (its first phrase)."""
    shared = [slug for slug in view.specialties if profile.specialties.get(slug, 0) > 0]
    if not shared:
        return None
    label = taxonomy().specialties.get(shared[0], shared[0].replace("_", " "))
    first = label.split(",")[0].strip()
    return first[:1].lower() + first[1:] if first[1:2].islower() else first


def _community(session: Session, rows: list[Any]) -> str | None:
    """Where the therapist and the colleague last talked: the newest interaction's community."""
    from sqlalchemy import select

    query = (
        select(Thread.community)
        .join(Interaction, Interaction.thread_id == Thread.id)
        .where(Interaction.person_id.in_([row.id for row in rows]), Thread.community != "")
        .order_by(Interaction.at.desc())
        .limit(1)
    )
    return session.scalar(query)
