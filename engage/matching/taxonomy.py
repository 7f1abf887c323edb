"""The matching vocabulary (config/specialties.toml), validated and compiled once.

Everything the scorer knows about words lives in that file, so a therapist or maintainer can
teach engage a new synonym, place or false friend without touching code. Loading checks the
file's shape and raises ValueError naming the offending key.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engage.matching.lexicon import Feature, Lexicon, normalize
from engage.types import Intent

# The repository's copy is the source; an installed package carries a copy in engage/data/.
_CANDIDATE_PATHS = (
    Path(__file__).resolve().parents[2] / "config" / "specialties.toml",
    Path(__file__).resolve().parents[1] / "data" / "specialties.toml",
)
_PHRASE_SHAPE = re.compile(r"^\w(?:.*\w)?$")
_TIERS = ("terms", "related", "cues")
_SCORING_KEYS = (
    "others",
    "extra_terms",
    "business_unmatched",
    "region_match",
    "state_match",
    "location_mismatch",
    "referral_unlocated",
    "consult_located",
    "filled",
    "engaged",
    "freshness_half_life_hours",
    "freshness_floor",
    "replies_half",
    "replies_floor",
    "fit_mismatch",
    "fit_unknown",
)

# Feature kinds in the lexicon.
TERM = "term"
CUE = "cue"
IGNORE = "ignore"
NEAR = "near"
INTENT = "intent"
SIGNAL = "signal"
PRACTICE = "practice"
PLACE = "place"
ATOMIC = frozenset({TERM, CUE, IGNORE})  # phrases that own their words (see Lexicon)


@dataclass(frozen=True, slots=True)
class NegativeRule:
    """A specialty's `terms` (None: all) do not count near (`within` chars, None: anywhere) a
    context phrase of this rule (found by the one scan of the post)."""

    rule_id: str
    slug: str
    terms: frozenset[str] | None
    within: int | None


@dataclass(frozen=True, slots=True)
class IntentRule:
    intent: Intent
    value: float
    patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True, slots=True)
class Place:
    """A name that locates a post in a state (and maybe a region of it)."""

    name: str
    state: str
    region: str | None


@dataclass(frozen=True, slots=True)
class PracticeKind:
    name: str
    profile_words: tuple[str, ...]
    # the writer works inside an organisation: not a practice owner's business even in their place
    staff: bool = False


class Taxonomy:
    """The parsed vocabulary and the compiled lexicon built from it."""

    def __init__(self, data: dict[str, Any], source: str = "<data>") -> None:
        self.source = source
        self.lexicon = Lexicon()
        weights = _table(data, "weights", source)
        self.tier_weights = {tier: _float(weights, tier, f"{source}: weights") for tier in _TIERS}
        self.title_weight = _float(weights, "title", f"{source}: weights")
        scoring = _table(data, "scoring", source)
        self.scoring = {k: _float(scoring, k, f"{source}: scoring") for k in _SCORING_KEYS}
        self.business_specialty = _string(data, "business_specialty", source)
        self.help_seeker_communities = frozenset(
            c.lower() for c in _strings(data, "help_seeker_communities", source)
        )
        # Where a post is about mental health care by default; elsewhere a specialty word counts
        # only when the post itself speaks of therapy (signals.clinical and professional cues).
        self.clinical_communities = self.help_seeker_communities | frozenset(
            c.lower() for c in _strings(data, "clinical_communities", source)
        )
        self.specialties: dict[str, str] = {}
        self.short_names: dict[str, str] = {}  # slug -> the words a why sentence uses
        self.negatives_by_slug: dict[str, list[NegativeRule]] = {}
        for slug, spec in _table(data, "specialties", source).items():
            self._add_specialty(slug, spec, f"{source}: specialties.{slug}")
        self.intents = self._load_intents(_table(data, "intents", source), f"{source}: intents")
        self._load_signals(_table(data, "signals", source), f"{source}: signals")
        self.practice_kinds: dict[str, PracticeKind] = {}
        for name, kind in _table(data, "practice_kinds", source).items():
            where = f"{source}: practice_kinds.{name}"
            staff = kind.get("staff", False)
            if not isinstance(staff, bool):
                raise ValueError(f"{where}: staff must be true or false")
            self.practice_kinds[name] = PracticeKind(
                name, tuple(w.lower() for w in _strings(kind, "profile", where)), staff
            )
            self._add_all(_strings(kind, "terms", where), Feature(PRACTICE, name))
        fit = _table(data, "fit", source)
        self.fit: dict[str, Any] = {
            key: _strings(fit, key, f"{source}: fit")
            for key in ("languages", "payers", "modalities", "faiths")
        }
        self.fit["child_specialty"] = _string(fit, "child_specialty", f"{source}: fit")
        self.places: dict[str, Place] = {}
        self.state_names: dict[str, str] = {}
        self._load_geography(_table(data, "geography", source), f"{source}: geography")
        if self.business_specialty not in self.specialties:
            raise ValueError(f"{source}: business_specialty {self.business_specialty!r} unknown")
        self.lexicon.compile()

    # -- loading ---------------------------------------------------------------------------

    def _add(self, phrase: str, feature: Feature, where: str, *, case_sensitive: bool) -> None:
        if not _PHRASE_SHAPE.match(phrase):
            raise ValueError(f"{where}: phrase {phrase!r} must start and end with a letter/digit")
        atomic = feature.kind in ATOMIC
        self.lexicon.add(phrase, feature, case_sensitive=case_sensitive, atomic=atomic)
        if not case_sensitive and phrase[-1].isalpha() and phrase[-1] not in "sS":
            self.lexicon.add(phrase + "s", feature, case_sensitive=False, atomic=atomic)

    def _add_all(
        self, phrases: list[str], feature: Feature, where: str = "", *, case_sensitive: bool = False
    ) -> None:
        for phrase in phrases:
            self._add(phrase, feature, where, case_sensitive=case_sensitive)

    def _add_specialty(self, slug: str, spec: dict[str, Any], where: str) -> None:
        self.specialties[slug] = _string(spec, "name", where)
        self.short_names[slug] = _string(spec, "short", where) if "short" in spec else slug
        for tier in _TIERS:
            kind = CUE if tier == "cues" else TERM
            weight = self.tier_weights[tier]
            for phrase in _strings(spec, tier, where, required=tier == "terms"):
                self._add(
                    phrase,
                    Feature(kind, slug, weight, normalize(phrase)),
                    where,
                    case_sensitive=False,
                )
        for phrase in _strings(spec, "abbreviations", where, required=False):
            feature = Feature(TERM, slug, self.tier_weights["terms"], phrase)
            self._add(phrase, feature, where, case_sensitive=True)
        self._add_all(_strings(spec, "ignore", where, required=False), Feature(IGNORE, slug), where)
        for i, rule in enumerate(_list(spec, "negative", where)):
            rule_where = f"{where}.negative[{i}]"
            if not isinstance(rule, dict):
                raise ValueError(f"{rule_where}: must be a table")
            rule_id = f"{slug}#{i}"
            terms = _strings(rule, "terms", rule_where, required=False)
            scope = rule.get("scope", "near")
            if scope not in {"near", "post"}:
                raise ValueError(f"{rule_where}.scope: must be 'near' or 'post', not {scope!r}")
            within = None if scope == "post" else int(rule.get("within", 80))
            near = _strings(rule, "near", rule_where)
            self.negatives_by_slug.setdefault(slug, []).append(
                NegativeRule(
                    rule_id,
                    slug,
                    frozenset(
                        {normalize(t) for t in terms}
                        | {normalize(t, case_sensitive=True) for t in terms}
                    )
                    if terms
                    else None,
                    within,
                )
            )
            self._add_all(near, Feature(NEAR, rule_id), rule_where)

    def _load_intents(self, table: dict[str, Any], where: str) -> dict[Intent, IntentRule]:
        self.intent_priority = tuple(
            _intent(name, f"{where}.priority") for name in _strings(table, "priority", where)
        )
        self.intent_threshold = _float(table, "threshold", where)
        rules: dict[Intent, IntentRule] = {}
        for intent in Intent:
            spec = _table(table, intent.value, where)
            rule_where = f"{where}.{intent.value}"
            self._add_all(
                _strings(spec, "cues", rule_where, required=False),
                Feature(INTENT, intent.value, 1.0),
                rule_where,
            )
            self._add_all(
                _strings(spec, "strong", rule_where, required=False),
                Feature(INTENT, intent.value, 2.0),
                rule_where,
            )
            rules[intent] = IntentRule(
                intent,
                _float(spec, "value", rule_where),
                _patterns(spec, "patterns", rule_where, re.MULTILINE),
            )
        return rules

    def _load_signals(self, table: dict[str, Any], where: str) -> None:
        self.client_margin = _float(table, "client_margin", where)
        self.client_community = _float(table, "client_community", where)
        self.crisis_value = _float(table, "crisis_value", where)
        for name in ("client", "professional", "filled"):
            self._add_all(_strings(table, name, where), Feature(SIGNAL, name), where)
        for name in ("disclaimer", "in_person_only", "premises", "payer_required"):
            self._add_all(
                _strings(table, name, where, required=False), Feature(SIGNAL, name), where
            )
        # Read apart from the lexicon, and only for posts outside clinicians' communities (see
        # analysis.Plan.speaks_of_therapy): phrases saying the post is about therapy, and care
        # that is not mental health care ("physical therapy"), whose "therapy" doesn't count.
        self.clinical_words = tuple(normalize(w) for w in _strings(table, "clinical", where))
        self.not_clinical_words = tuple(
            normalize(w) for w in _strings(table, "not_clinical", where, required=False)
        )
        self.client_patterns = _patterns(table, "client_patterns", where, re.MULTILINE)

    def _load_geography(self, table: dict[str, Any], where: str) -> None:
        for code, state in _table(table, "states", where).items():
            state_where = f"{where}.states.{code}"
            name = _string(state, "name", state_where)
            self.state_names[code] = name
            self._add_place(
                code,
                code,
                None,
                [name, *_strings(state, "places", state_where)],
                _strings(state, "abbreviations", state_where, required=False),
                state_where,
            )
        for key, region in _table(table, "regions", where).items():
            region_where = f"{where}.regions.{key}"
            state = _string(region, "state", region_where)
            if state not in self.state_names:
                raise ValueError(f"{region_where}.state: unknown state {state!r}")
            name = _string(region, "name", region_where)
            self._add_place(
                name,
                state,
                name,
                [
                    name,
                    *_strings(region, "aliases", region_where, required=False),
                    *_strings(region, "places", region_where),
                ],
                _strings(region, "abbreviations", region_where, required=False),
                region_where,
            )

    def _add_place(
        self,
        label: str,
        state: str,
        region: str | None,
        names: list[str],
        abbreviations: list[str],
        where: str,
    ) -> None:
        for phrase, exact in [(n, False) for n in names] + [(a, True) for a in abbreviations]:
            place_id = f"{label}:{phrase}"
            self.places[place_id] = Place(phrase, state, region)
            self.lexicon.add(phrase, Feature(PLACE, place_id), case_sensitive=exact)
            if not _PHRASE_SHAPE.match(phrase):
                raise ValueError(f"{where}: place {phrase!r} must start and end with a letter")


def default_taxonomy_path() -> Path:
    """The repository's config/specialties.toml, else the copy shipped inside the package."""
    for path in _CANDIDATE_PATHS:
        if path.is_file():
            return path
    raise FileNotFoundError(
        "specialties.toml not found; looked in " + ", ".join(str(p) for p in _CANDIDATE_PATHS)
    )


@functools.lru_cache(maxsize=1)
def default_taxonomy() -> Taxonomy:
    """The shipped taxonomy, read once per process (for places, names and topics outside the
    matcher: the digest's sentence, people's places, articles' topics)."""
    return load_taxonomy()


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """Read and compile a taxonomy file (default: `default_taxonomy_path()`)."""
    path = path or default_taxonomy_path()
    with path.open("rb") as f:
        try:
            data = tomllib.load(f)
        except tomllib.TOMLDecodeError as error:
            raise ValueError(f"{path}: {error}") from error
    return Taxonomy(data, str(path))


# -- shape checks -------------------------------------------------------------------------------


def _table(data: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise ValueError(f"{where}: [{key}] must be a table")
    return value


def _list(data: dict[str, Any], key: str, where: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise ValueError(f"{where}.{key}: must be a list")
    return value


def _strings(data: dict[str, Any], key: str, where: str, *, required: bool = True) -> list[str]:
    if required and key not in data:
        raise ValueError(f"{where}.{key}: missing")
    value = _list(data, key, where)
    if not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{where}.{key}: must be a list of non-empty strings")
    return value


def _string(data: dict[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}.{key}: must be a non-empty string")
    return value


def _float(data: dict[str, Any], key: str, where: str) -> float:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{where}.{key}: must be a number")
    return float(value)


def _intent(name: str, where: str) -> Intent:
    try:
        return Intent(name)
    except ValueError:
        raise ValueError(f"{where}: unknown intent {name!r}") from None


def _patterns(
    data: dict[str, Any], key: str, where: str, flags: int
) -> tuple[re.Pattern[str], ...]:
    compiled = []
    for source in _strings(data, key, where, required=False):
        try:
            compiled.append(re.compile(source, flags))
        except re.error as error:
            raise ValueError(f"{where}.{key}: bad regex {source!r}: {error}") from error
    return tuple(compiled)
