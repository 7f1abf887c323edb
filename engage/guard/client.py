"""client_identifying: details that could identify a client or confirm someone is one.

Two kinds of evidence. Some details identify on their own (record numbers, a client's e-mail or
phone, confirming a poster was a client). Everything else only matters around a mention of a
specific client ("my client", "a couple I'm seeing", "a Marine I counsel", "my Tuesday 3pm",
"Saw Dan today", "M.K., 29,"), found by structure rather than wording: a person the therapist's
clinical work is done to or with ("whom I've had in treatment", "who came to me", "whose intake
I did", "my 7th grader"), a session shared with someone, a list headed by clients. There a name
counts 2 and each other kind of detail (exact age,
place or employer, occupation, date) 1, or 2 when it is attached to the mention ("my client at
Amazon"), and 2 points flag the sentence (with a pronoun-led neighbour: "She works at ...").
The therapist's own age or town, colleagues, public figures, conferences, studies and explicit
composites carry no client mention and stay clean.
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
    Aetna Cigna Optum"""
)
_NAME = r"(?-i:[A-ZÀ-Þ][a-zß-ÿ]+(?:-[A-ZÀ-Þ][a-zß-ÿ]+)?)"

_PERSON = (
    r"(?:client|patient|woman|man|guy|girl|boy|kid|kiddo|child|teen|teenager|adolescent|couple|"
    r"family|mom|mother|dad|father|parent|veteran|vet|student|person|lady|gentleman|husband|wife|"
    r"widow|widower|survivor|nurse|teacher|pilot|officer|firefighter|doctor|lawyer|engineer|"
    r"captain|pastor|athlete|executive|single\s+dad|single\s+mom|someone|somebody|dude|"
    r"grandmother|grandfather|grandma|grandpa|retiree|freshman|marine|soldier|sailor|airman|"
    r"little\s+one|\d{1,2}[- ]?(?:year[- ]old|yo))"
)
# The same nouns in the plural ("the families I see", "two teens I work with").
_PEOPLE = rf"(?:{_PERSON}s?|families|women|men|children|people|folks)"
# An appositive that names a clinician ("Dana, an LMFT in Plano") is a colleague, not a client.
_CLINICIAN = (
    r"(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}(?:LMFT|LCSW|LPC|LMHC|PsyD|PhD|MD|psychiatrist|"
    r"psychologist|therapist|counsell?or|clinician|social worker|colleague)\b"
)
_I_AM = (
    r"\b(?:I|we)(?:'m|'re|'ve\s+been|'ve|\s+am|\s+are|\s+have\s+been|\s+have|\s+had|"
    r"\s+currently|\s+still|\s+now)?(?:\s+(?:currently|still|now|also))?"
)
_SAW = (
    r"(?:^|\b(?:I|we)\s+|\b(?:I|we)'ve\s+)"
    r"(?i:saw|seeing|met with|session with|had a session with)"
)
_SEE = (
    r"(?:see|seeing|seen|saw|treat|treating|treated|work\s+with|working\s+with|worked\s+with|"
    r"counsel|counseling|counseled|started\s+seeing|sit\s+with|sitting\s+with|sat\s+with|"
    r"support|supporting|supported|help|helping|helped|walk(?:ing|ed)?\s+alongside|"
    r"meet(?:ing)?\s+with|met\s+with|"
    r"accompan(?:y|ying|ied)|assess(?:ed|ing)?|evaluat(?:e|ed|ing)|started\s+with|"
    # "a firefighter I have had in treatment", "the teen we've had in care since May"
    r"(?:have|had|'ve\s+had|'d\s+had)\s+in\s+(?:treatment|therapy|care|session|my\s+practice))"
)
# Verbs whose object can only be a person (unlike "see": "the pattern I see").
_SEE_PERSON = (
    r"(?:counsel|counseling|counseled|treat|treating|treated|work\s+with|working\s+with|"
    r"worked\s+with|sit\s+with|sitting\s+with|sat\s+with|walk(?:ing|ed)?\s+alongside|"
    r"(?:have|had|'ve\s+had)\s+in\s+(?:treatment|therapy|care))"
)
_DET = r"(?:an?|one|this|that|the|another)"
# "I", "I'm", "we've been", "I used to": the therapist as the subject of _SEE.
_I_SUBJECT = (
    r"(?:I|we)(?:'m|'re|'ve\s+been|'d\s+been|\s+am|\s+are|\s+have\s+been|\s+had\s+been|"
    r"\s+was|\s+were|\s+used\s+to|\s+currently|\s+still)?"
)

# Mentions of one specific client (plural "my clients" is general experience, not a mention).
_MENTION = re.compile(
    r"|".join(
        [
            # my client, a 16yo client, one former patient, a client of mine
            r"\b(?:my|our|a|an|one|this|that)\s+(?:[\w/-]+\s+){0,3}?(?:client|patient)\b(?![s-])",
            r"\bone\s+of\s+(?:my|our)\s+(?:\w+\s+)?(?:clients|patients|kiddos|ppl|people|folks|regulars)\b",
            # "my 7th grader from Lincoln", "my little guy from play therapy": a person the
            # therapist calls theirs who is not family or a colleague
            r"\bmy\s+(?:[\w-]+\s+){0,2}?(?:guy|gal|lady|gentleman|fella|dude|kiddo|"
            r"(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|"
            r"tenth|eleventh|twelfth)[- ]grader)\b(?![s,])",
            r"\b(?:clients?|patients?)\s+of\s+mine\b",
            # I'm seeing a family / I work with the only woman tugboat captain
            rf"{_I_AM}\s+{_SEE}\s+(?:{_DET}|two|three|her|him|them|{_NAME})\s+"
            r"(?!(?:lot|lots|bunch|ton|number|variety)\s+of\b)"
            rf"(?:[\w-]+\s+){{0,3}}?{_PERSON}s?\b",
            # a first-time mom I see in Katy / a firefighter from Tustin I've been seeing since
            rf"{_I_AM}\s+{_SEE}(?=\s+(?:in|at|from|since|for|every|weekly|now|right\s+now|"
            r"currently|on|twice|once|last|this)\b|\s*[,.;:)])",
            # a guy I'm seeing / the families I see / someone I worked with / whom we treated
            rf"\b(?:{_DET}|some|two|three|these|those)\s+(?:[\w-]+\s+){{0,3}}?"
            rf"{_PEOPLE}\s+(?:(?:who|whom|that)\s+)?{_I_SUBJECT}\s+{_SEE}\b"
            rf"|\b(?:who|whom)\s+{_I_SUBJECT}\s+{_SEE}\b"
            rf"|\b{_DET}\s+(?:[\w-]+\s+){{0,3}}?[\w-]+\s+(?:(?:who|whom|that)\s+)?"
            rf"{_I_SUBJECT}\s+{_SEE_PERSON}\b",
            # a relative clause that ties someone to the therapist's work: "who came to me
            # through", "Devon, who did the work with me", "whose intake I did"
            r"\b(?:who|whom)\s+(?:\w+\s+){0,2}?(?:came|comes|come|was\s+referred|got\s+referred|"
            r"(?:has\s+|had\s+)?been\s+(?:coming|seeing\s+me|working)|started|did\s+(?:the|this|her|his|"
            r"their|some)\s+(?:\w+\s+)?work|work(?:s|ed)?|meets?|met)\s+(?:\w+\s+){0,2}?(?:with|to)\s+me\b"
            r"|\bwhose\s+(?:\w+\s+)?(?:intake|sessions?|assessment|evaluation|treatment|case|chart|file)\b",
            # my clinical work with a partner at / our sessions with this teen
            rf"\b(?:my|our)\s+(?:\w+\s+)?(?:work|sessions?|time)\s+with\s+(?:{_DET}|this|that)\s",
            # had a session Tuesday with a guy / did an intake yesterday with a teacher
            r"\b(?:had|did|have|do)\s+(?:a|an|my|our)\s+(?:\w+\s+)?(?:session|intake|appointment|"
            rf"assessment)\b[^.!?]{{0,30}}?\bwith\s+{_DET}\s",
            # a kindergarten teacher has been in my office every Monday / J.R. walked into my
            # office / have a county commissioner in my practice
            r"\b(?:has\s+been|had\s+been|was|is|came|comes|walked|sat|sits)\s+(?:\w+\s+)?"
            r"(?:in|into|to|on)\s+my\s+(?:office|practice|couch|caseload)\b"
            r"|\b(?:have|had|got)\s+(?:an?|one|this)\s+[^.!?]{0,60}?\bin\s+my\s+(?:practice|caseload)\b",
            # told me during our third session
            r"\b(?:told|said\s+to|asked|showed|admitted\s+to)\s+me\s+(?:during|in|at|after)\s+"
            r"(?:(?:our|a|the|her|his|their)\s+(?:\w+\s+)?)?(?:session|appointment)\b"
            r"|\bour\s+(?:first|second|third|fourth|fifth|\d+(?:st|nd|rd|th)|last|latest|final)\s+session\b",
            # saw a guy this Friday / had a teen in today
            rf"{_SAW}\s+(?:an?|this|one|that)\s+(?:[\w-]+\s+){{0,2}}?{_PERSON}\b",
            r"\b(?:came|come|comes|walked)\s+in(?=\s+(?:saying|asking|crying|today|yesterday|"
            r"this|last|because|for\s+(?:the|a|her|his|their)))",
            # I have a couple right now / we had a teen
            r"\b(?:I|we)(?:'ve|\s+have|\s+had)?\s+(?:have|had|got)\s+(?:an?|this|one)\s+(?:[\w-]+\s+){0,3}?"
            rf"{_PERSON}\b(?![s-])",
            # the wife, 61, / a teen (15)
            rf"\b(?:the|my|our|a|his|her)\s+{_PERSON}\s*(?:,\s*\d{{1,2}}\s*[,)]|\(\d{{1,2}}\))",
            # my 10am on Tuesdays / her name is Olivia / the patient is
            r"\bmy\s+(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day\s+)?\d{1,2}(?::\d{2})?\s?"
            r"(?:am|pm|o'?clock)\b|\bmy\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day\s+\d\b"
            rf"|\b(?:her|his|their)\s+(?:name|first\s+name)\s+is\s+(?!Dr\b){_NAME}"
            r"|\bthe\s+(?:client|patient)\s+(?:is|was|works|lives|has)\b",
            # Saw Dan again today / had a session with Leah
            rf"{_SAW}\s+(?!Dr\b){_NAME}\b(?!\s+(?-i:[A-Z]))",
            # in session yesterday / our session on 3/14
            r"\bin\s+(?:our\s+|a\s+|my\s+)?session\s+(?:yesterday|today|this|last|on)\b"
            r"|\b(?:our|a|my|the)\s+session\s+(?:yesterday|today|this morning|last \w+|on\s+\d)",
            r"\bhad\s+(?:a|an|this)\s+(?:\w+\s+){0,2}(?:in session|in my office|come in)",
            # the end of a therapy relationship, consultation about one case
            r"\b(?:finished|terminated|graduated|discharged)\s+(?:with\s+me|from\s+(?:therapy|my))"
            r"|\b(?:started|began)\s+(?:working\s+together|therapy\s+with\s+me|seeing\s+me)"
            r"|\b(?:brought|presented|took)\s+(?:\w+\s+){0,2}?to\s+(?:my\s+|our\s+)?consult(?:ation)?(?:\s+group)?",
            r"\b(?:on\s+)?my\s+(?:caseload|schedule|calendar|books|roster)\b(?!s)",
            # a message from Leah / got this from Marcus:
            rf"\b(?:got|received|had|a|this|her|his)\s+(?:\w+\s+){{0,6}}?(?:text|message|email|e-mail|voicemail|card|note|dm|review)s?\b[^.!?]{{0,40}}?\bfrom\s+{_NAME}",
            rf"\b(?:got|received)\b[^.!?]{{0,40}}?\bfrom\s+{_NAME}\s*[:(]",
            # Rob, a Southwest pilot / (Karen, an ER nurse / M.K., 29,
            rf"(?:^|\()\s*{_NAME}(?:\s+(?-i:[A-Z])\.)?,\s+(?!{_CLINICIAN})(?:an?|the|\d{{1,2}}\b)",
            r"\b(?-i:[A-Z]\.\s?[A-Z]\.),\s+\d{1,2}\b",
        ]
    ),
    _I,
)

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
    r"|\bI\s+recogni[sz]ed?\s+(?:you\b|your\s+(?:story|post|name|username)|the\s+story)"
    r"|\byou\s+(?:came|come)\s+to\s+(?:see\s+)?me\b"
    r"|\b(?:our|your)\s+(?:sessions?|work|time)\s+together\b"
    r"|\byou\b[^.!?]{0,60}\bour\s+(?:\w+\s+)?(?:sessions?|appointments?|work)\b"
    r"|\bour\s+(?:\w+\s+)?(?:sessions?|appointments?)\b[^.!?]{0,60}\byour?\b"
    r"|\byou\s+(?:started|began|did|do|have\s+done)\b[^.!?]{0,20}\bwith\s+me\b"
    r"|\b(?:remember|recogni[sz]e)\s+you\s+from\s+(?:my|our)\b"
    r"|\byou\b[^.!?]{0,40}\b(?:my|our)\s+(?:office|waiting\s+room|caseload|couch)\b"
    r"|\bI\s+know\s+(?:this|that|it)\s+(?:is|was|'s)\s+you\b"
    r"|\bsince\s+we\s+(?:started|began|first\s+met|stopped|ended|finished|wrapped\s+up)\b"
    # "that counselor was me", "yes, it's me": owning the role the poster mentions
    r"|\b(?:that|the|this)\s+(?:therapist|counsell?or|clinician|psychologist|social\s+worker|"
    r"psychiatrist|LMFT|LCSW|LPC)\s+(?:was|is|'s|must\s+(?:have\s+been|be))\s+me\b"
    r"|\b(?:yes|yep|yeah),?\s+it'?s\s+(?:really\s+)?me\b"
    # something the poster and the therapist did together: "the box breathing we practiced"
    r"|\byou\b[^.!?]{0,60}\bwe\s+(?:practi[cs]ed|rehearsed|role-?played|worked\s+on|went\s+over|"
    r"wrapped\s+up|mapped\s+out|came\s+up\s+with)\b(?!\s+(?:above|upthread|here|earlier))"
    # the next session with the poster: "let's talk about it Thursday", "at our next session"
    r"|\blet'?s\s+(?:talk\s+about|discuss|unpack|go\s+over|pick\s+up)\s+(?:it|this|that)\s+"
    r"(?:on\s+)?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|next\s+(?:session|time|week))\b"
    r"|\b(?:at|in|during)\s+our\s+next\s+(?:session|appointment)\b"
    r"|\b(?:I|we)\s+(?:told|said\s+to|mentioned\s+to|showed|taught|reminded|asked)\s+(?:you|u)\b"
    r"[^.!?]{0,30}\b(?:in\s+(?:our\s+|the\s+|a\s+)?sessions?|last\s+session|in\s+my\s+office)\b"
    r"|\b(?:honou?r|pleasure|privilege|joy|gift)\s+(?:of\s+|to\s+)?(?:work(?:ing)?|be(?:ing)?\s+your)\s+"
    r"(?:with\s+you|therapist)\b|\b(?:loved|enjoyed|will\s+miss|miss)\s+(?:working|our\s+work)\s+with\s+you\b"
    r"|\bas\s+we\s+(?:discussed|talked\s+about|practi[cs]ed|covered|said)\b[^.!?]{0,30}"
    r"\b(?:in\s+(?:our\s+|the\s+)?sessions?|last\s+(?:session|time|week))\b",
    _I,
)
# "If you ever come to my office" is hypothetical; "when you were in my office" is not.
_CONDITIONAL = re.compile(
    r"\b(?:if|whether|anyone|any of|once|after|until|everyone|those|who|clients|people|"
    r"when(?!\s+(?:you|u|we)\s+(?:were|was|first|came|used|started)\b))\b",
    _I,
)
_HANDLE = re.compile(r"(?<![\w@.])(?:u/[A-Za-z0-9_-]{3,}|@[A-Za-z][A-Za-z0-9_.]{2,})")

# Details that identify in combination, near a client mention: (pattern, kind, points).
_AGE = re.compile(
    r"\b\d{1,2}\s?-?\s?(?:years?|yrs?)[\s-]old\b|\b\d{1,2}\s?(?:yo|y/o|y\.o\.)(?!\w)"
    r"|\b(?:age[ds]?)\s+\d{1,2}\b|\bturn(?:s|ed|ing)\s+\d{2}\b|\b\d{2}\s?[MF]\b"
    rf"|(?:(?:^|\(){_NAME}|\b[A-Z]\.\s?[A-Z]\.),\s+\d{{1,2}}\b|^\d{{2}},|\(\d{{1,2}}[,)]"
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
    # a workplace by its number: "Station 12", "Precinct 9", "Ward 4B"
    r"|\b(?i:station|precinct|unit|ward|battalion|company|engine|ladder)\s+\d+\w?\b"
)
_NOT_PLACES = words(
    """I EMDR CBT DBT IFS ERP ACT EFT CPT IOP PHP PTSD OCD ADHD BPD ODD Reddit LinkedIn Zoom
    Google Psychology Today Monday Tuesday Wednesday Thursday Friday Saturday Sunday January
    February March April May June July August September October November December Christmas
    Thanksgiving Easter Covid COVID God Jesus Christ English Spanish Therapy"""
)
# Job nouns: an identifying detail beside a client mention.
_JOB = (
    r"(?:firefighter|teacher|nurse|pilot|pastor|priest|rabbi|imam|minister|captain|dentist|"
    r"engineer|VP|vice president|CEO|CFO|CTO|founder|lawyer|attorney|judge|surgeon|physician|cop|"
    r"police officer|officer|detective|deputy|sheriff|soldier|marine|sergeant|colonel|professor|"
    r"principal|coach|quarterback|athlete|actor|actress|musician|singer|anchor|reporter|"
    r"journalist|mayor|council\s?(?:member|woman|man)|senator|legislator|executive|director|"
    r"paralegal|accountant|banker|chef|bartender|flight attendant|realtor|contractor|electrician|"
    r"plumber|mechanic|trucker|dancer|influencer|pharmacist|paramedic|EMT|dispatcher|architect|"
    r"scientist|librarian|manager|surgeons?|residents?|chaplain|vet|veterinarian|rancher|farmer|"
    r"fisherman|barista|nanny|midwife|doula|coroner|mortician|funeral\s+director|developer|"
    r"programmer|analyst|designer|consultant|paratrooper|trooper|ranger|medic|corpsman|deacon|"
    r"orthodontist|optometrist|operator|driver|clerk|cashier|welder|machinist|lineman|miner|"
    r"SEAL|commissioner|supervisor|alderman|trustee|superintendent)"
)
_OCCUPATION = re.compile(
    rf"\b(?:{_JOB}|teaches|city council|partner at|associate at|resident at|intern at|student at|"
    r"works?\s+(?:at|for)|employed\s+(?:at|by)|laid off from|fired from|job at|bartends?|"
    r"\w+(?:er|or|ist|ian|ant|ent)s?\s+(?:at|for)\s+(?:the\s+)?(?-i:[A-Z])|"
    # "flies for Alaska", "drives for Lyft", "bartends at the Anchor": a job by its employer
    r"\w+(?:s|ing)\s+(?:at|for|with)\s+(?:the\s+)?(?-i:[A-Z]))\b",
    _I,
)
_RARE = re.compile(
    r"\b(?:the\s+only|the\s+first|one\s+of\s+(?:maybe\s+|only\s+|just\s+|about\s+)?(?:the\s+)?"
    r"(?:only|few|two|three|four|five|a\s+handful)|only\s+\w+\s+"
    r"(?:woman|man|female|male)|famous|well-known|local celebrity|Olympi\w+|elected|"
    r"(?:small|tiny)\s+town|town\s+of\s+[\d,]+|pop(?:ulation|\.)?\s+[\d,]{3,}|everyone\s+knows)\b",
    _I,
)
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DATE = re.compile(
    rf"\b(?:(?:since|in|on|last|this|until|by|from)\s+{_MONTH}\b|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b)"
    r"|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\b(?:19|20)\d{2}\b"
    r"|\b(?:yesterday|today|this\s+(?:morning|afternoon|week)|last\s+(?:night|week))\b"
    r"|\b(?:since|last|this)\s+(?:spring|summer|fall|autumn|winter|Labor\s+Day|Christmas|"
    r"Thanksgiving|Easter)\b"
    r"|\b(?:on\s+|last\s+|this\s+|every\s+)?(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)days?\b"
    r"|\b\d{1,2}(?::\d{2})?\s?(?:am|pm)\b",
    _I,
)
_NAMED = re.compile(
    rf"\b(?:client|patient)s?,?\s+(?:named\s+|called\s+)?({_NAME})\b"
    rf"|(?:^|\()\s*({_NAME})(?:\s+[A-Z]\.)?,\s(?!{_CLINICIAN})"
    rf"|\bfrom\s+({_NAME})\s*(?::|\()"
    rf"|{_SAW}\s+({_NAME})\b(?!\s+[A-Z])"
    rf"|\b({_NAME}\s+[A-Z]\.)(?=[\s,)])"
    rf"|\b(?:Mr|Mrs|Ms|Miss|Mx)\.?\s+({_NAME})"
    rf"|\b({_NAME}),?\s+(?:who|whom)\s+(?:I|we)\b"
    rf"|\b(?i:proud\s+of|congrats\s+to|congratulations\s+to|shout-?out\s+to|kudos\s+to)\s+({_NAME})"
    rf"|\b(?i:name\s+is)\s+({_NAME})"
    rf"|\byou,\s+({_NAME})\b"
    rf"|,\s+({_NAME})(?:\s+(?:and|&)\s+{_NAME})?(?:,\s(?!{_CLINICIAN})|\s\()"
    rf"|\b(?-i:[Tt]he)\s+({_NAME})s\b(?=\s*[,(]|\s+(?:came|come|are|were|have|had)\b)"
    r"|\b([A-Z]\.\s?[A-Z]\.)(?=,|\s+(?-i:[a-z]))"
)
_TITLES = words("Dr Mr Mrs Ms Mx Miss Prof")
# Explicit composites, hypotheticals and research samples are not clients.
_NOT_A_CLIENT = re.compile(
    r"\b(?:composite|hypothetical|fictional|details\s+(?:changed|altered)|imagine|picture\s+a|"
    r"let'?s\s+say|say\s+you\s+have|study|studies|trial|sample|participants|respondents|survey|"
    r"meta-analysis|researchers|cohort\s+of)\b",
    _I,
)


# The therapist's own life: "I'm in Rochester with a 3-year-old", "my son, 7,".
_OWN_LIFE = re.compile(
    r"\b(?:I'?m|I\s+am|I\s+have|I'?ve\s+got|we\s+have|we'?ve\s+got)\b[^.!?]{0,30}\bwith\s+(?:an?|two|three)\s+\d"
    r"|\b(?:my|our)\s+(?:own\s+)?(?:son|daughter|kids?|children|toddler|baby|twins|boys|girls)\b",
    _I,
)


# A next sentence that goes on about the same person ("She works at ...", "51, laid off ...").
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


def _mention(sents: tuple[Sentence, ...], i: int) -> tuple[int, int] | None:
    """Where sentence i mentions one specific client (offsets in the text), if it does."""
    sent = sents[i]
    m = _MENTION.search(sent.text)
    if m:
        return sent.start + m.start(), sent.start + m.end()
    j = i
    while j > 0 and _LIST_ITEM.match(sents[j].text):
        j -= 1
        header = _CLIENT_HEADER.search(sents[j].text)
        if header:
            return sents[j].start + header.start(), sents[j].start + header.end()
    return None


def check(text: str) -> list[GuardWarning]:
    """Warnings for client-identifying details in a draft."""
    found = list(_standalone(text))
    sents = sentences(text)
    for i, sent in enumerate(sents):
        if _NOT_A_CLIENT.search(sent.text):
            continue
        mention = _mention(sents, i)
        if not mention and not _AGE.search(sent.text):
            continue  # the cheap test first: unmentioned details need an age (below)
        window = [sent]
        # A sentence led by a pronoun continues the one before it, in either direction:
        # "My client Ana is 34. She works at Target." / "Ana works at Target. She's my client."
        if mention and i + 1 < len(sents) and _CONTINUES.match(sents[i + 1].text):
            window.append(sents[i + 1])
        if mention and i > 0 and _refers_back(sent.text):
            window.append(sents[i - 1])
        details = [d for s in window for d in _details(s)]
        if mention:
            details = [_attached(d, mention[1]) for d in details]
        kinds = _best_per_kind(details)
        # Without a client mention, only a full description of someone else counts
        # ("a 29-year-old barista at the Blue Bottle on Valencia"), not the therapist's own life.
        if not mention and ("age" not in kinds or _OWN_LIFE.search(sent.text)):
            continue
        if sum(kinds.values()) < (2 if mention else 3):
            continue
        spans = [(d.start, d.end) for d in details]
        if mention:
            spans.append(mention)
        why = "Could identify a client (" + ", ".join(sorted(kinds)) + ")"
        found.append(warning(SLUG, min(s for s, _ in spans), max(e for _, e in spans), text, why))
    return found


def _attached(detail: _Detail, mention_end: int) -> _Detail:
    """An employer or place right after the mention ("my client at Amazon", "a patient from
    Renton") pins down that one client, so it counts as much as a name."""
    if detail.kind in ("place", "occupation") and 0 <= detail.start - mention_end <= 2:
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


# An employer named before the job ("the Stripe developer", "a Delta captain") pins down both.
_EMPLOYER_JOB = re.compile(
    rf"(?<=[a-z,(]\s)(?:(?-i:[A-Z])[\w&.'-]+\s+){{1,2}}(?={_JOB}\b)"
    r"|\b[A-Z][a-z]+\s+(?:PD|FD|Police|Fire\s+(?:Dept|Department))\b"
)


def _details(sent: Sentence) -> Iterator[_Detail]:
    s = sent.text
    off = sent.start
    for m in _NAMED.finditer(s):
        name = next(g for g in m.groups() if g)
        if name.split()[0] not in _NOT_NAMES:
            yield _Detail("name", 2, off + m.start(), off + m.end())
    for m in _AGE.finditer(s):
        if not _SELF_AGE.search(s[: m.start()]):
            yield _Detail("age", 1, off + m.start(), off + m.end())
    for m in _PLACE.finditer(s):
        place = m.group(1)
        if place is None or place.split()[0].rstrip(".") not in _NOT_PLACES | _NOT_NAMES | _TITLES:
            yield _Detail("place", 1, off + m.start(), off + m.end())
    for m in _OCCUPATION.finditer(s):
        yield _Detail("occupation", 1, off + m.start(), off + m.end())
    for m in _EMPLOYER_JOB.finditer(s):
        if m.group().split()[0] not in _NOT_PLACES | _NOT_NAMES:
            yield _Detail("employer", 2, off + m.start(), off + m.end())
    for m in _RARE.finditer(s):
        yield _Detail("rare detail", 2, off + m.start(), off + m.end())
    for m in _DATE.finditer(s):
        yield _Detail("date", 1, off + m.start(), off + m.end())
    for m in _HANDLE.finditer(s):
        yield _Detail("handle", 2, off + m.start(), off + m.end())
    for m in EMAIL.finditer(s):
        yield _Detail("e-mail", 2, off + m.start(), off + m.end())
    for m in phones(s):
        yield _Detail("phone", 2, off + m.start(), off + m.end())


def _best_per_kind(details: list[_Detail]) -> dict[str, int]:
    """Each kind of detail counts once, so three dates are not three identifiers."""
    best: dict[str, int] = {}
    for d in details:
        best[d.kind] = max(best.get(d.kind, 0), d.points)
    return best
