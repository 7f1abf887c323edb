"""Relationships: the colleagues the therapist meets through engagement, and what comes of it.
One module per job:

- people: colleagues listed warmest first, shown, noted (guard-checked), merged across handles
- next_steps: the step off the screen worth taking with a colleague (a note, a call, coffee, a
  consultation group), a note drafted for approval, a step recorded when taken
- referrals: new clients counted by source only (never a name or a detail), by month
- stats: what happened each ISO week, for `engage stats` and the digest
- export: the therapist's own records as files (CSV or JSON)
- replies: colleagues' replies read back from the platforms

Nothing here publishes (publishing takes approved drafts from engage.desk.states), and nothing
here stores anything about a client.
"""

from __future__ import annotations
