"""States and provinces of licensure by name or code ("California", "calif", "CA" -> CA), and
the time zone most of each state keeps.

Why: the matcher compares `licensed_in` codes with the places a thread names, so "California"
written into the config would quietly never match; init writes codes. Pure: a fixed table, no
IO; never guesses between two states (an ambiguous answer is asked again with the choices).
"""

from __future__ import annotations

import difflib
import re

from engage.setup.answers import AnswerError, clean

# code: (name, the time zone most of its people keep)
STATES: dict[str, tuple[str, str]] = {
    "AL": ("Alabama", "America/Chicago"), "AK": ("Alaska", "America/Anchorage"),
    "AZ": ("Arizona", "America/Phoenix"), "AR": ("Arkansas", "America/Chicago"),
    "CA": ("California", "America/Los_Angeles"), "CO": ("Colorado", "America/Denver"),
    "CT": ("Connecticut", "America/New_York"), "DE": ("Delaware", "America/New_York"),
    "DC": ("District of Columbia", "America/New_York"), "FL": ("Florida", "America/New_York"),
    "GA": ("Georgia", "America/New_York"), "HI": ("Hawaii", "Pacific/Honolulu"),
    "ID": ("Idaho", "America/Boise"), "IL": ("Illinois", "America/Chicago"),
    "IN": ("Indiana", "America/Indiana/Indianapolis"), "IA": ("Iowa", "America/Chicago"),
    "KS": ("Kansas", "America/Chicago"), "KY": ("Kentucky", "America/New_York"),
    "LA": ("Louisiana", "America/Chicago"), "ME": ("Maine", "America/New_York"),
    "MD": ("Maryland", "America/New_York"), "MA": ("Massachusetts", "America/New_York"),
    "MI": ("Michigan", "America/Detroit"), "MN": ("Minnesota", "America/Chicago"),
    "MS": ("Mississippi", "America/Chicago"), "MO": ("Missouri", "America/Chicago"),
    "MT": ("Montana", "America/Denver"), "NE": ("Nebraska", "America/Chicago"),
    "NV": ("Nevada", "America/Los_Angeles"), "NH": ("New Hampshire", "America/New_York"),
    "NJ": ("New Jersey", "America/New_York"), "NM": ("New Mexico", "America/Denver"),
    "NY": ("New York", "America/New_York"), "NC": ("North Carolina", "America/New_York"),
    "ND": ("North Dakota", "America/Chicago"), "OH": ("Ohio", "America/New_York"),
    "OK": ("Oklahoma", "America/Chicago"), "OR": ("Oregon", "America/Los_Angeles"),
    "PA": ("Pennsylvania", "America/New_York"), "RI": ("Rhode Island", "America/New_York"),
    "SC": ("South Carolina", "America/New_York"), "SD": ("South Dakota", "America/Chicago"),
    "TN": ("Tennessee", "America/Chicago"), "TX": ("Texas", "America/Chicago"),
    "UT": ("Utah", "America/Denver"), "VT": ("Vermont", "America/New_York"),
    "VA": ("Virginia", "America/New_York"), "WA": ("Washington", "America/Los_Angeles"),
    "WV": ("West Virginia", "America/New_York"), "WI": ("Wisconsin", "America/Chicago"),
    "WY": ("Wyoming", "America/Denver"), "PR": ("Puerto Rico", "America/Puerto_Rico"),
    "GU": ("Guam", "Pacific/Guam"), "VI": ("U.S. Virgin Islands", "America/St_Thomas"),
    # Canadian provinces and territories
    "AB": ("Alberta", "America/Edmonton"), "BC": ("British Columbia", "America/Vancouver"),
    "MB": ("Manitoba", "America/Winnipeg"), "NB": ("New Brunswick", "America/Moncton"),
    "NL": ("Newfoundland and Labrador", "America/St_Johns"),
    "NS": ("Nova Scotia", "America/Halifax"), "ON": ("Ontario", "America/Toronto"),
    "PE": ("Prince Edward Island", "America/Halifax"), "QC": ("Quebec", "America/Toronto"),
    "SK": ("Saskatchewan", "America/Regina"),
    "NT": ("Northwest Territories", "America/Yellowknife"),
    "NU": ("Nunavut", "America/Iqaluit"), "YT": ("Yukon", "America/Whitehorse"),
}  # fmt: skip

#: Other ways people write a state (lower case, without dots).
ALIASES = {
    "calif": "CA", "cali": "CA", "cal": "CA", "socal": "CA", "norcal": "CA",
    "southern california": "CA", "northern california": "CA", "bay area": "CA",
    "washington state": "WA", "wash": "WA", "washington dc": "DC", "washington d c": "DC",
    "d c": "DC", "district of columbia": "DC", "mass": "MA", "penn": "PA", "penna": "PA",
    "fla": "FL", "tex": "TX", "ariz": "AZ", "colo": "CO", "conn": "CT", "mich": "MI",
    "minn": "MN", "wis": "WI", "wisc": "WI", "tenn": "TN", "okla": "OK", "ore": "OR",
    "nev": "NV", "nyc": "NY", "new york city": "NY", "n y": "NY", "n j": "NJ", "ill": "IL",
    "ind": "IN", "kan": "KS", "kans": "KS", "ky": "KY", "miss": "MS", "mont": "MT",
    "neb": "NE", "nebr": "NE", "n mex": "NM", "n c": "NC", "s c": "SC", "n d": "ND",
    "s d": "SD", "vt": "VT", "va": "VA", "w va": "WV", "wyo": "WY", "alas": "AK",
    "quebec": "QC", "québec": "QC", "newfoundland": "NL",
}  # fmt: skip

_NAMES = {name.lower(): code for code, (name, _) in STATES.items()}
_ALL = {**_NAMES, **ALIASES}


def _norm(raw: str) -> str:
    text = clean(raw).lower().replace(".", " ")
    text = re.sub(r"^(?:the\s+)?state\s+of\s+|\s+state$", "", text.strip())
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def state_code(raw: str) -> str:
    """One state or province by code, name, common abbreviation, unique prefix or near-spelling."""
    original = clean(raw)
    if len(original) == 2 and original.upper() in STATES:
        return original.upper()
    text = _norm(original)
    if not text:
        raise AnswerError("a state by name or code, e.g. California or CA")
    if text in _ALL:
        return _ALL[text]
    if text.upper() in STATES and len(text) == 2:
        return text.upper()
    starting = sorted({code for name, code in _NAMES.items() if name.startswith(text)})
    if len(text) >= 3 and len(starting) == 1:
        return starting[0]
    if len(starting) > 1:
        names = ", ".join(STATES[code][0] for code in starting[:5])
        raise AnswerError(f"{original[:30]!r} could be {names}: which one?")
    close = difflib.get_close_matches(text, list(_ALL), n=1, cutoff=0.8)
    if close:
        return _ALL[close[0]]
    raise AnswerError(f"{original[:30]!r} is not a US state or Canadian province I know: try a "
                      "name or code, e.g. California or CA")  # fmt: skip


def state_codes(raw: str) -> list[str]:
    """'California, NV and Oregon' -> ['CA', 'NV', 'OR']; 'CA NV' -> ['CA', 'NV']."""
    found: list[str] = []
    for part in re.split(r"[,;/&+\n]|\band\b", clean(raw, limit=500)):
        if not part.strip():
            continue
        try:
            codes = [state_code(part)]
        except AnswerError:
            words = part.split()
            if len(words) < 2 or not all(len(w) == 2 and w.upper() in STATES for w in words):
                raise
            codes = [w.upper() for w in words]
        found += [code for code in codes if code not in found]
    return found


def state_in(place: str) -> str | None:
    """The state a free-text location names ('Southern California', 'Austin, TX'), or None."""
    try:
        text = clean(place)
    except AnswerError:
        return None
    for part in reversed([p for p in re.split(r"[,;()]", text) if p.strip()]):
        try:
            return state_code(part)
        except AnswerError:
            continue
    return None


def zone_of(code: str) -> str | None:
    entry = STATES.get(code)
    return entry[1] if entry else None
