"""What the guard reads from the thread a draft answers: who the audience is, and whether someone
in it is disclosing suicidal thoughts, self-harm or abuse (matching's flags win when given)."""

from __future__ import annotations

import re

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


def professional_audience(ctx: GuardContext) -> bool:
    """True when the thread is among clinicians (peer talk), not help-seekers."""
    if ctx.client_side is not None:
        return not ctx.client_side
    return bool(_PROFESSIONAL_THREAD.search(ctx.thread))


_SELF_HARM = re.compile(
    r"\bsuicid\w*|\b(?:kill(?:ing|ed)?|hurt(?:ing)?|harm(?:ing)?|cut(?:ting)?|burn(?:ed|ing|t)?|"
    r"starv(?:e|ing))\s+(?:them|him|her|my|your)sel(?:f|ves)\b|\bself[- ]?(?:harm|injur)\w*"
    r"|\b(?:end|ending|ended|take|taking)\s+(?:it(?:\s+all)?|(?:my|their|his|her|your)\s+(?:own\s+)?life)\b"
    r"|\bwants?\s+to\s+die\b|\bwanting\s+to\s+die\b|\b(?:better\s+off|rather\s+be)\s+(?:if\s+\w+\s+(?:were|was)\s+)?dead\b"
    r"|\bno\s+(?:reason|point)\s+(?:to|in)\s+(?:living|live|being alive|stick(?:ing)?\s+around|"
    r"go(?:ing)?\s+on|carry(?:ing)?\s+on|be(?:ing)?\s+here)\b"
    r"|\b(?:everyone|everybody|the\s+world|(?:my|their|his|her)\s+(?:family|kids))\s+"
    r"(?:would\s+be|'d\s+be|will\s+be|is|are)\s+better\s+off\b"
    r"|\b(?:don'?t|doesn'?t|do not|does not)\s+want\s+to\s+(?:be alive|live|wake up|be here)\b"
    r"|\boverdos\w*|\bcutting\b|\bcut\s+(?:again|deeper)\b|\bplan\s+to\s+die\b"
    r"|\bbetter\s+(?:off\s+)?without\s+(?:me|them|him|her)\b"
    r"|\btook\s+(?:a\s+(?:handful|bunch|bottle|lot)\s+of|all\s+(?:my|their|the|his|her))\s+"
    r"(?:pills|meds|medications?|tablets)|\bswallow\w*\s+(?:a\s+)?(?:handful|bottle|pills)"
    r"|\bwish\w*\s+(?:they|I|he|she)\s+(?:could\s+)?(?:just\s+)?(?:disappear|die|not\s+exist|"
    r"(?:were|was)\s+dead|(?:wasn'?t|weren'?t)\s+(?:here|alive)|sleep\s+forever|(?:had\s+)?never\s+been\s+born)"
    r"|\bburden\s+(?:to|on)\s+(?:everyone|everybody|(?:my|their|his|her)\s+family)"
    r"|\bgiv(?:e|es|ing|en)\s+away\s+(?:all\s+)?(?:their|my|his|her)\s+(?:things|stuff|belongings|possessions)"
    r"|\b(?:goodbye|suicide)\s+(?:note|letter)|\bnot\s+(?:to\s+)?wake\s+up\b|\bdisappear\s+forever\b"
    r"|\bkms\b|\bunaliv\w*|\bhang(?:ing)?\s+(?:my|them|him|her)sel(?:f|ves)\b|\bjump\s+(?:off|in\s+front)\b"
    r"|\b(?:stockpil\w+|sav(?:ed|ing)\s+up)\s+(?:\w+\s+)?(?:pills|meds|medications?)\b",
    re.IGNORECASE,
)
_ABUSE = re.compile(
    r"\b(?:hits?|hitting|beats?|beating|beaten|beat\s+(?:me|them|her|him)|chok(?:e|es|ed|ing)|"
    r"strangl\w+|slap\w*|punch\w*|kick(?:s|ed|ing)?|shov\w+|abus(?:e|es|ed|ing|ive)|molest\w*|"
    r"rap(?:e|ed|ing)|sexually\s+assault\w*|assault(?:s|ed)|touch(?:es|ed)\s+\w+\s+inappropriately|touch(?:es|ed|ing)\s+(?:me|her|him|them)|"
    r"threaten\w*\s+to\s+kill|domestic\s+violence)\b",
    re.IGNORECASE,
)
_ACUTE = re.compile(
    r"\b(?:scared|afraid|terrified|unsafe|in danger|fear|tonight|last night|yesterday|today|"
    r"right now|still|again|keeps?|every time|whenever|when he|when she|won'?t let|hits|beats|"
    r"chokes|touches|shoves|slaps|punches|kicks|grabs|molests|abuses|threatens|is abusing|"
    r"are abusing|hurts)\b",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(
    r"\b(?:myself|my life|I\s+(?:want|wanna)\s+to\s+die|I'?m\s+(?:being|getting))\b"
)


def crisis_disclosed(ctx: GuardContext) -> bool:
    """Someone in the thread discloses suicidal thoughts, self-harm or ongoing abuse.

    Clinicians discussing suicide care are not a disclosure, unless the writer speaks of
    themselves ("myself", "my life").
    """
    if ctx.crisis is not None:
        return ctx.crisis
    thread = ctx.thread
    abuse = bool(_ABUSE.search(thread)) and bool(_ACUTE.search(thread))
    if not (_SELF_HARM.search(thread) or abuse):
        return False
    return not professional_audience(ctx) or bool(_FIRST_PERSON.search(thread))
