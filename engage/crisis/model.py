"""The learned second opinion: a logistic regression over the words of a post. Pure; reads only
its own weights file (shipped in the package), once.

Hand-written cues explain themselves but miss wording nobody wrote a rule for; on posts neither
had seen, this model found about nine crisis posts in ten where the cues found about half
(bench/train_crisis_model.py has the figures and rebuilds the weights). The detector ORs the
two: the model can add a flag, never remove one.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import unicodedata
from collections import Counter
from functools import cache
from importlib import resources
from typing import Any

_TOKEN = re.compile(r"[a-z']+|\d+")


def words_of(text: str) -> list[str]:
    """The post's words, lower case, numbers as 0; compatibility forms folded and invisible
    format characters dropped, so fullwidth or zero-width tricks can't hide a word."""
    if not text.isascii():
        visible = "".join(c for c in text if unicodedata.category(c) != "Cf")
        text = unicodedata.normalize("NFKC", visible)
    return ["0" if w.isdigit() else w for w in _TOKEN.findall(text.lower().replace("\u2019", "'"))]


def word_features(word: str) -> list[str]:
    """A word and its four-letter pieces (each once): what one distinct word contributes."""
    marked = "<" + word + ">"
    return [word, *{"c:" + marked[i : i + 4] for i in range(len(marked) - 3)}]


def features(text: str) -> Counter[str]:
    """Each distinct word with its pieces, and each distinct word pair. A piece shared by two
    words counts twice, so a word's part of the sum can be worked out once and remembered."""
    words = words_of(text)
    found: Counter[str] = Counter()
    for word in set(words):
        found.update(word_features(word))
    found.update(set(map("_".join, itertools.pairwise(words))))
    return found


@cache
def _weights() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        resources.files("engage.crisis").joinpath("model.json").read_text(encoding="utf-8")
    )
    return data


def score(text: str) -> float:
    """The model's log-odds that the post is a crisis (above `threshold()` it flags)."""
    model = _weights()
    weights: dict[str, float] = model["weights"]
    words = words_of(text)
    parts = [_word_part(word) for word in set(words)]
    pairs = set(map("_".join, itertools.pairwise(words)))
    # fsum: exact, so the answer doesn't depend on the sets' iteration order
    total = math.fsum([*(w for w, _ in parts), *(weights[p] for p in pairs if p in weights)])
    count = sum(n for _, n in parts) + len(pairs)
    return float(model["bias"]) + total / math.sqrt(count or 1)


_PARTS: dict[str, tuple[float, int]] = {}
_PARTS_LIMIT = 200_000


def _word_part(word: str) -> tuple[float, int]:
    """A distinct word's weight (with its pieces) and feature count, remembered: words repeat."""
    known = _PARTS.get(word)
    if known is None:
        weights: dict[str, float] = _weights()["weights"]
        found = word_features(word)
        known = (math.fsum(weights[f] for f in found if f in weights), len(found))
        if len(_PARTS) >= _PARTS_LIMIT:
            _PARTS.clear()
        _PARTS[word] = known
    return known


def threshold(safe_context: bool = False) -> float:
    """Above this the model flags; beside a safe context the cues read, it must be surer."""
    model = _weights()
    margin = float(model["safe_context_margin"]) if safe_context else 0.0
    return float(model["threshold"]) + margin
