"""Where a pattern can start: each is tried only at the word starts that begin with one of its
literal prefixes, so a post is read once instead of once per pattern. Pure; no IO.

A few hundred cue patterns, each searched over the whole text, cost about a millisecond a post;
anchored at the handful of word starts that can begin them, they cost a few microseconds. The
prefixes are read from the patterns themselves (`re`'s own parser), so a pattern added to
`cues.py` is indexed without anyone listing its words; a pattern that can begin with anything is
searched the old way, and `unanchored` names it so a test can keep that list empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

_ZERO_WIDTH = {sre.AT, sre.ASSERT, sre.ASSERT_NOT}
_MAX_PREFIXES = 400
_WORD_START = re.compile(r"\b\w")


@dataclass(frozen=True, slots=True)
class Anchored:
    """A compiled pattern with what it stands for (e.g. a crisis kind and a strength)."""

    pattern: re.Pattern[str]
    tag: Any


def literal_prefixes(pattern: str, flags: int = 0) -> set[str] | None:
    """The literal strings every match of `pattern` begins with (zero-width assertions skipped),
    or None when some match can begin with anything literal-free."""
    found = _prefixes(list(sre_parse.parse(pattern, flags)))
    if not found or any(not text for text, _ in found):
        return None
    return {text for text, _ in found}


def _prefixes(items: list[Any], at_start: bool = True) -> set[tuple[str, bool]] | None:
    """(prefix, complete) pairs for a parsed sequence: complete means all of it was literal, so
    whatever follows extends the prefix. None when there are too many to be worth it.

    Matches are only tried at word starts, so at the start of a pattern optional non-word
    characters (a leading `\\s*`) can't be part of the match and are skipped."""
    if not items:
        return {("", True)}
    (op, av), rest = items[0], items[1:]
    head: set[tuple[str, bool]] | None
    if op in _ZERO_WIDTH:
        return _prefixes(rest, at_start)
    if op is sre.LITERAL:
        head = {(chr(av), True)}
    elif op is sre.BRANCH:
        branches = [_prefixes(list(branch), at_start) for branch in av[1]]
        head = None if any(b is None for b in branches) else set().union(*branches)  # type: ignore[arg-type]
    elif op is sre.SUBPATTERN:
        head = _prefixes(list(av[3]), at_start)
    elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        inner = _prefixes(list(av[2]), at_start)
        if inner is None:
            return None
        literal = all(text for text, _ in inner)
        if av[0] == 0 and at_start:
            # Optional at the start: a match that begins with it also matches, a little shorter,
            # where what follows begins (a word start again, since cues begin with words).
            return _prefixes(rest, at_start)
        if av[0] == 0 and not literal:  # an optional stretch of anything: the prefix ends here
            return {("", False)}
        # once at most (`'?` in "i'?m"): the prefix may go on after it; more often, it stops
        head = inner if av[1] == 1 else {(text, False) for text, _ in inner}
        if av[0] == 0:  # optional: the match may also go on with what follows
            skipped = _prefixes(rest, at_start)
            return None if skipped is None else head | skipped
    elif op is sre.IN and (chars := _characters(av)) is not None:
        head = {(char, True) for char in chars}
    else:
        return {("", False)}
    if head is None:
        return None
    result: set[tuple[str, bool]] = set()
    tail: set[tuple[str, bool]] | None = None
    for text, complete in head:
        if not complete:
            result.add((text, False))
            continue
        tail = _prefixes(rest, at_start=False) if tail is None else tail
        if tail is None:
            return None
        result |= {(text + more, done) for more, done in tail}
    return None if len(result) > _MAX_PREFIXES else result


def _characters(members: list[Any]) -> list[str] | None:
    """The characters a small class like [- ], [0-9] or \\d stands for; None for wider ones."""
    chars: list[str] = []
    for op, av in members:
        if op is sre.LITERAL:
            chars.append(chr(av))
        elif op is sre.CATEGORY and av is sre.CATEGORY_DIGIT:
            chars.extend("0123456789")
        elif op is sre.RANGE and av[1] - av[0] < 10:
            chars.extend(chr(c) for c in range(av[0], av[1] + 1))
        else:
            return None
    return chars


class PatternIndex:
    """Patterns keyed by the first three characters of their literal prefixes (fewer, for a
    shorter prefix such as the "i" of "i'm")."""

    def __init__(self, entries: list[Anchored]) -> None:
        grouped: dict[str, dict[int, tuple[list[str], Anchored]]] = {}
        self.unanchored: list[Anchored] = []
        for entry in entries:
            prefixes = literal_prefixes(entry.pattern.pattern, entry.pattern.flags)
            if prefixes is None or any(not (p[0].isalnum() or p[0] == "'") for p in prefixes):
                self.unanchored.append(entry)
                continue
            for prefix in sorted(prefixes):
                slot = grouped.setdefault(prefix[:3], {}).setdefault(id(entry), ([], entry))
                slot[0].append(prefix)
        self._by_key = {
            key: [(tuple(prefixes), entry) for prefixes, entry in slots.values()]
            for key, slots in grouped.items()
        }
        self._key_lengths = sorted({len(key) for key in self._by_key}, reverse=True)

    def finditer(self, text: str) -> Iterator[tuple[Anchored, re.Match[str]]]:
        """Every match of every pattern, by start position (several may start at one place)."""
        by_key = self._by_key
        lengths = self._key_lengths
        for word in _WORD_START.finditer(text):
            start = word.start()
            for length in lengths:
                for prefixes, entry in by_key.get(text[start : start + length], ()):
                    if text.startswith(prefixes, start):
                        found = entry.pattern.match(text, start)
                        if found:
                            yield entry, found
        for entry in self.unanchored:
            for found in entry.pattern.finditer(text):
                yield entry, found
