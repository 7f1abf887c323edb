"""Typed answers read forgivingly: text cleaned of what a terminal can smuggle in, lists, yes/no,
times of day, email addresses, web addresses, community names, environment-variable names.

Each parser takes the raw text of one answer and returns the value the config wants, or raises
`AnswerError` whose message is a one-line hint for asking again. Pure: no IO, no network, and
no exception but `AnswerError` for any input (a 10,000-character line, escape sequences, NULs).
"""

from __future__ import annotations

import re

from engage.invisible import PATTERN as INVISIBLE

#: Longest free-text answer kept (a name, a location, a practice); longer is asked again.
MAX_TEXT = 200
#: Longest answer read at all (lists of communities or feeds included).
MAX_LINE = 2000

_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
#: Capitals only: a name in lower case is more likely a password typed in the wrong place.
_ENV_NAME = re.compile(r"[A-Z_][A-Z0-9_]*")
_HASHTAG = re.compile(r"\w+")
_REDDIT_USER = re.compile(r"[A-Za-z0-9_-]{3,20}")
_SPLIT = re.compile(r"[,;\n]+")

YES = frozenset({"y", "yes", "yeah", "yep", "sure", "ok", "okay", "true", "1"})
NO = frozenset({"n", "no", "nope", "false", "0", "none", "skip"})


class AnswerError(ValueError):
    """An answer that can't be used; the message is a one-line hint for the next try."""


def clean(raw: str, *, limit: int = MAX_TEXT) -> str:
    """`raw` without escape sequences, control or invisible characters, with runs of spaces made
    one; too long an answer is refused (asked again) rather than cut, so nothing is lost silently.
    """
    if len(raw) > MAX_LINE * 5:
        raise AnswerError(f"that answer is {len(raw):,} characters; keep it under {limit}")
    text = INVISIBLE.sub("", _ESCAPES.sub("", raw.replace("\t", " ")))
    text = " ".join(text.split())
    if len(text) > limit:
        raise AnswerError(f"that answer is {len(text):,} characters; keep it under {limit}")
    return text


def text(raw: str) -> str:
    """Free text (a name, credentials, a place), cleaned; may be empty."""
    return clean(raw)


def optional_text(raw: str) -> str | None:
    """Free text, or None for an empty answer or a plain "no"/"none"/"skip"."""
    value = clean(raw)
    return None if not value or value.lower() in NO else value


def items(raw: str, *, limit: int = MAX_LINE) -> list[str]:
    """A comma-separated (or semicolon- or line-separated) list, cleaned, empties dropped."""
    return [part.strip() for part in _SPLIT.split(clean(raw, limit=limit)) if part.strip()]


def yes_no(raw: str, default: bool) -> bool:
    answer = clean(raw).lower().rstrip(".!")
    if not answer:
        return default
    if answer in YES:
        return True
    if answer in NO:
        return False
    raise AnswerError("answer y (yes) or n (no)")


def time_of_day(raw: str) -> str:
    """'7', '7am', '7:30', '7.30 pm', '19:00', 'noon' -> 'HH:MM' (24-hour)."""
    answer = clean(raw).lower().replace(".", ":").replace(" ", "")
    if answer in ("noon", "midday"):
        return "12:00"
    match = re.fullmatch(r"(\d{1,2})(?::?(\d{2}))?(am|pm|a|p)?", answer)
    if match:
        hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
        if half and 1 <= hour <= 12:
            hour = hour % 12 + (12 if half.startswith("p") else 0)
        elif half:
            hour = 99
        if hour < 24 and minute < 60:
            return f"{hour:02d}:{minute:02d}"
    raise AnswerError("a time of day such as 7:30, 7am or 18:00")


def email(raw: str) -> str:
    answer = clean(raw).removeprefix("mailto:").strip("<> ")
    if not _EMAIL.fullmatch(answer):
        raise AnswerError("an email address such as you@example.org")
    return answer


def optional_email(raw: str) -> str | None:
    answer = clean(raw)
    return None if not answer or answer.lower() in NO else email(answer)


def web_address(raw: str) -> str:
    """An http(s) address; 'example.org' gets https:// in front. No passwords in it."""
    from engage.sources.base import web_url

    answer = clean(raw, limit=500)
    if answer and "://" not in answer and re.fullmatch(r"[\w.-]+\.[a-z]{2,}(?:[/?#]\S*)?", answer,
                                                        re.IGNORECASE):  # fmt: skip
        answer = "https://" + answer
    url = web_url(answer, credentials=True)
    if url is None:
        raise AnswerError("a web address such as https://example.org (or Enter to skip)")
    if re.match(r"[a-z]+://[^/]*@", url, re.IGNORECASE):
        raise AnswerError("leave the user name and password out: passwords never go in the config")
    return url.rstrip("/")


def optional_web_address(raw: str) -> str | None:
    answer = clean(raw, limit=500)
    return None if not answer or answer.lower() in NO else web_address(answer)


def web_addresses(raw: str) -> list[str]:
    found: list[str] = []
    for part in items(raw.replace(" ", ",")):
        url = web_address(part)
        if url not in found:
            found.append(url)
    return found


def subreddits(raw: str) -> list[str]:
    """'r/therapists, MFT https://reddit.com/r/EMDR/' -> ['therapists', 'MFT', 'EMDR']."""
    from engage.platforms.reddit.listing import subreddit_problem

    if clean(raw).lower() in NO:
        return []
    found: list[str] = []
    for part in items(raw.replace(" ", ",")):
        name = re.sub(r"^(?:https?://)?(?:[\w.]*reddit\.com)?/?(?:r/)?", "", part,
                      flags=re.IGNORECASE).strip("/").split("/")[0]  # fmt: skip
        if subreddit_problem(name):
            raise AnswerError(f"{part[:40]!r} is not a community name: use names like therapists, "
                              "MFT or r/privatepractice")  # fmt: skip
        if name.lower() not in {f.lower() for f in found}:
            found.append(name)
    return found


def hashtags(raw: str) -> list[str]:
    found: list[str] = []
    for part in items(raw.replace(" ", ",")):
        tag = part.lstrip("#")
        if not _HASHTAG.fullmatch(tag):
            raise AnswerError(f"{part[:40]!r} is not a hashtag (letters, digits, _): e.g. therapy")
        if tag.lower() not in {f.lower() for f in found}:
            found.append(tag)
    return found


def search_terms(raw: str) -> list[str]:
    found: list[str] = []
    for part in items(raw):
        term = part.strip("\"' ")
        if term and term.lower() not in {f.lower() for f in found}:
            found.append(term)
    return found


def reddit_mode(raw: str) -> str:
    answer = clean(raw).lower()
    if answer in ("", "rss", "feed", "feeds", "r"):
        return "rss"
    if answer in ("api", "app", "a"):
        return "api"
    if answer in ("off", "o", "none", "no", "n", "skip"):
        return "off"
    raise AnswerError("rss (the default), api or off")


def reddit_username(raw: str) -> str:
    answer = clean(raw).removeprefix("/").removeprefix("u/").removeprefix("/u/")
    if answer and (answer.lower() in NO):
        return ""
    if answer and not _REDDIT_USER.fullmatch(answer):
        raise AnswerError("a Reddit username (3 to 20 letters, digits, _ or -), or Enter to skip")
    return answer


def env_name(raw: str) -> str:
    answer = clean(raw)
    if not _ENV_NAME.fullmatch(answer):
        raise AnswerError("the NAME of an environment variable, in capitals (e.g. "
                          "ENGAGE_SMTP_PASSWORD), never the password itself")  # fmt: skip
    return answer


def delivery(raw: str) -> list[str]:
    """'both', 'in person', 'telehealth', 'online', 'video' -> in_person / telehealth."""
    answer = clean(raw).lower()
    if answer in ("both", "either", "hybrid", "all"):
        return ["in_person", "telehealth"]
    found: list[str] = []
    for part in re.split(r"[,;/&+]|\band\b|\bor\b", answer):
        word = part.strip().replace("-", " ").replace("_", " ")
        if not word:
            continue
        if word in ("in person", "person", "office", "in office", "inperson", "face to face"):
            kind = "in_person"
        elif word in ("telehealth", "online", "video", "virtual", "remote", "telemedicine",
                      "teletherapy", "zoom", "phone"):  # fmt: skip
            kind = "telehealth"
        else:
            raise AnswerError("in person, telehealth, or both")
        if kind not in found:
            found.append(kind)
    return found


def port(raw: str) -> int:
    answer = clean(raw)
    if answer.isdigit() and 1 <= int(answer) <= 65535:
        return int(answer)
    raise AnswerError("a port number: 587 (STARTTLS) or 465 (TLS)")


def smtp_security(raw: str) -> str:
    answer = clean(raw).lower().replace(" ", "")
    if answer in ("starttls", "start", "587"):
        return "starttls"
    if answer in ("tls", "ssl", "ssl/tls", "465"):
        return "tls"
    raise AnswerError("starttls (port 587) or tls (port 465); never plain")


def host(raw: str) -> str:
    answer = clean(raw).lower()
    if not re.fullmatch(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*",
                        answer):  # fmt: skip
        raise AnswerError("a mail server name such as smtp.example.org")
    return answer
