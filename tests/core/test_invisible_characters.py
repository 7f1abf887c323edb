"""One definition of the characters a reader can't see (engage.invisible), and the three places
that use it agree: the desk blocks approval of a draft holding one, the digest strips them, the
terminal shows them as ⟨U+XXXX⟩ markers."""

from __future__ import annotations

import unicodedata

import pytest

from engage.desk import placeholder_warnings
from engage.desk.states import NEVER_OVERRIDDEN
from engage.digest.render import clean
from engage.invisible import PATTERN, is_invisible
from engage.sources.base import visible

HIDDEN = {
    "tag letter": "\U000e0041",
    "tag block start": "\U000e0000",
    "cancel tag": "\U000e007f",
    "soft hyphen": "\u00ad",
    "arabic letter mark": "\u061c",
    "C1 CSI": "\u009b",
    "mongolian vowel separator": "\u180e",
    "hangul filler": "\u3164",
    "zero-width space": "\u200b",
    "right-to-left override": "\u202e",
    "escape": "\x1b",
    "carriage return": "\r",
    "byte order mark": "\ufeff",
    "private use": "\ue000",
}


def test_the_pattern_is_exactly_the_definition_for_every_code_point() -> None:
    missed, extra = [], []
    for code in range(0x110000):
        char = chr(code)
        matched = PATTERN.fullmatch(char) is not None
        if is_invisible(char) and not matched:
            missed.append(f"U+{code:04X}")
        elif matched and not is_invisible(char) and unicodedata.category(char) != "Cn":
            extra.append(f"U+{code:04X}")  # unassigned here, a format character in newer Unicode
    assert (missed, extra) == ([], [])


@pytest.mark.parametrize("char", HIDDEN.values(), ids=HIDDEN.keys())
def test_the_desk_blocks_approval_of_a_draft_hiding_the_character(char: str) -> None:
    warnings = placeholder_warnings(f"Agreed{char}, pacing matters.")
    assert [(w["slug"], w["blocking"], w["span"]) for w in warnings] == [
        ("invisible_characters", True, [6, 7])
    ]
    assert "invisible_characters" in NEVER_OVERRIDDEN


@pytest.mark.parametrize("char", HIDDEN.values(), ids=HIDDEN.keys())
def test_the_digest_strips_the_character(char: str) -> None:
    assert clean(f"Agreed{char}, pacing matters.") == "Agreed, pacing matters."


@pytest.mark.parametrize("char", HIDDEN.values(), ids=HIDDEN.keys())
def test_the_terminal_shows_the_character_as_a_marker(char: str) -> None:
    assert visible(f"a{char}b") == f"a⟨U+{ord(char):04X}⟩b"


def test_tabs_newlines_and_ordinary_letters_are_not_invisible() -> None:
    text = "Line one,\tthen\nline two: café, naïve, 日本語, “quoted” ✓ – ½"
    assert placeholder_warnings(text) == []
    assert visible(text) == text
