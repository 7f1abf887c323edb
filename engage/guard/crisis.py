"""crisis_mishandled: a reply to someone disclosing suicidal thoughts, self-harm or abuse must
carry crisis resources and nothing that reads as networking or a sales pitch."""

from __future__ import annotations

import re

from engage.guard.text import warning
from engage.types import GuardSlug, GuardWarning

SLUG = GuardSlug.CRISIS_MISHANDLED

_RESOURCES = re.compile(
    r"\b988\b|\b741[- ]?741\b|\bcrisis\s+(?:text\s+)?(?:line|lifeline|hotline|center|centre|team|"
    r"services?|chat)\b|\b(?:hot|help|life|warm)line\b|\b911\b|\b999\b|\b112\b|\b000\b"
    r"|\bemergency\s+(?:room|department|services|help|care|line|number)\b|\bnearest\s+(?:ER|A&E)\b"
    r"|\bgo\s+to\s+(?:the\s+|an\s+)?(?:ER|A&E|hospital)\b|\b(?:the|an|nearest)\s+ER\b|\bA&E\b"
    r"|\b1[-.\s]?8(?:00|88|77|66|55|44|33)[-.\s]?\w{3}[-.\s]?\w{4}\b|\btext\s+[A-Z]{3,}\s+to\s+\d+"
    r"|\bRAINN\b|\bChildhelp\b|\bTrevor\s+Project\b|\bSamaritans\b|\bTrans\s+Lifeline\b|\b211\b"
    r"|\b(?:child|adult)\s+protective\s+services\b|\bCPS\b|\bAPS\b|\bcall\s+(?:the\s+)?police\b"
    r"|\b(?:domestic\s+violence|DV)\s+(?:hotline|shelter|advocate|program)\b|\bthehotline\.org\b"
    r"|\b988lifeline\.org\b|\bmobile\s+crisis\b|\bmandat(?:ed|ory)\s+report\w*|\bKids\s+Help\s+Phone\b",
    re.IGNORECASE,
)
_NETWORKING = re.compile(
    r"\b(?:connect\s+with\s+(?:other\s+)?(?:clinicians|therapists|colleagues)|stay\s+tuned|"
    r"follow\s+(?:me|along|my)|thanks\s+(?:so\s+much\s+)?for\s+(?:engaging|the\s+comment)|"
    r"great\s+question|subscribe|my\s+(?:practice|newsletter|podcast|course|webinar))\b",
    re.IGNORECASE,
)


def check(text: str, others: list[GuardWarning]) -> list[GuardWarning]:
    """Warnings for a crisis thread's draft; `others` are the draft's other warnings so far.

    Called only for threads where someone discloses a crisis. Missing resources flag the whole
    text; resources next to a pitch or networking flag the pitch.
    """
    if not _RESOURCES.search(text):
        why = (
            "Someone in the thread is in crisis and the reply gives no crisis resources "
            "(988, Crisis Text Line 741741, a hotline, 911/ER)"
        )
        return [warning(SLUG, 0, len(text), text, why)]
    pitches = [
        w.span
        for w in others
        if w.slug in (GuardSlug.SOLICITATION, GuardSlug.UNDISCLOSED_PROMOTION)
    ]
    pitches += [m.span() for m in _NETWORKING.finditer(text)]
    return [
        warning(SLUG, start, end, text, "Networking or a pitch in a reply to someone in crisis")
        for start, end in pitches
    ]
