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
from functools import cache
from importlib import resources
from typing import Any

_TOKEN = re.compile(r"[a-z']+|\d+")


def features(text: str) -> set[str]:
    """Words (numbers as 0), word pairs and the four-letter pieces of each word."""
    lowered = text.lower().replace("\u2019", "'")
    words = ["0" if w.isdigit() else w for w in _TOKEN.findall(lowered)]
    found = set(words)
    found.update(map("_".join, itertools.pairwise(words)))
    for marked in {"<" + word + ">" for word in words}:
        found.update("c:" + marked[i : i + 4] for i in range(len(marked) - 3))
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
    found = features(text)
    # fsum: exact, so the answer doesn't depend on the set's iteration order
    total = math.fsum(weights[f] for f in found if f in weights)
    return float(model["bias"]) + total / math.sqrt(len(found) or 1)


def threshold(safe_context: bool = False) -> float:
    """Above this the model flags; beside a safe context the cues read, it must be surer."""
    model = _weights()
    margin = float(model["safe_context_margin"]) if safe_context else 0.0
    return float(model["threshold"]) + margin
