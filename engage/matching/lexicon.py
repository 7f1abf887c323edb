"""Find many phrases in one regex pass.

A regex alternation of hundreds of phrases is slow in Python's `re` (it tries each alternative at
every position); the same phrases folded into a character trie are matched in one fast scan. Each
phrase maps to the features it carries (a specialty term, an intent cue, a place...), so one scan
serves every part of the scorer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

_ASCII_LOWER = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ\u2019\u2018", "abcdefghijklmnopqrstuvwxyz''"
)
_SEPARATORS = re.compile(r"[\s\-]+")
_WORDS = re.compile(r"[^\s\-]+")
_WORD_CHAR = re.compile(r"\w")
# A space in a phrase matches any run of whitespace or hyphens: "post partum" = "post-partum".
_GAP = r"[\s\-]+"


def fold(text: str) -> str:
    """Lower-case ASCII letters and straighten quotes without changing the string's length,
    so that offsets found in the folded text are offsets into the original."""
    # On ASCII text (most posts) str.lower() does exactly that, many times faster.
    return text.lower() if text.isascii() else text.translate(_ASCII_LOWER)


def normalize(phrase: str, *, case_sensitive: bool = False) -> str:
    """The lookup key of a phrase: separators collapsed to one space, folded unless exact."""
    key = _SEPARATORS.sub(" ", phrase.strip())
    return key if case_sensitive else fold(key)


@dataclass(frozen=True, slots=True)
class Feature:
    """What a phrase means: `kind` (term, cue, place...), `key` (slug, intent...), `weight`."""

    kind: str
    key: str
    weight: float = 1.0
    term: str = ""


class Hit(NamedTuple):
    """A phrase found at `start:end` of the scanned text, with its normalized form.
    (A NamedTuple: posts produce many hits, and tuples are the cheapest to build.)"""

    phrase: str
    start: int
    end: int
    features: tuple[Feature, ...]


_Key = tuple[bool, str]  # (case-sensitive, normalized phrase)


class Lexicon:
    """Phrases (exact case or case-insensitive) compiled into two trie regexes.

    The regex reports the longest phrase at each position. A phrase added as `atomic` owns its
    words ("betrayal trauma" is not also "trauma"; "baby therapist" is not "baby"); the words of
    any other phrase keep their own meaning ("my husband" also reports "husband").
    """

    def __init__(self) -> None:
        self._features: dict[_Key, list[Feature]] = {}
        self._frozen: dict[_Key, tuple[Feature, ...]] = {}
        self._by_phrase: dict[bool, dict[str, tuple[Feature, ...]]] = {}
        self._atomic: set[_Key] = set()
        self._inner: dict[_Key, list[tuple[int, int, _Key]]] = {}
        self._patterns: tuple[re.Pattern[str] | None, re.Pattern[str] | None] = (None, None)
        self._after_non_word: re.Pattern[str] | None = None
        self._after_non_word_ascii: re.Pattern[bytes] | None = None

    def add(
        self, phrase: str, feature: Feature, *, case_sensitive: bool = False, atomic: bool = False
    ) -> None:
        key = (case_sensitive, normalize(phrase, case_sensitive=case_sensitive))
        if not key[1]:
            raise ValueError(f"empty phrase for {feature.kind} {feature.key!r}")
        features = self._features.setdefault(key, [])
        if feature not in features:
            features.append(feature)
        if atomic:
            self._atomic.add(key)

    def compile(self) -> None:
        """Build the regexes; call once after the last `add`."""
        self._inner = {}
        for key in self._features:
            if key in self._atomic:
                continue
            words = key[1].split(" ")
            inner = [
                (i, j, (key[0], sub))
                for i in range(len(words))
                for j in range(i + 1, len(words) + 1)
                if (j - i) < len(words)
                and (sub := " ".join(words[i:j]))
                and (key[0], sub) in self._features
            ]
            if inner:
                self._inner[key] = inner
        self._frozen = {key: tuple(features) for key, features in self._features.items()}
        self._by_phrase = {False: {}, True: {}}
        for (exact, phrase), features in self._frozen.items():
            self._by_phrase[exact][phrase] = features
        # Exact-case phrases are few: scanning without a leading \b is several times faster
        # (the regex can skip to their first letters), and scan() checks the boundary itself.
        insensitive = _trie(k for (case_sensitive, k) in self._features if not case_sensitive)
        with_case = _trie(k for (case_sensitive, k) in self._features if case_sensitive)
        self._patterns = (
            re.compile(r"\b" + insensitive + r"\b") if insensitive else None,
            re.compile(with_case + r"\b") if with_case else None,
        )
        # The same phrases led by the non-word character before them: the regex engine then
        # skips from one non-word character to the next instead of trying every position...
        after_non_word = r"\W" + insensitive + r"\b"
        self._after_non_word = re.compile(after_non_word) if insensitive else None
        # ... and for ASCII text, as bytes: there "\W" is a table lookup, not a Unicode one.
        self._after_non_word_ascii = (
            re.compile(after_non_word.encode()) if insensitive and insensitive.isascii() else None
        )

    def patterns(self) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
        """The compiled (case-insensitive, exact-case) regexes; see `scan` for their use."""
        return self._patterns

    def after_non_word_patterns(self) -> tuple[re.Pattern[str] | None, re.Pattern[bytes] | None]:
        """The case-insensitive regex with the character before each phrase in the match: run
        on " " + folded text, a match at `i:j` is the phrase at `i:j - 1` of the text (the one
        the \\b-led regex finds there), and it finds the same phrases, faster. The second is
        the same regex for ASCII text encoded as bytes (None if a phrase is not ASCII)."""
        return self._after_non_word, self._after_non_word_ascii

    def phrases(self) -> dict[tuple[bool, str], tuple[Feature, ...]]:
        """(case-sensitive, normalized phrase) -> its features, for every phrase added."""
        return dict(self._frozen)

    def inner(self) -> dict[tuple[bool, str], list[tuple[int, int, tuple[bool, str]]]]:
        """Phrase -> the phrases inside it that keep their meaning: words [i:j] are phrase k."""
        return dict(self._inner)

    def scan(self, text: str, folded: str | None = None) -> list[Hit]:
        """Every phrase occurrence in `text` (longest at each position): case-insensitive ones
        in text order, then exact-case ones in text order. `folded` is `fold(text)` if the
        caller has it already."""
        insensitive, exact = self._patterns
        hits: list[Hit] = []
        if insensitive is not None:
            subject = fold(text) if folded is None else folded
            self._collect(hits, insensitive.finditer(subject), False, self._by_phrase[False])
        if exact is not None:
            # Without a leading \b in the regex, check that the match starts a word.
            matches = (
                m
                for m in exact.finditer(text)
                if not (s := m.start()) or not _WORD_CHAR.match(text, s - 1)
            )
            self._collect(hits, matches, True, self._by_phrase[True])
        return hits

    def _collect(
        self,
        hits: list[Hit],
        matches: Iterable[re.Match[str]],
        case_sensitive: bool,
        by_phrase: dict[str, tuple[Feature, ...]],
    ) -> None:
        inner = self._inner
        for m in matches:
            phrase = m.group()
            start = m.start()
            end = start + len(phrase)
            if not phrase.isalnum():
                phrase = _SEPARATORS.sub(" ", phrase)
            features = by_phrase.get(phrase)
            if features is None:
                continue
            hits.append(Hit(phrase, start, end, features))
            if inner and (case_sensitive, phrase) in inner:
                hits.extend(self._inner_hits(m, inner[(case_sensitive, phrase)]))

    def _inner_hits(self, match: re.Match[str], inner: list[tuple[int, int, _Key]]) -> list[Hit]:
        offset = match.start()
        words = [w.span() for w in _WORDS.finditer(match.group())]
        return [
            Hit(key[1], offset + words[i][0], offset + words[j - 1][1], self._frozen[key])
            for i, j, key in inner
        ]


class _Node:
    __slots__ = ("children", "end")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.end = False


def _trie(phrases: Iterable[str]) -> str:
    """The phrases as one regex of nested alternatives ("" if there are none)."""
    root = _Node()
    for phrase in phrases:
        node = root
        for char in phrase:
            node = node.children.setdefault(char, _Node())
        node.end = True
    return _emit(root)


def _emit(node: _Node) -> str:
    branches = [
        (_GAP if char == " " else re.escape(char)) + _emit(child)
        for char, child in sorted(node.children.items())
    ]
    if not branches:
        return ""
    group = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if node.end:
        return f"(?:{group})?"
    return group
