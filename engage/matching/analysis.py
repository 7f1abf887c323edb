"""What a post says, independent of who reads it: specialties, intent, author, crisis, places.

The analysis is profile-free so that one scan of a post can be scored for many therapists.

Speed matters here (a feed is scored post by post, on one core), so the taxonomy is compiled
once into a `Plan`: for every phrase the lexicon can report, what it means, already sorted by
kind. A post then costs one regex scan plus a few dict operations per phrase found, and its
evidence is kept as plain tuples; the scorer turns into `Reason`s only the evidence it reports.

Longer than a module should be, for that speed: the Plan, the one scan and the Analysis it fills
are one hot path, kept together so nothing on it costs an extra call or an extra object. It must
not import IO, the database or the profile (scoring for a therapist is scorer.py's job).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from weakref import WeakKeyDictionary

from engage.crisis import detector as crisis_detector
from engage.matching.lexicon import Feature, fold
from engage.matching.taxonomy import (
    CUE,
    INTENT,
    NEAR,
    PLACE,
    PRACTICE,
    SIGNAL,
    TERM,
    Place,
    Taxonomy,
)
from engage.types import CrisisAssessment, Intent, Span, TextField

# Title and body are scanned as one text; this separator keeps phrases from spanning both.
SEPARATOR = "\n\x00\n"
_EDIT_LINE = re.compile(r"\b(?:edit|update|eta)\b", re.IGNORECASE)
_GAPS = re.compile(r"[\s\-]+")
_WORDS = re.compile(r"[^\s\-]+")
_WORD_CHAR = re.compile(r"\w")

# A phrase at `start:end` of the combined text that counts toward `label` with `weight`.
Found = tuple[str, int, int, float]

# A negative rule as the hot path uses it: (rule id, within or None for the whole post).
_Rule = tuple[str, int | None]
# One specialty feature of a phrase: slug, term, weight in the body, weight in the title,
# whether it is a term (not a cue), and the negative rules that apply.
_Specialty = tuple[str, str, float, float, bool, tuple[_Rule, ...]]


class _Entry:
    """Everything a phrase means, sorted by kind (see `Plan`)."""

    __slots__ = (
        "inner",
        "inner_spans",
        "intents",
        "near",
        "other",
        "phrase",
        "places",
        "practice",
        "signals",
        "specialties",
    )

    def __init__(self, phrase: str) -> None:
        self.phrase = phrase
        self.specialties: tuple[_Specialty, ...] = ()
        self.intents: tuple[tuple[str, float], ...] = ()
        self.near: tuple[str, ...] = ()  # post-wide negative rules whose context this is
        self.signals: tuple[str, ...] = ()
        self.places: tuple[tuple[Place, str], ...] = ()
        self.practice: tuple[str, ...] = ()
        # Phrases inside this one that keep their own meaning: (first word, end word, entry).
        self.inner: tuple[tuple[int, int, _Entry], ...] = ()
        self.inner_spans: tuple[tuple[_Entry, int, int], ...] = ()
        self.other = False  # has any meaning besides specialties

    def set_inner(self, inner: tuple[tuple[int, int, _Entry], ...]) -> None:
        self.inner = inner
        # Where they lie when the phrase is matched as written (one space between words).
        words = [w.span() for w in _WORDS.finditer(self.phrase)]
        self.inner_spans = tuple((entry, words[i][0], words[j - 1][1]) for i, j, entry in inner)

    def inner_hits(self, matched: str, offset: int) -> list[tuple[_Entry, int, int]]:
        """The inner phrases of this phrase matched as `matched` at `offset`."""
        if matched == self.phrase:
            return [(entry, offset + start, offset + end) for entry, start, end in self.inner_spans]
        words = [w.span() for w in _WORDS.finditer(matched)]
        return [
            (entry, offset + words[i][0], offset + words[j - 1][1]) for i, j, entry in self.inner
        ]


class Plan:
    """A taxonomy's lexicon compiled for `analyze`: one `_Entry` per normalized phrase."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        lexicon = taxonomy.lexicon
        self.exact = lexicon.patterns()[1]
        self.insensitive, self.insensitive_ascii = lexicon.after_non_word_patterns()
        phrases = lexicon.phrases()
        entries = {
            key: self._entry(taxonomy, key[1], features) for key, features in phrases.items()
        }
        for key, inner in lexicon.inner().items():
            entries[key].set_inner(tuple((i, j, entries[sub]) for i, j, sub in inner))
        self.by_phrase: tuple[dict[str, _Entry], dict[str, _Entry]] = ({}, {})
        for (exact, phrase), entry in entries.items():
            self.by_phrase[exact][phrase] = entry
        # Each pattern with a substring any match must contain: most posts lack it, and `in`
        # is much cheaper than a regex search.
        self.intent_priority = taxonomy.intent_priority
        self.intent_patterns = tuple(
            (intent, *_prefiltered(p))
            for intent in taxonomy.intent_priority
            for p in taxonomy.intents[intent].patterns
        )
        self.client_patterns = tuple((required_literal(p), p) for p in taxonomy.client_patterns)
        self.help_seekers = taxonomy.help_seeker_communities
        self.clinical_communities = taxonomy.clinical_communities
        words = sorted(
            {*taxonomy.clinical_words, *taxonomy.not_clinical_words}, key=len, reverse=True
        )
        self._not_clinical = frozenset(taxonomy.not_clinical_words)
        # A few letters every clinical phrase starts with: most posts hold none of them.
        self._clinical_stems = tuple(sorted({w[:6] for w in taxonomy.clinical_words}))
        # Longest first: at "physical therapy" the alternation takes the whole phrase.
        self._clinical = re.compile(
            r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"[\s\-]+") for w in words) + r")\b"
        )
        self.client_community = taxonomy.client_community
        self.client_margin = taxonomy.client_margin
        self.intent_threshold = taxonomy.intent_threshold

    def speaks_of_therapy(self, folded: str, professional: list[Found] | None) -> bool:
        """Whether the post speaks of mental health care: a clinical phrase or a clinician's cue
        that is said, not denied ("not looking for therapy")."""
        if professional and any(not negated(folded, f[1]) for f in professional):
            return True
        if not any(stem in folded for stem in self._clinical_stems):
            return False
        for m in self._clinical.finditer(folded):
            if _GAPS.sub(" ", m.group()) not in self._not_clinical and not negated(
                folded, m.start()
            ):
                return True
        return False

    @staticmethod
    def _entry(taxonomy: Taxonomy, phrase: str, features: Iterable[Feature]) -> _Entry:
        entry = _Entry(phrase)
        specialties: list[_Specialty] = []
        intents: list[tuple[str, float]] = []
        signals: list[str] = []
        places: list[tuple[Place, str]] = []
        practice: list[str] = []
        near: list[str] = []
        for feature in features:
            kind = feature.kind
            if kind in (TERM, CUE):
                rules = tuple(
                    (rule.rule_id, rule.within)
                    for rule in taxonomy.negatives_by_slug.get(feature.key, ())
                    if rule.terms is None or feature.term in rule.terms
                )
                weight = feature.weight
                specialties.append(
                    (feature.key, feature.term, weight, weight * taxonomy.title_weight,
                     kind == TERM, rules)
                )  # fmt: skip
            elif kind == INTENT:
                intents.append((feature.key, feature.weight))
            elif kind == SIGNAL:
                signals.append(feature.key)
            elif kind == NEAR:
                near.append(feature.key)
            elif kind == PLACE:
                places.append((taxonomy.places[feature.key], feature.key))
            elif kind == PRACTICE:
                practice.append(feature.key)
        entry.specialties = tuple(specialties)
        entry.intents = tuple(intents)
        entry.signals = tuple(signals)
        entry.places = tuple(places)
        entry.practice = tuple(practice)
        entry.near = tuple(near)
        entry.other = bool(intents or signals or near or places or practice)
        return entry

    def collect(
        self,
        text: str,
        folded: str,
        specialty_hits: list[tuple[tuple[_Specialty, ...], int, int]],
        other_hits: list[tuple[_Entry, int, int]],
    ) -> None:
        """Every phrase in `text` (longest at each position), as `Lexicon.scan` finds them:
        case-insensitive ones in text order, each followed by the phrases inside it, then
        exact-case ones. Those with specialty meanings go to `specialty_hits`, those with other
        meanings to `other_hits` (a phrase can be in both)."""
        add_specialty = specialty_hits.append
        add_other = other_hits.append
        for exact, pattern in ((False, self.insensitive), (True, self.exact)):
            if pattern is None:
                continue
            by_phrase = self.by_phrase[exact]
            # The case-insensitive regex matches the character before the phrase too, in the
            # text with a space put before it: a match's start is the phrase's own in the text.
            if exact:
                found: Iterable[re.Match[str] | re.Match[bytes]] = pattern.finditer(text)
            elif self.insensitive_ascii is not None and folded.isascii():
                found = self.insensitive_ascii.finditer(b" " + folded.encode("ascii"))
            else:
                found = pattern.finditer(" " + folded)
            for m in found:
                start, end = m.span()
                if exact:
                    # The exact-case regex has no leading \b: check that the match starts a word.
                    if start and _WORD_CHAR.match(text, start - 1):
                        continue
                    matched = text[start:end]
                else:
                    end -= 1
                    matched = folded[start:end]
                entry = by_phrase.get(matched)
                if entry is None:
                    if matched.isalnum():
                        continue
                    entry = by_phrase.get(_GAPS.sub(" ", matched))
                    if entry is None:
                        continue
                if entry.specialties:
                    add_specialty((entry.specialties, start, end))
                if entry.other:
                    add_other((entry, start, end))
                if entry.inner:
                    for inner, inner_start, inner_end in entry.inner_hits(matched, start):
                        if inner.specialties:
                            add_specialty((inner.specialties, inner_start, inner_end))
                        if inner.other:
                            add_other((inner, inner_start, inner_end))


_PLANS: WeakKeyDictionary[Taxonomy, Plan] = WeakKeyDictionary()


def plan(taxonomy: Taxonomy) -> Plan:
    """The taxonomy's plan, compiled on first use."""
    compiled = _PLANS.get(taxonomy)
    if compiled is None:
        compiled = _PLANS[taxonomy] = Plan(taxonomy)
    return compiled


class Analysis:
    """Internal and short-lived: a slots class, cheaper to build than a dataclass.

    `evidence` holds per specialty each distinct phrase once at its best weight, as
    (start, end, weight); `strengths` (in the same order) is what it adds up to."""

    __slots__ = (
        "client_evidence",
        "client_side",
        "crisis",
        "evidence",
        "filled",
        "folded",
        "in_person_only",
        "intent",
        "payer_required",
        "places",
        "practice_kinds",
        "premises",
        "strengths",
        "text",
        "title_length",
    )

    def __init__(
        self,
        text: str,
        folded: str,
        title_length: int,
        evidence: dict[str, list[tuple[int, int, float]]],
        strengths: dict[str, float],
        intent: Intent,
        client_side: bool,
        client_evidence: list[Found],
        crisis: list[Found],
        places: list[tuple[Place, Found]],
        practice_kinds: set[str],
        filled: bool,
        in_person_only: bool = False,
        premises: bool = False,
        payer_required: bool = False,
    ) -> None:
        self.text = text
        self.folded = folded
        self.title_length = title_length
        self.evidence = evidence
        self.strengths = strengths
        self.intent = intent
        self.client_side = client_side
        self.client_evidence = client_evidence
        self.crisis = crisis
        self.places = places
        self.practice_kinds = practice_kinds
        self.filled = filled
        self.in_person_only = in_person_only
        self.premises = premises
        self.payer_required = payer_required

    def span(self, start: int, end: int) -> Span:
        """Where `start:end` of the combined text lies in the post's own title or body."""
        if start < self.title_length:
            return Span(TextField.TITLE, start, end)
        offset = self.title_length + len(SEPARATOR)
        return Span(TextField.BODY, start - offset, end - offset)


def combined_text(title: str, body: str) -> str:
    return title + SEPARATOR + body


def analyze(taxonomy: Taxonomy, title: str, body: str, community: str) -> Analysis:
    """Scan the post once and read every profile-independent fact from the hits."""
    return analyze_with(plan(taxonomy), title, body, community)


def analyze_with(
    plan: Plan, title: str, body: str, community: str, triage: CrisisAssessment | None = None
) -> Analysis:
    """`analyze` with the taxonomy's plan at hand (the scorer keeps it). `triage`: the crisis
    detector's answer for this post when it was read once already (at ingest)."""
    text = title + SEPARATOR + body
    folded = fold(text)
    title_length = len(title)
    specialty_hits: list[tuple[tuple[_Specialty, ...], int, int]] = []
    other_hits: list[tuple[_Entry, int, int]] = []
    plan.collect(text, folded, specialty_hits, other_hits)
    signals: dict[str, list[Found]] = {}
    intent_cues: dict[str, dict[str, float]] = {}
    places: list[tuple[Place, Found]] = []
    practice_kinds: set[str] = set()
    near: dict[str, list[tuple[int, int]]] = {}  # negative rules' context phrases found
    for entry, start, end in other_hits:
        if entry.intents:
            for key, weight in entry.intents:
                cues = intent_cues.get(key)
                if cues is None:
                    cues = intent_cues[key] = {}
                cues[entry.phrase] = weight
        if entry.signals:
            for key in entry.signals:
                found = (entry.phrase, start, end, 1.0)
                listed = signals.get(key)
                if listed is None:
                    signals[key] = [found]
                else:
                    listed.append(found)
        if entry.places:
            for place, place_id in entry.places:
                places.append((place, (place_id, start, end, 1.0)))
        if entry.practice:
            practice_kinds.update(entry.practice)
        if entry.near:
            for key in entry.near:
                found_near = near.get(key)
                if found_near is None:
                    near[key] = [(start, end)]
                else:
                    found_near.append((start, end))

    evidence: dict[str, list[tuple[int, int, float]]] = {}
    strengths: dict[str, float] = {}
    community_key = community.lower()
    if specialty_hits and not (
        not community  # a thread the therapist added by hand, where it was doesn't say
        or community_key in plan.clinical_communities
        or plan.speaks_of_therapy(folded, signals.get("professional"))
    ):
        # Outside the places where therapy is the topic, a post that never speaks of therapy
        # uses the words in another sense: food porn, a trauma kit, a herd's IVF, a CSAT score.
        specialty_hits = []
    if specialty_hits and "(" in text:
        specialty_hits = _drop_redefined_acronyms(text, specialty_hits)
    if specialty_hits:
        _specialty_evidence(
            specialty_hits, folded, near, title_length, evidence, strengths,
            signals.get("disclaimer"),
        )  # fmt: skip

    client_evidence = signals.get("client", [])
    client_score: float = len({f[0] for f in client_evidence}) if client_evidence else 0
    for literal, pattern in plan.client_patterns:
        if literal in text and pattern.search(text):
            client_score += 1
    if community_key in plan.help_seekers:
        client_score += plan.client_community
    professional = signals.get("professional")
    client_side = (
        client_score - (len({f[0] for f in professional}) if professional else 0)
        >= plan.client_margin
    )
    if triage is None:
        triage = crisis_detector.assess(text, community)
    crisis: list[Found] = []
    if triage.crisis:
        crisis = [(cue.kind, cue.start, cue.end, float(cue.strength)) for cue in triage.cues]
        if triage.by_model:  # no cue to point at: the learned second opinion read it as one
            at = title_length + len(SEPARATOR)
            crisis.append(("reads as a crisis (learned second opinion)", at, at, 1.0))
    filled = signals.get("filled")
    return Analysis(
        text,
        folded,
        title_length,
        evidence,
        strengths,
        (_client_intent if client_side else _intent)(plan, intent_cues, text),
        client_side,
        client_evidence,
        crisis,
        places,
        practice_kinds,
        bool(filled) and any(_EDIT_LINE.search(text, 0, f[1]) for f in filled),  # type: ignore[union-attr]
        "in_person_only" in signals,
        "premises" in signals,
        "payer_required" in signals,
    )


_SMALL_WORDS = frozenset({"and", "of", "for", "the", "&", "in", "on", "to", "a"})
_EXPANSION_WORDS = re.compile(r"[A-Za-z][\w']*|&")


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words if w.lower() not in _SMALL_WORDS).upper()


def _drop_redefined_acronyms(
    text: str, hits: list[tuple[tuple[_Specialty, ...], int, int]]
) -> list[tuple[tuple[_Specialty, ...], int, int]]:
    """Acronyms spelled out as something else: "IFS (Integrated Financial System)" or
    "Enterprise Master Data Repository (EMDR)". A capitalised specialty acronym whose spelled-
    out form (words with its initials, next to it in parentheses) holds none of the
    specialty's own phrases names that other thing, not the specialty."""
    kept = []
    redefined: set[str] = set()
    for hit in hits:
        specialties, start, end = hit
        acronym = text[start:end]
        if not (2 <= len(acronym) <= 6 and acronym.isupper()):
            kept.append(hit)
            continue
        after = text[end : end + 2]
        if after.startswith("(") or after == " (":
            open_at = text.index("(", end)
            close_at = text.find(")", open_at, open_at + 100)
            if close_at < 0:
                kept.append(hit)
                continue
            span = (open_at + 1, close_at)
            words = _EXPANSION_WORDS.findall(text, *span)
        elif start and text[start - 1] == "(" and text[end : end + 1] == ")":
            letters = len(acronym.rstrip("s"))
            found = list(_EXPANSION_WORDS.finditer(text, max(0, start - 120), start - 1))
            # The last words before the parenthesis, small words allowed in between.
            words = []
            first = start - 1
            for m in reversed(found):
                words.insert(0, m.group())
                first = m.start()
                if len(_initials(words)) >= letters:
                    break
            span = (first, start - 1)
        else:
            kept.append(hit)
            continue
        if _initials(words) != acronym.rstrip("s").upper():
            kept.append(hit)
            continue
        slugs = {spec[0] for spec in specialties}
        inside = any(
            s0 >= span[0] - 1 and e0 <= span[1] + 1 and slugs & {spec[0] for spec in other}
            for other, s0, e0 in hits
            if other is not specialties or s0 != start
        )
        if inside:
            kept.append(hit)
        else:
            redefined.add(acronym)
    if redefined:
        # The post spelled the acronym out as something else: it means that throughout.
        kept = [hit for hit in kept if hit[0] and _text_at(text, hit) not in redefined]
    return kept


def _text_at(text: str, hit: tuple[tuple[_Specialty, ...], int, int]) -> str:
    return text[hit[1] : hit[2]]


# A negation whose scope is the phrase right after it: "no porn", "not an affair case", "isn't
# about postpartum", "not looking for EMDR", "without couples work", "nothing to do with IFS".
# Only determiners and the like may stand between ("not a", "never an"): "not ready for EMDR"
# still speaks of EMDR. Hedges ("not sure", "not just", "no longer") are not negations.
_NEGATORS = ("no ", "not ", "n't ", "never ", "without ", "nothing ")
_BETWEEN = re.compile(
    r"(?:(?:about|a|an|the|any|my|our|your|really|even|one|single|more of an?|looking for|"
    r"asking about|asking for|here for|to do with) )*"
    # ... and the next item of a list it heads: "not looking for therapy or a support group"
    r"(?:[\w'/]+(?: [\w'/]+)? (?:or|nor) (?:(?:a|an|any) )?)?"
)
_SCOPE = 45
# How far after a phrase a disclaimer ("..., but that's not what this is about") takes it back.
_DISCLAIMER_REACH = 40


def negated(folded: str, start: int) -> bool:
    """Whether the phrase at `start` of the folded text is under a negation: a negation word
    ends within _SCOPE characters before it, and only _BETWEEN's words stand between."""
    low = start - _SCOPE if start > _SCOPE else 0
    window = folded[low:start]
    # Most phrases have no negation word before them: four substring tests say so.
    if not ("no" in window or "n't" in window or "never" in window or "without" in window):
        return False
    for word in _NEGATORS:
        at = window.find(word)
        while at >= 0:
            # a word of its own ("no", not "piano"); "n't" always ends one ("isn't")
            alone = word == "n't " or low + at == 0 or not folded[low + at - 1].isalnum()
            if alone and _BETWEEN.fullmatch(folded, low + at + len(word), start):
                return True
            at = window.find(word, at + 1)
    return False


def _specialty_evidence(
    hits: list[tuple[tuple[_Specialty, ...], int, int]],
    folded: str,
    near: dict[str, list[tuple[int, int]]],
    title_length: int,
    evidence: dict[str, list[tuple[int, int, float]]],
    strengths: dict[str, float],
    disclaimers: list[Found] | None = None,
) -> None:
    """Per specialty, each distinct phrase once at its best weight; cues only when a term is
    there too, so a lone "addiction" or "couple" names nothing. Fills `evidence` and
    `strengths` (1 - exp(-total weight)), in the order the specialties first appear.

    A post whose title denies a specialty and whose body denies it again ("This isn't sex
    addiction, right?" ... "Nothing sexual at all") rules it out: its other mentions only set
    it aside. One denial is not enough ("Not postpartum yet: 28 weeks", "she'll never
    conceive"), nor is a list of what a client doesn't do ("no porn sites, no affairs"). A
    phrase taken back right after it ("client is gay, but that's not what this is about")
    counts for nothing."""
    best: dict[str, dict[str, tuple[int, int, float]]] = {}
    named: set[str] = set()
    denials: dict[str, int] = {}
    denied_in_title: set[str] = set()
    # Acronyms that a negative rule showed to mean something else somewhere in the post: they
    # mean it everywhere in the post ("PPD results ... my PPD skin test").
    other_sense: list[tuple[str, str]] = []
    for specialties, start, end in hits:
        if negated(folded, start):
            for spec in specialties:
                denials[spec[0]] = denials.get(spec[0], 0) + 1
                if start < title_length:
                    denied_in_title.add(spec[0])
            continue
        if disclaimers and any(0 <= f[1] - end <= _DISCLAIMER_REACH for f in disclaimers):
            continue
        in_title = start < title_length
        for slug, term, weight, title_weight, is_term, rules in specialties:
            if rules and near and _cancelled(rules, start, end, near):
                if term.isupper():
                    other_sense.append((slug, term))
                continue
            if in_title:
                weight = title_weight
            phrases = best.get(slug)
            if phrases is None:
                phrases = best[slug] = {term: (start, end, weight)}
            else:
                previous = phrases.get(term)
                if previous is None or weight > previous[2]:
                    phrases[term] = (start, end, weight)
            if is_term:
                named.add(slug)
    if other_sense:
        for slug, term in other_sense:
            found = best.get(slug)
            if found and term in found:
                del found[term]
                if not any(_names(hits, slug, t) for t in found):
                    named.discard(slug)
    for slug, found in best.items():
        if slug in named and not (slug in denied_in_title and denials[slug] > 1):
            evidence[slug] = values = list(found.values())
            total = 0.0
            for value in values:
                total += value[2]
            strengths[slug] = 1.0 - math.exp(-total)


def _names(hits: list[tuple[tuple[_Specialty, ...], int, int]], slug: str, term: str) -> bool:
    """Whether `term` is one of `slug`'s terms (not a cue) among the hits (rarely called)."""
    return any(
        spec[0] == slug and spec[1] == term and spec[4] for specs, _, _ in hits for spec in specs
    )


def _cancelled(
    rules: tuple[_Rule, ...], start: int, end: int, near: dict[str, list[tuple[int, int]]]
) -> bool:
    """Whether a context phrase of one of `rules` is within its reach of the phrase at
    start:end (anywhere in the post for a post-wide rule)."""
    for rule_id, within in rules:
        for near_start, near_end in near.get(rule_id, ()):
            if within is None or (near_start - within <= end and start <= near_end + within):
                return True
    return False


def _client_intent(plan: Plan, cues: dict[str, dict[str, float]], text: str) -> Intent:
    """A client-side author seeks help, unless the post sells something: a seller writes in the
    first person too ("after 2 failed IVFs I found...", "DM me for the starter pack")."""
    if ("spam" in cues or "% off" in text) and _intent(plan, cues, text) is Intent.SPAM:
        return Intent.SPAM
    return Intent.CLIENT_SEEKING_HELP


def _intent(plan: Plan, cues: dict[str, dict[str, float]], text: str) -> Intent:
    """The intent whose distinct cues and patterns weigh most; ties follow the priority list."""
    matched: dict[Intent, float] | None = None  # what the patterns add, per intent
    for intent, literal, alternatives, pattern in plan.intent_patterns:
        if literal not in text:
            continue
        if alternatives:  # one of them must be in the text, too
            for alternative in alternatives:
                if alternative in text:
                    break
            else:
                continue
        if pattern.search(text):
            if matched is None:
                matched = {}
            matched[intent] = matched.get(intent, 0.0) + 2.0
    best, best_total = Intent.OTHER, -1.0
    for intent in plan.intent_priority:
        found = cues.get(intent)
        total = sum(found.values()) if found else 0.0
        if matched:
            total += matched.get(intent, 0.0)
        if total > best_total:
            best, best_total = intent, total
    if best_total >= plan.intent_threshold:
        return best
    return Intent.CONSULT_QUESTION if "?" in text else Intent.OTHER


# A pattern that starts with a group of plain alternatives: "(?:CSAT|LMFT|LPC)s? in [A-Z]".
_LEADING_ALTERNATIVES = re.compile(r"\(\?:([\w \-]+(?:\|[\w \-]+)+)\)(?![?*{])")


def required_alternatives(pattern: re.Pattern[str]) -> tuple[str, ...]:
    """For a pattern that starts with a group of plain alternatives, the alternatives: every
    match contains one of them. () for any other pattern."""
    if pattern.flags & (re.IGNORECASE | re.VERBOSE):
        return ()
    m = _LEADING_ALTERNATIVES.match(pattern.pattern)
    return tuple(m.group(1).split("|")) if m else ()


def _prefiltered(pattern: re.Pattern[str]) -> tuple[str, tuple[str, ...], re.Pattern[str]]:
    """A pattern with the substrings a text must hold for it to match: its required literal,
    and when that is short, the alternatives it starts with (substring tests are far cheaper
    than a regex search over the whole post)."""
    literal = required_literal(pattern)
    return literal, required_alternatives(pattern) if len(literal) < 3 else (), pattern


def required_literal(pattern: re.Pattern[str]) -> str:
    """The longest plain substring that every match of `pattern` contains ("" if none is
    found): the longest run of literal characters (escaped punctuation included) in the
    pattern's top-level sequence, with groups, classes, escaped classes and anchors, and
    quantified characters left out. Conservative: a pattern this does not understand gets "",
    which every text contains."""
    if pattern.flags & (re.IGNORECASE | re.VERBOSE):
        return ""
    source = pattern.pattern
    best = run = ""
    depth = 0
    i = 0
    while i < len(source):
        char = source[i]
        literal = False
        if char == "\\":
            i += 1  # an escape: a class or an anchor, or an escaped character (a literal)
            literal = depth == 0 and i < len(source) and not source[i].isalnum()
            char = source[i : i + 1]
        elif char == "[":
            i += 1
            if source[i : i + 1] == "^":
                i += 1
            if source[i : i + 1] == "]":
                i += 1
            while i < len(source) and source[i] != "]":
                i += 2 if source[i] == "\\" else 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return ""  # top-level alternatives: nothing is required
        elif char in "*+?{":
            run = run[:-1]  # the quantified character may be absent or repeated
            if char == "{":
                while i < len(source) and source[i] != "}":
                    i += 1
        elif depth == 0 and char not in ".^$|}":
            literal = True
        if literal:
            run += char
        else:
            best = max(best, run, key=len)
            run = ""
        i += 1
    return max(best, run, key=len)
