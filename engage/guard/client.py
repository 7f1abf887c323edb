"""client_identifying: details that could identify a client or confirm someone is one.

    client_identifying = (a treatment relation) x (identifying details)

A treatment relation is structure, not the words client or patient: the therapist doing clinical
work to or with one person ("I counsel a deacon", "a woman I'm seeing", "helping X with her
grief"), that person doing something to the therapist ("has been seeing me", "told me last
session", "said I could share this"), a session slot ("my 4pm"), an event of treatment
("terminated with", "two years with a ..."), a member of the therapist's group, someone calling
the therapist's office about a person, or a message from one reposted. Identifying details are
kinds too: names (with initials, as a relative's name, as the person greeted), organisations
and places by their suffix or prefix (... Hospital, ... High, Fort ..., ... Lane, 4 West),
admission/discharge/birth dates, rare roles ("the only ... in ..."), a named local event,
handles, contact details; and weaker ones (an exact age, a job, a place after "in/from/at", a
date, an unnamed relative) that identify only together. Beside a relation, two points flag.

Some details identify on their own (record numbers, a client's e-mail or phone, confirming a
poster was a client: "when we met Monday you told me"). Explicit composites, studies, the
therapist's own life, colleagues, public figures, conferences and the poster's own stated
location carry no relation (or are discounted) and stay clean.

Longer than a module should be: it is one rule, a relation times its details, and the tables of
relations and of detail kinds are read together whenever either changes. It must not do IO or
read anything but the draft and its thread.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from engage.guard.text import (
    EMAIL,
    Sentence,
    contact_owner,
    negated,
    phones,
    sentences,
    warning,
    without_quotes,
    words,
)
from engage.types import GuardSlug, GuardWarning

SLUG = GuardSlug.CLIENT_IDENTIFYING
_I = re.IGNORECASE


def _any(*alternatives: str) -> str:
    return "(?:" + "|".join(alternatives) + ")"


# ---------------------------------------------------------------------------------------------
# Vocabulary: kinds of words, each a closed class of English (not lifted from any post).

# Words that look like names at the start of a clause but are not.
_NOT_NAMES = words(
    """I I'm I've I'd I'll A An The This That These Those It It's Its He She They We You Your My Our
    His Her Their Yes Yeah Yep No Nope So Also And But Or Well Sure Agreed Totally Absolutely Thanks
    Thank Okay OK Ok Now Then Again Plus Still Anyway However Otherwise Sometimes Often Usually
    Ugh Omg Wow Oh Hey Hi Hello Same Honestly Seriously Literally Basically Anyway Lol Haha Update
    Edit Note PS Today Yesterday Tomorrow Tonight Monday Tuesday Wednesday Thursday Friday Saturday
    Sunday January February March April May June July August September October November December
    In On At For With When If Who What Why How Because After Before During Just Even Both Every
    Each Some Any Most Many One Two Therapist Therapy Client Clients Couples Mom Dad Christian
    Jewish Muslim Catholic God Reddit Google LinkedIn Facebook Instagram Zoom Medicaid Medicare
    Aetna Cigna Optum Dr Mr Mrs Ms Mx Miss Prof Saint St Group Session Week Consult Case Clinician
    Clinicians Therapists Counselor Counselors Folks Everyone Anyone Someone Nobody Here There
    Congrats Congratulations Dear Love Please Sorry Not Never Maybe Really Very Good Great Happy
    Proud Real Big Small New Old First Last Next Second Third Our Mine Ours Yours Hers Theirs"""
)
_NAME = r"(?-i:[A-ZÀ-Þ][a-zß-ÿ]+(?:-[A-ZÀ-Þ][a-zß-ÿ]+)?)"
# A capitalised word of an organisation's or a place's name ("St.", "O'Hare", "Al-Noor", "4th").
_CAP = r"(?-i:[A-Z][\w&'’.-]*|\d+(?:st|nd|rd|th))"

# People: what a client can be called besides client or patient.
_RELATIVE = (
    r"(?:husband|wife|partner|spouse|boyfriend|girlfriend|fianc[ée]e?|ex-?(?:husband|wife)|son|"
    r"daughter|stepson|stepdaughter|kid|child|mom|mother|dad|father|stepmom|stepdad|parents?|"
    r"sister|brother|sibling|twin|aunt|uncle|cousin|niece|nephew|grandma|grandmother|grandpa|"
    r"grandfather|grandson|granddaughter|mother-in-law|father-in-law|in-laws?|baby|toddler|"
    r"teenager|fiancée)"
)
_JOB = (
    r"(?:firefighter|teacher|nurse|pilot|pastor|priest|rabbi|imam|minister|chaplain|captain|"
    r"dentist|engineer|VP|vice\s+president|CEO|CFO|CTO|founder|lawyer|attorney|judge|surgeon|"
    r"physician|doctor|cop|police\s+officer|officer|detective|deputy|sheriff|soldier|marine|"
    r"sergeant|staff\s+sergeant|lieutenant|colonel|corporal|airman|sailor|"
    r"professor|principal|coach|quarterback|athlete|actor|actress|musician|singer|anchor|reporter|"
    r"journalist|mayor|council\s?(?:member|woman|man)|senator|legislator|executive|director|"
    r"paralegal|accountant|banker|chef|bartender|flight\s+attendant|realtor|contractor|electrician|"
    r"plumber|mechanic|trucker|dancer|influencer|pharmacist|paramedic|EMT|dispatcher|architect|"
    r"scientist|librarian|manager|resident|vet|veterinarian|rancher|farmer|fisherman|barista|"
    r"nanny|midwife|doula|coroner|mortician|funeral\s+director|developer|programmer|analyst|"
    r"designer|consultant|paratrooper|trooper|ranger|medic|corpsman|deacon|elder|orthodontist|"
    r"optometrist|operator|driver|clerk|cashier|welder|machinist|lineman|miner|SEAL|commissioner|"
    r"supervisor|alderman|trustee|superintendent|falconer|beekeeper|sommelier|jockey|astronaut|"
    r"diplomat|ambassador|bishop|monk|nun|cantor|missionary|coroner|sheriff)"
)
_PERSON = (
    r"(?:client|patient|woman|man|guy|gal|girl|boy|kid|kiddo|child|teen|teenager|tween|"
    r"adolescent|youth|couple(?!\s+(?:of\b|[a-z]+s\b))|family|mom|mama|mother|dad|father|parent|"
    r"veteran|student|person|individual|adult|lady|gentleman|husband|wife|widow|widower|survivor|"
    r"single\s+dad|single\s+mom|someone|somebody|dude|fella|grandmother|grandfather|grandma|"
    r"grandpa|retiree|newlywed|bride|groom|member|freshman|sophomore|junior|senior|"
    r"(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
    r"eleventh|twelfth)[- ]grader|little\s+one|\d{1,2}[- ]?(?:year[- ]old|yo)|"
    rf"{_JOB})"
)
# The same nouns in the plural ("the couples I see", "two vets I work with").
_PEOPLE = rf"(?:{_PERSON}s?|families|women|men|children|people|folks|ppl|kiddos)"
# An appositive that names a clinician ("Dana, an LMFT in Plano") is a colleague, not a client.
_CLINICIAN = (
    r"(?:an?\s+|the\s+|my\s+)?(?:[\w-]+\s+){0,2}(?:LMFT|LCSW|LPC|LMHC|PsyD|PhD|MD|psychiatrist|"
    r"psychologist|therapist|counsell?or|clinician|social\s+worker|colleague|supervisor|mentor|"
    r"co-?author|co-?leader|co-?therapist|presenter|trainer|professor)\b"
)
# Objects of "I work with ..." that are not a client: colleagues, institutions, amounts, methods.
_NOT_A_PERSON = (
    r"(?:lot|lots|bunch|ton|number|variety|range|mix|handful|few|couple\s+of|group|team|agency|"
    r"organi[sz]ation|nonprofit|non-profit|company|school|district|hospital|clinic|program|"
    r"practice|center|centre|firm|network|coalition|church|department|colleague|supervisor|"
    r"supervisee|intern|trainee|co-?therapist|therapist|clinician|psychiatrist|psychologist|"
    r"counsell?or|consultant|researcher|protocol|model|approach|modality|population|"
    r"community|caseload|range)"
)

# ---------------------------------------------------------------------------------------------
# Treatment relations: one specific person and the therapist's clinical work.

_DET = r"(?:an?|one|this|that|the|another)"
# A word inside a noun phrase ("a newly retired Army ..."), not one that starts a clause ("a pattern
# where the boss ...").
_MOD = (
    r"(?:(?!(?:where|when|which|that|who|whom|and|or|but|in|of|with|to|for|the|a|an|is|was|"
    r"are|were|I|we|you)\b)[\w'-]+\s+)"
)
# "I", "I'm", "we've been", "I used to", "I actually", "I've been quietly": the therapist as
# the subject of a verb of treatment.
_I_SUBJECT = (
    r"\b(?:I|we)(?:'m|'re|'ve|'d|\s+am|\s+are|\s+have|\s+had|\s+was|\s+were|\s+used\s+to|"
    r"\s+started|\s+began|\s+just|\s+recently|\s+currently|\s+still|\s+now|\s+also|\s+actually|"
    r"\s+once|\s+been|\s+already|\s+even|\s+usually|\s+sometimes|\s+often|\s+mostly|"
    r"\s+(?!only\b)\w+ly){0,3}"
)
_TREAT = (
    r"(?:see|seeing|seen|saw|treat|treating|treated|work\s+with|working\s+with|worked\s+with|"
    r"counsel|counseling|counselling|counseled|counselled|started\s+seeing|sit\s+with|"
    r"sitting\s+with|sat\s+with|support|supporting|supported|help|helping|helped|"
    r"walk(?:ing|ed)?\s+alongside|meet(?:ing)?\s+with|met\s+with|accompan(?:y|ying|ied)|"
    r"assess(?:ed|ing)?|evaluat(?:e|ed|ing)|started\s+with|coach(?:ing|ed)?|"
    r"(?:have|had|'ve\s+had|'d\s+had)\s+in\s+(?:treatment|therapy|care|session|my\s+practice))"
)
# Verbs whose object can only be a person (unlike "see": "the trend I see").
_TREAT_PERSON = (
    r"(?:counsel|counseling|counselling|counseled|counselled|treat|treating|treated|work\s+with|"
    r"working\s+with|worked\s+with|sit\s+with|sitting\s+with|sat\s+with|"
    r"walk(?:ing|ed)?\s+alongside|(?:have|had|'ve\s+had)\s+in\s+(?:treatment|therapy|care))"
)
_SESSION = r"(?:session|appointment|appt|intake|group|visit|consult(?:ation)?|meeting)"
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_WHEN = (
    rf"(?:yesterday|today|tonight|this\s+(?:morning|afternoon|week)|last\s+(?:night|week|time|"
    rf"{_SESSION}|{_WEEKDAY})|on\s+{_WEEKDAY}|{_WEEKDAY})"
)
_GROUP = r"(?:group|circle|class|caseload|practice|roster|books|schedule|calendar|couch|office)"

_RELATIONS = (
    # my client, a 16yo client, one former patient, a client of mine; "Consult: client (M, 30s)"
    r"\b(?:my|our|a|an|one|this|that|another)\s+(?:[\w/-]+\s+){0,3}?(?:client|patient)\b(?![s-])",
    r"(?:^|[:;(]\s*)(?:client|patient|pt)\s*(?:\(|,\s*\d|\s+(?:is|was|has|had|found|says|said|"
    r"came|reports|told|wants|keeps|moved|lost|got|works|lives)\b)",
    r"\bthe\s+(?:client|patient)\s+(?:is|was|works|lives|has)\b",
    # one of my folks, two of my current clients, both of my teens
    r"\b(?:one|two|three|four|five|both)\s+of\s+(?:my|our)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:clients|patients|kiddos|ppl|people|folks|regulars|couples|families|teens|guys|gals|"
    r"kids|boys|girls|vets|veterans|students|members|group\s+members|moms|dads)\b",
    r"\b(?:clients?|patients?)\s+of\s+mine\b",
    rf"\b(?:one|two|three|four|five|both|some|several|a\s+few)\s+of\s+the\s+{_PEOPLE}\s+(?:in|on|from)\s+"
    rf"(?:my|our)\s+(?:[\w'’-]+\s+){{0,3}}?{_GROUP}\b",
    rf"\b(?:someone|somebody|a\s+person|one\s+person)\s+(?:(?:who|whom|that)\s+)?{_I_SUBJECT}\s+"
    rf"{_TREAT}\b",
    # "my 9th grader from Jefferson", "my little gal from sand tray"
    r"\bmy\s+(?:[\w-]+\s+){0,2}?(?:guy|gal|lady|gentleman|fella|dude|kiddo|"
    r"(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|"
    r"tenth|eleventh|twelfth)[- ]grader)\b(?![s,])",
    # I'm seeing a family / I counsel a deacon / I treat a petty officer
    rf"{_I_SUBJECT}\s+{_TREAT}\s+(?:{_DET}|two|three|her|him|{_NAME})\s+"
    rf"(?!{_NOT_A_PERSON}\b){_MOD}{{0,4}}?{_PERSON}s?\b",
    rf"{_I_SUBJECT}\s+{_TREAT_PERSON}\s+{_DET}\s+{_MOD}{{0,3}}?(?!{_NOT_A_PERSON}\b)"
    r"[\w'-]+(?=\s*(?:,|\(|\bwho\b|\bwhose\b|\bfrom\b|\bat\b|\bout\s+of\b|\bin\b))",
    # helping the only licensed falconer in the county with his performance anxiety
    rf"\b(?:help|helping|helped|supporting|supported)\s+(?:{_DET}|{_NAME})\s+[^.!?]{{0,60}}?"
    r"\bwith\s+(?:his|her|their)\s",
    # a first-time mom I see in Katy / a firefighter from Tustin I've been seeing since
    rf"{_I_SUBJECT}\s+{_TREAT}(?=\s+(?:in|at|from|since|for|every|weekly|now|right\s+now|"
    r"currently|on|twice|once|last|this)\b|\s*[,.;:)])",
    # a woman I'm seeing / the couples I see / someone I worked with / whom we treated
    rf"\b(?:{_DET}|some|two|three|these|those)\s+(?:[\w-]+\s+){{0,3}}?"
    rf"{_PEOPLE}\s+(?:(?:at|from|in|with|on)\s+(?:[\w'&.-]+\s+){{1,3}}?)?(?:(?:who|whom|that)\s+)?"
    rf"{_I_SUBJECT}\s+{_TREAT}\b"
    rf"|\b(?:who|whom)\s+{_I_SUBJECT}\s+{_TREAT}\b"
    rf"|\b{_DET}\s+(?:[\w-]+\s+){{0,3}}?[\w-]+\s+(?:(?:who|whom|that)\s+)?"
    rf"{_I_SUBJECT}\s+{_TREAT_PERSON}\b",
    # a mom in my group, someone on my caseload, the dad from my Tuesday group
    rf"\b(?:{_DET}|some)\s+(?:[\w-]+\s+){{0,2}}?{_PERSON}\s+(?:in|on|from|at)\s+(?:my|our)\s+"
    rf"(?:[\w'’-]+\s+){{0,2}}?{_GROUP}\b",
    r"\b(?:on|in)\s+my\s+(?:caseload|schedule|calendar|books|roster)\b(?!s)",
    # the person acts on the therapist: came to me, has been seeing me, was referred to me
    r"\b(?:who|whom|she|he|they)\s+(?:\w+\s+){0,2}?(?:came|comes|come|was\s+referred|"
    r"got\s+referred|(?:has\s+|had\s+|have\s+)?been\s+(?:coming|seeing\s+me|working)|started|"
    r"did\s+(?:the|this|her|his|their|some)\s+(?:\w+\s+)?work|work(?:s|ed)?|meets?|met)\s+"
    r"(?:\w+\s+){0,2}?(?:with|to)\s+me\b"
    r"|\b(?:has|have|had)\s+been\s+seeing\s+me\b|\b(?:started|began|kept|keeps)\s+seeing\s+me\b"
    r"|\bwhose\s+(?:\w+\s+)?(?:intake|sessions?|assessment|evaluation|treatment|case|chart|file)\b"
    # a relative of the person treated: "whose son I treat", "whose wife we see"
    rf"|\bwhose\s+(?:[\w-]+\s+)?{_RELATIVE}\s+{_I_SUBJECT}\s+{_TREAT}\b",
    # my clinical work with a partner at / our sessions with this teen
    rf"\b(?:my|our)\s+(?:\w+\s+)?(?:work|sessions?|time)\s+with\s+(?:{_DET}|this|that)\s",
    # had a session Tuesday with a guy / did an intake yesterday with a teacher
    r"\b(?:had|did|have|do)\s+(?:a|an|my|our)\s+(?:\w+\s+)?(?:session|intake|appointment|"
    rf"assessment)\b[^.!?]{{0,30}}?\bwith\s+(?:{_DET}|{_NAME})\s",
    # has been in my office every Monday / walked into my office / a commissioner in my practice
    r"\b(?:has\s+been|had\s+been|was|is|came|comes|walked|sat|sits)\s+(?:\w+\s+)?"
    r"(?:in|into|to|on)\s+my\s+(?:office|practice|couch|caseload)\b"
    r"|\b(?:have|had|got)\s+(?:an?|one|this)\s+[^.!?]{0,60}?\bin\s+my\s+(?:practice|caseload)\b",
    # told me last session / said in session yesterday / confided during our third session
    r"\b(?:told|said\s+to|asked|showed|admitted\s+to|confided\s+(?:in|to)|disclosed\s+to|"
    r"texted|emailed|messaged|called)\s+me\s+(?:\w+\s+){0,3}?(?:during|in|at|after|before|"
    rf"last|this|on|our)\s+(?:(?:our|a|the|her|his|their|my)\s+)?(?:\w+\s+)?{_SESSION}\b"
    rf"|\b(?:in|during|after)\s+(?:our\s+|a\s+|my\s+|the\s+)?(?:\w+\s+)?(?:session|group)\s+"
    rf"(?:{_WHEN}|on\s+\d)"
    rf"|\b(?:our|a|my|the)\s+session\s+(?:yesterday|today|this\s+morning|last\s+\w+|on\s+\d)"
    r"|\bour\s+(?:first|second|third|fourth|fifth|\d+(?:st|nd|rd|th)|last|latest|final)\s+"
    r"session\b",
    r"\bhad\s+(?:a|an|this)\s+(?:\w+\s+){0,2}(?:in\s+session|in\s+my\s+office|come\s+in)",
    # consent to share is only asked of a client: "gave me her permission to share"
    r"\bgave\s+me\s+(?:his|her|their|the)\s+(?:blessing|permission|ok|okay|consent|go-ahead)\b"
    r"|\bwith\s+(?:his|her|their)\s+(?:ok|okay|blessing|permission|consent)\b"
    r"|\b(?:she|he|they)(?:'s|\s+is|\s+was|\s+said|\s+says|'s\s+said)\s+(?:fine|okay|ok|happy)\s+"
    r"(?:with\s+me\s+)?(?:to\s+)?(?:sharing|share|mentioning|posting)\b"
    r"|\b(?:she|he|they)\s+(?:said|says|agreed)\s+I\s+(?:could|can|may)\s+(?:share|post|mention)\b",
    # a relative of the person calls the therapist's office about them
    r"\b(?:called|phoned|emailed|e-mailed|texted|messaged|contacted|showed\s+up\s+at|"
    r"left\s+(?:a\s+)?voicemails?\s+(?:at|for))\s+(?:me\s+at\s+)?my\s+(?:office|practice|clinic|"
    r"front\s+desk|work\s+(?:phone|cell))\b",
    r"\bcan'?t\s+(?:even\s+)?confirm\s+or\s+deny\b",
    # a session slot: my 10am on Tuesdays, my Wednesday 4pm, my last one of the day
    rf"\bmy\s+(?:{_WEEKDAY}\s+)?\d{{1,2}}(?::\d{{2}})?\s?(?:am|pm|o'?clock)\b"
    rf"|\bmy\s+{_WEEKDAY}\s+\d\b"
    r"|\bmy\s+(?:first|last|next)\s+(?:client|appointment|session|one|intake)\s+"
    rf"(?:of\s+the\s+day|today|this\s+morning|on\s+{_WEEKDAY})\b"
    rf"|\b(?:her|his|their)\s+(?:name|first\s+name)\s+is\s+(?!Dr\b){_NAME}",
    # events of treatment: saw Ben again today, terminated with K.L., two years with a welder
    r"(?:^|\b(?:I|we)\s+|\b(?:I|we)'ve\s+)(?i:saw|seeing|met\s+with|session\s+with|"
    rf"had\s+a\s+session\s+with)\s+(?:(?!Dr\b){_NAME}\b(?!\s+(?-i:[A-Z]))|"
    rf"(?:an?|this|one|that)\s+(?:[\w-]+\s+){{0,2}}?{_PERSON}\b)",
    r"\b(?:came|come|comes|walked)\s+in(?=\s+(?:saying|asking|crying|today|yesterday|"
    r"this|last|because|for\s+(?:the|a|her|his|their)))",
    r"\b(?:terminat(?:e|ed|ing)|wrap(?:ped|ping)?\s+up|clos(?:e|ed|ing)\s+out|"
    r"stopped\s+(?:seeing|working\s+with))\s+(?:[\w-]+\s+){0,3}?with\s+"
    r"(?!you\b|my\s+(?:supervisor|colleague|team|own))"
    r"|\b(?:\d+|several|a\s+few|two|three|four|five|six|eight|ten|twelve|eighteen)\s+"
    r"(?:sessions|weeks|months|years)\s+(?:of\s+(?:work|therapy|treatment|EMDR|sessions)\s+)?"
    r"with\s+(?:an?|this|one|my)\s",
    r"\b(?:finished|terminated|graduated|discharged)\s+(?:with\s+me|from\s+(?:therapy|my))"
    r"|\b(?:started|began)\s+(?:working\s+together|therapy\s+with\s+me|seeing\s+me)"
    r"|\b(?:brought|presented|took)\s+(?:\w+\s+){0,2}?to\s+(?:my\s+|our\s+)?consult(?:ation)?"
    r"(?:\s+group)?",
    # I have a couple right now / we had a teen
    r"\b(?:I|we)(?:'ve|\s+have|\s+had)?\s+(?:have|had|got)\s+(?:an?|this|one)\s+"
    rf"(?:[\w-]+\s+){{0,3}}?{_PERSON}\b(?![s-])",
    # the wife, 61, / a teen (15)
    rf"\b(?:the|my|our|a|his|her)\s+{_PERSON}\s*(?:,\s*\d{{1,2}}\s*[,)]|\(\d{{1,2}}\))",
    # a message, card or review from the person, reposted: "got this card ... — Rob & Tina H."
    rf"\b(?:got|received|had|a|this|her|his)\s+(?:\w+\s+){{0,6}}?(?:text|message|email|"
    rf"e-mail|voicemail|card|note|letter|dm|review)s?\b[^.!?]{{0,40}}?\bfrom\s+{_NAME}",
    rf"\b(?:got|received)\b[^.!?]{{0,40}}?\bfrom\s+{_NAME}\s*[:(]",
    r"\b(?:got|received|reposting|sharing)\s+(?:this|a|an|the)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:card|note|letter|message|text|email|e-mail|voicemail|review)\b[^.!?]{0,60}?[\"“']",
    r"\b(?:left|wrote|posted|gave)\s+(?:us\s+|me\s+|my\s+practice\s+|our\s+practice\s+)?"
    r"(?:(?:a|an|the|this|that|such\s+a)\s+)?(?:[\w-]+\s+){0,2}?(?:review|rating|stars?|⭐|testimonial)",
    # a relative vouches for the therapist: "her dad can vouch for me"
    rf"\b{_RELATIVE}\s+(?:can|could|will|would)\s+(?:vouch|tell\s+you|confirm)\b",
    # Rob, a Southwest pilot / (Karen, an ER nurse / M.K., 29, / J.R., a pastor at
    rf"(?:^|\()\s*{_NAME}(?:\s+(?-i:[A-Z])\.)?,\s+(?!{_CLINICIAN})(?:(?:an?|the)\s|\d{{1,2}}\b)",
    rf"\b(?-i:[A-Z]\.\s?[A-Z]\.),\s+(?:\d{{1,2}}\b|(?!{_CLINICIAN})(?:an?|the)\s)",
)
# Compiled one by one: most start with a literal word the engine can scan for, which one big
# alternation would hide (a 1 MB text is checked about twice as fast).
_RELATION = tuple(re.compile(pattern, _I | re.MULTILINE) for pattern in _RELATIONS)


def _first_relation(sentence: str) -> tuple[int, int] | None:
    """The earliest relation in a sentence (start, end), if any."""
    found = [m.span() for m in (pattern.search(sentence) for pattern in _RELATION) if m]
    return min(found) if found else None


# ---------------------------------------------------------------------------------------------
# Details that identify on their own, wherever they are.

_RECORD = re.compile(
    r"\b(?:chart|record|case|file|member|medical record|patient|client|claim|MRN|DOB|SSN|"
    r"policy|account|subscriber|insurance)\s*(?:#|no\.?|number|num|ID|id)\b[^.!?\d]{0,25}?"
    r"[A-Z]{0,4}-?\d[\w-]{3,}"
    r"|\bMRN\s*:?\s*\d{3,}|\b(?:DOB|date of birth)\s*:?\s*\d",
    _I,
)
_CONFIRM = re.compile(
    r"\b(?:as|I'm|I am|I was|I used to be)\s+your\s+(?:former\s+|old\s+|previous\s+|ex-?)?"
    r"(?:therapist|counsell?or|clinician|psychologist|social worker|psychiatrist)\b"
    r"|\bwe(?:'ve)?\s+(?:have\s+)?(?:worked|work|were\s+working|started\s+working|"
    r"began\s+working)\s+together\b"
    r"|\byou\s+know\s+who\s+you\s+are\b"
    r"|\b(?:you|u)\s+(?:were|are|used to be)\s+(?:my|a)\s+(?:former\s+)?(?:client|patient)\b"
    r"|\bI\s+recogni[sz]ed?\s+(?:you\b|your\s+(?:story|post|name|username|voice)|"
    r"the\s+(?:[\w-]+\s+){0,2}?(?:story|example|detail))"
    r"|\byou\s+(?:came|come)\s+to\s+(?:see\s+)?me\b"
    r"|\b(?:our|your)\s+(?:sessions?|work|time)\s+together\b"
    r"|\byou\b[^.!?]{0,60}\bour\s+(?:\w+\s+)?(?:sessions?|appointments?|work)\b"
    r"|\bour\s+(?:\w+\s+)?(?:sessions?|appointments?)\b[^.!?]{0,60}\byour?\b"
    r"|\byou\s+(?:started|began|did|do|have\s+done)\b[^.!?]{0,20}\bwith\s+me\b"
    r"|\b(?:remember|recogni[sz]e)\s+you\s+from\s+(?:my|our)\b"
    r"|\byou\b[^.!?]{0,40}\b(?:my|our)\s+(?:office|waiting\s+room|caseload|couch|group)\b"
    r"|\bI\s+(?:know|think|bet|suspect)\s+(?:this|that|it)\s+(?:is|was|'s)\s+(?:you|u)\b"
    r"|\bis\s+(?:this|that)\s+(?:you|u)\s*[,?]"
    r"|\bsince\s+we\s+(?:started|began|first\s+met|stopped|ended|finished|wrapped\s+up)\b"
    # "when we met Monday you told me": the poster is the therapist's own client
    r"|\bwhen\s+we\s+(?:last\s+)?(?:spoke|talked|met|saw\s+each\s+other)\b[^.!?]{0,30}"
    r"\b(?:you|u)\b"
    # "that therapist was me", "yep, it's me": owning the role the poster mentions
    r"|\b(?:that|the|this)\s+(?:therapist|counsell?or|clinician|psychologist|social\s+worker|"
    r"psychiatrist|LMFT|LCSW|LPC)\s+(?:was|is|'s|must\s+(?:have\s+been|be))\s+me\b"
    r"|\b(?:yes|yep|yeah|hi|hey|hello),?\s+it'?s\s+(?:really\s+)?me\b(?!\s+(?:again|here|back|with))"
    # something the poster and the therapist did together: "the grounding script we rehearsed"
    r"|\byou\b[^.!?]{0,60}\bwe\s+(?:practi[cs]ed|rehearsed|role-?played|worked\s+on|went\s+over|"
    r"wrapped\s+up|mapped\s+out|came\s+up\s+with)\b(?!\s+(?:above|upthread|here|earlier))"
    # the next session with the poster: "let's go over it Friday", "at our next session"
    r"|\blet'?s\s+(?:talk\s+about|discuss|unpack|go\s+over|pick\s+up)\s+(?:it|this|that)\s+"
    r"(?:on\s+)?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|next\s+(?:session|time|week))\b"
    r"|\b(?:at|in|during)\s+our\s+next\s+(?:session|appointment)\b"
    r"|\b(?:I|we)\s+(?:told|said\s+to|mentioned\s+to|showed|taught|reminded|asked)\s+(?:you|u)\b"
    r"[^.!?]{0,30}\b(?:in\s+(?:our\s+|the\s+|a\s+)?sessions?|last\s+session|in\s+my\s+office)\b"
    r"|\b(?:honou?r|pleasure|privilege|joy|gift)\s+(?:of\s+|to\s+)?(?:work(?:ing)?|be(?:ing)?\s+your)\s+"
    r"(?:with\s+you|therapist)\b|\b(?:loved|enjoyed|will\s+miss|miss)\s+(?:working|our\s+work)\s+"
    r"with\s+you\b"
    r"|\bas\s+we\s+(?:discussed|talked\s+about|practi[cs]ed|covered|said)\b[^.!?]{0,30}"
    r"\b(?:in\s+(?:our\s+|the\s+)?sessions?|last\s+(?:session|time|week))\b"
    # a client of the therapist is here in the thread: "my former client commented above"
    r"|\b(?:client|patient)\b[^.!?]{0,40}\b(?:commented|posted|replied|wrote|is\s+here)\s+"
    r"(?:above|below|here|in\s+this\s+thread|upthread|in\s+the\s+comments)\b",
    _I,
)
# "If you ever come to my office" is hypothetical; "when you were in my office" is not.
_CONDITIONAL = re.compile(
    r"\b(?:if|whether|anyone|any of|once|after|until|everyone|those|who|clients|people|"
    r"when(?!\s+(?:you|u|we)\s+(?:last\s+)?(?:were|was|first|came|used|started|spoke|talked|"
    r"met|saw)\b))\b",
    _I,
)
_HANDLE = re.compile(r"(?<![\w@.])(?:u/[A-Za-z0-9_-]{3,}|@[A-Za-z][A-Za-z0-9_.]{2,})")

# ---------------------------------------------------------------------------------------------
# Details that identify in combination, beside a relation: (pattern, kind, points).

_AGE = re.compile(
    r"\b\d{1,2}\s?-?\s?(?:years?|yrs?)[\s-]old\b|\b\d{1,2}\s?(?:yo|y/o|y\.o\.)(?!\w)"
    r"|\b(?:age[ds]?)\s+\d{1,2}\b|\bturn(?:s|ed|ing)\s+\d{1,2}\b|\b\d{2}\s?[MF]\b"
    rf"|(?:(?:^|\(){_NAME}|\b[A-Z]\.\s?[A-Z]\.),\s+\d{{1,2}}\b|^\d{{2}},|\(\d{{1,2}}[,)]"
    r"|\([MF],\s*\d{1,2}s?\)|\b(?:early|mid|late)-?\s?\d0s\b"
    r"|(?<=[A-Za-z]),\s\d{2}\s?[,)]|\b(?i:she|he)(?:'s|\s+is|\s+was)\s+\d{2}\b(?!\s*(?:%|minutes|min))",
)
_SELF_AGE = re.compile(r"\b(?:I'm|I am|I was|when I|me at|myself at)\s+(?:\w+\s+){0,2}$", _I)
_PLACE_WORDS = (
    r"(?:in|from|at|near|outside|based\s+(?:out\s+of|in|at)|of|for|with|by|through|via|on|"
    r"attends|goes\s+to|went\s+to|out\s+of|stationed\s+(?:at|in))"
)
_PLACE = re.compile(
    rf"\b(?i:{_PLACE_WORDS})\s+(?:the\s+)?((?:[A-Z][\w&'.-]*|\d+(?:st|nd|rd|th))"
    r"(?:\s+(?:of\s+|de\s+|the\s+)?(?:[A-Z][\w&'.-]*|\d+(?:st|nd|rd|th)))*)"
    r"|\b(?i:in|zip(?:\s+code)?)\s+\d{5}\b"
)
# An organisation or a place by its kind: "Pine Ridge Lutheran", "Eastfield High",
# "Fort Example", "Maple Lane", "6 North", "3rd Battalion", "Station 9", "Oakton PD".
_ORG_SUFFIX = (
    r"(?:Hospital|General|Memorial|Regional|State|Medical(?:\s+Center)?|Behavioral(?:\s+Health)?|Clinic|Center|Centre|Hospice|"
    r"Academy|School|High|Middle|Elementary|Prep|Montessori|University|College|Institute|"
    r"Church|Chapel|Cathedral|Baptist|Methodist|Lutheran|Mennonite|Presbyterian|Episcopal|"
    r"Pentecostal|Catholic|Parish|Temple|Synagogue|Shul|Mosque|Masjid|Gurdwara|Congregation|"
    r"Fellowship|Ministries|Tabernacle|Base|Barracks|Battalion|Squadron|Regiment|Brigade|"
    r"Division|Fleet|Corps|Precinct|PD|FD|Police(?:\s+Department)?|Sheriff'?s?(?:\s+Office)?|"
    r"Fire(?:\s+(?:Department|Dept|District))?|Department|Dept|Mill|Plant|Factory|Mine|"
    r"Refinery|Warehouse|Inc|LLC|Corp|Bank|Airlines?|Lane|Ln|Street|St|Avenue|Ave|Road|Rd|"
    r"Drive|Boulevard|Blvd|Court|Ct|Way|Place|Circle|Terrace|Trail|Highway|Hwy|Heights|"
    r"Estates|Apartments|County|Township|Reservation|Pueblo)"
)
_ORG_PREFIX = (
    r"(?:Fort|Ft\.|Camp|Joint\s+Base|Naval\s+(?:Station|Air\s+Station|Base)|Air\s+Force\s+Base|"
    r"Masjid|Temple|Congregation|Beth|Mount|Mt\.|Saint|St\.|Port|Station|Precinct|Ward|Unit|"
    r"Battalion|Company|Engine|Ladder|Local|Route|Highway|Interstate|Lake)"
)
_ORG = re.compile(
    rf"(?:{_CAP}\s+){{1,3}}(?-i:{_ORG_SUFFIX})\b"
    rf"|\b(?-i:{_ORG_PREFIX})\s+(?:{_CAP}|\d+\w?)(?:\s+{_CAP})?"
    r"|\b\d+(?:st|nd|rd|th)?\s?(?-i:North|South|East|West)\b"
    r"|\b\d+(?:st|nd|rd|th)\s+(?i:battalion|brigade|division|infantry|precinct|ward|district|"
    r"squadron|fleet|marines|cavalry|airborne|regiment)\b"
    r"|\b(?i:station|precinct|unit|ward|battalion|company|engine|ladder)\s+\d+\w?\b"
    # an employer named before the job ("the Acme developer", "an Army chaplain")
    rf"|(?<=[a-z,(]\s)(?:(?-i:[A-Z])[\w&.'-]+\s+){{1,2}}(?={_JOB}\b)"
)
_NOT_PLACES = words(
    """I EMDR CBT DBT IFS ERP ACT EFT CPT IOP PHP PTSD OCD ADHD BPD ODD Reddit LinkedIn Zoom
    Google Psychology Today Monday Tuesday Wednesday Thursday Friday Saturday Sunday January
    February March April May June July August September October November December Christmas
    Thanksgiving Easter Covid COVID God Jesus Christ English Spanish Therapy Dr Mr Mrs Ms Mx
    Miss Prof The A An This That My Our His Her Their Its Your Surgeon Attorney Secretary
    Inspector Solicitor Consul Governor Head Police Our ICU NICU PICU CCU PACU ER ED OR VA RN
    LPN OB L&D Peds"""
)
# Job nouns, and employers by their verb: "drives for Lyft", "bartends at the Crown".
_OCCUPATION = re.compile(
    rf"\b(?:{_JOB}s?|teaches|city\s+council|partner\s+at|associate\s+at|resident\s+at|intern\s+at|"
    r"student\s+at|works?\s+(?:at|for)|employed\s+(?:at|by)|laid\s+off\s+from|fired\s+from|job\s+at|"
    r"bartends?|\w+(?:er|or|ist|ian|ant|ent)s?\s+(?:at|for)\s+(?:the\s+)?(?-i:[A-Z])|"
    r"\w+(?:s|ing)\s+(?:at|for|with)\s+(?:the\s+)?(?-i:[A-Z])|"
    # a role at an employer, whatever the role: "is a lead analyst on the risk desk at Northwind"
    r"(?:is|was|works\s+as)\s+(?:an?|the)\s+(?:[\w-]+\s+){0,5}?(?:at|for|with)\s+(?:the\s+)?"
    r"(?-i:[A-Z]))\b",
    _I,
)
# One of very few: "the only licensed blacksmith in the valley", "one of maybe two women".
_RARE = re.compile(
    r"\bthe\s+(?:only|first|last|sole)\s+(?:[\w-]+\s+){0,4}?(?:in|at|on|from|of|for)\s+"
    r"|\b(?:exactly|only|just)\s+one\s+(?:[\w-]+\s+){0,3}?(?:in|at|on|from|of|for)\s+"
    r"|\b(?:has|of|with)\s+(?:maybe|about|around|only|just|barely|under)?\s*[\d,]{3,6}\s+"
    r"(?:people|residents|souls|folks)\b"
    r"|\bone\s+of\s+(?:maybe\s+|only\s+|just\s+|about\s+|the\s+)?(?:only\s+|few\s+)?"
    r"(?:two|three|four|five|a\s+handful|a\s+few|the\s+few)\b"
    r"|\bonly\s+\w+\s+(?:woman|man|female|male)\b|\bfamous\b|\bwell-known\b|\blocal\s+celebrity\b"
    r"|\bOlympi\w+|\belected\b|\b(?:small|tiny)\s+town\b|\btown\s+of\s+[\d,]+|"
    r"\bpop(?:ulation|\.)?\s+[\d,]{3,}|\beveryone\s+(?:here\s+|in\s+town\s+)?knows\b",
    _I,
)
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DAY = rf"(?:\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?)"
_DATE = re.compile(
    rf"\b(?:(?:since|in|on|last|this|until|by|from|after|before|during)\s+(?:the\s+)?{_MONTH}\b|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b)"
    r"|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\b(?:19|20)\d{2}\b"
    r"|\b(?:yesterday|today|this\s+(?:morning|afternoon|week)|last\s+(?:night|week))\b"
    r"|\b(?:since|last|this)\s+(?:spring|summer|fall|autumn|winter|Labor\s+Day|Christmas|"
    r"Thanksgiving|Easter)\b"
    rf"|\b(?:on\s+|last\s+|this\s+|every\s+)?{_WEEKDAY}s?\b"
    r"|\b\d{1,2}(?::\d{2})?\s?(?:am|pm)\b",
    _I,
)
# The dates of a hospital stay, a birth, a deployment: each pins down one person.
_EVENT_DATE = re.compile(
    r"\b(?:admitted|discharged|born|delivered|gave\s+birth|had\s+(?:her|the)\s+(?:baby|twins|son|"
    r"daughter)|released|hospitali[sz]ed|committed|readmitted|arrested|"
    r"deployed|redeployed|returned|came\s+(?:back|home)|got\s+out|sentenced)\b[^.!?]{0,40}?"
    rf"\b(?:on\s+)?(?:{_DAY}|in\s+{_MONTH}\b|last\s+{_MONTH}\b)"
    rf"|\b(?:DOB|birthday)\b[^.!?]{{0,12}}{_DAY}",
    _I,
)
# A named local event: "the Elm Street fire", "the Highway 9 crash".
_EVENT = re.compile(
    rf"(?:{_CAP}\s+){{1,3}}(?:[a-z]+\s+)?(?i:fire|shooting|crash|flood|flooding|explosion|collapse|derailment|"
    r"tornado|hurricane|storm|wildfire|blaze|accident|attack|bombing|wreck|spill|outbreak|"
    r"layoffs?|strike|scandal|massacre|standoff|lockdown|murders?|trial)\b"
)
# A story the public knows: "the video went viral", "it made the local news".
_PUBLICISED = re.compile(
    r"\b(?:went\s+(?:viral|everywhere)|made\s+(?:the\s+)?(?:local\s+)?(?:news|papers?|headlines)|"
    r"was\s+all\s+over\s+(?:the\s+)?(?:news|TikTok|Facebook|the\s+internet|town)|"
    r"front\s+page|in\s+the\s+(?:local\s+)?(?:news|paper)|news\s+(?:covered|crews?))\b"
    # an unnamed local disaster: "since the warehouse explosion"
    r"|\b(?:after|since|in|survived|survivors?\s+of)\s+the\s+(?:[a-z]+\s+){1,2}(?:fire|shooting|"
    r"crash|flood|explosion|collapse|derailment|tornado|wreck|spill|blaze)\b",
    _I,
)
# A relative by name: "her brother Tomasz", "his wife Ines", "His dad, Walter Brisk,".
_RELATIVE_NAMED = re.compile(
    rf"(?:\b(?:her|his|their)|\w['’]s)\s+(?:[\w-]+\s+)?{_RELATIVE}\s*,?\s+"
    rf"((?!Dr\b){_NAME})(?:\s+{_NAME})?\b",
    _I,
)
_RELATIVE_MENTION = re.compile(rf"\b(?:her|his|their)\s+(?:own\s+|late\s+|ex-?)?{_RELATIVE}\b", _I)
_NAMED = re.compile(
    rf"\b(?:client|patient)s?,?\s+(?:named\s+|called\s+)?({_NAME})\b"
    rf"|(?:^|\()\s*({_NAME})(?:\s+[A-Z]\.|\s+{_NAME})?,\s(?!{_CLINICIAN})"
    rf"|\bfrom\s+({_NAME})\s*(?::|\()"
    rf"|(?:^|\b(?:I|we)\s+|\b(?:I|we)'ve\s+)(?i:saw|seeing|met\s+with|session\s+with)\s+"
    rf"({_NAME})\b(?!\s+[A-Z])"
    rf"|\b({_NAME}\s+[A-Z]\.)(?=[\s,)])"
    rf"|\b({_NAME}\s+(?:&|and)\s+{_NAME}\s+[A-Z]\.)"
    rf"|\b(?:Mr|Mrs|Ms|Miss|Mx)\.?\s+({_NAME})"
    rf"|\b({_NAME}),?\s+(?:who|whom)\s+(?:I|we)\b"
    rf"|\b(?i:proud\s+of|congrats\s+to|congratulations\s+to|shout-?out\s+to|kudos\s+to)\s+({_NAME})"
    rf"|\b(?i:name\s+is|named|called|nicknamed|goes\s+by)\s+({_NAME})"
    rf"|\b(?i:hi|hey|hello|dear)\s+({_NAME})\b"
    rf"|\b({_NAME})\s+from\s+(?:the\s+)?(?-i:[A-Z])"
    rf"|\byou,\s+({_NAME})\b"
    rf"|,\s+({_NAME})(?:\s+(?:and|&)\s+{_NAME})?(?:,\s(?!{_CLINICIAN})|\s\(|\s*[?!])"
    rf"|\b(?-i:[Tt]he)\s+({_NAME})s\b(?=\s*[,(]|\s+(?:came|come|are|were|have|had)\b)"
    # the person as the subject of a disclosure: "Noor shared that", "Sam cried"
    rf"|\b({_NAME})\s+(?i:shared|said|told|asked|admitted|disclosed|cried|texted|emailed|wrote|"
    r"mentioned|opened\s+up|broke\s+down|confided|brought)\b"
    r"|\b([A-Z]\.\s?[A-Z]\.)(?=[,;:)]|\s+(?-i:[a-z]))"
)
_NOT_INITIALS = words("U.S. U.K. L.A. D.C. N.Y. A.A. N.A. P.S. A.M. P.M. B.A. M.A. B.S. M.S. E.R.")
_TITLES = words("Dr Mr Mrs Ms Mx Miss Prof")
# Explicit composites, hypotheticals and research samples are not clients.
_NOT_A_CLIENT = re.compile(
    r"\b(?:composite|hypothetical|fictional|fictionali[sz]ed|details\s+(?:changed|altered)|"
    r"imagine|picture\s+a|let'?s\s+say|say\s+you\s+have|study|studies|trial|sample|participants|"
    r"respondents|survey|meta-analysis|researchers|cohort\s+of|vignette|case\s+study|"
    r"published\s+case)\b",
    _I,
)
# The therapist's own life: "I'm in Tacoma with a 2-year-old", "my son, 7,".
_OWN_LIFE = re.compile(
    r"\b(?:I'?m|I\s+am|I\s+have|I'?ve\s+got|we\s+have|we'?ve\s+got)\b[^.!?]{0,30}\bwith\s+"
    r"(?:an?|two|three)\s+\d"
    r"|\b(?:my|our)\s+(?:own\s+)?(?:son|daughter|kids?|children|toddler|baby|twins|boys|girls)\b",
    _I,
)

# A next sentence that goes on about the same person ("She works at ...", "47, retired ...").
_CONTINUES = re.compile(r"(?:She|He|They|Her|His|Their|Both)\b|\d{2},")
_PRONOUN = re.compile(r"\b(?:she|he)\b", _I)
_PERSON_NOUN = re.compile(rf"\b{_PERSON}\b", _I)


def _refers_back(sentence: str) -> bool:
    """The sentence is about someone the one before described: it starts with a pronoun, or
    names them only by pronoun ("I learned that when she came in for her first appointment")."""
    return bool(_CONTINUES.match(sentence)) or bool(
        _PRONOUN.search(sentence) and not _PERSON_NOUN.search(sentence)
    )


@dataclass(frozen=True, slots=True)
class _Detail:
    kind: str
    points: int
    start: int
    end: int


# A list introduced by clients ("Things clients taught me this year:") is about clients: each
# item describing someone is a mention, as "my client" would be.
_CLIENT_HEADER = re.compile(
    r"\b(?:clients|patients|caseload|people\s+I\s+(?:see|saw|treat|work\s+with))\b[^:]*:\s*$", _I
)
_LIST_ITEM = re.compile(r"\s*(?:\d{1,2}[.)]|[-*•])\s")


def _relation(sents: tuple[Sentence, ...], i: int) -> tuple[int, int] | None:
    """Where sentence i ties one specific person to the therapist's clinical work, if it does."""
    sent = sents[i]
    span = _first_relation(sent.text)
    if span:
        return sent.start + span[0], sent.start + span[1]
    j = i
    while j > 0 and _LIST_ITEM.match(sents[j].text):
        j -= 1
        header = _CLIENT_HEADER.search(sents[j].text)
        if header:
            return sents[j].start + header.start(), sents[j].start + header.end()
    return None


def check(text: str, thread: str = "") -> list[GuardWarning]:
    """Warnings for client-identifying details in a draft; `thread` is what the draft answers
    (a place the poster named there is theirs, not a client's)."""
    found = list(_standalone(text))
    sents = sentences(text)
    known = _words_of(thread)
    for i, sent in enumerate(sents):
        if _NOT_A_CLIENT.search(sent.text):
            continue
        relation = _relation(sents, i)
        if not relation and not _AGE.search(sent.text):
            continue  # the cheap test first: details without a relation need an age (below)
        window = [sent]
        # A sentence led by a pronoun continues the one before it, in either direction:
        # "My client Ana is 34. She works at Target." / "Ana works at Target. She's my client."
        # So does the rest of a quotation it opens ('..."Dr. Lee, you saved us. — Rob H."').
        if (
            relation
            and i + 1 < len(sents)
            and (_CONTINUES.match(sents[i + 1].text) or _opens_quote(sent.text))
        ):
            window.append(sents[i + 1])
        if relation and i > 0 and _refers_back(sent.text):
            window.append(sents[i - 1])
        details = [d for s in window for d in _details(s, known)]
        if relation:
            details = [_attached(d, relation[1]) for d in details]
        kinds = _best_per_kind(details)
        # Without a relation, only a full description of someone else counts
        # ("a 33-year-old cook at the Lantern on Fifth"), not the therapist's own life.
        if not relation and ("age" not in kinds or _OWN_LIFE.search(sent.text)):
            continue
        if sum(kinds.values()) < (2 if relation else 3):
            continue
        spans = [(d.start, d.end) for d in details]
        if relation:
            spans.append(relation)
        why = "Could identify a client (" + ", ".join(sorted(kinds)) + ")"
        found.append(warning(SLUG, min(s for s, _ in spans), max(e for _, e in spans), text, why))
    return found


_WORD = re.compile(r"[A-Za-z][\w'-]+")


def _opens_quote(sentence: str) -> bool:
    """The sentence opens a quotation it does not close."""
    return sentence.count("“") > sentence.count("”") or sentence.count('"') % 2 == 1


def _words_of(thread: str) -> frozenset[str]:
    """The capitalised words of the thread: places the poster named themselves."""
    return frozenset(w for w in _WORD.findall(thread) if w[0].isupper())


def _attached(detail: _Detail, relation_end: int) -> _Detail:
    """An employer or place right after the relation ("my client at Boeing", "a patient from
    Yakima") pins down that one client, so it counts as much as a name."""
    if detail.kind in ("place", "occupation") and 0 <= detail.start - relation_end <= 2:
        return _Detail(detail.kind, 2, detail.start, detail.end)
    return detail


def _standalone(text: str) -> Iterator[GuardWarning]:
    for m in _RECORD.finditer(text):
        yield warning(SLUG, m.start(), m.end(), text, "Record/member/case number of a client")
    for sent in sentences(without_quotes(text)):
        for m in _CONFIRM.finditer(sent.text):
            hypothetical = any(c.start() < m.start() for c in _CONDITIONAL.finditer(sent.text))
            if hypothetical or negated(sent.text, m.start()):
                continue
            start, end = sent.start + m.start(), sent.start + m.end()
            yield warning(SLUG, start, end, text, "Confirms someone is or was a client")
    for m in [*EMAIL.finditer(text), *phones(text)]:
        if contact_owner(text, m) == "other":
            yield warning(SLUG, m.start(), m.end(), text, "Someone else's phone number or e-mail")


def _details(sent: Sentence, known: frozenset[str]) -> Iterator[_Detail]:
    s = sent.text
    off = sent.start

    def detail(kind: str, points: int, m: re.Match[str]) -> _Detail:
        return _Detail(kind, points, off + m.start(), off + m.end())

    for m in _NAMED.finditer(s):
        name = next(g for g in m.groups() if g)
        first = name.split()[0]
        if first not in _NOT_NAMES and name not in _NOT_INITIALS:
            yield detail("name", 2, m)
    for m in _RELATIVE_NAMED.finditer(s):
        if m.group(1) not in _NOT_NAMES:
            yield detail("relative's name", 2, m)
    for m in _AGE.finditer(s):
        if not _SELF_AGE.search(s[: m.start()]):
            yield detail("age", 1, m)
    for m in _PLACE.finditer(s):
        place = m.group(1)
        if place is None:
            yield detail("place", 1, m)
            continue
        first = place.split()[0].rstrip(".")
        if first not in _NOT_PLACES | _NOT_NAMES and not set(place.split()) <= known:
            yield detail("place", 1, m)
    for m in _ORG.finditer(s):
        if m.group().split()[0] not in _NOT_PLACES and not set(m.group().split()) <= known:
            yield detail("named organisation or place", 2, m)
    for m in _OCCUPATION.finditer(s):
        yield detail("occupation", 1, m)
    for m in _RARE.finditer(s):
        yield detail("rare detail", 2, m)
    for m in _EVENT.finditer(s):
        if m.group().split()[0] not in _NOT_NAMES:
            yield detail("named event", 2, m)
    for m in _PUBLICISED.finditer(s):
        yield detail("widely known event", 2, m)
    for m in _EVENT_DATE.finditer(s):
        yield detail("admission/discharge or birth date", 2, m)
    for m in _DATE.finditer(s):
        yield detail("date", 1, m)
    for m in _RELATIVE_MENTION.finditer(s):
        yield detail("family detail", 1, m)
    for m in _HANDLE.finditer(s):
        yield detail("handle", 2, m)
    for m in EMAIL.finditer(s):
        yield detail("e-mail", 2, m)
    for m in phones(s):
        yield detail("phone", 2, m)


def _best_per_kind(details: list[_Detail]) -> dict[str, int]:
    """Each kind of detail counts once, so three dates are not three identifiers."""
    best: dict[str, int] = {}
    for d in details:
        best[d.kind] = max(best.get(d.kind, 0), d.points)
    return best
