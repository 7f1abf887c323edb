"""solicitation and testimonial: asking readers to become clients, or clients to praise you.

Public invitations ("ask here in the thread"), declined DMs, directory links, and fees or
openings discussed among therapists as business stay clean; so does explaining why not to
collect reviews, or course/peer/chart reviews.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from engage.guard.promotion import pitches_product, sells_product
from engage.guard.text import (
    BOOKING_HOSTS,
    EMAIL,
    QUOTE,
    SERVICE,
    contact_owner,
    finditer,
    negated,
    phones,
    sentence_at,
    sentence_index,
    sentences,
    warning,
)
from engage.types import GuardSlug, GuardWarning

_I = re.IGNORECASE

_CONTACT_ME = re.compile(
    r"\b(?:DM|PM|message|msg|inbox|e-?mail|text|call|ring|contact|ping|hmu|hit\s+me\s+up|"
    r"reach\s+out\s+to|get\s+in\s+touch\s+with)\s+(?:me|us|our\s+office|my\s+office)\b"
    r"|\b(?:send|shoot|drop)\s+(?:me|us)\s+(?:a\s+|an\s+)?(?:DM|PM|message|msg|e-?mail|note|line|text)\b"
    r"|\b(?:let'?s|we\s+can|I\s+can)\s+(?:\w+\s+){0,3}?find\s+a\s+time\b"
    r"|\bmy\s+(?:DMs|inbox)\s+(?:are|is)\s+(?:always\s+)?open\b|\bDMs?\s+(?:are\s+)?open\b"
    r"|\b(?:send|shoot|drop)\s+(?:me\s+|us\s+)?(?:a\s+)?(?:\w+\s+)?(?:message|note|DM)\s+"
    r"(?:through|via|on|using)\b"
    r"|\bcontact\s+(?:form|page)\b|\byou\s+know\s+where\s+to\s+find\s+(?:me|us)\b"
    r"|\b(?:I|we)'?ll\s+(?:reach\s+out|DM\s+you|message\s+you|send\s+you\s+(?:the\s+)?(?:details|info|link))\b"
    r"|\b(?:get|fit|squeeze)\s+you\s+(?:on|into|in)\s+(?:my|our)\s+(?:calendar|schedule|books)\b"
    r"|\b(?:chat|talk|connect)\s+(?:privately|offline|one[- ]on[- ]one|1:1)\b"
    r"|\bfind\s+me\s+(?:at|on)\b"
    r"|\bfeel\s+free\s+to\s+(?:DM|PM|message|reach\s+out)\b(?!\s+(?:here|in\s+the\s+thread))",
    _I,
)
_BOOKING = re.compile(
    rf"\b(?:[\w-]+\.)*(?:{'|'.join(re.escape(h) for h in BOOKING_HOSTS)})\S*"
    # a practice site's own booking page: "northbranch.com/book", "site.com/schedule-a-consult"
    r"|\b(?:[\w-]+\.)+[a-z]{2,}/(?:[\w-]+/)*(?:book|booking|book-?now|book-?online|schedule|"
    r"scheduling|appointments?|consult(?:ation)?s?|intake|get-?started|request[\w-]*|"
    r"schedule-[\w-]+|book-[\w-]+)(?![\w-])\S*"
    r"|\b(?:book|schedule|set\s+up|grab|request)\s+(?:a|an|your|the)\s+(?:free\s+)?"
    r"(?:\d+[- ]min(?:ute)?\s+)?(?:consult(?:ation)?|session|call|appointment|intro(?:\s+call)?|"
    r"intake)\b"
    r"|\b(?:book|schedule|sign\s+up)\s+(?:online|now|today|here)\s+(?:at|via|on)\s+\S+\.\S+"
    r"|\bfree\s+(?:\d+[- ]min(?:ute)?\s+)?(?:consult(?:ation)?|phone\s+call|intro\s+call|"
    r"first\s+session)\b|\bfirst\s+session\s+(?:is\s+)?free\b"
    r"|\b(?:book|schedule|grab|pick)\s+(?:a\s+)?(?:time|slot|spot)\s+(?:with\s+me|on\s+my)\b"
    r"|\b(?:book|grab|snag|claim)\s+(?:a|your)\s+(?:slot|spot)\b"
    # a free first session in other words: "intro call is on me"
    r"|\b(?:first|initial|intro(?:ductory)?)\s+(?:session|consult(?:ation)?|call|appointment)\s+"
    r"(?:is\s+|'s\s+)?(?:on\s+the\s+house|on\s+me|complimentary|(?:at\s+)?no\s+(?:charge|cost))",
    _I,
)
_PROFILE = re.compile(
    r"\b(?:check|see|visit|look\s+at|find)\s+(?:out\s+)?(?:my|our)\s+(?:profile|bio|website|site|"
    r"practice|page|info)\b"
    r"|\b(?:my|our)\s+(?:info|contact(?:\s+info)?|details|website|link|number)\s+(?:is|are)\s+"
    r"(?:in|on)\s+(?:my|our)\s+(?:profile|bio)\b"
    r"|\b(?:info|contact|link)s?\s+(?:is\s+|are\s+)?in\s+(?:my\s+)?(?:profile|bio)\b"
    # "booking link's in my bio", "Info on my page"
    r"|(?:'s|\bis|\bare)\s+(?:in|on)\s+(?:my|our)\s+(?:profile|bio|page)\b"
    r"|\b(?:details|info|information)\s+(?:are\s+|is\s+)?(?:in|on)\s+(?:my|our)\s+(?:profile|bio|page|"
    r"site|website)\b",
    _I,
)
_INVITE = re.compile(
    r"\b(?:happy|glad|love)\s+to\s+see\s+you(?=\s*(?:[.!]|$)|\s+(?:in|at|for|as|soon|sometime|next|"
    r"this|virtually|online|in-person)\b)"
    r"|\bI'?d\s+(?:really\s+)?(?:love|like|be\s+happy|be\s+glad)\s+to\s+(?:see|work\s+with|help)\s+you\b"
    r"(?!\s+(?:find|figure|think|sort|look))"
    r"|\bcome\s+see\s+(?:me|us)\b|\b(?:we'?d|I'?d|would)\s+love\s+to\s+(?:see|have|meet)\s+you\b"
    r"|\bI\s+can\s+(?:see|get)\s+you\s+in\b"
    r"|\b(?:get|fit|squeeze)\s+(?:them|you|him|her|(?:new\s+)?(?:folks|people|clients|couples|families))\s+"
    r"in\s+(?:within|this|next|by|quickly|soon)\b"
    r"|\bsend\s+(?:them|him|her|people|clients|couples|folks|anyone|referrals)\s+(?:my\s+way|to\s+me|over)\b"
    r"|\brefer\s+(?:them|him|her|people|clients|couples)\s+to\s+me\b",
    _I,
)
# Offers that are solicitation towards help-seekers but business talk among therapists.
_OFFER = re.compile(
    r"\b(?:I|we)(?:'ve|\s+have)?\s+(?:currently\s+|actually\s+|still\s+|now\s+|also\s+|just\s+)?"
    r"(?:have|got|opened\s+up)\s+(?:a\s+few\s+|a\s+couple\s+(?:of\s+)?|one\s+|two\s+|three\s+|\d+\s+|"
    r"some\s+|several\s+|limited\s+|new\s+)?(?:\w+\s+)?(?:openings?|spots?|slots?|availability)\b"
    # availability by count: "three evening slots left", "still has 2 seats"
    r"|\b(?:a\s+few|a\s+couple(?:\s+of)?|one|two|three|four|\d+)\s+(?:\w+\s+)?(?:openings?|spots?|slots?|"
    r"seats?)\s+(?:open|left|available|free)\b"
    r"|\b(?:still\s+)?(?:has|have)\s+(?:a\s+few|a\s+couple(?:\s+of)?|one|two|three|four|\d+)\s+"
    r"(?:\w+\s+)?(?:openings?|spots?|slots?|seats?)\b"
    r"|\b(?:I'?m|I\s+am|we'?re|we\s+are|currently|now)\s+(?:currently\s+|now\s+)?"
    r"(?:accepting|taking|welcoming)\s+"
    r"(?:new\s+)?(?:clients|patients|couples|families|referrals|folks|people)\b"
    r"|\b(?:my|our)\s+(?:calendar|schedule|caseload|practice)\s+(?:now\s+|finally\s+|still\s+)?"
    r"(?:has|have)\s+(?:\w+\s+)?(?:openings?|spots?|slots?|room|space|availability)\b"
    r"|\b(?:I|we)\s+(?:also\s+)?(?:offer|have|do)\s+(?:a\s+)?sliding[- ]scale"
    r"|\b(?:my|our)\s+waitlist\s+is\s+(?:open|short|only)|\b\d+\s?%\s?off\b"
    # "Now scheduling for spring!", "link to book below"
    r"|\b(?:now|currently)\s+(?:booking|scheduling)\b|\blink\s+to\s+(?:book|schedule)\b"
    r"|\bdiscount(?:ed)?\s+(?:rate|fee|session)|\bpromo\s+code\b"
    r"|\bmention\s+(?:Reddit|this\s+(?:post|sub|thread|group))\b"
    r"|\bmy\s+(?:usual\s+|normal\s+|standard\s+|current\s+)?(?:fee|rate)\s+is\b"
    r"|\b(?:I|we)\s+(?:take|accept|am\s+in-network\s+with)\s+(?:Aetna|Cigna|BCBS|Blue\s+\w+|United|"
    r"Optum|Medicaid|Medicare|Empire|Kaiser|Tricare|most\s+insurance|your\s+insurance)\b",
    _I,
)
_WITH_ME = re.compile(r"\bwith\s+(?:me|us)\b", _I)

# The therapist's own service: "my practice runs a grief group", "we do telehealth sessions",
# "I offer one-to-one engagements". Said to help-seekers next to an invitation, it is an offer.
_OWN_SERVICE = re.compile(
    r"\b(?:I|we|(?:my|our)\s+(?:practice|team|clinic|group|office|center|centre))"
    r"(?:'m|'re|\s+am|\s+are)?\s+(?:also\s+|currently\s+|now\s+|still\s+)?"
    r"(?:run|runs|running|offer|offers|offering|host|hosts|hosting|lead|leads|leading|facilitate\w*|"
    r"have|has|do|does|see|starting|start|provide|provides)\b[^.!?]{0,50}?"
    r"\b(?:groups?|circles?|sessions?|spots?|openings?|consult(?:ation)?s?|therapy|intensives?|"
    r"engagements?|appointments?|telehealth)\b",
    _I,
)
_INVITATION = re.compile(
    r"\bif\s+(?:you|u|anyone)(?:'d|\s+would|'re|\s+are|\s+ever)?\s+(?:like|want|wanna|interested|"
    r"feel\s+like|need\s+(?:a|some|someone|support))\b|\bif\s+it\s+(?:feels|sounds)\s+right\b"
    r"|\bcheck\s+(?:it|us|me)\s+out\b|\bspots?\s+(?:left|open|available)\b|\bjoin\s+(?:us|me|in)\b"
    r"|\b(?:love|happy|glad)\s+to\s+have\s+you\b|\blet'?s\s+(?:connect|chat|talk)\b|\binterested\b",
    _I,
)


def check_solicitation(text: str, professional: bool) -> list[GuardWarning]:
    """Warnings for asking readers to become clients."""
    return list(_solicitation(text, professional))


def _solicitation(text: str, professional: bool) -> Iterator[GuardWarning]:
    slug = GuardSlug.SOLICITATION
    for m in finditer(_CONTACT_ME, text):
        # Among therapists "DM me for the template" is collegial; only service offers count.
        if professional and not SERVICE.search(sentence_at(text, m.start())):
            continue
        yield warning(slug, m.start(), m.end(), text, "Invites private contact")
    for m in finditer(_BOOKING, text):
        # Therapists compare free consults as business; a booking link or "with me" is an offer.
        # "Grab a spot" in a cohort is a product's pitch (promotion).
        if _about_product(text, m.start()):
            continue
        if not professional or "." in m.group() or _WITH_ME.search(sentence_at(text, m.start())):
            yield warning(slug, m.start(), m.end(), text, "Offers a booking or consult")
    for m in finditer(_PROFILE, text):
        # "link in my bio" beside a course or a book points at a product: that is promotion.
        if not _about_product(text, m.start(), after_any_product=True):
            yield warning(
                slug, m.start(), m.end(), text, "Points readers to the therapist's own profile"
            )
    for m in finditer(_INVITE, text):
        yield warning(slug, m.start(), m.end(), text, "Invites readers to become clients")
    if not professional:
        sents = sentences(text)
        for i, sent in enumerate(sents):
            offer = _OWN_SERVICE.search(sent.text)
            near = " ".join(s.text for s in sents[i : i + 2])
            if offer and _INVITATION.search(near) and not negated(sent.text, offer.start()):
                start, end = sent.start + offer.start(), sent.start + offer.end()
                yield warning(slug, start, end, text, "Offers the therapist's own service")
        for m in finditer(_OFFER, text):
            past = re.search(r"\bused\s+to\s*$", text[max(0, m.start() - 12) : m.start()], _I)
            if not past and not _about_product(text, m.start()):
                yield warning(slug, m.start(), m.end(), text, "Offers openings, fees or discounts")
    for m in [*phones(text), *EMAIL.finditer(text)]:
        if contact_owner(text, m) == "own":
            yield warning(slug, m.start(), m.end(), text, "Own phone or e-mail offered for contact")


def _about_product(text: str, pos: int, after_any_product: bool = False) -> bool:
    """The sentence at pos is about a product, or follows a product's pitch ("...program:
    x.co. Details on my site."), or (for a pointer to the profile) any product sentence
    ("*Couch Notes* is great ... episodes weekly, link in my bio")."""
    sents = sentences(text)
    if not sents:
        return False
    i = sentence_index(text, pos)
    before = sells_product if after_any_product else pitches_product
    return sells_product(sents[i].text) or (i > 0 and before(sents[i - 1].text))


_ASK_REVIEW = re.compile(
    r"\b(?:leav(?:e|ing)|writ(?:e|ing)|post(?:ing)?|drop(?:ping)?|giv(?:e|ing)|shar(?:e|ing)|"
    r"add(?:ing)?)\s+(?:me\s+|us\s+)?(?:a\s+|an\s+|your\s+)?"
    r"(?:(?:short|quick|honest|little|\d[- ]star|five[- ]star|google|yelp|psychology\s+today)\s+)*"
    r"(?:review|rating|testimonial|recommendation|endorsement)s?\b"
    r"|\b(?:a|your)\s+(?:google\s+|yelp\s+|quick\s+|short\s+)?(?:review|testimonial|rating)\s+would\s+"
    r"(?:mean|help|be)\b"
    r"|\b(?:review|rate)\s+(?:me|us|my\s+practice|our\s+practice)\b"
    r"|\bask(?:ing)?\s+(?:every(?:one|body)|all\s+(?:my\s+)?clients|clients|people|them|each\s+client)\s+"
    r"(?:\w+\s+){0,3}?for\s+(?:one|a\s+review|reviews?|testimonials?|a\s+testimonial|ratings?)\b"
    r"|\b(?:any|all)\s+(?:of\s+)?(?:my\s+)?(?:former\s+|past\s+|current\s+|old\s+)?(?:clients|patients)\b"
    r"[^.!?]{0,60}\b(?:chime\s+in|share|comment|tell|vouch|speak\s+to|write|say|post|leave|"
    r"record|let\s+(?:people|others|everyone)\s+know)\b"
    r"|\b(?:words|something|a\s+few\s+lines|a\s+sentence)\s+about\s+(?:working\s+with\s+me|"
    r"our\s+work|(?:your\s+)?(?:therapy|sessions|time)\s+with\s+me|your\s+experience)\b",
    _I,
)
_PRAISE = re.compile(
    r"\b(?:\d|five)[- ]star\b"
    r"|\byou\s+(?:literally\s+|truly\s+|really\s+)?(?:gave\s+me|saved|changed|helped\s+me|turned|are\s+the\s+best|"
    r"'re\s+the\s+best|made\s+me)\b"
    r"|\b(?:saved|changed)\s+my\s+(?:life|marriage|relationship|family)\b"
    r"|\b(?:best|greatest|most\s+amazing)\s+therapist\b|\bmy\s+life\s+back\b"
    r"|\bcouldn'?t\s+have\s+(?:done\s+)?(?:it|this)\s+without\s+you\b"
    r"|\b(?:the\s+reason|why)\s+I'?m\s+(?:still\s+here|alive|still\s+alive)\b"
    # a header presenting praise: "Sweet note from a client: '...'"
    r"|\b(?:kind|sweet|lovely|nice)\s+(?:words|note|message)\s+from\b[^:\"“'.!?]{0,30}[:\"“']",
    _I,
)
# Praise of the therapist or the therapy inside a quotation: "she helped me find my voice".
_QUOTED_PRAISE = re.compile(
    r"\b(?:you|she|he|they|Dr\.?\s*[A-Z]\w*|therapy|(?:our|the)\s+sessions|working\s+with\s+"
    r"(?:you|her|him))\b[^.!?]{0,30}?\b(?:helped|help\s+me|changed|saved|gave\s+me|taught\s+me|"
    r"turned|transformed)\b|\b(?:thank\s+you|so\s+grateful|forever\s+grateful|best\s+therapist|"
    r"life-?changing|best\s+(?:decision|thing|investment|choice)|couldn'?t\s+have\s+done|"
    r"(?:highly\s+)?recommend|(?:finally|truly)\s+(?:feel|felt)\s+(?:heard|seen|understood)|"
    r"ten\s+out\s+of\s+ten|10/10|the\s+reason\s+I'?m)\b",
    _I,
)
_FROM_CLIENT = re.compile(
    r"\b(?:client|patient|message|note|card|text|e-?mail|review|wrote|said|told\s+me|left\s+me|"
    r"sent\s+me|(?:got|received)\s+this|kind\s+words)\b"
    r"|\bfrom\s+(?:someone|somebody|one\s+of|today|this\s+week|(?:a|my|our)\s+(?:former|past|recent|"
    r"last)\b)",
    _I,
)


# A review asked for politely in any wording: "a short Yelp review would mean a lot".
_REVIEW = re.compile(
    r"\b(?:review|testimonial|rating|recommendation|kind\s+word|star)s?\b"
    r"|\b(?:Google|Yelp|Healthgrades|Zocdoc|Psychology\s+Today|Facebook)\s+(?:page|profile|listing)\b",
    _I,
)
_REQUEST = re.compile(
    r"\b(?:would\s+(?:you|mean)|could\s+you|please|I'?d\s+(?:be|love|appreciate|so)|grateful|"
    r"appreciate|mean\s+the\s+world|means\s+(?:a\s+lot|so\s+much)|help\s+(?:me|my\s+practice)|"
    r"if\s+(?:we'?ve|our|you'?ve|I'?ve))\b",
    _I,
)
# Addressed to clients, or "drop one": a request even without the word "please".
_TO_CLIENTS = re.compile(
    r"\b(?:former|past|current|old)\s+clients\s*[:,!]|\b(?:drop|leave|write|post)\s+(?:one|it|them)\b"
    r"|\bif\s+you(?:'re|\s+are|\s+were)\s+a\s+(?:former|past|current)\s+client\b",
    _I,
)
_OTHER_REVIEW = re.compile(
    r"\b(?:peer|chart|course|literature|book|case|utilization|performance|annual|code|board|"
    r"systematic|file|record|progress|treatment\s+plan)\s+reviews?\b",
    _I,
)


# Readers addressed as the therapist's clients: "if you've ever worked with me", "if I've
# helped you", "if you've completed our 8-week group", "former clients".
_CLIENTS_ADDRESSED = re.compile(
    r"\bif\s+(?:any\s+of\s+)?(?:you'?ve|you\s+have|you|anyone|any\s+of\s+you)(?:\s+(?:have|has))?\s+"
    r"(?:ever\s+|already\s+|recently\s+)?(?:worked\s+with|"
    r"seen|been\s+(?:to|in|through)|completed|finished|done|attended|come\s+to|graduated\s+from)\s+"
    r"(?:me|us|our|my|one\s+of\s+(?:our|my))\b"
    r"|\bif\s+(?:I|we)(?:'ve|\s+have)?\s+(?:ever\s+|already\s+)?(?:helped|worked\s+with|seen)\s+you\b"
    r"|\b(?:anyone|those\s+of\s+you|everyone|folks|people)\s+who(?:'s|\s+has|\s+have|'ve)?\s+"
    r"(?:ever\s+)?(?:worked\s+with|seen|been\s+to)\s+(?:me|us|our)\b"
    r"|\b(?:former|past|current|old)\s+(?:clients|patients|group\s+members)\b",
    _I,
)
# What a testimonial is made of: a review or rating, or the client's own story of the therapy.
_TESTIMONY = re.compile(
    r"\b(?:share|post|tell|write|leave|record|send|drop|add|feature|showcase|highlight|hear)\b"
    r"[^.!?]{0,30}?\b(?:(?:success|recovery|"
    r"healing|therapy)\s+)?(?:story|stories|experiences?|journey|results|progress|wins?|"
    r"testimonials?|reviews?|ratings?|words)\b",
    _I,
)
# Explaining the rule against testimonials is not asking for one.
_ABOUT_THE_RULE = re.compile(
    r"\b(?:ethic\w*|codes?\s+of\s+(?:ethics|conduct)|prohibit\w*|forbid\w*|bar(?:s|red)?\s+\w+ing|"
    r"bans?|banned|against\s+the\s+(?:rules|code)|undue\s+influence|not\s+allowed|"
    r"licensing\s+boards?|(?:soliciting|solicit|asking\s+for|collecting)\s+(?:\w+\s+)?"
    r"(?:testimonials|reviews))\b",
    _I,
)


def check_testimonial(text: str) -> list[GuardWarning]:
    """Warnings for asking for reviews or stories, or reposting client praise."""
    slug = GuardSlug.TESTIMONIAL
    found = [
        warning(slug, m.start(), m.end(), text, "Asks for reviews or testimonials")
        for m in finditer(_ASK_REVIEW, text)
        if not _ABOUT_THE_RULE.search(sentence_at(text, m.start()))
    ]
    sents = sentences(text)
    for i, sent in enumerate(sents):
        if _ABOUT_THE_RULE.search(sent.text):
            continue
        review = _REVIEW.search(sent.text)
        if (
            review
            and (_REQUEST.search(sent.text) or _TO_CLIENTS.search(text))
            and not _OTHER_REVIEW.search(sent.text)
            and not negated(sent.text, review.start())
        ):
            start, end = sent.start + review.start(), sent.start + review.end()
            found.append(warning(slug, start, end, text, "Asks for reviews or testimonials"))
        # "If I've helped you, could you post your experience below?"
        story = _TESTIMONY.search(sent.text)
        addressed = _CLIENTS_ADDRESSED.search(sent.text) or (
            i > 0 and _CLIENTS_ADDRESSED.search(sents[i - 1].text)
        )
        if story and addressed and not negated(sent.text, story.start()):
            start, end = sent.start + story.start(), sent.start + story.end()
            found.append(warning(slug, start, end, text, "Asks clients for their stories"))
    if _FROM_CLIENT.search(text):
        found += [
            warning(slug, m.start(), m.end(), text, "Reposts client praise")
            for m in _PRAISE.finditer(text)
        ]
        found += [
            warning(slug, m.start(), m.end(), text, "Reposts client praise")
            for m in QUOTE.finditer(text)
            if _QUOTED_PRAISE.search(m.group())
        ]
    return found
