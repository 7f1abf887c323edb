"""crisis_mishandled: a reply to someone disclosing suicidal thoughts, self-harm or abuse must
carry crisis resources and nothing that reads as networking or a sales pitch."""

from __future__ import annotations

import re

from engage.guard.text import finditer, sentence_at, warning
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
    r"great\s+question|subscribe|my\s+(?:practice|newsletter|podcast|course|webinar)|"
    # an invitation to an event or to network: "we're hosting a free workshop", "let's network"
    r"(?:I'?d\s+love\s+to|let'?s)\s+(?:connect|chat|network)|"
    r"(?:join|check\s+out|come\s+to|sign\s+up\s+for|register\s+for)\s+(?:my|our|us|the|a|an)\s+"
    r"(?:\w+\s+){0,2}?(?:webinar|workshop|masterclass|class|event|group|retreat|challenge|"
    r"summit|live|program)|"
    r"(?:I'?m|we'?re|I|we)\s+(?:running|hosting|offering|leading|teaching)\s+(?:a|an|my|our)\s+"
    r"(?:\w+\s+){0,3}?(?:webinar|workshop|masterclass|class|event|group|retreat|challenge|summit|"
    r"program))\b",
    re.IGNORECASE,
)
# Answers that shrink the danger: abuse met with couples work or mediation, despair met with
# "every relationship has rough patches" or "cheer up".
_MINIMISING = re.compile(
    r"\b(?:couples?|marriage|marital|family)\s+(?:counsell?ing|therapy|therapist|counsell?or|"
    r"work|retreat)\b|\b(?:a\s+)?(?:neutral\s+)?mediat(?:or|ion)\b"
    r"|\bevery\s+(?:couple|marriage|relationship|family)\s+(?:has|hits|goes\s+through|fights)\b"
    r"|\b(?:just|only)\s+a\s+(?:phase|rough\s+patch|bad\s+(?:day|week)|rough\s+(?:day|week))\b"
    r"|\b(?:see|look\s+at)\s+it\s+from\s+(?:his|her|their)\s+(?:side|perspective|point\s+of\s+view)\b"
    r"|\byou'?re\s+(?:overreacting|being\s+dramatic)\b|\b(?:cheer|chin)\s+up\b"
    r"|\bbright\s+side\b|\btomorrow'?s?\s+(?:is\s+)?a\s+new\s+day\b"
    r"|\b(?:stay\s+out\s+of\s+his\s+way|avoid\s+(?:upsetting|provoking|triggering)\s+(?:him|her))\b",
    re.IGNORECASE,
)

# "Couples counselling isn't safe while there's violence": naming the wrong answer to warn.
_WARNS_AGAINST = re.compile(
    r"\b(?:not|isn'?t|aren'?t|never|unsafe|dangerous|risky|don'?t|avoid|instead\s+of|rather\s+than|"
    r"until|after\s+you'?re\s+safe|later)\b",
    re.IGNORECASE,
)


def check(text: str, others: list[GuardWarning]) -> list[GuardWarning]:
    """Warnings for a crisis thread's draft; `others` are the draft's other warnings so far.

    Called only for threads where someone discloses a crisis. Missing resources flag the whole
    text; resources next to a pitch, networking, or words that shrink the danger (couples work
    for abuse, "just a rough patch") flag those words.
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
    found = [
        warning(SLUG, start, end, text, "Networking or a pitch in a reply to someone in crisis")
        for start, end in pitches
    ]
    found += [
        warning(SLUG, m.start(), m.end(), text, "Minimises the danger of someone in crisis")
        for m in finditer(_MINIMISING, text)
        if not _WARNS_AGAINST.search(sentence_at(text, m.start()))
    ]
    return found
