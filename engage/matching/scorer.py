"""Score a thread for one therapist: how much joining it could do for them, and why.

score = relevance x intent value x location x opportunity, where relevance is the weighted
specialty evidence (the leading specialty plus a share of the others, plus profile extra terms).
Client-side and crisis threads keep their flags and sink to the bottom: they call for a
find-a-professional or crisis-resources answer, never for networking.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime

from engage.matching import expr
from engage.matching import fit as fitting
from engage.matching.analysis import SEPARATOR, Analysis, Found, analyze_with, plan
from engage.matching.taxonomy import Place, Taxonomy, load_taxonomy
from engage.types import (
    FetchedPost,
    Intent,
    MatchFlag,
    MatchResult,
    Profile,
    Reason,
    ReasonKind,
    ScoringInput,
    Span,
    TextField,
)
from engage.types.matching import FitCheck

_LOCATED_INTENTS = frozenset({Intent.REFERRAL_REQUEST, Intent.BUSINESS})


class Matcher:
    """A profile's scorer, compiled once: build one per profile and call `score` per post."""

    def __init__(self, taxonomy: Taxonomy, profile: Profile) -> None:
        unknown = sorted(set(profile.specialties) - set(taxonomy.specialties))
        if unknown:
            raise ValueError(
                f"unknown specialty slug(s) {unknown}; known: {sorted(taxonomy.specialties)}"
            )
        self.taxonomy = taxonomy
        self.profile = profile
        self.weights = {slug: w for slug, w in profile.specialties.items() if w > 0}
        self.home_states, self.home_regions = _home(taxonomy, profile)
        # A therapist who names how they see clients and leaves out in-person work.
        self.remote_only = bool(profile.delivery) and not any(
            "person" in mode.lower() or "office" in mode.lower() for mode in profile.delivery
        )
        practice = (profile.practice or "").lower()
        self.practice_kinds = frozenset(
            kind.name
            for kind in taxonomy.practice_kinds.values()
            if any(word in practice for word in kind.profile_words)
        )
        self.staff_kinds = frozenset(
            kind.name for kind in taxonomy.practice_kinds.values() if kind.staff
        )
        self.extra_terms = _prefiltered(_parse_all(profile.extra_terms, "extra_terms"))
        self.exclusions = _prefiltered(_parse_all(profile.exclusions, "exclusions"))
        self._plan = plan(taxonomy)
        self._fit_plan = fitting.fit_plan(taxonomy)
        self._fit = fitting.ProfileFit(self._fit_plan, profile)
        self._business = taxonomy.business_specialty
        self._constants = taxonomy.scoring
        self._intent_values = {intent: rule.value for intent, rule in taxonomy.intents.items()}

    def score(
        self,
        post: ScoringInput | FetchedPost,
        *,
        now: datetime | None = None,
        engaged: bool = False,
        explain: bool = True,
    ) -> MatchResult:
        """Score one post; `now` (default: the clock) ages it, `engaged` if already replied.

        `explain=False` leaves `reasons` empty: ranking many posts is about twice as fast, and
        the few that surface can be scored again with their reasons."""
        post = post if isinstance(post, ScoringInput) else ScoringInput.of(post)
        analysis = analyze_with(self._plan, post.title, post.body, post.community, post.triage)
        constants = self._constants
        flags: set[MatchFlag] = set()

        location_factor, home = self._location(analysis)
        contributions: dict[str, float] = {}
        if analysis.strengths:
            weights = self.weights
            for slug, strength in analysis.strengths.items():
                weight = weights.get(slug, 0.0)
                if weight <= 0:
                    continue
                # A practice question counts fully in the therapist's own place, or, when it
                # names no place, when it is about their kind of practice.
                if slug == self._business:
                    kinds = analysis.practice_kinds
                    if self.remote_only and analysis.premises:
                        # an office question, and the therapist sees no one in person
                        weight *= constants["business_unmatched"]
                    elif not (home or (not analysis.places and self.practice_kinds & kinds)):
                        weight *= constants["business_unmatched"]
                    if (
                        kinds
                        and not self.practice_kinds & kinds
                        and (not home or kinds & self.staff_kinds)
                    ):
                        # another kind of practice than theirs: a group's payroll for a solo,
                        # anywhere; an agency's HR for its staff, even in the therapist's place
                        weight *= constants["business_unmatched"]
                contributions[slug] = weight * strength
        extra = _expression_evidence(self.extra_terms, analysis.folded) if self.extra_terms else []
        if extra:
            contributions["extra_terms"] = constants["extra_terms"] * (1.0 - math.exp(-len(extra)))
        leading = max(contributions.values(), default=0.0)
        relevance = leading + constants["others"] * (sum(contributions.values()) - leading)

        factors = {"intent": self._intent_values[analysis.intent], "location": location_factor}
        self._opportunity(factors, post, now, engaged)
        if analysis.client_side:
            flags.add(MatchFlag.CLIENT_SIDE)
        if analysis.crisis:
            flags.add(MatchFlag.CRISIS)
            factors["crisis"] = self.taxonomy.crisis_value
        if analysis.filled and analysis.intent is Intent.REFERRAL_REQUEST:
            flags.add(MatchFlag.FILLED)
            factors["filled"] = constants["filled"]
        fit: list[tuple[FitCheck, int, int]] = []
        if relevance and analysis.intent is Intent.REFERRAL_REQUEST:  # no relevance: score 0
            fit = fitting.checks(self._fit_plan, self._fit, analysis.text, analysis.in_person_only)
            if any(check.met is False for check, _, _ in fit):
                factors["fit"] = constants["fit_mismatch"]
            elif analysis.payer_required and any(
                check.met is None and check.kind == "insurance" for check, _, _ in fit
            ):
                # a plan the referral must have, and the profile doesn't say which it takes
                factors["fit"] = constants["fit_unknown"]
            if analysis.places and not home:
                # Only elsewhere: the location factor has ranked it; the why says where.
                place, (_, start, end, _) = analysis.places[0]
                need = self.taxonomy.state_names.get(place.state, place.state)
                fit.append((FitCheck("place", need, False), start, end))
        excluded = _expression_evidence(self.exclusions, analysis.folded) if self.exclusions else []
        if excluded:
            flags.add(MatchFlag.EXCLUDED)
            factors["excluded"] = 0.0
        return MatchResult(
            score=relevance * math.prod(factors.values()),
            relevance=relevance,
            intent=analysis.intent,
            specialties=analysis.strengths,
            reasons=_explain(analysis, home, contributions, extra, excluded, fit)
            if explain
            else (),
            flags=frozenset(flags),
            factors=factors,
            fit=tuple([check for check, _, _ in fit]) if fit else (),
        )

    def _location(self, analysis: Analysis) -> tuple[float, list[tuple[Place, Found]]]:
        """How the thread's places bear on the therapist: a referral or business thread is worth
        more in their region or licensed states and less elsewhere; consults barely care. Also
        returns the places that are the therapist's."""
        constants = self._constants
        home = (
            [(p, f) for p, f in analysis.places if p.state in self.home_states]
            if analysis.places
            else []
        )
        if analysis.in_person_only and analysis.intent is Intent.REFERRAL_REQUEST:
            # An in-person referral the therapist cannot see: telehealth only, or an office
            # in another part of the state.
            elsewhere = not any(p.region in self.home_regions for p, _ in home)
            if self.remote_only or (home and self.home_regions and elsewhere):
                return constants["location_mismatch"], home
        if self.remote_only and analysis.premises and analysis.intent is Intent.BUSINESS:
            # the place is an office's, and a therapist who sees no one in person has none there
            return (constants["location_mismatch"] if analysis.places else 1.0), []
        if not analysis.places:
            if analysis.intent is Intent.REFERRAL_REQUEST:
                return constants["referral_unlocated"], []
            return 1.0, []
        strengths = analysis.strengths
        located = analysis.intent in _LOCATED_INTENTS or (
            # a question about running a practice is about the place's rules and payers
            self._business in strengths and strengths[self._business] >= max(strengths.values())
        )
        if home and located:
            in_region = any(p.region in self.home_regions for p, _ in home)
            return constants["region_match" if in_region else "state_match"], home
        if home:
            return constants["consult_located"], home
        if analysis.places and located:
            return constants["location_mismatch"], home
        if analysis.intent is Intent.REFERRAL_REQUEST:
            return constants["referral_unlocated"], home
        return 1.0, home

    def _opportunity(
        self, factors: dict[str, float], post: ScoringInput, now: datetime | None, engaged: bool
    ) -> None:
        """Whether a reply can still be seen: open, fresh, early, in a community that matters
        (adds those factors to `factors`)."""
        constants = self._constants
        factors["community"] = self.profile.community_weights.get(post.community, 1.0)
        if post.locked or post.removed:
            factors["open"] = 0.0
        if engaged:
            factors["engaged"] = constants["engaged"]
        if post.created_at is not None:
            age = (_aware(now or datetime.now(UTC)) - _aware(post.created_at)).total_seconds()
            half_lives = max(age, 0.0) / 3600.0 / constants["freshness_half_life_hours"]
            factors["freshness"] = max(constants["freshness_floor"], 0.5**half_lives)
        if post.num_comments is not None:
            early = 0.5 ** (max(post.num_comments, 0) / constants["replies_half"])
            factors["replies"] = max(constants["replies_floor"], early)


def score(
    post: ScoringInput | FetchedPost,
    profile: Profile,
    taxonomy: Taxonomy | None = None,
    now: datetime | None = None,
    *,
    engaged: bool = False,
) -> MatchResult:
    """Score one post (convenience: builds a Matcher each call; use Matcher for many posts)."""
    return Matcher(taxonomy or load_taxonomy(), profile).score(post, now=now, engaged=engaged)


def _home(taxonomy: Taxonomy, profile: Profile) -> tuple[frozenset[str], frozenset[str]]:
    """States and regions the therapist can serve: their location plus their licences."""
    places = [
        taxonomy.places[f.key]
        for h in taxonomy.lexicon.scan(profile.location)
        for f in h.features
        if f.kind == "place"
    ]
    by_name = {name.lower(): code for code, name in taxonomy.state_names.items()}
    licensed = {
        code
        for entry in profile.licensed_in
        if (code := entry if entry in taxonomy.state_names else by_name.get(entry.lower()))
    }
    return (
        frozenset({p.state for p in places} | licensed),
        frozenset(p.region for p in places if p.region),
    )


def _parse_all(sources: Sequence[str], field: str) -> tuple[expr.Expression, ...]:
    parsed = []
    for i, source in enumerate(sources):
        try:
            parsed.append(expr.parse(source))
        except ValueError as error:
            raise ValueError(f"profile.{field}[{i}]: {error}") from error
    return tuple(parsed)


def _explain(
    analysis: Analysis,
    home: list[tuple[Place, Found]],
    contributions: dict[str, float],
    extra: list[tuple[int, int]],
    excluded: list[tuple[int, int]],
    fit: list[tuple[FitCheck, int, int]] = (),  # type: ignore[assignment]
) -> tuple[Reason, ...]:
    """The evidence behind a score as Reasons, in a fixed order: the therapist's places, each
    contributing specialty's phrases, extra terms, client-side cues, crisis, exclusions.
    An extra term's or exclusion's label is the matched text itself."""
    text = analysis.text
    title_length = analysis.title_length
    offset = title_length + len(SEPARATOR)
    title, body = TextField.TITLE, TextField.BODY
    reasons: list[Reason] = []
    add = reasons.append

    def found(kind: ReasonKind, label: str, start: int, end: int, weight: float) -> None:
        snippet = text[start:end]
        add(Reason(kind, label or snippet, snippet, analysis.span(start, end), weight))

    for place, (_, start, end, weight) in home:
        found(ReasonKind.LOCATION, place.region or place.state, start, end, weight)
    # The bulk of the reasons: `analysis.span` inlined.
    specialty = ReasonKind.SPECIALTY
    evidence = analysis.evidence
    for slug in contributions:
        for start, end, weight in evidence.get(slug, ()):  # not "extra_terms"
            snippet = text[start:end]
            if start < title_length:
                add(Reason(specialty, slug, snippet, Span(title, start, end), weight))
            else:
                span = Span(body, start - offset, end - offset)
                add(Reason(specialty, slug, snippet, span, weight))
    for start, end in extra:
        found(ReasonKind.EXTRA_TERM, "", start, end, 1.0)
    if analysis.client_side:
        for label, start, end, weight in analysis.client_evidence:
            found(ReasonKind.CLIENT_SIDE, label, start, end, weight)
    for label, start, end, weight in analysis.crisis:
        found(ReasonKind.CRISIS, label, start, end, weight)
    for start, end in excluded:
        found(ReasonKind.EXCLUSION, "", start, end, 1.0)
    for check, start, end in fit:  # label "language: Mandarin"; weight 1 met, 0 not, 0.5 unknown
        weight = 0.5 if check.met is None else float(check.met)
        found(ReasonKind.FIT, f"{check.kind}: {check.need}", start, end, weight)
    return tuple(reasons)


# An expression and the words of which a text must hold one for it to hold (None: no such).
_Prefiltered = tuple[expr.Expression, tuple[str, ...] | None]


def _prefiltered(expressions: tuple[expr.Expression, ...]) -> tuple[_Prefiltered, ...]:
    return tuple((expression, expr.required_words(expression)) for expression in expressions)


def _expression_evidence(
    expressions: tuple[_Prefiltered, ...], folded: str
) -> list[tuple[int, int]]:
    """Spans of every expression that holds (an empty span when it holds only through NOT)."""
    found: list[tuple[int, int]] = []
    for expression, words in expressions:
        if words is not None:
            for word in words:
                if word in folded:
                    break
            else:
                continue  # none of its words: it cannot hold
        found += expr.matches(expression, folded)
    return found


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
