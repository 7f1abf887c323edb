"""Trains and measures the guard's learned second opinion (engage/guard/learned.py), and
rebuilds its weights (engage/guard/learned.json). Shipped: rules OR model, see "Decision".

Run: .venv/bin/python bench/train_guard_model.py --eval [--budget B] [--l2 L] [--json OUT]
     .venv/bin/python bench/train_guard_model.py --blind HELD_OUT.jsonl ... [--json OUT]
     .venv/bin/python bench/train_guard_model.py --timeline OLD_PREDICTIONS.json ROUND,ROUND,...
     .venv/bin/python bench/train_guard_model.py --throughput
     .venv/bin/python bench/train_guard_model.py --write      (rebuilds engage/guard/learned.json)

Data: every tests/data/guard/*.jsonl file, all development data, as rounds: a record's `round`
field, else the file's name (guard-dev, guard-blind-r1, guard-blind-r2; fresh-cases has
first, blind-2 ... blind-8): 834 records in 11 rounds, 392 clean (302 of them near-misses).
Model (engage.guard.learned: features, Model): one logistic regression per slug, plain-Python
SGD (15 seeded epochs, L2, positives weighted by sqrt(negatives/positives)), over four feature
groups each scaled to unit length: word uni/bigrams and character 3-5-grams of the text
(lowercased, digits as 0; kept if in >= 2 training drafts), structural cues (second person,
first-person clinical verbs, "my client", ages, phones, e-mails, dates, mid-sentence capitalised
words, initials, links, handles, hashtags, prices, quoted speech, crisis resources) plus the
rules' own thread cues (crisis disclosed, clinician audience, crisis without a resource), and the
thread's words. Deterministic: --write gives the same bytes under any PYTHONHASHSEED. The
features read engage.crisis (crisis disclosed) and the guard's QUOTE: after a change there,
rebuild the weights (tests/guard/test_guard_learned.py checks no clean development draft is
flagged).

Thresholds (one per slug), chosen by cross-validation over the training rounds only: out-of-fold
scores from 4 folds of whole rounds, then a greedy walk lowering the slug with the best gain in
caught problems per added false alarm while out-of-fold flagged clean records stay <= --budget;
finally each threshold is raised above every in-sample score of a training record without that
slug and above the near-miss sentences tests/guard/test_guard_kinds.py requires to stay clean
(clean_specifications; not trained on), so the model adds no false alarm on either. The
budget, 1%, was chosen by leave-one-round-out before any held-out figure existed: the largest
of 0 / 1% / 2% / 3% whose pooled rules-OR-model false alarms stayed <= 3% (the rules alone had
up to 2% on blind rounds 1 and 2 before tuning on them, and the sum must stay <= 5%): 0 ->
6/392, 1% -> 8/392, 2% -> 15/392, 3% -> 19/392 (model recall_any .59 / .65 / .71 / .73).

Leave-one-round-out, --budget 0.01 (December 2026; FA = flagged clean records incl. near-misses,
NM = flagged near-misses; the rules are tuned on every round, so they score 1.00 / 0.00 on each
and rules OR model has recall 1.00 everywhere and the model's false alarms):

                     model alone          rules OR model  | model per slug
  round            n recall  FA    NM    recall  FA    | client advice solic testim crisis promo
  blind-2         38 14/21  1/17  1/17   21/21   1/17  |  5/10   3/3   2/2   1/2   2/2   1/2
  blind-3         32  6/14  0/18  0/18   14/14   0/18  |  0/5    1/2   2/3   1/2   2/2   1/1
  blind-4         20  7/11  0/9   0/9    11/11   0/9   |  3/4    0/2   2/2   0/1   1/1   1/1
  blind-5         88 39/51  1/37  1/33   51/51   1/37  | 11/23   7/8   8/10  4/6   5/5   4/5
  blind-6         46 18/28  0/18  0/17   28/28   0/18  |  5/12   3/4   4/6   1/3   3/3   2/3
  blind-7        115 31/66  0/49  0/46   66/66   0/49  |  1/27   8/11  9/13  5/7   7/7   2/6
  blind-8         46 14/26  3/20  3/20   26/26   3/20  |  2/10   4/4   1/4   2/2   3/3   2/3
  first           49 17/25  1/24  1/22   25/25   1/24  |  3/10   4/4   4/4   2/2   3/3   1/2
  guard-blind-r1 200 66/100 2/100 0/60  100/100  2/100 | 19/49  12/17 13/20  7/12 12/12 10/10
  guard-blind-r2 100 38/50  0/50  0/30   50/50   0/50  | 11/25   8/9   8/9   4/6   6/6   4/5
  guard-dev      100 36/50  0/50  0/30   50/50   0/50  | 10/24   8/9   8/10  4/6   6/6   2/5
  ALL            834 286/442 8/392 6/302 442/442 8/392 | 70/199 58/73 61/83 31/49 50/50 30/43
  (ALL: model recall_any .65, FA .020; per slug .35 / .79 / .73 / .63 / 1.00 / .70; a wrong
  slug on 6 problem records. Before the raise above the test near-misses, which was added
  after the held-out measurement below, guard-blind-r1 was 69/100 with solicitation 16/20.)

Held out, measured once (--blind): guard-blind-d + guard-blind-e (/work/blind/g3, 200 records
written blind, 100 clean of which 60 near-misses, never used for tuning; aggregates only, no
text or record read), the model trained on all 834 development records (thresholds as above,
before the raise above the test near-misses), the rules of git a61a174 (HEAD then, run from
`git archive`):

                  recall_any   FA (clean)  NM       client  advice  solicit  testim  crisis  promo
  rules alone     79/100 .79   3/100 .03   3/60     33/50   13/17   16/20    7/12    9/11    10/10
  model alone     71/100 .71   2/100 .02   2/60     24/50   14/17   15/20    8/12    9/11    6/10
  rules OR model  86/100 .86   5/100 .05   5/60     36/50   15/17   19/20    8/12    9/11    10/10
  (d: rules .84 / .02 -> OR .90 / .04; e: rules .74 / .04 -> OR .82 / .06. The model rescues
  7 of the rules' 21 misses and adds 2 false alarms on the 97 clean drafts the rules pass.)

The shipped weights differ from the measured model in one number: wiring it in, the model
flagged a near-miss of the guard's tests as solicitation ("My colleague Jess, an LCSW in
Tulsa, ...", score .12 over the threshold), so clean_specifications joined the final raise and
the solicitation threshold went from -0.009 to 0.111 (weights, bias and the other five
thresholds are byte-identical; --write at git 27cf450 rebuilt the measured model exactly).
It was not measured again on g3: raising a threshold only removes flags, so held-out false
alarms stay <= 5/100, and only solicitation flags can go, which rescued at most 3 records
(union solicitation 19 vs rules 16), so rules OR model recall_any stays >= 83/100 > .79.

Decision: shipped (issue 9: "a learned second opinion may join only if it raises first-contact
recall without pushing false alarms above 5%"): held out, recall_any .79 -> .86 (shipped:
>= .83), false alarms .03 -> .05 (shipped: <= .05), thresholds chosen without the held-out
set. The margin is thin: 5 of 100 clean drafts, all near-misses (5/60 = 8% of near-misses; the
rules alone 3/60); one more false alarm would have failed the bar, and client_identifying
recall, the weakest kind, only rose .66 -> .72. Earlier (534 records, this file's previous
version) it was not shipped: added false alarms held out were 5.0% at a 2% budget.
guard.check ORs the model in (engage/guard/rules.py): it adds a kind the rules did not raise,
never removes one; its warnings span the whole draft and block like the rule of the same kind.

Speed (one process, the 834 development drafts, best of 5): the model alone (features and
scores; guard.check already has the thread's flags) about 1,000 texts/s, loading learned.json
(2.1 MB) once 0.3 s; guard.check 330 texts/s without the model, 290 with it (--throughput);
a 1 MB text costs the model about 2 s.
"""

from __future__ import annotations

import argparse
import ast
import json
import math
import random
import sys
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engage.guard import learned  # noqa: E402
from engage.guard.context import crisis_disclosed, professional_audience  # noqa: E402
from engage.guard.learned import GROUPS, SLUGS, Model, features  # noqa: E402
from engage.guard.rules import check  # noqa: E402
from engage.types import GuardContext  # noqa: E402

DATA = ROOT / "tests" / "data" / "guard"
WEIGHTS = ROOT / "engage" / "guard" / "learned.json"
KIND_TESTS = ROOT / "tests" / "guard" / "test_guard_kinds.py"
SEED = 20240611
EPOCHS = 15
LEARNING_RATE = 0.5
L2 = 1e-4
MIN_DF = 2  # a word or character gram must occur in at least this many training drafts
PRUNE = 1e-3  # stored weights smaller than this (in every slug) are dropped
DECIMALS = 4
FALSE_ALARM_BUDGET = 0.01  # out-of-fold clean records the model may flag (chosen by LORO)
INNER_FOLDS = 4
MARGIN = 1e-3  # thresholds sit this far above the highest in-sample negative


# -- records ---------------------------------------------------------------------------------

SLUG_NAMES = [str(s) for s in SLUGS]


@dataclass(frozen=True)
class Record:
    id: str
    round: str
    text: str
    context: str
    gold: frozenset[str]
    near_miss: bool  # a clean record written to look like a problem ("Near-miss:" rationale)
    feats: dict[str, tuple[float, tuple[str, ...]]]  # per group, sorted


def read_file(path: Path) -> list[Record]:
    """A labelled JSONL file; records without a `round` field form a round named after it."""
    out: list[Record] = []
    for line in path.read_text(encoding="utf-8").splitlines():
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
                r.get("round", path.stem),
                r["text"],
                r["context"],
                frozenset(r["problems"]),
                str(r.get("rationale", "")).startswith("Near-miss:"),
                {g: (v, tuple(fs)) for g, (v, fs) in feats.items()},
            )
        )
    return out


def read_records() -> list[Record]:
    """Every development file in tests/data/guard (all of them are development data)."""
    return [r for path in sorted(DATA.glob("*.jsonl")) for r in read_file(path)]


@cache
def clean_specifications() -> tuple[Record, ...]:
    """The near-miss sentences the guard's kind tests require to stay clean: each test in
    KIND_TESTS parametrized over "text" that asserts `slugs(text) == set()`, in the tests'
    default thread (HELP_SEEKER). Not trained on; thresholds are raised above them, so a
    rebuilt model never breaks one (a new such sentence the model flags: rebuild)."""
    tree = ast.parse(KIND_TESTS.read_text(encoding="utf-8"))
    thread = next(
        ast.literal_eval(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "HELP_SEEKER" for t in node.targets)
    )
    texts: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef) or "assert slugs(text) == set()" not in (
            ast.unparse(node)
        ):
            continue
        for deco in node.decorator_list:
            if (
                isinstance(deco, ast.Call)
                and ast.unparse(deco.func) == "pytest.mark.parametrize"
                and ast.literal_eval(deco.args[0]) == "text"
            ):
                texts += ast.literal_eval(deco.args[1])
    out = []
    for i, text in enumerate(texts):
        ctx = GuardContext(thread=thread)
        crisis, pro = crisis_disclosed(ctx), professional_audience(ctx)
        feats = features(text, thread, crisis=crisis, professional=pro)
        kept = {g: (v, tuple(fs)) for g, (v, fs) in feats.items()}
        out.append(Record(f"spec-{i}", "spec", text, thread, frozenset(), True, kept))
    return tuple(out)


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
    return [model.scores(r.feats) for r in records]


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
    each above every in-sample record without that slug and every clean specification of the
    guard's tests (so the model adds no false alarm on either)."""
    data = fit(records, config)
    cv = choose_thresholds(records, out_of_fold_scores(records, config), config.budget)
    specs = clean_specifications()
    in_sample = score(Model(data), [*records, *specs])
    thresholds = []
    for j, slug in enumerate(SLUG_NAMES):
        labelled = [*records, *specs]
        negatives = [s[j] for s, r in zip(in_sample, labelled, strict=True) if slug not in r.gold]
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
WHO = ("rules", "model", "union")  # union = rules OR model


def metrics(records: Sequence[Record], preds: Sequence[set[str]]) -> dict[str, Any]:
    """Counts (hits, total) for engage.guard.evaluate's metrics: recall_any over problem
    records, false alarms over every clean record (near-misses included) and over near-misses."""
    pairs = list(zip(records, preds, strict=True))
    bad = [(r.gold, p) for r, p in pairs if r.gold]
    clean = [p for r, p in pairs if not r.gold]
    near = [p for r, p in pairs if not r.gold and r.near_miss]
    per: dict[str, Counts] = {
        s: (sum(s in r.gold and s in p for r, p in pairs), sum(s in r.gold for r in records))
        for s in SLUG_NAMES
    }
    return {
        "recall_any": (sum(bool(g & p) for g, p in bad), len(bad)),
        "false_alarms": (sum(bool(p) for p in clean), len(clean)),
        "near_miss_false_alarms": (sum(bool(p) for p in near), len(near)),
        "per_slug": per,
        "wrong_slug": sum(bool(p - r.gold) for r, p in pairs if r.gold),
    }


def compare(
    records: Sequence[Record], model_preds: Sequence[set[str]], rules_preds: Sequence[set[str]]
) -> dict[str, Any]:
    """Rules, model and rules OR model on the same records, plus what the model adds: problem
    records the rules miss and the model catches, clean records only the model flags."""
    union = [a | b for a, b in zip(rules_preds, model_preds, strict=True)]
    missed = [i for i, r in enumerate(records) if r.gold and not rules_preds[i] & r.gold]
    clean_ok = [i for i, r in enumerate(records) if not r.gold and not rules_preds[i]]
    return {
        "rules": metrics(records, rules_preds),
        "model": metrics(records, model_preds),
        "union": metrics(records, union),
        "rescued": (sum(bool(model_preds[i] & records[i].gold) for i in missed), len(missed)),
        "added_false_alarms": (sum(bool(model_preds[i]) for i in clean_ok), len(clean_ok)),
    }


def held_out(args: tuple[list[Record], str, Config]) -> dict[str, Any]:
    """Round `name` scored by a model trained (thresholds too) on the other rounds only."""
    records, name, config = args
    test_set = [r for r in records if r.round == name]
    model = Model(train([r for r in records if r.round != name], config))
    out = compare(test_set, predict(model, test_set), [rules_only(r) for r in test_set])
    return {"round": name, "thresholds": model.thresholds, **out}


def _fmt(pair: Sequence[int]) -> str:
    a, b = pair
    return f"{a}/{b}={a / b:.2f}" if b else "-"


def _pooled(results: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Sums the counts of several compare() results (their records pooled)."""

    def add(pairs: Sequence[Sequence[int]]) -> Counts:
        return (sum(p[0] for p in pairs), sum(p[1] for p in pairs))

    out: dict[str, Any] = {}
    for who in WHO:
        ms = [res[who] for res in results]
        out[who] = {
            key: add([m[key] for m in ms])
            for key in ("recall_any", "false_alarms", "near_miss_false_alarms")
        }
        out[who]["per_slug"] = {s: add([m["per_slug"][s] for m in ms]) for s in SLUG_NAMES}
        out[who]["wrong_slug"] = sum(m["wrong_slug"] for m in ms)
    out["rescued"] = add([res["rescued"] for res in results])
    out["added_false_alarms"] = add([res["added_false_alarms"] for res in results])
    return out


_HEAD = [
    "round",
    "n",
    "rules recall_any",
    "rules FA",
    "model recall_any",
    "model FA",
    "model FA near-miss",
    "OR recall_any",
    "OR FA",
    "OR FA near-miss",
    "rescued",
    *(f"model {s}" for s in SLUG_NAMES),
]


def _row(name: str, res: Mapping[str, Any]) -> str:
    ru, m, un = res["rules"], res["model"], res["union"]
    n = m["recall_any"][1] + m["false_alarms"][1]
    cells = [
        name,
        str(n),
        _fmt(ru["recall_any"]),
        _fmt(ru["false_alarms"]),
        _fmt(m["recall_any"]),
        _fmt(m["false_alarms"]),
        _fmt(m["near_miss_false_alarms"]),
        _fmt(un["recall_any"]),
        _fmt(un["false_alarms"]),
        _fmt(un["near_miss_false_alarms"]),
        _fmt(res["rescued"]),
        *(_fmt(m["per_slug"][s]) for s in SLUG_NAMES),
    ]
    return " | ".join(cells)


def report(results: Sequence[dict[str, Any]]) -> str:
    """Markdown table: per held-out round, then all rounds pooled ("FA" = flagged clean
    records, near-misses included; "rescued" = problem records the rules miss, model catches)."""
    lines = [" | ".join(_HEAD), " | ".join("---" for _ in _HEAD)]
    lines += [_row(res["round"], res) for res in results]
    pooled = _pooled(results)
    lines.append(_row("ALL", pooled))
    lines.append(f"\nmodel: a wrong slug on {pooled['model']['wrong_slug']} problem records")
    return "\n".join(lines)


def blind(records: Sequence[Record], paths: Sequence[Path], config: Config) -> dict[str, Any]:
    """Held-out sets, measured once: a model trained (thresholds chosen out of fold) on every
    development record, and the rules as imported, on each file and on all of them pooled.
    Aggregate counts only: no text, no id and no per-record result is returned or printed."""
    model_data = train(records, config)
    model = Model(model_data)
    per_file: dict[str, dict[str, Any]] = {}
    for path in paths:
        test = read_file(path)
        per_file[path.name] = compare(test, predict(model, test), [rules_only(r) for r in test])
    return {
        "files": per_file,
        "pooled": _pooled(list(per_file.values())),
        "thresholds": model_data["thresholds"],
        "cv_thresholds": model_data["cv_thresholds"],
        "trained_on": len(records),
        "config": asdict(config),
    }


def blind_report(result: Mapping[str, Any]) -> str:
    lines = [" | ".join(_HEAD), " | ".join("---" for _ in _HEAD)]
    lines += [_row(name, res) for name, res in result["files"].items()]
    lines.append(_row("ALL", result["pooled"]))
    pooled = result["pooled"]
    lines.append("")
    for who in WHO:
        per = ", ".join(f"{s} {_fmt(pooled[who]['per_slug'][s])}" for s in SLUG_NAMES)
        lines.append(f"{who} per slug: {per}")
    lines.append(f"model added false alarms: {_fmt(pooled['added_false_alarms'])}")
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


def throughput(records: Sequence[Record]) -> dict[str, float]:
    """Texts/s, best of 5 passes over the records: the shipped model alone (features and
    scores; the thread flags are the rules' own, computed once in guard.check) and
    guard.check (the rules, with the model if it is wired in)."""
    model = learned.model()

    def model_pass() -> None:
        for r in records:
            model.flagged(features(r.text, r.context, crisis=False, professional=False))

    def check_pass() -> None:
        for r in records:
            check(r.text, r.context)

    out = {}
    for name, run in (("model", model_pass), ("guard.check", check_pass)):
        best = 0.0
        for _ in range(5):
            started = time.perf_counter()
            run()
            best = max(best, len(records) / (time.perf_counter() - started))
        out[name] = best
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--eval", action="store_true", help="leave-one-round-out evaluation")
    parser.add_argument(
        "--timeline",
        nargs=2,
        metavar=("OLD_PREDICTIONS", "KNOWN_ROUNDS"),
        help="old rules' predictions (JSON id -> slugs) and the comma-separated rounds known then",
    )
    parser.add_argument("--throughput", action="store_true", help="texts/s of the shipped model")
    parser.add_argument(
        "--write",
        type=Path,
        nargs="?",
        const=WEIGHTS,
        help=f"train on every development round and write the weights (default {WEIGHTS})",
    )
    parser.add_argument("--budget", type=float, default=FALSE_ALARM_BUDGET)
    parser.add_argument("--l2", type=float, default=L2)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also dump the --eval / --blind results here")
    parser.add_argument(
        "--blind",
        nargs="+",
        type=Path,
        metavar="HELD_OUT",
        help="train on every development round, then print aggregate figures on these files",
    )
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
    if args.blind:
        import engage.guard

        print(f"rules: {Path(engage.guard.__file__).parent}", flush=True)
        result = blind(records, args.blind, config)
        print(blind_report(result))
        if args.json:
            args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    if args.timeline:
        path, known = args.timeline
        old = json.loads(Path(path).read_text(encoding="utf-8"))
        print(timeline(records, old, set(known.split(",")), config))
    if args.throughput:
        speeds = throughput(records)
        print(", ".join(f"{name}: {v:.0f} texts/s" for name, v in speeds.items()))
    if args.write:
        data = {**train(records, config), "config": asdict(config)}
        data["trained_on"] = len(records)
        args.write.write_text(
            json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8"
        )
        print(f"wrote {args.write} ({args.write.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
