"""Render a DigestData as a subject, a plain-text part and an HTML part.

Every piece of post text is untrusted: it is stripped of invisible and direction-changing
characters, flattened to one line where it could break a layout or a header, and escaped by
Jinja2's autoescape in the HTML. Links are shown with their real (ASCII/punycode) host, and
only http(s) links become links at all. The HTML uses inline styles only: no remote images,
fonts or scripts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from engage import invisible
from engage.types import DigestData

if TYPE_CHECKING:
    from jinja2 import Environment

BARS = "▁▂▃▄▅▆▇█"
INTENT_LABELS = {
    "consult_question": "consultation question",
    "referral_request": "referral request",
    "discussion": "discussion",
    "article_share": "article shared",
    "business": "practice business",
    "vent": "vent",
    "other": "other",
}


@dataclass(frozen=True, slots=True)
class RenderedDigest:
    subject: str
    text: str
    html: str


@dataclass(frozen=True, slots=True)
class SafeLink:
    """An http(s) URL and the host a reader should see; `href` is None when not linkable."""

    href: str | None
    host: str


def clean(text: str, one_line: bool = True) -> str:
    """Untrusted text without invisible/direction/control characters (and on one line)."""
    text = invisible.PATTERN.sub("", text)
    return " ".join(text.split()) if one_line else text.strip()


def safe_link(url: str) -> SafeLink:
    url = clean(url)
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return SafeLink(None, "invalid link")
    if parts.scheme not in ("http", "https") or not host:
        return SafeLink(None, "link removed")
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        ascii_host = host.encode("ascii", "backslashreplace").decode("ascii")
    return SafeLink(url.replace('"', "%22"), ascii_host)


def age_text(hours: float) -> str:
    if hours < 1:
        return "just now"
    if hours < 48:
        return f"{int(hours)} h ago"
    return f"{int(hours // 24)} days ago"


def bars(values: list[int]) -> str:
    """A one-line chart of small counts, for the text part."""
    top = max(values, default=0)
    if top == 0:
        return "·" * len(values)
    return "".join(BARS[min(len(BARS) - 1, round(v / top * (len(BARS) - 1)))] for v in values)


@cache
def environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("engage", "templates"),
        autoescape=lambda name: bool(name and name.endswith(".html.j2")),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(clean=clean, link=safe_link, age=age_text)
    env.globals.update(intent_label=lambda intent: INTENT_LABELS.get(intent, intent), bars=bars)
    return env


def subject_for(data: DigestData) -> str:
    day = data.local_date.strftime("%a %-d %b")
    if data.quiet:
        return f"engage · a quiet day · {day}"
    count = data.thread_count
    noun = "thread" if count == 1 else "threads"
    return f"engage · {count} {noun} worth joining · {day}"


def render_digest(
    data: DigestData, *, review_command: str = "engage review", settings_hint: str = ""
) -> RenderedDigest:
    context = {
        "d": data,
        "review_command": review_command,
        "settings_hint": settings_hint,
        "week_totals": [day.published + day.replies for day in data.week],
    }
    env = environment()
    return RenderedDigest(
        subject=subject_for(data),
        text=env.get_template("digest.txt.j2").render(context),
        html=env.get_template("digest.html.j2").render(context),
    )
