"""Render a DigestData as a subject, a plain-text part and an HTML part.

Every piece of post text is untrusted: it is stripped of invisible and direction-changing
characters, flattened to one line where it could break a layout or a header, and escaped by
Jinja2's autoescape in the HTML. Links are shown with their real (ASCII/punycode) host, and
only http(s) links become links at all. The HTML uses inline styles only: no remote images,
fonts or scripts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from engage import invisible
from engage.types import DigestData, WaitingDraft

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


def bars(values: Sequence[float | None]) -> str:
    """A one-line chart of small counts (a missing value as a gap), for the text part."""
    top = max((v for v in values if v is not None), default=0)
    if top == 0:
        return "".join(" " if v is None else "·" for v in values)
    return "".join(
        " " if v is None else BARS[min(len(BARS) - 1, round(v / top * (len(BARS) - 1)))]
        for v in values
    )


def stat(value: int | float | None) -> str:
    """A week's figure: a count, a share as a percentage, or a dash when there is none."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.0%}"
    return str(value)


def bar_width(value: float | None, values: Sequence[float | None]) -> int:
    """The width (percent of its cell) of the bar under a figure in the HTML chart."""
    top = max((v for v in values if v is not None), default=0)
    return 0 if not value or not top else max(8, round(100 * value / top))


WAITING_LABELS = {"reply": "a reply", "crisis_reply": "a crisis-resources reply",
                  "blog_share": "a share", "note": "a note"}  # fmt: skip
STEP_LABELS = {"note": "a short personal note", "call": "a call", "coffee": "coffee",
               "group": "an invitation to a consultation group"}  # fmt: skip


def waiting_label(draft: WaitingDraft) -> str:
    what = WAITING_LABELS.get(draft.kind, draft.kind)
    return f"{what} to post yourself" if draft.status == "approved" else f"{what} to approve"


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
    env.filters.update(clean=clean, link=safe_link, age=age_text, stat=stat)
    env.globals.update(
        intent_label=lambda intent: INTENT_LABELS.get(intent, intent), bars=bars,
        bar_width=bar_width, waiting_label=waiting_label,
        step_label=lambda step: STEP_LABELS.get(step, step),
    )  # fmt: skip
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
    }
    env = environment()
    return RenderedDigest(
        subject=subject_for(data),
        text=env.get_template("digest.txt.j2").render(context),
        html=env.get_template("digest.html.j2").render(context),
    )
