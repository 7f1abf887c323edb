"""individual_clinical_advice: diagnosing or prescribing for a specific person in public.

Psychoeducation, declining to diagnose, hedged possibilities ("you might have") and deferring
medication to the prescriber stay clean; so does a colleague's case in a clinicians' thread.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from engage.guard.text import finditer, sentences, warning
from engage.types import GuardSlug, GuardWarning

SLUG = GuardSlug.INDIVIDUAL_CLINICAL_ADVICE
_I = re.IGNORECASE

# Words that qualify a diagnosis without making it less of one: "textbook perinatal OCD",
# "untreated ADHD", "high-functioning autism".
_QUALIFIER = (
    r"(?:postpartum|perinatal|prenatal|untreated|undiagnosed|high[- ]functioning|severe|mild|"
    r"moderate|classic|textbook|full[- ]blown|raging|clinical|major|chronic|complex|covert|"
    r"overt|malignant|adult|childhood|treatment[- ]resistant|pure|situational|some)"
)
_DX = (
    rf"(?:{_QUALIFIER}\s+){{0,2}}"
    r"(?:(?:[a-z][\w-]+\s+){1,3}(?:disorder|syndrome)|"
    # an acronym with a subtype word: "harm OCD", "relationship OCD", "combat PTSD"
    r"(?:[a-z][\w-]*\s+)?(?-i:OCD|PTSD|ADHD|GAD|BPD|NPD|ASD|CPTSD|C-PTSD|PMDD|PPD)\b|BPD|borderline(?:\s+personality(?:\s+disorder)?)?|bipolar(?:\s+(?:I{1,2}|1|2|disorder))?|"
    r"ADHD|ADD|ODD|OCD|PTSD|C-?PTSD|complex\s+PTSD|GAD|PMDD|PPD|NPD|ASD|DID|autism|"
    r"(?:postpartum\s+|clinical\s+|major\s+)?depression|(?:generalized\s+|social\s+)?anxiety\s+disorder|"
    r"panic\s+disorder|schizo\w+|psychosis|(?:an\s+)?eating\s+disorder|anorexia|bulimia|"
    r"(?:\w+\s+)?personality\s+disorder|dissociative\s+\w+\s+disorder|attachment\s+disorder|"
    r"narcissistic\s+personality\s+disorder|sex\s+addiction|dysthymia|insomnia\s+disorder|"
    r"emotion(?:al)?\s+dysregulation|avoidant\s+attachment|anxious\s+attachment|ARFID|"
    r"(?:binge\s+eating|body\s+dysmorphic|hoarding|conduct|somatic\s+symptom|adjustment|"
    r"seasonal\s+affective|selective\s+mutism|tic)\s+disorder|body\s+dysmorphia|BDD|DMDD|"
    r"trichotillomania|Tourette'?s|agoraphobia|postpartum\s+psychosis|(?:narciss|sociopath|psychopath)(?:ism|y))"
)
_LABEL = (
    r"(?:a\s+|an\s+)?(?:\w+\s+)?(?:narcissist|sociopath|psychopath|(?:sex\s+|love\s+|porn\s+)?addict|"
    r"alcoholic|borderline|bipolar|autistic|psychotic|codependent|clinically\s+depressed|"
    r"narcissistic|covert\s+narcissist|manic|depressed|on\s+the\s+spectrum|"
    # attachment styles worn as a diagnosis: "a dismissive attacher", "anxiously attached"
    r"(?:anxious|avoidant|disorgani[sz]ed|fearful|dismissive)\s+attacher|"
    r"(?:anxiously|avoidantly|insecurely)\s+attached|fearful[- ]avoidant|dismissive[- ]avoidant)"
)
_SURE = (
    r"(?:(?:definitely|def|clearly|obviously|probably|totally|absolutely|actually|100%|so|really|"
    r"just)\s+)?"
)
_REL = (
    r"(?:husband|wife|partner|spouse|boyfriend|girlfriend|bf|gf|fianc[ée]e?|ex|son|daughter|kid|"
    r"child|toddler|teen|mom|mother|dad|father|parents?|sister|brother|boss|friend|roommate|"
    r"in-laws?|mother-in-law|MIL)"
)
_DRUG = (
    r"(?:SSRIs?|SNRIs?|Zoloft|sertraline|Prozac|fluoxetine|Lexapro|escitalopram|Celexa|citalopram|"
    r"Paxil|paroxetine|Wellbutrin|bupropion|Effexor|venlafaxine|Cymbalta|duloxetine|Pristiq|"
    r"lithium|Lamictal|lamotrigine|Abilify|aripiprazole|Seroquel|quetiapine|Zyprexa|olanzapine|"
    r"Risperdal|risperidone|Latuda|Adderall|Vyvanse|Ritalin|Concerta|methylphenidate|Strattera|"
    r"Xanax|alprazolam|Klonopin|clonazepam|Ativan|lorazepam|Valium|diazepam|benzos?|"
    r"trazodone|mirtazapine|Remeron|buspirone|Buspar|propranolol|hydroxyzine|gabapentin|"
    r"naltrexone|Zurzuvae|zuranolone|ketamine|Spravato|antidepressants?|anti-depressants?|"
    r"antipsychotics?|mood\s+stabili[sz]ers?|stimulants?)"
)
_RULES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            rf"\byou(?:'ve)?\s+{_SURE}(?:have|got|'ve got)\s+(?:a\s+|an\s+)?(?:full[- ]blown\s+|"
            rf"textbook\s+|classic\s+|severe\s+|mild\s+|raging\s+)?{_DX}\b"
            r"|\b(?:that'?s|that\s+is|this\s+is)\s+(?:exactly\s+|definitely\s+|clearly\s+)?what\s+you\s+have\b",
            _I,
        ),
        "Diagnoses the reader",
    ),
    (
        re.compile(
            r"\byou\s+(?:clearly|definitely|obviously|100%|absolutely)\s+(?:have|are|suffer)\b",
            _I,
        ),
        "Asserts the reader's condition",
    ),
    (
        re.compile(rf"\byou(?:'re|\s+are)\s+{_SURE}{_LABEL}\b", _I),
        "Labels the reader with a diagnosis",
    ),
    (
        re.compile(
            rf"\byour\s+{_REL}\s+(?:is|has|'s|was|had|sounds\s+like|definitely\s+has|clearly\s+has)\s+"
            rf"{_SURE}(?:(?:a\s+|an\s+)?(?:textbook|classic|total|full[- ]blown)\s+)?"
            rf"(?:{_DX}|{_LABEL})\b",
            _I,
        ),
        "Diagnoses a specific person in public",
    ),
    (
        re.compile(
            rf"\b(?:stop|quit|start|get\s+off|come\s+off|go\s+off|ditch|drop|switch\s+to|try|"
            rf"take|double|increase|up|taper|wean|lower|reduce|halve|cut\s+back\s+on|bump\s+up|"
            rf"go\s+up\s+on|get\s+on)\s+(?:off\s+)?(?:(?:taking|the|your|on|a|an|some|with)\s+){{0,2}}{_DRUG}\b"
            r"|\b(?:stop|quit|get\s+off|come\s+off|go\s+off|ditch|drop)\s+(?:taking\s+)?(?:the|your)\s+"
            r"(?:meds|medications?|pills)\b"
            rf"|\b(?:ask|push|pressure|get)\s+(?:your|a|the)\s+(?:doctor|doc|PCP|GP|psychiatrist|prescriber|"
            rf"OB|NP|provider)\s+(?:for|to\s+(?:prescribe|put\s+you\s+on|start\s+you\s+on))\s+"
            rf"(?:\w+\s+){{0,3}}?{_DRUG}\b",
            _I,
        ),
        "Prescribes or changes medication for someone",
    ),
    (
        re.compile(
            r"(?:\byou\s+(?:should|need\s+to|have\s+to|must)\s+|\bjust\s+|^|(?<=[.!?]\s)|"
            r"\b(?:honestly|seriously|so|and|then),?\s+)"
            r"(?:leave|divorce|dump|break\s+up\s+with)\s+(?:him|her|them)\b"
            r"|(?:\b(?:and|just|then|so|honestly)\s+|^|(?<=[^\w\s,]\s))go\s+no[- ]contact\b"
            # "I'd leave.", "Pack a bag and just get out."
            r"|\bI'?d\s+(?:leave|run|get\s+out)(?:\s+(?:him|her|them|now|asap))?\s*(?:[.!]|$)"
            r"|\b(?:and|just|then|so)\s+get\s+out(?:\s+(?:now|asap|while\s+you\s+can))?\s*(?:[.!]|$)"
            r"|\byou\s+need\s+(?:a\s+|an\s+)?(?:full\s+|intensive\s+|proper\s+)?(?:DBT|EMDR|ERP|CBT|IOP|PHP|"
            r"inpatient|rehab|residential)\b"
            r"|\b(?:quit|fire|leave|drop|ditch|stop\s+seeing)\s+(?:your|that)\s+(?:current\s+)?"
            r"(?:therapist|counsell?or|psychiatrist|prescriber|doctor)\b"
            r"|\bcut\s+(?:off\s+)?contact\s+with\b|\bcut\s+(?:him|her|them)\s+off\b"
            # "ask for DBT specifically and stop wasting time with talk therapy"
            r"|\byou\s+(?:should|need\s+to|have\s+to|must)\s+(?:ask\s+for|demand|insist\s+on|"
            r"push\s+for)\s+(?:\w+\s+)?(?:DBT|EMDR|ERP|CBT|IOP|PHP|TMS|ABA|ketamine|inpatient|rehab|"
            r"residential|meds|medication|an?\s+(?:SSRI|stimulant|mood\s+stabili[sz]er))\b"
            # "start EMDR today", "don't wait for the psychiatrist's evaluation"
            r"|\bstart\s+(?:\w+\s+)?(?:DBT|EMDR|ERP|CBT|ABA|TMS|exposures?|meds|medication)\s+"
            r"(?:now|today|tonight|tomorrow|asap|immediately|right\s+away)\b"
            r"|\b(?:don'?t|no\s+need\s+to)\s+(?:bother\s+)?wait(?:ing)?\s+(?:on|for)\s+(?:the|a|your)\s+"
            r"(?:[\w'’]+\s+)?(?:referral|evaluation|assessment|appointment|pediatrician|doctor|"
            r"psychiatrist)\b"
            r"|\bstop\s+(?:wasting\s+(?:your\s+)?(?:time|money)\s+(?:with|on)|going\s+to|doing)\s+"
            r"(?:\w+\s+){0,2}?(?:therapy|counsell?ing|sessions|treatment)\b",
            _I | re.MULTILINE,
        ),
        "Directs a specific person's treatment or life decision",
    ),
]
# "This is classic BPD", "sounds like he's a narcissist" or "30mg" aimed at a help-seeker is a
# diagnosis or a prescription; among clinicians it is ordinary case talk.
_HELP_SEEKER_ONLY = re.compile(
    rf"\b(?:sounds|seems|looks)\s+like\s+(?:you|he|she|they|your\s+{_REL})(?:'s|'re|\s+is|"
    rf"\s+are|\s+has|\s+have)\s+{_SURE}(?:(?:a\s+|an\s+)?(?:textbook|classic|total)\s+)?"
    rf"(?:{_DX}|{_LABEL})\b"
    rf"|\b(?:he|she)(?:'s|\s+is)\s+{_SURE}(?:a\s+|an\s+)?(?:textbook\s+|classic\s+|total\s+)?"
    rf"(?:covert\s+|overt\s+|malignant\s+)?(?:narcissist|sociopath|psychopath|borderline|bipolar)\b"
    rf"|\b(?:he|she)(?:\s+has|'s)\s+{_SURE}(?:got\s+)?(?:(?:a\s+|an\s+)?(?:textbook|classic)\s+)?"
    rf"{_DX}\b"
    rf"|\bwhat\s+you(?:'re|\s+are)\s+describing\s+(?:is|sounds\s+like)\s+{_SURE}{_DX}\b"
    rf"|\byou\s+(?:should|need\s+to)\s+(?:be|get|go)\s+on\s+(?:an?\s+|some\s+)?{_DRUG}\b"
    rf"|\b(?:this|that|it)(?:'s|\s+is)\s+(?:really\s+|so\s+|just\s+)*(?:classic|textbook|"
    rf"typical|definitely|clearly|obviously)\s+{_DX}\b|\b\d+\s?mg\b"
    rf"|\b(?:that|this)(?:'s|\s+is)\s+(?:honestly\s+|literally\s+)?{_DX},?\s+not\s+{_DX}\b"
    rf"|\b(?:would|will)\s+(?:be|get)\s+diagnosed\s+(?:as|with)\s+(?:a\s+|an\s+)?{_DX}\b"
    rf"|\b(?:meets?|fits?)\s+(?:all\s+)?(?:the\s+)?(?:DSM\s+)?criteria\s+for\s+{_DX}\b"
    # "that reads like classic PTSD": a verdict in the words of a possibility
    r"|\b(?:this|that|it|what\s+you(?:'re|\s+are)?\s+describ\w*|he|she|you)\s+(?:\w+\s+)?"
    r"(?:sounds|looks|seems|reads|is)\s+like\s+(?:a\s+|an\s+)?(?:textbook|classic|"
    rf"a\s+clear\s+case\s+of|a\s+classic\s+case\s+of|definite|full[- ]blown|straight[- ]up)\s+"
    rf"(?:case\s+of\s+)?(?:{_DX}|{_LABEL})\b"
    # a bare verdict: "That's ADHD, trust me." "It's just GAD!"
    rf"|\b(?:that|this|it)(?:'s|\s+is)\s+(?:just\s+|definitely\s+|absolutely\s+|clearly\s+)?"
    rf"(?:a\s+|an\s+)?{_DX}\s*(?:[.!,;:—–]|\s-\s|$)",
    _I | re.MULTILINE,
)
# A dose changed by pronoun once a medication is under discussion: "Lower it a bit",
# "that dosage is way too strong for you".
_ON_MEDICATION = re.compile(
    rf"\b{_DRUG}|\b(?:dose|dosage|meds|medications?|tablets?|pills?|capsules?|prescriber|"
    r"\d+\s?mg)\b",
    _I,
)
_DOSE = (
    r"(?:it|them|(?:the|your|that|a|each|one)\s+(?:\w+\s+)?(?:dose|dosage|tablets?|pills?|"
    r"capsules?|meds|medication))"
)
_DOSE_CHANGE = re.compile(
    rf"\b(?:halve|double|lower|raise|increase|decrease|reduce|skip|split)\s+{_DOSE}\b"
    rf"|\b(?:cut|split|break|snap)\s+{_DOSE}\s+(?:in\s+half|back|down)\b"
    r"|\b(?:take|pop)\s+(?:an\s+extra|half\s+(?:a|the|your)|two|double)\s+(?:\w+\s+)?"
    r"(?:dose|tablet|pill|capsule)s?\b"
    # keeping the prescriber out of it: "don't need to call your doctor"
    r"|\b(?:no\s+need\s+to|don'?t\s+(?:bother|need\s+to)|skip\s+(?:the|calling|asking))\s+"
    r"(?:bother(?:ing)?\s+|call(?:ing)?\s+|ask(?:ing)?\s+|check(?:ing)?\s+with\s+)?(?:your|the)\s+"
    r"(?:prescriber|doctor|doc|psychiatrist|GP|PCP|NP|pharmacist)\b"
    r"|\b(?:dose|dosage)\s+(?:is|'s)\s+(?:way\s+|much\s+|probably\s+)?too\s+(?:high|low|strong|weak)"
    r"\s+for\s+you\b",
    _I,
)
# "your psychiatrist might reduce it": the change is the prescriber's, which is the advice wanted.
_BY_PRESCRIBER = re.compile(
    r"\b(?:prescriber|doctor|doc|psychiatrist|GP|PCP|NP|provider|they)\s+(?:\w+\s+){0,2}$", _I
)
# A third person's condition asserted to the help-seeker: "your daughter's picky eating is
# ARFID", "ur dad def has NPD", "your sister ticks every box for borderline". The
# subject is "your <relative>", a verb asserts, and the object is a diagnosis or label.
_THIRD_PERSON_DX = re.compile(
    rf"\b(?:your|ur)\s+{_REL}\b(?:'s)?[^.!?;]{{0,40}}?\b(?:is|are|has|have|'s|was|checks|ticks|"
    r"meets|fits|shows|displays|exhibits|screams|presents\s+(?:as|with))\b[^.!?;]{0,40}?"
    rf"\b(?:{_DX}|{_LABEL})\b",
    _I,
)
# Sentence words that make such a statement a possibility, a process or a question, not a verdict.
_TENTATIVE = re.compile(
    r"\?|\b(?:might|may|could|possibly|perhaps|maybe|if|whether|can'?t|cannot|don'?t|doesn'?t|not|"
    r"no\s+one|nobody|only|evaluat\w*|assess\w*|diagnos\w*|screen\w*|test(?:ed|ing)?|"
    r"professional|pediatrician|doctor|psychiatrist|specialist|worth|consider\w*|rule\s+out|"
    r"sometimes|often|many|some|common(?:ly)?|traits?|like\s+(?:a|an)|can\s+look\s+like)\b",
    _I,
)


def check(text: str, professional: bool) -> list[GuardWarning]:
    """Warnings for public diagnoses and prescriptions aimed at a specific person."""
    return list(_check(text, professional))


def _check(text: str, professional: bool) -> Iterator[GuardWarning]:
    rules = list(_RULES)
    if not professional:
        rules.append((_HELP_SEEKER_ONLY, "Diagnoses or doses for the reader"))
    for pattern, why in rules:
        for m in finditer(pattern, text):
            if not _hedged(text, m.start()):
                yield warning(SLUG, m.start(), m.end(), text, why)
    if not professional and _ON_MEDICATION.search(text):
        for m in finditer(_DOSE_CHANGE, text):
            by_prescriber = _BY_PRESCRIBER.search(text[max(0, m.start() - 40) : m.start()])
            if not by_prescriber and not _hedged(text, m.start()):
                yield warning(SLUG, m.start(), m.end(), text, "Changes someone's medication dose")
    if not professional:
        for sent in sentences(text):
            verdict = _THIRD_PERSON_DX.search(sent.text)
            if verdict and not _TENTATIVE.search(sent.text):
                start, end = sent.start + verdict.start(), sent.start + verdict.end()
                yield warning(SLUG, start, end, text, "Diagnoses someone in the reader's life")


_HEDGE = re.compile(
    r"\b(?:might|may|could|possibly|whether|if|before|ask(?:ing)?\s+(?:your|the)\s+\w+\s+"
    r"(?:about|whether|if))\b[^.!?]{0,20}$",
    _I,
)


def _hedged(text: str, start: int) -> bool:
    return bool(_HEDGE.search(text[max(0, start - 30) : start]))
