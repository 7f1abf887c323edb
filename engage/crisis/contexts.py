"""The contexts that make crisis words safe, and the words that make them urgent again. Pure data.

A safe context (a clinician consulting about a client, a training, news, fiction, a crisis long
past, grief for someone else) lowers the weight of the cues around it; idioms and hyperbole are
blanked out before any cue is read. An urgent marker (minutes ago, right now, a plea for help)
cancels a safe context: a clinician whose client is overdosing on the phone is a crisis.
"""

from __future__ import annotations

import re

#: Figures of speech that borrow crisis words; blanked out before cues are looked for.
_IDIOMS = (
    r"\b(?:could|would|will|gonna|going\s+to|about\s+to|might)\s+(?:literally\s+|actually\s+|just\s+)?die\s+"
    r"(?:of|from|laughing|if|when|for)\b[^.!?\n]{0,20}"
    r"|\bdie\s+(?:of|from)\s+(?:embarrassment|shame|cringe|laughter|boredom|happiness|cuteness|envy|jealousy)\b"
    r"|\b(?:so|this)\s+\w+\s+i\s+could\s+(?:die|scream|cry)\b"
    r"|\b(?:kill(?:ed|ing)?|crush(?:ed|ing)?|murder(?:ed|ing)?|slay(?:ed|ing)?|nail(?:ed|ing)?)\s+"
    r"(?:it|that|the|this|my|an?)\s+(?:\w+\s+)?(?:exam|test|interview|presentation|boards?|game|set|"
    r"workout|licensing|session|talk|job|audition|it)\b"
    r"|\b(?:kill(?:ed|ing)?|crush(?:ed|ing)?|nail(?:ed|ing)?)\s+it\b"
    r"|\b(?:is|are|was|were|'s|'re)\s+(?:killing|murdering|destroying)\s+(?:me|my\s+\w+)\b"
    r"|\b(?:going\s+to|gonna|will|would|about\s+to)\s+(?:be\s+the\s+)?(?:end|death|kill|murder)\s+(?:of\s+)?me\b"
    r"|\b(?:i'?m|im)\s+(?:so\s+)?(?:dead|dying|deceased|screaming|crying)\s*(?:💀|😂|🤣|lol|lmao|haha|rn)"
    r"|💀|\bshoot\s+me\s+now\b|\bkill\s+me\s+now\b|\bi\s+(?:could|want\s+to|wanna)\s+(?:strangle|murder|kill)\s+"
    r"(?:my|the|him|her|them)\b[^.!?\n]{0,30}?(?:lol|lmao|haha|😂|🙃|😤|\bjk\b)"
    r"|\b(?:nearly|almost)\s+(?:gave\s+me\s+a\s+heart\s+attack|died|killed\s+me)\b|\bheart\s+attack\s+(?:lol|😂)"
    r"|\bis\s+murder\b|\bare\s+murder\b|\b(?:was|were)\s+murder\b|\bdead\s+(?:tired|serious|last|end|week)\b"
    r"|\b(?:want|wanted)\s+to\s+(?:chuck|throw|toss)\s+my\b|\bbored\s+to\s+death\b|\bto\s+death\s+of\b"
    r"|\bdying\s+to\s+(?:know|try|see|hear|meet|get)\b|\bkilling\s+time\b|\bkiller\s+(?:app|deal|workout)\b"
    r"|\bthis\s+(?:\w+\s+)?is\s+going\s+to\s+end\s+me\b|\bover\s+my\s+dead\s+body\b"
    r"|\b(?:going\s+to|gonna|will|'ll|could|would)\s+(?:kill|murder|strangle|end)\s+(?:him|her|them|you|my\s+\w+)\b"
    r"[^.!?\n]{0,25}?(?:lol|lmao|haha|😂|🤣|🙃|😅|\bjk\b|lovingly|kidding)"
    r"|\bcould\s+(?:punch|scream|throw)\s+(?:a|the)\s+\w+"
)
IDIOMS = re.compile(rf"(?<![a-z0-9])(?=[a-z0-9']|💀)(?:{_IDIOMS})", re.IGNORECASE)

SAFE_CONTEXTS: dict[str, re.Pattern[str]] = {
    # A clinician asking colleagues about a client's risk.
    "clinician_consult": re.compile(
        r"\b(?:client|patient|supervisee|counselee)s?\b|\bcaseload\b|\b(?:in|during)\s+(?:her|his|their|an?|the|individual)\s+(?:\w+\s+)?session\b|\b(?:csat|lmft|lpc|lcsw|msw|therapist\s+here|clinician\s+here)\b|\b(?:school\s+)?sw\b|\bhome\s+visit\b"
        r"|\b(?:endorses?|endorsed|reports?|denies|denied|history\s+of|current|chronic|passive|active)\s+(?:si|sh)\b"
        r"|\b(?:si|sh)\s+(?:history|hx)\b|\blethal[- ]means\b|\bmeans\s+restriction\b|\bintake\b"
        r"|\brisk\s+assessment\b|\b(?:c-?ssrs|columbia|phq-?9|epds)\b|\bhigher\s+level\s+of\s+care\b",
    ),
    # A training, resource list or awareness campaign.
    "training_or_resource": re.compile(
        r"\b(?:training|workshop|webinar|ceus?|ce|chart|checklist|course|certification|conference|asist|safetalk|qpr|"
        r"mental\s+health\s+first\s+aid|awareness\s+(?:month|week|walk)|resources?|sidebar|wiki|"
        r"compiled|hotlines?\s+by|crisis\s+lines|free\s+support\s+groups?|register|sign\s+up|curriculum|"
        r"toolkit|handout|infographic|psa|naloxone|class|seminar|in-?service|module)\b",
    ),
    # News, research, statistics.
    "news_or_research": re.compile(
        r"\b(?:study|studies|preprint|paper|research|researchers|journal|data|statistics|survey|"
        r"article|report\s+(?:finds|shows|says)|cdc|rates?\s+(?:of|among|rising|fell)|per\s+100,?000|"
        r"meta-?analysis|news|headline|reported\s+that)\b",
    ),
    # Fiction, film, books, podcasts.
    "fiction_or_media": re.compile(
        r"\b(?:episode|series|season\s+\d+|movie|film|novel|character|storyline|plot|drama|finale|"
        r"podcast|true\s+crime|documentary|netflix|hbo|hulu|protagonist|the\s+author|poem|lyrics|"
        r"fanfic|manuscript|screenplay|villain|memoir|spoilers?)\b",
    ),
    # A crisis long past, told from recovery.
    "past_recovered": re.compile(
        r"\b(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|many|several|a\s+few)\s+years?\s+"
        r"(?:ago|since|later|out|clean|sober)\b|\bback\s+in\s+(?:19|20)\d\d\b|\bin\s+(?:19|20)\d\d\b"
        r"|\bat\s+(?:1\d|2\d|\d)\s*,?\s+i\b|\blast\s+year\b|\b(?:19[5-9]\d|20[01]\d|202[0-4])\b|\bthat\s+was\s+(?:\w+\s+){0,2}(?:years?|ago)\b|\bwhen\s+i\s+was\s+(?:in\s+)?(?:college|\d+|a\s+teen|younger|"
        r"in\s+high\s+school)\b|\bin\s+college\b|\bback\s+then\b",
    ),
    # Grief or sadness about someone else's death.
    "grief_about_others": re.compile(
        r"\b(?:lost|losing)\s+(?:our|my|his|her|their)\s+\w+\s+to\s+(?:suicide|an\s+overdose|overdose|cancer)\b"
        r"|\b(?:died|passed|passed\s+away|went\s+home\s+to\s+be\s+with)\b|\bsuicide\s+loss\b|\bmemorial\b|\bfuneral\b"
        r"|\b(?:grieving|bereaved|in\s+memory)\b",
    ),
}

#: A clinician asking peers: what makes a client's risk a consultation, not a disclosure.
PEER_QUESTION = re.compile(
    r"\?|\bhow\s+do\s+(?:you|y'?all|others|people)\b|\bany\s+(?:advice|thoughts|tips|ideas)\b|\bconsult\w*\b"
    r"|\bwhat\s+(?:do|would)\s+you\b|\bcurious\s+how\b|\bexperience\s+with\b",
)

#: The sentence around a cue speaks of the writer themself, not of a client or a character.
SELF = re.compile(r"\b(?:i|i'm|im|i've|ive|i'd|me|my|myself|mine)\b")
OTHER = re.compile(
    r"\b(?:client|patient|she|he|they|her|his|their|someone|kid|teen|son|daughter|character|supervisee|partner|husband|wife|couple|mom|dad)s?\b",
)

#: A recovery told in the present: what makes a past crisis a story of survival.
RECOVERED_NOW = re.compile(
    r"\b(?:got\s+help|doing\s+(?:great|well|better|good)|(?:in\s+a\s+)?good\s+place|it\s+gets\s+better|"
    r"life\s+on\s+the\s+other\s+side|recovered|recovery|survived|i'?m\s+(?:okay|ok|fine|alive|still\s+here)\s+now|"
    r"still\s+together|remarried|sober|sponsor|grateful|thankful|healed|thriving|i\s+made\s+it|"
    r"for\s+anyone\s+(?:in|who|struggling)|there'?s\s+hope|you\s+can\s+(?:get|make)\s+(?:through|it)|"
    r"i'?m\s+\d+\s+now|(?:got|gets|it\s+got)\s+better|peer\s+support|mentor\w*|faded|small\s+win|proud|"
    r"clean\s+(?:from|for|since)|\d+\s+(?:years?|months?)\s+clean|still\s+healing|still\s+here|how\s+far\s+i'?ve\s+come|how\s+far\s+i\s+came|lived\s+experience|i'?m\s+well|come\s+through|graduated)\b",
)

#: Now, here, please: markers that cancel any safe context.
URGENT = re.compile(
    r"\b(?:urgent|emergency|right\s+now|rn|just\s+(?:now|"
    r"called|texted|took|swallowed|found|told)|\d+\s*(?:min|mins|minutes|hours?|hrs?)\s+ago|"
    r"what\s+do\s+i\s+do|please\s+help|help\s+me|as\s+we\s+speak|on\s+the\s+phone\s+(?:with|now)|"
    r"currently\s+(?:has|holding|on)|is\s+(?:happening|there)\s+now)\b",
)
