"""Promotion rules: undisclosed promotion of the therapist's own products, links off the
allow-list, too many own links recently, and own links where a community forbids them.

A pitch is a product (course, workbook, app, podcast, ...) with a price, a call to buy or enrol,
or a link to a non-public site, or any mention of content whose name matches the sign-off or
the therapist's own names/domains. It is fine when the text says it is the therapist's own
("I wrote", "my blog", "disclosure:"); a third-party book with no link or pitch, and free public
resources, are not pitches.
"""

from __future__ import annotations

import re

from engage.guard.text import (
    BOOKING_HOSTS,
    SERVICE,
    Link,
    host_matches,
    links,
    sentences,
    warning,
    words,
)
from engage.types import GuardContext, GuardSlug, GuardWarning

_I = re.IGNORECASE

PRODUCT = re.compile(
    r"\b(?:(?:e-?course|course|workbook|e-?book|guide|app|podcast|webinar|workshop|bootcamp|"
    r"toolkit|journal|planner|audiobook|printable|template|module|article|download|free\s+trial)s?|"
    r"program(?:me)?|masterclass|master\s+class|"
    # ("site.com/book" is a booking page and "link to book" a verb, not a book)
    r"(?<!/)(?<!to\s)book(?!\s+(?:a|an|your|now|online|today|in|me|with|yourself|time|it|them|one))s?|"
    r"boot\s+camp|cohort|membership|tool\s+kit|challenge|summit|retreat|curriculum|series|class|"
    r"intensive|card\s+deck|newsletter|blog\s+post|episodes?|new\s+eps)\b|\b(?:episode|ep\.)\s*#?\d+"
    # A title in italics or quotes ("*Calm in Ten Days*") names a product as well as a noun does.
    r"|\*(?-i:[A-Z])[^*\n]{3,}\*|“(?-i:[A-Z])[^”\n]{3,}”",
    _I,
)
_PRICE = re.compile(r"[$£€]\s?\d+|\b\d+\s?(?:dollars|bucks)\b", _I)
_PROMO_CODE = re.compile(r"\bcode\s+(?-i:[A-Z0-9]{4,})\b", _I)
# Where the buyer is sent when no web address is given, or shop talk that says it is for sale.
_LINK_ELSEWHERE = re.compile(
    r"\blink\s+(?:in\s+(?:my\s+)?bio|below|in\s+(?:the\s+)?comments)\b|👇"
    r"|\b(?:(?:back\s+)?in\s+stock|sold\s+out|ships?|shipping|restock\w*|add\s+to\s+cart|checkout)\b",
    _I,
)
_PITCH = re.compile(
    _PRICE.pattern
    + r"|\b(?:enroll|enrol|enrollment|enrolment|register|sign\s+up|signup|buy|purchase|order|"
    r"pre-?order|subscribe|grab\s+(?:it|a|your|one|the)|get\s+(?:your|a)\s+copy|use\s+code|"
    r"code\s+[A-Z0-9]{3,}|spots?\s+(?:left|are\s+limited|fill)|closes|link\s+below|"
    r"link\s+in\s+(?:my\s+)?bio|start\s+(?:tonight|today|now)|available\s+(?:now|on\s+amazon|at)|"
    r"best\s+purchase|on\s+sale|launch(?:ed|ing)?|early[- ]bird|limited[- ]time|👇)",
    _I,
)
_DISCLOSED = re.compile(
    r"\b(?:I|we)\s+(?:also\s+)?(?:wrote|write|created|made|built|developed|designed|run|host|co-?host|"
    r"authored|recorded|put\s+together|launched|teach|started|publish(?:ed)?)\b"
    r"|\b(?:my|our)\s+(?:own\s+)?(?:[\w-]+\s+){0,2}?(?:e-?course|course|program|masterclass|"
    r"workbook|e-?book|book|guide|app|podcast|webinar|workshop|blog|article|post|site|website|"
    r"practice|newsletter|class|training|channel|video)\b"
    r"|\b(?:full|fair|quick|obligatory)\s+disclosure\b|(?:^|[(\[]\s*)disclosure\b|\bdisclosure\s*:|\bdisclaimer\b"
    r"|\bshameless\s+plug\b|\bself[- ]?(?:promo|plug)\w*"
    r"|\bI'?m\s+(?:the|its|an?)\s+(?:author|creator|host|founder|co-?author)\b"
    r"|\b(?:it'?s|it\s+is|this\s+is)\s+(?:mine|my\s+own)\b|\baffiliate\s+link\b"
    r"|\bI\s+(?:earn|get|make)\s+(?:a\s+)?(?:commission|royalties|money)\b",
    _I,
)
_NOT_MINE = re.compile(
    r"\bno\s+affiliation\b|\bnot\s+affiliated\b|\bI\s+(?:didn'?t|did\s+not)\s+write\b"
    r"|\bI'?m\s+not\s+(?:the\s+author|affiliated)\b|\bnot\s+mine\b"
    r"|\b(?:on|at|via|through)\s+their\s+(?:site|website|page)\b"
    # a buyer's account: "I took the Beck Institute's workshop", "I bought their course"
    r"|\bI\s+(?:did|took|attended|completed|finished|went\s+to|sat\s+through|signed\s+up\s+for|"
    r"bought|paid\s+for)\s+(?:the|their|a|an|this|that)\b",
    _I,
)
# Free public resources and directories (a .gov/.edu/.org site is a public body or a charity).
_PUBLIC_TLDS = (".gov", ".edu", ".org", ".int", ".nhs.uk", ".gov.uk")
_PUBLIC_HOSTS = (
    "psychologytoday.com",
    "postpartum.net",
    "988lifeline.org",
    "nih.gov",
    "wikipedia.org",
    "doi.org",
    "youtube.com",
    "reddit.com",
    "openpathcollective.org",
    "goodtherapy.org",
)
# A sign-off of capitalised words, on its own line or after the last sentence: "— Lena",
# "-- Dr. Ana Ruiz, Clear Water Counseling".
_SIGNOFF = re.compile(
    r"(?:(?:\n|(?<=[.!?)])[ \t]+)\s*(?:[—–~-]{1,2})"
    # or a valediction: "Cheers, Ana R., LPC", "xo Jen", "Warmly, Dr. Ruiz"
    r"|(?:^|(?<=\s))(?:Cheers|Best|Warmly|Warmest|Thanks|Regards|Kind\s+regards|Warm\s+regards|"
    r"Take\s+care|Sincerely|Be\s+well|In\s+kindness|Love|Hugs|xo|xoxo|xx),?)\s*"
    r"((?:Dr\.?\s+)?[A-Z][\w.'-]*(?:,?\s+[A-Z][\w.'-]*){0,7})\s*$"
)
_GENERIC_NAME_WORDS = words(
    """dr mr mrs ms the and counseling counselling therapy therapist psychotherapy practice group
    center centre services wellness llc pllc inc phd psyd lmft lcsw lpc lmhc md ma ms msw mental
    health clinic associates collective"""
)


def own_tokens(text: str, ctx: GuardContext) -> tuple[tuple[str, ...], int]:
    """Distinctive words of the therapist's own names (sign-off and context) and where the body
    of the text ends (the sign-off is not part of it)."""
    names = list(ctx.own_names)
    body_end = len(text)
    m = _SIGNOFF.search(text)
    if m:
        names.append(m.group(1))
        body_end = m.start()
    words = {
        w.lower()
        for name in names
        for w in re.findall(r"[A-Za-z][A-Za-z'-]{2,}", name)
        if w.lower() not in _GENERIC_NAME_WORDS
    }
    return tuple(sorted(words)), body_end


def _public(link: Link) -> bool:
    """Public resources, and booking links (those are solicitation, not a product)."""
    return link.host.endswith(_PUBLIC_TLDS) or host_matches(
        link.host, _PUBLIC_HOSTS + BOOKING_HOSTS
    )


def _is_own(link: Link, ctx: GuardContext, tokens: tuple[str, ...]) -> bool:
    squashed = link.host.replace("-", "")
    return host_matches(link.host, ctx.own_domains) or any(t in squashed for t in tokens)


def _unnamed_product(sentence: str, commercial_link: bool) -> bool:
    """Something sold without a product noun ("The Sleep Fix is $19: sleepfix.com", "free with
    code CALM20", "$19, link in my bio"); a therapy service priced or discounted is solicitation
    instead."""
    if SERVICE.search(sentence):
        return False
    sent_to_buy = commercial_link or bool(_LINK_ELSEWHERE.search(sentence))
    return bool(_PROMO_CODE.search(sentence)) or (sent_to_buy and bool(_PRICE.search(sentence)))


def sells_product(sentence: str) -> bool:
    """A sentence about a product rather than a therapy service: its "link in my bio" or
    "20% off" is promotion, not an invitation to become a client."""
    return not SERVICE.search(sentence) and (
        bool(PRODUCT.search(sentence)) or _unnamed_product(sentence, False)
    )


def pitches_product(sentence: str) -> bool:
    """A product sentence that also sells: a price, a call to buy, or a link."""
    return sells_product(sentence) and bool(_PITCH.search(sentence) or links(sentence))


def check_undisclosed(text: str, ctx: GuardContext) -> list[GuardWarning]:
    """Warnings for pitching one's own product without saying it is one's own."""
    if _DISCLOSED.search(text):
        return []
    tokens, body_end = own_tokens(text, ctx)
    body = text[:body_end]
    not_mine = bool(_NOT_MINE.search(body))
    found: list[GuardWarning] = []
    sents = sentences(body)
    for i, sent in enumerate(sents):
        near = " ".join(s.text for s in sents[i : i + 2])
        sent_links = [lk for lk in links(near) if not _public(lk)]
        if not (PRODUCT.search(sent.text) or _unnamed_product(sent.text, bool(sent_links))):
            continue
        own_link = any(_is_own(lk, ctx, tokens) for lk in links(sent.text))
        self_named = any(re.search(rf"\b{re.escape(t)}\b", sent.text, _I) for t in tokens)
        pitched = bool(_PITCH.search(near)) or bool(sent_links)
        if own_link or self_named or (pitched and not not_mine):
            found.append(
                warning(
                    GuardSlug.UNDISCLOSED_PROMOTION,
                    sent.start,
                    sent.end,
                    text,
                    "Promotes a product without saying it is the therapist's own",
                )
            )
    return found


def own_links(text: str, ctx: GuardContext) -> list[Link]:
    """Links to the therapist's own content: own domains, or any non-public link in a text that
    says it is the therapist's own."""
    tokens, _ = own_tokens(text, ctx)
    disclosed = bool(_DISCLOSED.search(text))
    return [lk for lk in links(text) if _is_own(lk, ctx, tokens) or (disclosed and not _public(lk))]


def check_links(text: str, ctx: GuardContext) -> list[GuardWarning]:
    """Allow-list, frequency and community-rule warnings about links (not in the evaluation)."""
    found: list[GuardWarning] = []
    if ctx.allowed_domains is not None:
        allowed = ctx.allowed_domains + ctx.own_domains
        found += [
            warning(GuardSlug.LINK_NOT_ALLOWED, lk.start, lk.end, text, "Link off the allow-list")
            for lk in links(text)
            if not host_matches(lk.host, allowed)
        ]
    mine = own_links(text, ctx)
    if not mine:
        return found
    # The 1-in-10 rule: this draft plus the 9 newest items may hold own links at most once.
    recent = sum(1 for item in ctx.recent_items[:9] if own_links(item, ctx))
    if recent >= 1:
        found += [
            warning(
                GuardSlug.SELF_PROMOTION_FREQUENCY,
                lk.start,
                lk.end,
                text,
                f"Own link again: {recent} of the last 9 items already link own content",
            )
            for lk in mine
        ]
    if ctx.community_forbids_promotion:
        found += [
            warning(
                GuardSlug.COMMUNITY_RULES,
                lk.start,
                lk.end,
                text,
                "This community's rules forbid self-promotion",
            )
            for lk in mine
        ]
    return found
