"""Every template draft for every labelled thread (the dev set and round 3) and eval persona:
what the guard allows, never the same text twice, a bracket naming what the therapist writes,
short; and the issue "Drafts a therapist would post", counted over the whole sets: no draft
agrees or disagrees with a question, none quotes a title back, none offers the therapist for a
referral they don't fit, the credential line at most once per community (the desk's monthly
check, simulated in thread order), crisis resources only on crisis threads.

The threads and personas are the relevance set of tests/data/eval (see its README), scored by
engage.matching as in production, so the drafts see what they would see for real.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

import engage
from engage import guard
from engage.drafting import TemplateDrafter, allowed_moves, choose_move
from engage.drafting.reading import excerpt, intro, quotable
from engage.drafting.shape import Shape, read_shape
from engage.matching import Matcher, load_taxonomy
from engage.matching.evaluate import read_personas, read_threads
from engage.types import (
    BlogArticle,
    DraftInput,
    DraftText,
    GuardSlug,
    Intent,
    Move,
    Profile,
    ScoringInput,
)
from tests.drafting.conftest import blocking

EVAL = Path(__file__).resolve().parents[1] / "data" / "eval"
TEMPLATES = Path(engage.__file__).parent / "templates" / "drafts"
PERSONAS = read_personas(EVAL / "personas.json")
THREADS = [
    *read_threads(EVAL / "threads-dev.jsonl"),
    *read_threads(EVAL / "threads-r3.jsonl"),
]
EXAMPLE_MOVES = {Move.AGREE_EXAMPLE, Move.DISAGREE_EXAMPLE}
MAX_CHARS = 700
BRACKET = re.compile(r"\[[^\]]{10,}\]")
NO_BRACKET_NEEDED = {"template:crisis_resources.txt.j2", "template:find_a_professional.txt.j2"}
OFFER = "template:agree_example.referral_request.txt.j2"

ARTICLE = BlogArticle(
    url="https://therapist-blog.com/posts/joining-the-conversation",
    title="Why I answer colleagues' questions online",
    summary="Consultation happens in public now, and showing up in it is how colleagues meet you.",
)

Drafted = list[tuple[str, DraftInput, DraftText]]
Shapes = dict[tuple[str, str], Shape]  # (persona, thread id): the shape the drafter read


@pytest.fixture(scope="module")
def drafted() -> tuple[dict[str, Drafted], Shapes]:
    """Per persona: (thread id, input, draft) for every thread the move table drafts, and an
    article share for every thread among colleagues; the credential line offered only where
    the community hasn't had it from this persona yet (the desk's monthly check, all threads
    taken as one month)."""
    taxonomy = load_taxonomy()
    drafter = TemplateDrafter()
    result: dict[str, Drafted] = {}
    shapes: Shapes = {}
    for pid, profile in PERSONAS.items():
        matcher = Matcher(taxonomy, profile)
        result[pid] = []
        introduced: set[str] = set()
        for record in THREADS:
            match = matcher.score(
                ScoringInput(record["title"], record["body"], record["community"])
            )
            draft_input = DraftInput.from_match(
                match,
                title=record["title"],
                body=record["body"],
                community=record["community"],
                url=f"https://example.org/{record['id']}",
            )
            shape = shapes[pid, record["id"]] = read_shape(draft_input, profile, match.fit)
            move = choose_move(draft_input, shape=shape)
            if move is not None:
                introduce = record["community"] not in introduced
                draft = drafter.draft(
                    draft_input, profile, move=move, introduce=introduce, fit=match.fit
                )
                if _credential_line(draft.text, profile):
                    introduced.add(record["community"])
                result[pid].append((record["id"], draft_input, draft))
            if Move.SHARE_ARTICLE in allowed_moves(draft_input, shape):
                share = drafter.draft(draft_input, profile, article=ARTICLE, fit=match.fit)
                result[pid].append((record["id"], draft_input, share))
    return result, shapes


@pytest.fixture(scope="module")
def drafts(drafted: tuple[dict[str, Drafted], Shapes]) -> dict[str, Drafted]:
    return drafted[0]


def _credential_line(text: str, profile: Profile) -> bool:
    return intro(profile) in text or intro(profile, named=True) in text


def _unbracketed(text: str) -> str:
    return re.sub(r"\[[^\]]*\]", " ", text)


def _folded(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("“", '"').replace("”", '"').lower().split())


def _sentences(text: str) -> int:
    """Sentences outside quotations (a quoted question is part of the sentence quoting it)."""
    unquoted = re.sub(r"“[^”]*”", "“…”", text)
    return len(re.findall(r"[.!?](?=\]?(?:\s|$))", unquoted))


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_the_guard_finds_nothing_blocking_in_any_draft(
    drafts: dict[str, Drafted], persona: str
) -> None:
    flagged = {
        tid: [w.message for w in found]
        for tid, draft_input, draft in drafts[persona]
        if (found := blocking(draft.text, draft_input))
    }
    assert not flagged


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_no_two_threads_get_the_same_reply(drafts: dict[str, Drafted], persona: str) -> None:
    """Crisis and find-a-professional replies are left out: they must not echo the poster's
    words, so only their phrasing varies; so are shares of the one article used here (a share
    names no words of the thread outside its bracket, which the therapist fills), and replies
    to threads with no question or title safe to name: those are brackets the therapist
    fills, around a line of phrasing and the thread's topic."""
    by_text: dict[str, list[str]] = defaultdict(list)
    for tid, draft_input, draft in drafts[persona]:
        questions = re.findall(r"[^.!?\n]*\?", draft_input.text)
        nameable = excerpt(draft_input) or any(quotable(q) for q in questions)
        if (
            draft.drafter not in NO_BRACKET_NEEDED
            and draft.move is not Move.SHARE_ARTICLE
            and nameable
        ):
            by_text[draft.text].append(f"{tid}/{draft.move}")
    assert not {text: ids for text, ids in by_text.items() if len(ids) > 1}


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_example_moves_leave_brackets_for_the_therapist(
    drafts: dict[str, Drafted], persona: str
) -> None:
    missing = [
        tid
        for tid, _, draft in drafts[persona]
        if draft.move in EXAMPLE_MOVES and not re.search(r"\[[^\]]{10,}\]", draft.text)
    ]
    assert not missing


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_every_draft_is_two_to_five_sentences(drafts: dict[str, Drafted], persona: str) -> None:
    too_long = {
        tid: draft.text
        for tid, _, draft in drafts[persona]
        if not 2 <= _sentences(draft.text) <= 5 or len(draft.text) > MAX_CHARS
    }
    assert not too_long


def test_the_dev_set_exercises_every_template(drafts: dict[str, Drafted]) -> None:
    """Guards the tests above against passing on a set that never reaches some templates."""
    used = {draft.drafter for persona in drafts.values() for _, _, draft in persona}
    templates = {f"template:{path.name}" for path in TEMPLATES.glob("*.txt.j2")}
    # no thread in the sets vents a view: test_templates.py covers that one
    unused_by_design = {"template:blog_share.txt.j2", "template:agree_example.vent.txt.j2"}
    assert used == templates - unused_by_design


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_article_shares_are_disclosed_as_the_therapists_own(
    drafts: dict[str, Drafted], persona: str
) -> None:
    undisclosed = [
        tid
        for tid, draft_input, draft in drafts[persona]
        if draft.move is Move.SHARE_ARTICLE
        and any(
            w.slug is GuardSlug.UNDISCLOSED_PROMOTION
            for w in guard.check(draft.text, guard.GuardContext(thread=draft_input.text))
        )
    ]
    assert not undisclosed


# The issue "Drafts a therapist would post", counted over both sets for every persona.


def test_no_draft_agrees_or_disagrees_with_a_question(
    drafted: tuple[dict[str, Drafted], Shapes],
) -> None:
    """Agree and disagree drafts (the referral offer aside) name an opinion the thread
    states, and that opinion is not one of its questions."""
    drafts, shapes = drafted
    violations = []
    for pid, persona in drafts.items():
        for tid, _, draft in persona:
            if draft.move not in EXAMPLE_MOVES or draft.drafter == OFFER:
                continue
            shape = shapes[pid, tid]
            named = [o for o in shape.opinions if o in draft.text]
            asked = {_folded(q) for q in shape.questions}
            if not named or any(o.endswith("?") or _folded(o) in asked for o in named):
                violations.append((pid, tid, draft.text))
    assert violations == []


def test_no_draft_quotes_a_title_or_a_question_back(drafts: dict[str, Drafted]) -> None:
    """Outside the brackets (which the therapist replaces), no draft repeats the thread's
    title or quotes one of its questions ("You asked, "…?"")."""
    violations = []
    for pid, persona in drafts.items():
        for tid, draft_input, draft in persona:
            said = _folded(_unbracketed(draft.text))
            title = quotable(draft_input.title)
            quoted = [_folded(q) for q in re.findall(r"“([^”]*)”", _unbracketed(draft.text))]
            if (
                (title and _folded(title.rstrip(".")) in said)
                or "you asked" in said
                or any(q.endswith("?") for q in quoted)
            ):
                violations.append((pid, tid, draft.text))
    assert violations == []


def test_no_draft_offers_the_therapist_for_a_referral_they_dont_fit(
    drafted: tuple[dict[str, Drafted], Shapes],
) -> None:
    drafts, shapes = drafted
    violations = [
        (pid, tid, draft.text)
        for pid, persona in drafts.items()
        for tid, _, draft in persona
        if shapes[pid, tid].unmet
        and (draft.drafter == OFFER or re.search(r"right in my area|a fit for this", draft.text))
    ]
    assert violations == []


def test_the_credential_line_at_most_once_per_community(drafts: dict[str, Drafted]) -> None:
    """Every thread taken as one month: a persona's credentials reach a community once."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for pid, persona in drafts.items():
        for _, draft_input, draft in persona:
            if _credential_line(draft.text, PERSONAS[pid]):
                counts[pid, draft_input.community] += 1
    assert {key: n for key, n in counts.items() if n > 1} == {}
    assert counts, "no referral offer introduced anyone: the check above would pass vacuously"


def test_only_referral_offers_carry_the_credential_line(drafts: dict[str, Drafted]) -> None:
    violations = [
        (pid, tid)
        for pid, persona in drafts.items()
        for tid, _, draft in persona
        if draft.drafter != OFFER and _credential_line(draft.text, PERSONAS[pid])
    ]
    assert violations == []


def test_every_template_reply_names_what_the_therapist_writes(
    drafts: dict[str, Drafted],
) -> None:
    """A reply with none of the therapist's own words can't be approved untouched: each has a
    bracket naming what to write (the desk blocks unfilled brackets), crisis-resource and
    find-a-professional replies aside (they are whole as written)."""
    violations = [
        (pid, tid, draft.text)
        for pid, persona in drafts.items()
        for tid, _, draft in persona
        if draft.drafter not in NO_BRACKET_NEEDED and not BRACKET.search(draft.text)
    ]
    assert violations == []


def test_no_ask_draft_turns_the_question_back(drafts: dict[str, Drafted]) -> None:
    violations = [
        (pid, tid)
        for pid, persona in drafts.items()
        for tid, _, draft in persona
        if draft.move is Move.ASK
        and re.search(r"your own hunch|what have you already tried", draft.text)
    ]
    assert violations == []


def test_crisis_resources_are_offered_only_on_crisis_or_help_seekers_threads(
    drafted: tuple[dict[str, Drafted], Shapes],
) -> None:
    drafts, shapes = drafted
    violations = [
        (pid, tid)
        for pid, persona in drafts.items()
        for tid, draft_input, _ in persona
        if not (draft_input.crisis or draft_input.client_side)
        and Move.CRISIS_RESOURCES in allowed_moves(draft_input, shapes[pid, tid])
    ]
    assert violations == []


def test_referral_requests_in_the_sets_are_drafted_both_ways(drafts: dict[str, Drafted]) -> None:
    """Guards the referral checks above: the sets hold referrals each persona fits and ones
    it doesn't."""
    used = {
        draft.drafter
        for persona in drafts.values()
        for _, draft_input, draft in persona
        if draft_input.intent is Intent.REFERRAL_REQUEST
    }
    assert {OFFER, "template:ask.referral_request.txt.j2"} <= used
