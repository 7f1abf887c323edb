"""Relationships: the colleagues the therapist meets through engagement, and what comes of it.
One module per job:

- people: colleagues listed warmest first, shown, noted (guard-checked), merged across handles
- next_steps: the step off the screen worth taking with a colleague (a note, a call, coffee, a
  consultation group), a note drafted for approval, a step recorded when taken
- referrals: new clients counted by source only (never a name or a detail), by month
- stats: what happened each ISO week, for `engage stats` and the digest
- export: the therapist's own records as files (CSV or JSON)
- replies: colleagues' replies read back from the platforms, listed, answered with a draft
- interactions: who becomes a person: a reply received stored once, our reply with the colleague
  it answers (never the therapist's own account, never anyone on a help-seeker's or crisis
  thread)

Nothing here publishes (publishing takes approved drafts from engage.desk.states), and nothing
here stores anything about a client.
"""

from __future__ import annotations

from engage.relationships.interactions import record_our_reply
from engage.relationships.replies import (
    draft_answer,
    list_replies,
    read_replies,
    recent_replies,
)

__all__ = [
    "draft_answer",
    "list_replies",
    "read_replies",
    "recent_replies",
    "record_our_reply",
]
