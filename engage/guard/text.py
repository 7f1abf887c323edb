"""Text helpers shared by the guard's rules: sentences, links, emails, phone numbers, negation."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from engage.types import GuardSlug, GuardWarning

BLOCKING = frozenset(
    {
        GuardSlug.CLIENT_IDENTIFYING,
        GuardSlug.INDIVIDUAL_CLINICAL_ADVICE,
        GuardSlug.SOLICITATION,
        GuardSlug.TESTIMONIAL,
        GuardSlug.CRISIS_MISHANDLED,
    }
)


def warning(slug: GuardSlug, start: int, end: int, text: str, why: str) -> GuardWarning:
    """Build a warning whose message quotes the flagged text, so a reviewer sees what and why."""
    excerpt = " ".join(text[start:end].split())
    if len(excerpt) > 80:
        excerpt = excerpt[:77] + "..."
    return GuardWarning(slug, f"{why}: “{excerpt}”", (start, end), slug in BLOCKING)


def words(listing: str) -> frozenset[str]:
    """A word list written as one whitespace-separated string, for readable stop lists."""
    return frozenset(listing.split())


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str


# A sentence ends at . ! ? (not after a common abbreviation, an initial or a list number)
# followed by space, or at a line break.
_ABBREVIATIONS = re.compile(
    r"(?:\b(?:Dr|Mr|Mrs|Ms|Mx|Prof|St|Jr|Sr|vs|etc|e\.g|i\.e|approx|No|pop)|\b[A-Z]|\b[a-z]"
    r"|(?:^|\n)[ \t]*\d{1,2})\.$"
)
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)*_]*(?=\s)|\n+")


def sentences(text: str) -> tuple[Sentence, ...]:
    """Split into sentences with offsets; good enough for drafts of 1-8 sentences.

    Cached: every rule module asks for the same draft's sentences, and a rule that looks up
    the sentence at a position must not split the whole text again (a 1 MB paste)."""
    return _split(text)


@lru_cache(maxsize=8)
def _split(text: str) -> tuple[Sentence, ...]:
    result: list[Sentence] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        before = text[max(0, m.start() - 6) : m.end()]
        if m.group().startswith(".") and _ABBREVIATIONS.search(before):
            continue
        _append(result, text, start, m.end())
        start = m.end()
    _append(result, text, start, len(text))
    return tuple(result)


@lru_cache(maxsize=8)
def _starts(text: str) -> tuple[int, ...]:
    return tuple(s.start for s in _split(text))


def sentence_index(text: str, pos: int) -> int:
    """The index (in `sentences(text)`) of the sentence holding position `pos`, or of the last
    one starting before it (0 when none does)."""
    return max(0, bisect_right(_starts(text), pos) - 1)


def sentence_at(text: str, pos: int) -> str:
    """The text of the sentence holding position `pos` ("" in the blanks between sentences)."""
    sents = _split(text)
    if not sents:
        return ""
    s = sents[sentence_index(text, pos)]
    return s.text if s.start <= pos < s.end else ""


def _append(result: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        result.append(Sentence(start, end, text[start:end]))


# A quotation: opened after a space or colon, closed before a space or punctuation (so the
# apostrophes of "didn't" inside it do not close it).
QUOTE = re.compile(r"(?:^|(?<=[\s:(]))[\"“‘'][^\n]{8,}?[\"”’'](?=[\s.,;:!?)]|$)")


def without_quotes(text: str) -> str:
    """The text with quotations blanked out (offsets kept): a quoted "you" is someone else's."""
    return QUOTE.sub(lambda m: " " * len(m.group()), text)


EMAIL = re.compile(r"\b[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
_TLDS = (
    "com|org|net|co|io|us|edu|gov|info|me|app|health|care|ca|uk|au|nz|ie|de|ly|page|blog|site|"
    "online|coach|life|live|fm|tv|xyz|ai|int|biz|shop|store|courses?|academy|therapy|clinic"
)
URL = re.compile(
    rf"\b(?:https?://)?(?:www\.)?((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:{_TLDS}))\b"
    r"(?:[/?#][^\s)\]>\"'*,]*[^\s)\]>\"'*,.!?:;])?",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Link:
    start: int
    end: int
    host: str


def links(text: str) -> list[Link]:
    """Every web address in the text (with or without a scheme); e-mail addresses are not links."""
    emails = [(m.start(), m.end()) for m in EMAIL.finditer(text)]
    found: list[Link] = []
    for m in URL.finditer(text):
        if any(s <= m.start() < e for s, e in emails):
            continue
        host = m.group(1).lower()
        found.append(Link(m.start(), m.end(), host.removeprefix("www.")))
    return found


# Scheduling services: a link to one is an invitation to book, not a product.
BOOKING_HOSTS = (
    "calendly.com",
    "acuityscheduling.com",
    "zocdoc.com",
    "janeapp.com",
    "simplepractice.com",
    "clientsecure.me",
    "headway.co",
    "growtherapy.com",
    "alma.com",
    "tidycal.com",
)


def host_matches(host: str, domains: tuple[str, ...]) -> bool:
    """True when host is one of the domains or a subdomain of one."""
    for domain in domains:
        d = domain.lower().strip().removeprefix("https://").removeprefix("http://")
        d = d.removeprefix("www.").split("/")[0]
        if d and (host == d or host.endswith("." + d)):
            return True
    return False


PHONE = re.compile(
    r"(?<![\w-])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])?\d{3}[.-]\d{4}(?![\w-])"
)
_TOLL_FREE = re.compile(r"^(?:\+?1[\s.-]?)?\(?8(?:00|88|77|66|55|44|33)\)?")


def phones(text: str) -> Iterator[re.Match[str]]:
    """Phone numbers that are not toll-free lines (public hotlines are toll-free or short codes)."""
    for m in PHONE.finditer(text):
        if not _TOLL_FREE.match(m.group()):
            yield m


_OWN_CONTACT = re.compile(
    r"\b(?:call|text|me|my|our|office|practice|intake|reach(?:ed)?|email|e-mail)\b[^.!?\d]{0,25}$"
    r"|\b(?:my|our)\s+(?:[\w-]+\s+){0,3}(?:can\s+be|is|are)\s+(?:reached|available)\b[^.!?\d]{0,10}$",
    re.IGNORECASE,
)
_OTHERS_CONTACT = re.compile(
    r"\b(?:her|his|their|she|he|they|client'?s?|patient'?s?|wife'?s?|husband'?s?|partner'?s?|"
    r"mom'?s?|dad'?s?|son'?s?|daughter'?s?|parent'?s?|teen'?s?|family'?s?|couple'?s?)\b",
    re.IGNORECASE,
)
_PUBLIC_CONTACT = re.compile(
    r"\b(?:hotline|helpline|warmline|lifeline|crisis|line|center|centre|services|poison|"
    r"control|department|agency|board|office\s+of)\b|\b(?:info|hello|contact|support|help|"
    r"admin|intake|office)@|\.(?:org|gov|edu)\b",
    re.IGNORECASE,
)


def contact_owner(text: str, m: re.Match[str]) -> str:
    """Whose phone number or e-mail this is: "own" (the therapist's), "public" (a service),
    or "other" (someone else's: a client's, in a therapist's draft)."""
    before = text[max(0, m.start() - 40) : m.start()]
    before = before[max(before.rfind(stop) for stop in ".!?\n") + 1 :]  # its own sentence
    if _OTHERS_CONTACT.search(before):
        return "other"
    if _PUBLIC_CONTACT.search(before) or _PUBLIC_CONTACT.search(m.group()):
        return "public"
    return "own" if _OWN_CONTACT.search(before) else "other"


# Words of a therapy service: what a practice offers, as opposed to a product.
SERVICE = re.compile(
    r"\b(?:consult|session|appointment|opening|spot|availability|referr\w+|refer|intake|therapy|"
    r"work\s+together|see\s+you|client)\b",
    re.IGNORECASE,
)


_NEGATION = re.compile(
    r"\b(?:don'?t|do not|doesn'?t|never|not|no|please don'?t|shouldn'?t|avoid|stop|without|"
    r"instead of|rather than|against|prohibit\w*|why you shouldn'?t)\b"
    # "but" closes the negation's scope: "Not that, but let's go over it Friday"
    r"(?:(?!\bbut\b)[^.!?]){0,25}$",
    re.IGNORECASE,
)


def negated(text: str, start: int) -> bool:
    """True when a negation closely precedes position `start` in the same sentence."""
    return bool(_NEGATION.search(text[max(0, start - 40) : start]))


def finditer(patterns: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Matches of a pattern that are not negated ("I don't do DMs", "don't stop your meds")."""
    for m in patterns.finditer(text):
        if not negated(text, m.start()):
            yield m
