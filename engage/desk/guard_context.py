"""What the guard knows about a draft besides its text, read from the database (the thread,
matching's verdicts, the therapist's own names and sites, the link allow-list, their recent
items), and the desk's own checks: unfilled [brackets] and invisible characters.

Every text a therapist may approve is checked here, when it is drafted and again on every edit.
Must not change a draft (engage.desk.states does) nor write anything.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from engage import guard, invisible
from engage.config import Config
from engage.guard.context import NOTE_TO_A_COLLEAGUE
from engage.models import Draft, Match, Thread
from engage.types import DraftKind, DraftStatus, GuardContext, GuardWarning

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

RECENT_ITEMS = 10


#: Crisis resources engage's own crisis replies link to; never "a link off the allow-list".
CRISIS_DOMAINS = ("988lifeline.org", "crisistextline.org", "findahelpline.com")


def own_domains(config: Config) -> tuple[str, ...]:
    website = config.settings.profile.website
    host = urlsplit(website).hostname if website else None
    return (host.removeprefix("www."),) if host else ()


def guard_context(
    session: Session, config: Config, thread: Thread | None, match: Match | None,
    exclude_draft: int | None = None, kind: str = "",
) -> GuardContext:  # fmt: skip
    """What the guard needs besides the text: the thread (for a note, who reads it), matching's
    flags, the therapist's own names and sites, the link allow-list and their last ten approved
    or published items."""
    from sqlalchemy import select

    settings = config.settings
    recent = session.scalars(
        select(Draft.text)
        .where(
            Draft.status.in_([DraftStatus.APPROVED, DraftStatus.PUBLISHING, DraftStatus.PUBLISHED]),
            Draft.id != (exclude_draft or 0),
        )
        .order_by(Draft.updated_at.desc())
        .limit(RECENT_ITEMS - 1)
    ).all()
    domains = own_domains(config)
    community = thread.community if thread else ""
    return GuardContext(
        thread=(
            f"{thread.community}: {thread.title}\n{thread.body}"
            if thread
            else NOTE_TO_A_COLLEAGUE
            if kind == DraftKind.NOTE
            else ""
        ),
        crisis=match.crisis if match else None,
        client_side=match.client_side if match else None,
        own_names=tuple(n for n in (settings.profile.name,) if n),
        own_domains=domains,
        allowed_domains=(*settings.publishing.link_allow_list, *domains, *CRISIS_DOMAINS),
        recent_items=tuple(recent),
        community_forbids_promotion=community in settings.publishing.no_self_promotion_in,
    )


def warnings_json(warnings: list[GuardWarning]) -> list[dict[str, Any]]:
    return [{**asdict(w), "slug": str(w.slug), "span": list(w.span)} for w in warnings]


def check_text(
    session: Session, config: Config, text: str, thread: Thread | None, match: Match | None,
    exclude_draft: int | None = None, platform: str = "", kind: str = "",
) -> list[dict[str, Any]]:  # fmt: skip
    """Everything the desk checks in a text before approval: the guard, unfilled brackets
    (not in an outline: it is never posted, its brackets are where the therapist's examples
    go when they write the article), invisible characters, and whether it fits where it goes
    (`platform`)."""
    context = guard_context(session, config, thread, match, exclude_draft, kind)
    marks = placeholder_warnings(text, brackets=kind != DraftKind.OUTLINE)
    found = warnings_json(guard.check(text, context)) + marks
    return found + length_warnings(text, platform)


def length_warnings(text: str, platform: str) -> list[dict[str, Any]]:
    """A text its platform would refuse for its length can't be approved: it is shortened."""
    from engage.platforms import PLATFORMS

    spec = next((p for p in PLATFORMS if p.name == platform), None)
    why = spec.too_long(text) if spec is not None and spec.too_long is not None else None
    if why is None:
        return []
    return [{"slug": "too_long", "blocking": True, "span": [0, len(text)],
             "message": f"{why}: shorten it before approving"}]  # fmt: skip


PLACEHOLDER = re.compile(r"\[[^\[\]\n]{2,200}\]")


#: Characters a reader can't see (engage.invisible): approved text must be exactly what the
#: therapist saw.
INVISIBLE = invisible.PATTERN


def placeholder_warnings(text: str, *, brackets: bool = True) -> list[dict[str, Any]]:
    """A [bracket] the drafter left for the therapist must be filled before anything is posted
    (`brackets` False: a text never posted), and nothing invisible may ride along with the text
    they approve."""
    found = [
        {"slug": "unfilled_placeholder", "blocking": True, "span": [m.start(), m.end()],
         "message": f"fill in or remove {m.group(0)} before approving"}
        for m in (PLACEHOLDER.finditer(text) if brackets else ())
    ]  # fmt: skip
    found += [
        {"slug": "invisible_characters", "blocking": True, "span": [m.start(), m.end()],
         "message": f"remove the invisible character U+{ord(m.group(0)):04X}"}
        for m in INVISIBLE.finditer(text)
    ]  # fmt: skip
    return found
