"""Characters a reader can't see, defined once. The desk refuses to approve a draft that holds
one (approved text must be exactly what the therapist saw), the digest strips them from post
text, and the terminal shows them as ⟨U+XXXX⟩ markers (`engage.sources.base.visible`).

`is_invisible` is the definition: every control character but tab and newline (Unicode
category Cc, the C1 controls such as U+009B, a terminal's CSI, included); every format
character (Cf: zero-width characters, direction marks, overrides and isolates, the soft hyphen,
U+061C, U+180E, the byte order mark, tag characters); surrogates and private-use characters
(Cs, Co: nothing a reader can know the meaning of); the whole tag block U+E0000–U+E007F, which
can spell a hidden message; and the letters that are drawn as nothing (the Hangul fillers, the
combining grapheme joiner). `PATTERN` is the same set as one regular expression, written out so
that no import scans the Unicode tables (tests/core/test_invisible_characters.py checks it
against `is_invisible` for every code point).
"""

from __future__ import annotations

import re
import unicodedata

#: Unicode categories whose every character is invisible (tab and newline excepted).
CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co"})
#: Kept: the only controls ordinary text needs.
ALLOWED = frozenset("\t\n")
#: Tag characters: invisible, and able to carry a whole hidden ASCII message.
TAG_BLOCK = range(0xE0000, 0xE0080)
#: Letters and marks of other categories that are drawn as nothing.
BLANK = frozenset("\u034f\u115f\u1160\u3164\uffa0")

PATTERN = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891"
    r"\u08e2\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ud800-\uf8ff"
    r"\ufeff\uffa0\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    r"\U0001d173-\U0001d17a\U000e0000-\U000e007f\U000f0000-\U000ffffd\U00100000-\U0010fffd]"
)


def is_invisible(char: str) -> bool:
    """Whether a reader can't see `char` (one character): the definition `PATTERN` spells out."""
    if char in ALLOWED:
        return False
    return unicodedata.category(char) in CATEGORIES or ord(char) in TAG_BLOCK or char in BLANK
