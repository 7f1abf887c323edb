"""A learned second opinion: per-slug logistic regressions that can add warnings the rules miss.

The weights live in `learned.json` next to this module, written by `bench/train_guard_model.py`
from the labelled sets in tests/data/guard (see that script for the training and the
leave-one-round-out evaluation). Loading is lazy (first call) and the module stays pure: text and
context in, warnings out; the only IO is reading the package's own data file once.

Features of a (context, text) pair, in four groups, each group scaled to unit length:

* word: lowercased word unigrams and bigrams of the text (digits written as 0);
* char: character 3-5-grams of the lowercased, whitespace-collapsed text (digits as 0);
* cue: structural cues (second person, first-person clinical verbs, ages, phone numbers, dates,
  capitalised names, initials, links, handles, quoted speech, prices, crisis resources) and the
  thread's cues the rules already compute (crisis disclosed, clinician audience);
* ctx: word unigrams of the thread description.

A slug fires when its score (bias + weights . features) exceeds that slug's threshold, which the
training script chose by cross-validation so that added false alarms on clean drafts stay small.
"""

from __future__ import annotations

import json
import math
import re
from functools import cache
from itertools import repeat
from pathlib import Path
from typing import Any

from engage.guard.text import QUOTE, Sentence, sentences, warning
from engage.types import GuardSlug, GuardWarning

MODEL_PATH = Path(__file__).with_name("learned.json")
SLUGS: tuple[GuardSlug, ...] = (
    GuardSlug.CLIENT_IDENTIFYING,
    GuardSlug.INDIVIDUAL_CLINICAL_ADVICE,
    GuardSlug.SOLICITATION,
    GuardSlug.TESTIMONIAL,
    GuardSlug.CRISIS_MISHANDLED,
    GuardSlug.UNDISCLOSED_PROMOTION,
)
GROUPS = ("word", "char", "cue", "ctx")
MESSAGE = "a pattern learned from labelled examples suggests {what}"
_WHAT = {
    GuardSlug.CLIENT_IDENTIFYING: "details that could identify a client",
    GuardSlug.INDIVIDUAL_CLINICAL_ADVICE: "individual clinical advice to a specific person",
    GuardSlug.SOLICITATION: "an invitation to become a client",
    GuardSlug.TESTIMONIAL: "a request for reviews or testimonials",
    GuardSlug.CRISIS_MISHANDLED: "a reply to a crisis disclosure without crisis resources",
    GuardSlug.UNDISCLOSED_PROMOTION: "promotion of the author's own product without disclosure",
}

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_DIGIT = re.compile(r"[0-9]")
_CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("second_person", r"(?i)\b(?:you|your|yours|yourself|u|ur)\b"),
        ("first_person", r"(?i)\b(?:I|I'm|I've|my|me)\b"),
        (
            "clinical_verb",
            r"(?i)\bI(?:'ve| have)?\s+(?:\w+\s+)?(?:saw|see|seeing|treat|treated|treating|"
            r"work(?:ed)? with|had a (?:client|patient)|counsel(?:l?ed)?|diagnosed|assessed)\b",
        ),
        ("my_client", r"(?i)\b(?:my|our|a|one)\s+(?:\w+\s+)?(?:clients?|patients?|supervisees?)\b"),
        ("digit", r"\d"),
        ("age", r"(?i)\b\d{1,2}\s*(?:-|\s)?(?:years?|yrs?)[- ]old\b|\b\d{2}\s*(?:yo|y/o|[MF])\b"),
        ("phone", r"\d{3}[\s.)-]+\d{3}[.-]\d{4}"),
        ("email", r"\b[\w.+-]+@\w+\.\w"),
        (
            "date",
            r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|"
            r"Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b|\b\d{1,2}/\d{1,2}\b",
        ),
        ("cap_mid", r"(?<=[a-z,;:] )[A-Z][a-z]{2,}\b"),
        ("initials", r"\b[A-Z]\.\s?[A-Z]?\.?(?=[\s,])"),
        ("url", r"(?i)https?://|www\.|\b\w+\.(?:com|org|net|io|co|me|app)\b"),
        ("handle", r"(?<![\w@])@\w{2,}"),
        ("hashtag", r"(?<!\w)#[A-Za-z]\w+"),
        ("price", r"\$\s?\d|\b\d+\s?(?:%|percent)\s+off\b"),
        ("exclaim", r"!"),
        (
            "resource",
            r"(?i)\b988\b|\b741741\b|\b911\b|hotline|helpline|lifeline|crisis (?:text )?line|"
            r"\bER\b|emergency|samaritans",
        ),
    )
)


def _collapsed(text: str) -> str:
    return " " + _DIGIT.sub("0", " ".join(text.lower().split())) + " "


def _word_features(text: str) -> set[str]:
    tokens = _WORD.findall(_DIGIT.sub("0", text.lower()))
    return {*tokens, *(f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False))}


def _char_features(text: str) -> set[str]:
    s = _collapsed(text)
    return {s[i : i + n] for n in (3, 4, 5) for i in range(len(s) - n + 1)}


def features(
    text: str, thread: str, *, crisis: bool, professional: bool
) -> dict[str, tuple[float, set[str]]]:
    """The features of a draft, per group: (the group's value for each feature, the features)."""
    cues = {name for name, pattern in _CUES if pattern.search(text)}
    if QUOTE.search(text):
        cues.add("quote")
    cues.add("crisis_thread" if crisis else "calm_thread")
    cues.add("clinician_thread" if professional else "public_thread")
    if crisis and "resource" not in cues:
        cues.add("crisis_without_resource")
    groups = {
        "word": _word_features(text),
        "char": _char_features(text),
        "cue": cues,
        "ctx": set(_WORD.findall(_DIGIT.sub("0", thread.lower()))),
    }
    return {g: (1.0 / math.sqrt(len(fs)) if fs else 0.0, fs) for g, fs in groups.items()}


class Model:
    """Loaded weights: per group and slug a dict feature -> weight, a bias and a threshold."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.bias: list[float] = [float(b) for b in data["bias"]]
        self.thresholds: list[float] = [float(t) for t in data["thresholds"]]
        self.weights: dict[str, list[dict[str, float]]] = {
            g: [
                {f: float(ws[j]) for f, ws in data["weights"][g].items() if ws[j]}
                for j in range(len(SLUGS))
            ]
            for g in GROUPS
        }

    def scores(self, feats: dict[str, tuple[float, set[str]]]) -> list[float]:
        """Each slug's score (bias + weights . features); it fires above its threshold."""
        out = list(self.bias)
        for g, (value, fs) in feats.items():
            if not value:
                continue
            for j, w in enumerate(self.weights[g]):
                out[j] += value * sum(map(w.get, fs, repeat(0.0)))
        return out

    def sentence_score(self, j: int, text: str) -> float:
        """How much one sentence's words and character grams push slug j (for the span)."""
        w_word, w_char = self.weights["word"][j], self.weights["char"][j]
        return sum(map(w_word.get, _word_features(text), repeat(0.0))) + sum(
            map(w_char.get, _char_features(text), repeat(0.0))
        )


@cache
def load(path: Path = MODEL_PATH) -> Model | None:
    """The model in `path`, read once; None when the file is absent (no second opinion)."""
    if not path.exists():
        return None
    return Model(json.loads(path.read_text(encoding="utf-8")))


def check(
    text: str, thread: str, *, crisis: bool, professional: bool, model: Model | None = None
) -> list[GuardWarning]:
    """The model's warnings for a draft: one per slug whose score passes its threshold."""
    model = model or load()
    if model is None:
        return []
    feats = features(text, thread, crisis=crisis, professional=professional)
    found: list[GuardWarning] = []
    for j, score in enumerate(model.scores(feats)):
        if score > model.thresholds[j]:
            slug = SLUGS[j]
            s = _strongest_sentence(model, j, text)
            found.append(warning(slug, s.start, s.end, text, MESSAGE.format(what=_WHAT[slug])))
    return found


def _strongest_sentence(model: Model, j: int, text: str) -> Sentence:
    parts = sentences(text) or [Sentence(0, len(text), text)]
    return max(parts, key=lambda s: model.sentence_score(j, s.text))
