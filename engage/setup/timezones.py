"""A time zone from what a person would type: "Pacific", "Pacific Time", "PST", "Los Angeles",
"Eastern", "New York", a state ("Texas"), or any IANA name ("America/Chicago", "europe/berlin").

Why: the digest is sent at `send_at` in this zone and weeks are counted in it, and "Pacific" once
reached `ZoneInfo`, which read it as the directory /usr/share/zoneinfo/Pacific. Must never hand
typed text to ZoneInfo or the file system: an answer becomes a zone only by being looked up in
`zoneinfo.available_timezones()` or the tables below, so a path ("../../etc") is never one.
"""

from __future__ import annotations

import difflib
import re
from functools import cache

from engage.setup.answers import AnswerError, clean
from engage.setup.places import STATES, state_code

LA, DENVER, PHOENIX, CHICAGO, NEW_YORK = (
    "America/Los_Angeles", "America/Denver", "America/Phoenix", "America/Chicago",
    "America/New_York",
)  # fmt: skip
ANCHORAGE, HONOLULU = "America/Anchorage", "Pacific/Honolulu"

#: Common names and abbreviations, after "time", "zone", "standard" and "daylight" are dropped.
COMMON = {
    "pacific": LA, "pt": LA, "pst": LA, "pdt": LA, "west coast": LA,
    "mountain": DENVER, "mt": DENVER, "mst": DENVER, "mdt": DENVER,
    "arizona": PHOENIX, "central": CHICAGO, "ct": CHICAGO, "cst": CHICAGO, "cdt": CHICAGO,
    "eastern": NEW_YORK, "et": NEW_YORK, "est": NEW_YORK, "edt": NEW_YORK, "east coast": NEW_YORK,
    "alaska": ANCHORAGE, "akst": ANCHORAGE, "akdt": ANCHORAGE, "hawaii": HONOLULU,
    "hst": HONOLULU, "hawaii aleutian": HONOLULU, "atlantic": "America/Halifax",
    "ast": "America/Puerto_Rico", "newfoundland": "America/St_Johns",
    "samoa": "Pacific/Pago_Pago", "sst": "Pacific/Pago_Pago", "chamorro": "Pacific/Guam",
    "chst": "Pacific/Guam",
    "utc": "UTC", "gmt": "UTC", "z": "UTC", "zulu": "UTC", "coordinated universal": "UTC",
    "uk": "Europe/London", "british": "Europe/London", "bst": "Europe/London",
    "cet": "Europe/Paris", "central european": "Europe/Paris",
}  # fmt: skip

#: Cities people name that are not the last part of an IANA name.
CITIES = {
    "la": LA, "san francisco": LA, "sf": LA, "seattle": LA, "portland": LA, "san diego": LA,
    "sacramento": LA, "san jose": LA, "oakland": LA, "las vegas": LA, "fresno": LA,
    "orange county": LA, "bay area": LA, "salt lake city": DENVER, "salt lake": DENVER,
    "albuquerque": DENVER, "colorado springs": DENVER, "tucson": PHOENIX, "scottsdale": PHOENIX,
    "dallas": CHICAGO, "houston": CHICAGO, "austin": CHICAGO, "san antonio": CHICAGO,
    "minneapolis": CHICAGO, "st louis": CHICAGO, "saint louis": CHICAGO,
    "kansas city": CHICAGO, "nashville": CHICAGO, "new orleans": CHICAGO, "memphis": CHICAGO,
    "milwaukee": CHICAGO, "oklahoma city": CHICAGO, "omaha": CHICAGO,
    "nyc": NEW_YORK, "boston": NEW_YORK, "philadelphia": NEW_YORK,
    "washington dc": NEW_YORK, "dc": NEW_YORK, "atlanta": NEW_YORK, "miami": NEW_YORK,
    "orlando": NEW_YORK, "tampa": NEW_YORK, "charlotte": NEW_YORK, "pittsburgh": NEW_YORK,
    "baltimore": NEW_YORK, "cleveland": NEW_YORK, "columbus": NEW_YORK, "raleigh": NEW_YORK,
    "brooklyn": NEW_YORK, "manhattan": NEW_YORK, "richmond": NEW_YORK,
    "indianapolis": "America/Indiana/Indianapolis", "montreal": "America/Toronto",
    "ottawa": "America/Toronto", "calgary": "America/Edmonton",
}  # fmt: skip

_NOISE = re.compile(r"\b(?:time|zone|timezone|standard|daylight|saving|savings|us|usa)\b")
HINT = ("a city (Los Angeles), Pacific, Mountain, Central or Eastern, or a name such as "
        "America/Chicago")  # fmt: skip


@cache
def _iana() -> dict[str, str]:
    """Every IANA name this machine knows, by its lower-case spelling."""
    from zoneinfo import available_timezones

    return {name.lower(): name for name in available_timezones()}


@cache
def _last_parts() -> dict[str, str]:
    """'los angeles' -> America/Los_Angeles: city names from the IANA names themselves (one
    zone per city; the canonical Area/City form preferred over legacy aliases)."""
    found: dict[str, str] = {}
    for name in sorted(_iana().values(), key=lambda n: (n.count("/") != 1, n)):
        if "/" in name and name.split("/")[0] not in ("Etc", "SystemV", "US", "posix", "right"):
            found.setdefault(name.rsplit("/", 1)[1].replace("_", " ").lower(), name)
    return found


def timezone(raw: str) -> str:
    """The IANA name for `raw`, or AnswerError with a hint."""
    original = clean(raw)
    if not original:
        raise AnswerError(HINT)
    lowered = original.lower()
    words = " ".join(re.sub(r"[^\w\s]", " ", _NOISE.sub(" ", lowered)).split())
    for table in (COMMON, CITIES):
        if words in table:
            return table[words]
    if ".." not in lowered and not lowered.startswith("/") and lowered in _iana():
        return _iana()[lowered]  # an exact IANA name ("US/Pacific" too)
    spaced = lowered.replace("_", " ")
    if spaced in _last_parts() or words in _last_parts():
        return _last_parts().get(spaced) or _last_parts()[words]
    try:
        code = state_code(original)
    except AnswerError:
        code = None
    if code is not None and len(words) > 2:  # a state by name ("Texas"), not a two-letter guess
        return STATES[code][1]
    close = difflib.get_close_matches(words, [*COMMON, *CITIES, *_last_parts()], n=1, cutoff=0.85)
    if close:
        return COMMON.get(close[0]) or CITIES.get(close[0]) or _last_parts()[close[0]]
    raise AnswerError(f"{original[:40]!r} is not a time zone I know: try {HINT}")
