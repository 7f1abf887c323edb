"""Where new clients come from: one row per new client, by source only, and the count by month.

Why: the measure that matters is the share of new clients referred by other therapists (the
article's author: about a fifth, rising as her focus sharpened), and how many of those came from
colleagues met through engage (`--from HANDLE`).

Must not store anything about a client. There is no free-text field on purpose: the source is
one of SOURCES, the colleague is a handle engage already knows, the date is a date; anything
else (an extra word, a value outside those) is refused before anything is stored, and the
message names what is accepted without repeating what was typed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from engage.errors import EngageError, UsageError
from engage.models import Intake, Person
from engage.types.relationships import Handle, ReferralAdded, ReferralMonth

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from engage.db import Database

#: How a new client was referred: the only values `engage referrals add --source` takes.
SOURCES = (
    "therapist", "pastor", "physician", "directory", "website", "insurance", "word_of_mouth",
    "other",
)  # fmt: skip

ACCEPTED = (
    "engage referrals add records one new client by source only, never a name or a detail: "
    f"--source {'|'.join(SOURCES)}, optionally --from HANDLE (a colleague engage knows: see "
    "engage people) and --date YYYY-MM-DD"
)


class ReferralRefused(UsageError):
    """Something beyond a source, a known colleague and a date was given: nothing stored."""


def check_referral(
    source: str, extra: Sequence[str] = (), date_text: str | None = None,
    *, today: date,
) -> date:  # fmt: skip
    """The day the client came (today by default), once every value is one of those accepted;
    ReferralRefused otherwise, worded without repeating what was typed."""
    if extra:
        why = (", and they look like a client's name or detail" if _client_like(extra)
               else " beyond the accepted values")  # fmt: skip
        raise ReferralRefused(f"refused, nothing stored: extra words were given{why}. {ACCEPTED}")
    if source not in SOURCES:
        why = " (it looks like a client's name or detail)" if _client_like([source]) else ""
        raise ReferralRefused(f"refused, nothing stored: --source must be one of the accepted "
                              f"values{why}. {ACCEPTED}")  # fmt: skip
    if date_text is None or not date_text.strip():
        return today
    try:
        day = date.fromisoformat(date_text.strip())
    except ValueError:
        raise ReferralRefused(f"refused, nothing stored: --date must be a date like "
                              f"{today.isoformat()}. {ACCEPTED}") from None  # fmt: skip
    if day > today + timedelta(days=1):
        raise ReferralRefused("refused, nothing stored: --date is in the future")
    return day


def _client_like(values: Sequence[str]) -> bool:
    """Whether the guard reads client-identifying details in the values, or they look like a
    person's name (two capitalised words), as said of a client."""
    from engage import guard
    from engage.types import GuardContext, GuardSlug

    text = " ".join(values)
    as_said = f"My client {text} came in this week."
    warnings = guard.check(text, GuardContext()) + guard.check(as_said, GuardContext())
    if any(w.slug == GuardSlug.CLIENT_IDENTIFYING for w in warnings):
        return True
    words = text.split()
    return len(words) >= 2 and all(w[:1].isupper() for w in words[:2])


def add_referral(
    db: Database, source: str, *, extra: Sequence[str] = (), referrer: str | None = None,
    date_text: str | None = None, today: date | None = None,
) -> ReferralAdded:  # fmt: skip
    """Count one new client from `source` (and the colleague who referred, when known)."""
    from engage.models import utcnow
    from engage.relationships.people import find_person

    today = today or utcnow().date()
    day = check_referral(source, extra, date_text, today=today)
    with db.write() as session:
        person = None
        if referrer is not None:
            try:
                person = find_person(session, referrer)
            except EngageError:
                raise ReferralRefused(
                    "refused, nothing stored: --from must be the handle of a colleague engage "
                    f"knows (engage people lists them). {ACCEPTED}"
                ) from None
        row = Intake(received_on=day, channel=source, referrer_id=person.id if person else None)
        session.add(row)
        session.flush()
        label = Handle(person.platform, person.handle).label if person else None
        return ReferralAdded(row.id, day, source, label)


def referral_months(session: Session) -> list[ReferralMonth]:
    """New clients by month (oldest first) and source, and how many colleagues referred."""
    from sqlalchemy import select

    months: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(SOURCES, 0))
    colleagues: dict[str, int] = defaultdict(int)
    query = select(Intake.received_on, Intake.channel, Intake.referrer_id).order_by(
        Intake.received_on, Intake.id
    )
    for day, channel, referrer_id in session.execute(query):
        month = f"{day:%Y-%m}"
        counts = months[month]
        counts[channel] = counts.get(channel, 0) + 1
        colleagues[month] += referrer_id is not None
    return [
        ReferralMonth(month, {k: v for k, v in counts.items() if v}, colleagues[month])
        for month, counts in sorted(months.items())
    ]


def list_referrals(db: Database) -> list[ReferralMonth]:
    with db.read() as session:
        return referral_months(session)


def referrer_handles(session: Session) -> dict[int, str]:
    """The label of every person row (for exports and listings of intakes)."""
    from sqlalchemy import select

    return {
        pid: Handle(platform, handle).label
        for pid, platform, handle in session.execute(
            select(Person.id, Person.platform, Person.handle)
        )
    }
