"""An experiment: a learned second opinion for the guard, and whether it generalises (it does not
yet, at the false-alarm cost we allow; so it is not wired into engage.guard).

Run: .venv/bin/python bench/train_guard_model.py --eval [--budget B] [--l2 L] [--json OUT]
     .venv/bin/python bench/train_guard_model.py --timeline OLD_PREDICTIONS.json ROUND,ROUND,...
     .venv/bin/python bench/train_guard_model.py --throughput [--write MODEL.json]

Data: tests/data/guard/guard-dev.jsonl (its own round, "dev") and fresh-cases.jsonl (field
`round`: "first", "blind-2" ... "blind-8"), 534 records. Model: one logistic regression per slug,
plain-Python SGD (15 seeded epochs, L2, positives weighted by sqrt(negatives/positives)), over
four feature groups each scaled to unit length: word uni/bigrams and character 3-5-grams of the
text (lowercased, digits as 0; kept if in >= 2 training drafts), structural cues (second person,
first-person clinical verbs, "my client", ages, phones, e-mails, dates, mid-sentence capitalised
words, initials, links, handles, hashtags, prices, quoted speech, crisis resources) plus the
rules' own thread cues (crisis disclosed, clinician audience, crisis without a resource), and the
thread's words. Deterministic: --write gives the same bytes under any PYTHONHASHSEED.

Thresholds (one per slug), chosen on training rounds only: out-of-fold scores from 4 folds of
whole rounds, then a greedy walk lowering the slug with the best gain in caught problems per
added false alarm while out-of-fold flagged clean records stay <= --budget (2%); finally each
threshold is raised above every in-sample score of a record without that slug, so a shipped
model could never change the exact slug sets the tests require.

Results (November 2026, 534 records; "FA" = clean records of the round the model flags; the
rules add none, so it is the model's added false-alarm rate):

Leave-one-round-out, --budget 0.02 (model-alone on the held-out round; rules now are 1.00 on
every round because they were fixed on it, so rules+model is 1.00 too and says nothing):

  round    n   recall_any  FA clean    client  advice  solicit  testim  crisis  promo
  blind-2  38  16/21 .76   2/17 .12    7/10    2/3     2/2      2/2     2/2     1/2
  blind-3  32   6/14 .43   1/18 .06    0/5     1/2     2/3      1/2     2/2     1/1
  blind-4  20   8/11 .73   1/9  .11    4/4     0/2     2/2      0/1     1/1     1/1
  blind-5  88  44/51 .86   2/37 .05   18/23    7/8     8/10     5/6     5/5     4/5
  blind-6  46  18/28 .64   0/18 .00    5/12    3/4     4/6      1/3     3/3     2/3
  blind-7 115  39/66 .59   1/49 .02   14/27    5/11    8/13     4/7     7/7     2/6
  blind-8  46  18/26 .69   3/20 .15    5/10    4/4     2/4      2/2     3/3     2/3
  dev     100  39/50 .78   1/50 .02   15/24    8/9     5/10     4/6     6/6     2/5
  first    49  17/25 .68   1/24 .04    4/10    4/4     4/4      1/2     3/3     1/2
  ALL     534 205/292 .70 12/242 .050 72/125 .58  34/47 .72  37/54 .69  20/31 .65  32/32  16/28

  Stricter thresholds (--budget 0: above every out-of-fold clean score) still flag 7/242 = 2.9%
  held-out clean records, and client_identifying recall falls to 31/125 = 0.25 (recall_any 0.56).
  Also tried: --budget 0.01 (FA 3.7%); --l2 1e-3 with budgets 0 / 0.01 / 0.02 (FA 3.7% / 5.0% /
  5.0%). None of the six settings reached <= 2% (settings compared on these held-out rounds, so
  even the best figure is optimistic).
  Crisis recall is borrowed from the rules' thread detector (a feature); without crisis-only
  records model-alone recall_any is 178/265 = 0.67. The flagged clean records are near-misses
  written to look like the problem: advice-shaped psychoeducation (3 of blind-8's 20 clean), a
  hypothetical client, the therapist's own age and town, a free community group, a CE workshop.

First contact, honestly (--timeline): the guard as committed before a round existed (git
e173b53 knew dev..blind-4; 43d1b59 knew dev..blind-6; predictions from `git archive COMMIT
engage` run on every record) against a model trained on the rounds known then:

  rules as of  unseen rounds  rules recall_any  FA     model  FA      rules+model  FA     rescued
  e173b53      blind-5..8     .55               1/124  .60    17/124  .80          18/124  42/77
  43d1b59      blind-7..8     .46               0/69   .53    2/69    .70          2/69    22/50

  The model rescues about half of the rules' first-contact misses, but not 0.95 recall_any, and
  trained on only 239 records (as of e173b53) its false alarms jump to 14%.

Decision: not shipped. The recall bar is met (model-alone recall_any 0.70, client 0.58 held out)
but added false alarms on held-out clean records are 5.0% (2.9% at the strictest threshold),
over the 2% limit; the acceptance set has 100 clean records, so 3-5 extra false alarms would
spend the whole 5% false-alarm allowance. Cost too: the model alone runs at ~2,600 texts/s
(1.5 MB of weights), the rules at ~1,600, so together ~1,000 texts/s, at the floor. Worth
revisiting with more labelled near-misses (the false alarms are all near-misses), weight pruning,
and a per-slug abstain rule; wiring it in needs engage/guard/learned.py (features and Model
below, plus a lazy loader), learned.json in package data, and a call from rules.check.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import time
from collections.abc import Collection, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from itertools import pairwise, repeat
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engage.guard.context import crisis_disclosed, professional_audience  # noqa: E402
from engage.guard.rules import check  # noqa: E402
from engage.guard.text import QUOTE  # noqa: E402
from engage.types import GuardContext, GuardSlug  # noqa: E402

DATA = ROOT / "tests" / "data" / "guard"
SEED = 20240611
EPOCHS = 15
LEARNING_RATE = 0.5
L2 = 1e-4
MIN_DF = 2  # a word or character gram must occur in at least this many training drafts
PRUNE = 1e-3  # stored weights smaller than this (in every slug) are dropped
DECIMALS = 4
FALSE_ALARM_BUDGET = 0.02  # out-of-fold clean records the model may flag
INNER_FOLDS = 4
MARGIN = 1e-3  # thresholds sit this far above the highest in-sample negative


# -- features and scoring ----------------------------------------------------------------

SLUGS: tuple[GuardSlug, ...] = (
    GuardSlug.CLIENT_IDENTIFYING,
    GuardSlug.INDIVIDUAL_CLINICAL_ADVICE,
    GuardSlug.SOLICITATION,
    GuardSlug.TESTIMONIAL,
    GuardSlug.CRISIS_MISHANDLED,
    GuardSlug.UNDISCLOSED_PROMOTION,
)
SLUG_NAMES = [str(s) for s in SLUGS]
GROUPS = ("word", "char", "cue", "ctx")

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
    return {*tokens, *(f"{a} {b}" for a, b in pairwise(tokens))}


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

    def scores(self, feats: Mapping[str, tuple[float, Collection[str]]]) -> list[float]:
        """Each slug's score (bias + weights . features); it fires above its threshold."""
        out = list(self.bias)
        for g, (value, fs) in feats.items():
            if not value:
                continue
            for j, w in enumerate(self.weights[g]):
                out[j] += value * sum(map(w.get, fs, repeat(0.0)))
        return out


@dataclass(frozen=True)
class Record:
    id: str
    round: str
    text: str
    context: str
    gold: frozenset[str]
    feats: dict[str, tuple[float, frozenset[str]]]


def read_records() -> list[Record]:
    out: list[Record] = []
    for name, default_round in (("guard-dev.jsonl", "dev"), ("fresh-cases.jsonl", "fresh")):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            r = json.loads(line)
            ctx = GuardContext(thread=r["context"])
            feats = features(
                r["text"],
                r["context"],
                crisis=crisis_disclosed(ctx),
                professional=professional_audience(ctx),
            )
            out.append(
                Record(
                    r["id"],
                    r.get("round", default_round),
                    r["text"],
                    r["context"],
                    frozenset(r["problems"]),
                    {g: (v, frozenset(fs)) for g, (v, fs) in feats.items()},
                )
            )
    return out


# -- fitting ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Config:
    budget: float = FALSE_ALARM_BUDGET
    l2: float = L2
    seed: int = SEED


def _vocabulary(records: Sequence[Record]) -> list[tuple[str, str]]:
    """(group, feature) pairs seen in at least MIN_DF drafts (every cue is kept), sorted."""
    df: dict[tuple[str, str], int] = {}
    for r in records:
        for g, (_, fs) in r.feats.items():
            for f in fs:
                df[g, f] = df.get((g, f), 0) + 1
    return sorted(k for k, n in df.items() if n >= MIN_DF or k[0] == "cue")


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def _fit_slug(
    rows: Sequence[list[tuple[float, list[int]]]], y: Sequence[int], n: int, seed: int, l2: float
) -> tuple[list[float], float]:
    """Logistic regression by SGD; weights kept as scale * v so the L2 decay is O(1) a step."""
    v = [0.0] * n
    scale, bias, step = 1.0, 0.0, 0
    positives = sum(y)
    pos_weight = math.sqrt((len(y) - positives) / positives) if positives else 1.0
    rng = random.Random(seed)
    order = list(range(len(rows)))
    for _ in range(EPOCHS):
        rng.shuffle(order)
        for i in order:
            lr = LEARNING_RATE / (1.0 + LEARNING_RATE * l2 * step)
            step += 1
            z = bias + scale * sum(value * sum(map(v.__getitem__, ids)) for value, ids in rows[i])
            g = (y[i] - _sigmoid(z)) * (pos_weight if y[i] else 1.0)
            scale *= 1.0 - lr * l2
            if scale < 1e-6:
                v = [x * scale for x in v]
                scale = 1.0
            d = lr * g / scale
            for value, ids in rows[i]:
                dv = d * value
                for f in ids:
                    v[f] += dv
            bias += lr * g
    return [x * scale for x in v], bias


def fit(records: Sequence[Record], config: Config) -> dict[str, Any]:
    """Train on records; the stored model dict (weights pruned and rounded, thresholds unset)."""
    vocab = _vocabulary(records)
    index = {k: i for i, k in enumerate(vocab)}
    rows = [
        [
            (value, sorted(index[g, f] for f in fs if (g, f) in index))
            for g, (value, fs) in sorted(r.feats.items())
        ]
        for r in records
    ]
    columns: list[list[float]] = []
    biases: list[float] = []
    for j, slug in enumerate(SLUG_NAMES):
        y = [int(slug in r.gold) for r in records]
        w, b = _fit_slug(rows, y, len(vocab), config.seed + j, config.l2)
        columns.append(w)
        biases.append(b)
    weights: dict[str, dict[str, list[float]]] = {g: {} for g in GROUPS}
    for i, (g, f) in enumerate(vocab):
        ws = [round(col[i], DECIMALS) for col in columns]
        if any(abs(x) >= PRUNE for x in ws):
            weights[g][f] = ws
    return {
        "slugs": SLUG_NAMES,
        "bias": [round(b, DECIMALS) for b in biases],
        "thresholds": [0.0] * len(SLUG_NAMES),
        "weights": weights,
    }


def score(model: Model, records: Sequence[Record]) -> list[list[float]]:
    """Each record's scores, summed in a fixed order (so thresholds do not depend on hashing)."""
    return [model.scores({g: (v, sorted(fs)) for g, (v, fs) in r.feats.items()}) for r in records]


# -- thresholds ------------------------------------------------------------------------------


def inner_folds(records: Sequence[Record]) -> list[list[int]]:
    """Indices of records split into INNER_FOLDS folds by round (whole rounds held out)."""
    rounds = sorted({r.round for r in records})
    folds: list[list[int]] = [[] for _ in range(min(INNER_FOLDS, len(rounds)))]
    for k, name in enumerate(rounds):
        folds[k % len(folds)] += [i for i, r in enumerate(records) if r.round == name]
    return folds


def out_of_fold_scores(records: Sequence[Record], config: Config) -> list[list[float]]:
    oof: list[list[float]] = [[] for _ in records]
    for fold in inner_folds(records):
        held = set(fold)
        model = Model(fit([r for i, r in enumerate(records) if i not in held], config))
        for i, s in zip(fold, score(model, [records[i] for i in fold]), strict=True):
            oof[i] = s
    return oof


def choose_thresholds(
    records: Sequence[Record], oof: Sequence[Sequence[float]], budget_rate: float
) -> list[float]:
    """Greedy: start each slug above its highest clean out-of-fold score; then keep lowering
    the slug that catches the most extra problems per extra flagged clean record, while the
    flagged clean records stay within the budget."""
    n = len(SLUG_NAMES)
    clean = [i for i, r in enumerate(records) if not r.gold]
    budget = int(budget_rate * len(clean))
    ladders = [sorted((oof[i][j] for i in clean), reverse=True) for j in range(n)]
    level = [0] * n  # threshold j = ladders[j][level[j]]; a slug fires when its score is above

    def flagged(levels: Sequence[int]) -> int:
        return sum(any(oof[i][j] > ladders[j][levels[j]] for j in range(n)) for i in clean)

    def caught(j: int, lvl: int) -> int:
        slug = SLUG_NAMES[j]
        return sum(slug in r.gold and oof[i][j] > ladders[j][lvl] for i, r in enumerate(records))

    while True:
        best: tuple[float, int] | None = None
        for j in range(n):
            if level[j] + 1 >= len(ladders[j]):
                continue
            trial = [*level[:j], level[j] + 1, *level[j + 1 :]]
            gain = caught(j, level[j] + 1) - caught(j, level[j])
            if gain <= 0 or flagged(trial) > budget:
                continue
            ratio = gain / max(flagged(trial) - flagged(level), 0.5)
            if best is None or ratio > best[0]:
                best = (ratio, j)
        if best is None:
            break
        level[best[1]] += 1
    return [ladders[j][level[j]] for j in range(n)]


def train(records: Sequence[Record], config: Config) -> dict[str, Any]:
    """The full procedure on a training set: fit, choose thresholds out of fold, then raise
    each above every in-sample record without that slug (so the guard stays exact)."""
    data = fit(records, config)
    cv = choose_thresholds(records, out_of_fold_scores(records, config), config.budget)
    in_sample = score(Model(data), records)
    thresholds = []
    for j, slug in enumerate(SLUG_NAMES):
        negatives = [s[j] for s, r in zip(in_sample, records, strict=True) if slug not in r.gold]
        thresholds.append(round(max(cv[j], max(negatives) + MARGIN), DECIMALS + 2))
    data["thresholds"] = thresholds
    data["cv_thresholds"] = [round(t, DECIMALS + 2) for t in cv]
    return data


def predict(model: Model, records: Sequence[Record]) -> list[set[str]]:
    t = model.thresholds
    return [{SLUG_NAMES[j] for j, x in enumerate(s) if x > t[j]} for s in score(model, records)]


# -- evaluation ------------------------------------------------------------------------------


def rules_only(r: Record) -> set[str]:
    return {str(w.slug) for w in check(r.text, r.context)} & set(SLUG_NAMES)


Counts = tuple[int, int]


def metrics(records: Sequence[Record], preds: Sequence[set[str]]) -> dict[str, Any]:
    pairs = list(zip(records, preds, strict=True))
    bad = [(r.gold, p) for r, p in pairs if r.gold]
    clean = [p for r, p in pairs if not r.gold]
    per: dict[str, Counts] = {
        s: (sum(s in r.gold and s in p for r, p in pairs), sum(s in r.gold for r in records))
        for s in SLUG_NAMES
    }
    return {
        "recall_any": (sum(bool(g & p) for g, p in bad), len(bad)),
        "false_alarms": (sum(bool(p) for p in clean), len(clean)),
        "per_slug": per,
        "wrong_slug": sum(bool(p - r.gold) for r, p in pairs if r.gold),
    }


def held_out(args: tuple[list[Record], str, Config]) -> dict[str, Any]:
    """Round `name` scored blind by a model trained (thresholds too) on the other rounds."""
    records, name, config = args
    test_set = [r for r in records if r.round == name]
    model = Model(train([r for r in records if r.round != name], config))
    model_preds = predict(model, test_set)
    rules_preds = [rules_only(r) for r in test_set]
    union = [a | b for a, b in zip(model_preds, rules_preds, strict=True)]
    return {
        "round": name,
        "model": metrics(test_set, model_preds),
        "rules": metrics(test_set, rules_preds),
        "union": metrics(test_set, union),
        "thresholds": model.thresholds,
        "model_hits": [(r.id, sorted(p)) for r, p in zip(test_set, model_preds, strict=True) if p],
    }


def _fmt(pair: Sequence[int]) -> str:
    a, b = pair
    return f"{a}/{b}={a / b:.2f}" if b else "-"


def report(results: Sequence[dict[str, Any]]) -> str:
    """Markdown table: per held-out round, then all rounds pooled."""
    head = [
        "round",
        "n",
        "model recall_any",
        "model FA (clean)",
        "rules now recall_any",
        "rules+model recall_any",
        "rules+model FA",
        *SLUG_NAMES,
    ]
    lines = [" | ".join(head), " | ".join("---" for _ in head)]
    pooled: dict[tuple[str, str], list[int]] = {}

    def cell(who: str, key: str, pair: Counts) -> str:
        total = pooled.setdefault((who, key), [0, 0])
        total[0] += pair[0]
        total[1] += pair[1]
        return _fmt(pair)

    for res in results:
        m, ru, un = res["model"], res["rules"], res["union"]
        lines.append(
            " | ".join(
                [
                    res["round"],
                    str(m["recall_any"][1] + m["false_alarms"][1]),
                    cell("model", "recall_any", m["recall_any"]),
                    cell("model", "false_alarms", m["false_alarms"]),
                    cell("rules", "recall_any", ru["recall_any"]),
                    cell("union", "recall_any", un["recall_any"]),
                    cell("union", "false_alarms", un["false_alarms"]),
                    *[cell("model", s, m["per_slug"][s]) for s in SLUG_NAMES],
                ]
            )
        )
    keys = [
        ("model", "recall_any"),
        ("model", "false_alarms"),
        ("rules", "recall_any"),
        ("union", "recall_any"),
        ("union", "false_alarms"),
        *[("model", s) for s in SLUG_NAMES],
    ]
    n = pooled["model", "recall_any"][1] + pooled["model", "false_alarms"][1]
    lines.append(" | ".join(["ALL", str(n), *[_fmt(pooled[k]) for k in keys]]))
    wrong = sum(res["model"]["wrong_slug"] for res in results)
    lines.append(f"\nmodel: a wrong slug on {wrong} problem records (not counted above)")
    return "\n".join(lines)


def timeline(
    records: Sequence[Record], old: dict[str, list[str]], known: set[str], config: Config
) -> str:
    """First contact, honestly: rules as committed before the later rounds existed (`old`:
    record id -> slugs, from running that commit's guard) and a model trained only on the
    rounds known then, both scored on every later round."""
    model = Model(train([r for r in records if r.round in known], config))
    lines = []
    unseen = sorted({r.round for r in records} - known)
    for name in [*unseen, "ALL"]:
        test = [r for r in records if r.round not in known and name in ("ALL", r.round)]
        model_p = predict(model, test)
        rules_p = [set(old[r.id]) & set(SLUG_NAMES) for r in test]
        union = [a | b for a, b in zip(model_p, rules_p, strict=True)]
        missed = [i for i, r in enumerate(test) if r.gold and not rules_p[i] & r.gold]
        rescued = (sum(bool(model_p[i] & test[i].gold) for i in missed), len(missed))
        row = [name, str(len(test))]
        for preds in (rules_p, model_p, union):
            m = metrics(test, preds)
            row += [_fmt(m["recall_any"]), _fmt(m["false_alarms"])]
        lines.append(" | ".join([*row, _fmt(rescued)]))
    head = "round | n | old rules recall_any | FA | model | FA | old rules+model | FA | rescued"
    return "\n".join([head, *lines])


def throughput(records: Sequence[Record], config: Config) -> float:
    """Model texts/s (features + scores, rules excluded), best of 5 passes over the records."""
    model = Model(train(records, config))
    best = 0.0
    for _ in range(5):
        started = time.perf_counter()
        for r in records:
            ctx = GuardContext(thread=r.context)
            crisis, pro = crisis_disclosed(ctx), professional_audience(ctx)
            model.scores(features(r.text, r.context, crisis=crisis, professional=pro))
        best = max(best, len(records) / (time.perf_counter() - started))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--eval", action="store_true", help="leave-one-round-out evaluation")
    parser.add_argument(
        "--timeline",
        nargs=2,
        metavar=("OLD_PREDICTIONS", "KNOWN_ROUNDS"),
        help="old rules' predictions (JSON id -> slugs) and the comma-separated rounds known then",
    )
    parser.add_argument("--throughput", action="store_true", help="model-only texts/s")
    parser.add_argument("--write", type=Path, help="train on everything and write the model here")
    parser.add_argument("--budget", type=float, default=FALSE_ALARM_BUDGET)
    parser.add_argument("--l2", type=float, default=L2)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also dump the --eval results here")
    args = parser.parse_args()
    config = Config(budget=args.budget, l2=args.l2)
    records = read_records()
    if args.eval:
        started = time.perf_counter()
        rounds = sorted({r.round for r in records})
        with ProcessPoolExecutor(args.jobs) as pool:
            results = list(pool.map(held_out, [(records, name, config) for name in rounds]))
        print(report(results))
        print(f"({time.perf_counter() - started:.0f}s, {config})")
        if args.json:
            args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    if args.timeline:
        path, known = args.timeline
        old = json.loads(Path(path).read_text(encoding="utf-8"))
        print(timeline(records, old, set(known.split(",")), config))
    if args.throughput:
        print(f"model only: {throughput(records, config):.0f} texts/s")
    if args.write:
        data = {**train(records, config), "config": asdict(config)}
        data["trained_on"] = len(records)
        args.write.write_text(
            json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8"
        )
        print(f"wrote {args.write} ({args.write.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
