"""Boolean search expressions for a profile's `extra_terms` and `exclusions`.

Grammar (operators in capitals; adjacent operands mean AND, as in a search box)::

    expr   := and ("OR" and)*
    and    := unary (["AND"] unary)*
    unary  := "NOT" unary | atom
    atom   := WORD | WORD* | "quoted phrase" | "(" expr ")"

Words and phrases match whole words, case-insensitively; `adopt*` matches any word starting with
"adopt"; a phrase's words may be separated by spaces or hyphens. Errors are ValueErrors that name
the position, so the config loader can point at the exact character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from engage.matching.lexicon import fold

_TOKEN = re.compile(r'\s*(?:(?P<paren>[()])|"(?P<phrase>[^"]*)(?P<closed>")?|(?P<word>[^\s()"]+))')
_OPERATORS = frozenset({"AND", "OR", "NOT"})
_WORD_CHAR = re.compile(r"\w")
_WORD = re.compile(r"\w+(?:['\-]\w+)*\*?$")


@dataclass(frozen=True, slots=True)
class Phrase:
    """A word, `prefix*` or quoted phrase; `pattern` finds it in text, and `literal` is in every
    folded text it is found in (a substring test that rules most texts out for less)."""

    text: str
    pattern: re.Pattern[str]
    literal: str = ""


@dataclass(frozen=True, slots=True)
class Not:
    operand: Expression


@dataclass(frozen=True, slots=True)
class And:
    operands: tuple[Expression, ...]


@dataclass(frozen=True, slots=True)
class Or:
    operands: tuple[Expression, ...]


Expression = Phrase | Not | And | Or


def matches(expression: Expression, text: str) -> list[tuple[int, int]]:
    """Where `expression` holds in `text`: (start, end) of every positive phrase found, or []
    if it does not hold. An expression true only through NOT has no phrase, so it holds with a
    single empty (0, 0) span. Pass text through `lexicon.fold` first (fast, and offsets stay
    those of the original)."""
    found = _evaluate(expression, text)
    if found is None:
        return []
    return found or [(0, 0)]


def required_words(expression: Expression) -> tuple[str, ...] | None:
    """Words of which a folded text must hold one for `expression` to hold (a substring test
    that rules most texts out), or None when it can hold without any (through NOT)."""
    if isinstance(expression, Phrase):
        return (expression.literal,) if expression.literal else None
    if isinstance(expression, Not):
        return None
    found = [required_words(operand) for operand in expression.operands]
    if isinstance(expression, And):  # any one operand's words will do: the fewest
        return min((words for words in found if words is not None), key=len, default=None)
    if any(words is None for words in found):
        return None
    return tuple(word for words in found if words is not None for word in words)


def _evaluate(expression: Expression, text: str) -> list[tuple[int, int]] | None:
    if isinstance(expression, Phrase):
        # the usual case, and cheaper to tell
        if expression.literal not in text or expression.pattern.search(text) is None:
            return None
        spans = [
            m.span()
            for m in expression.pattern.finditer(text)
            if not m.start() or not _WORD_CHAR.match(text, m.start() - 1)
        ]
        return spans or None
    if isinstance(expression, Not):
        return [] if _evaluate(expression.operand, text) is None else None
    held = []
    for operand in expression.operands:
        result = _evaluate(operand, text)
        if result is not None:
            held.append(result)
        elif isinstance(expression, And):
            return None
    return [span for r in held for span in r] if held else None


def parse(source: str) -> Expression:
    """Parse one expression; raise ValueError naming the position of the first problem."""
    return _Parser(source).parse()


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = list(self._tokenize(source))
        self.index = 0

    def parse(self) -> Expression:
        if not self.tokens:
            raise ValueError(f"empty expression: {self.source!r}")
        expression = self._or()
        if self.index < len(self.tokens):
            kind, _text, position = self.tokens[self.index]
            raise self._error(position, "unexpected ')'" if kind == ")" else "unexpected token")
        return expression

    def _tokenize(self, source: str) -> list[tuple[str, str, int]]:
        tokens: list[tuple[str, str, int]] = []
        position = 0
        while position < len(source):
            m = _TOKEN.match(source, position)
            if m is None or m.end() == position:  # only trailing whitespace is left
                break
            start = m.start(m.lastgroup) if m.lastgroup else m.start()
            if m.group("paren"):
                tokens.append((m.group("paren"), m.group("paren"), start))
            elif m.group("word") is not None:
                word = m.group("word")
                kind = word if word in _OPERATORS else "word"
                if kind == "word" and not _WORD.match(word):
                    raise self._error(start, f"{word!r} is not a word (quote punctuation)")
                tokens.append((kind, word, start))
            else:
                start = m.start("phrase") - 1
                if m.group("closed") is None:
                    raise self._error(start, "unterminated quote")
                if not re.search(r"\w", m.group("phrase")):
                    raise self._error(start, "empty phrase")
                tokens.append(("phrase", m.group("phrase"), start))
            position = m.end()
        return tokens

    def _peek(self) -> str | None:
        return self.tokens[self.index][0] if self.index < len(self.tokens) else None

    def _or(self) -> Expression:
        operands = [self._and()]
        while self._peek() == "OR":
            self.index += 1
            operands.append(self._and())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def _and(self) -> Expression:
        operands = [self._unary()]
        while self._peek() in {"AND", "NOT", "word", "phrase", "("}:
            if self._peek() == "AND":
                self.index += 1
            operands.append(self._unary())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def _unary(self) -> Expression:
        if self._peek() == "NOT":
            self.index += 1
            return Not(self._unary())
        return self._atom()

    def _atom(self) -> Expression:
        if self.index >= len(self.tokens):
            raise self._error(len(self.source), "expression ends where a term was expected")
        kind, text, position = self.tokens[self.index]
        self.index += 1
        if kind == "(":
            inner = self._or()
            if self._peek() != ")":
                raise self._error(position, "'(' is never closed")
            self.index += 1
            return inner
        if kind in {"word", "phrase"}:
            return Phrase(text, _phrase_pattern(text), _literal(text))
        raise self._error(position, f"expected a term, found {text!r}")

    def _error(self, position: int, message: str) -> ValueError:
        pointer = " " * position + "^"
        return ValueError(f"{message} at position {position}:\n  {self.source}\n  {pointer}")


def _literal(text: str) -> str:
    """The longest word of a phrase (a prefix's letters), as folded text holds it; "" when the
    phrase is not ASCII (its pattern then ignores case beyond what folding does)."""
    if not text.isascii():
        return ""
    return max((w.rstrip("*") for w in re.findall(r"\w+\*?", fold(text))), key=len, default="")


def _phrase_pattern(text: str) -> re.Pattern[str]:
    """Matches folded text; non-ASCII words fall back to a case-insensitive regex."""
    words = re.findall(r"\w+\*?", fold(text))
    parts = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in words]
    flags = 0 if text.isascii() else re.IGNORECASE
    # No leading \b (it stops the regex engine skipping ahead); _evaluate checks the boundary.
    return re.compile(r"[\s\-']+".join(parts) + r"\b", flags)
