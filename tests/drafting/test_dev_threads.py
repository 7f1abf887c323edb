"""Every template draft for every labelled dev thread and eval persona: what the guard allows,
never the same text twice, brackets where the therapist's example goes, and short.

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
from engage.matching import Matcher, load_taxonomy
from engage.matching.evaluate import read_personas, read_threads
from engage.types import BlogArticle, DraftInput, DraftText, GuardSlug, Move, ScoringInput
from tests.drafting.conftest import blocking

EVAL = Path(__file__).resolve().parents[1] / "data" / "eval"
TEMPLATES = Path(engage.__file__).parent / "templates" / "drafts"
PERSONAS = read_personas(EVAL / "personas.json")
THREADS = read_threads(EVAL / "threads-dev.jsonl")
EXAMPLE_MOVES = {Move.AGREE_EXAMPLE, Move.DISAGREE_EXAMPLE}
MAX_CHARS = 700
SPEAKER = re.compile(r"\bI'm (?:\w+, )?a therapist\b")  # personas have no credentials

ARTICLE = BlogArticle(
    url="https://therapist-blog.com/posts/joining-the-conversation",
    title="Why I answer colleagues' questions online",
    summary="Consultation happens in public now, and showing up in it is how colleagues meet you.",
)

Drafted = list[tuple[str, DraftInput, DraftText]]


@pytest.fixture(scope="module")
def drafts() -> dict[str, Drafted]:
    """Per persona: (thread id, input, draft) for every thread the move table drafts, and an
    article share for every thread among colleagues."""
    taxonomy = load_taxonomy()
    drafter = TemplateDrafter()
    result: dict[str, Drafted] = {}
    for pid, profile in PERSONAS.items():
        matcher = Matcher(taxonomy, profile)
        result[pid] = []
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
            move = choose_move(draft_input)
            if move is not None:
                draft = drafter.draft(draft_input, profile, move=move)
                result[pid].append((record["id"], draft_input, draft))
            if Move.SHARE_ARTICLE in allowed_moves(draft_input):
                share = drafter.draft(draft_input, profile, article=ARTICLE)
                result[pid].append((record["id"], draft_input, share))
    return result


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
    """Crisis replies are left out: they must not echo the disclosure, so only their phrasing
    varies."""
    by_text: dict[str, list[str]] = defaultdict(list)
    for tid, _, draft in drafts[persona]:
        if draft.move is not Move.CRISIS_RESOURCES:
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


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_every_non_crisis_reply_says_a_therapist_is_speaking(
    drafts: dict[str, Drafted], persona: str
) -> None:
    silent = [
        tid
        for tid, _, draft in drafts[persona]
        if draft.move is not Move.CRISIS_RESOURCES and not SPEAKER.search(draft.text)
    ]
    assert not silent


def test_the_dev_set_exercises_every_template(drafts: dict[str, Drafted]) -> None:
    """Guards the tests above against passing on a set that never reaches some templates."""
    used = {draft.drafter for persona in drafts.values() for _, _, draft in persona}
    templates = {f"template:{path.name}" for path in TEMPLATES.glob("*.txt.j2")}
    assert used == templates - {"template:blog_share.txt.j2"}


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
