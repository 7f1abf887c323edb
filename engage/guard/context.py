"""What the guard reads from the thread a draft answers: who the audience is, and whether someone
in it is in crisis (matching's flag OR the shared crisis detector; neither can switch the other
off)."""

from __future__ import annotations

import re

from engage import crisis
from engage.types import GuardContext


def resolve(context: GuardContext | str | None) -> GuardContext:
    """Accept the plain thread text the CLI passes as well as a full GuardContext."""
    if context is None:
        return GuardContext()
    if isinstance(context, str):
        return GuardContext(thread=context)
    return context


_PRO = (
    r"(?:therapists?|clinicians?|counsell?ors?|psychologists?|psychiatrists?|social workers?|"
    r"colleagues?|supervisors?|supervisees?|associates?|interns?|practitioners?|providers?|"
    r"MSWs?|LCSWs?|LPCs?|LMFTs?|MFTs?|CSATs?|professionals?|trainees?|practice owners?|"
    r"grads?|graduates?|researchers?|psychiatrist)"
)
_VERB = r"(?:asks?|asking|says|writes|posts|wonders|describes|shares|lists|is|has|wants|feels)"
_PROFESSIONAL_THREAD = re.compile(
    r"\br/(?:therapists|psychotherapy|MFT|socialwork|counseling|psychology|AskPsychiatry|"
    r"CounselingStudents|psychologists|privatepractice)\b"
    rf"|^(?:[^:]{{0,40}}:\s*)?(?:(?!{_VERB}\b)[\w'-]+[\s,]+){{0,5}}?{_PRO}\b(?!')"
    rf"|\b{_PRO}\s+(?:ask|share|discuss|debate|vent|compare|describe|trade|swap)"
    r"|\bcolleague'?s?\b|\bcase consult|\bconsultation group\b",
    re.IGNORECASE,
)


#: What a note to one colleague answers, for the guard: it has no thread, and its reader is a
#: clinician (read with no thread at all, a thank-you for "your answer on disclosure pacing"
#: looked like advice to a stranger).
NOTE_TO_A_COLLEAGUE = "A private note to a colleague, a clinician met in an online discussion."


def professional_audience(ctx: GuardContext) -> bool:
    """True when the thread is among clinicians (peer talk), not help-seekers.

    Matching's verdict can only make the audience lay (client_side), never professional on its
    own: peer talk relaxes the advice and solicitation checks, so the thread must show it."""
    if ctx.client_side:
        return False
    return bool(_PROFESSIONAL_THREAD.search(ctx.thread))


def crisis_disclosed(ctx: GuardContext) -> bool:
    """Someone in the thread discloses a crisis: the caller's flag OR the shared crisis detector.

    A `False` from the caller (matching) never switches the detector off: every consumer ORs.
    """
    return bool(ctx.crisis) or crisis.is_crisis(ctx.thread)
