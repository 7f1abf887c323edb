"""Article ideas (engage.ideas.grouping): colleagues' questions in the therapist's specialties,
grouped when they ask the same thing, ranked by how often and how recently they were asked."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import count

import pytest

from engage.cli.review import keys_for
from engage.ideas.grouping import article_ideas, rank
from engage.ideas.outline import outline_prompt
from engage.matching import Taxonomy, default_taxonomy
from engage.types import DraftInput, Intent, Profile
from engage.types.ideas import ArticleIdea, AskedThread
from tests.core.test_house_rules import DATABASE

NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)
PROFILE = Profile(specialties={"sex_addiction": 1.0, "couples": 0.6}, name="Grace Lee")
_ids = count(1)

DISCLOSURE = [
    ("How long do you prepare a client for a formal disclosure?",
     "Partner wants it within the month. What timeline do you use?"),
    ("Formal disclosure timeline",
     "How many weeks of preparation do you give a formal disclosure before the partner hears?"),
    ("Betrayed partner pushing for the disclosure now",
     "How long did the preparation for a formal disclosure take, in your experience?"),
]  # fmt: skip
POLYGRAPH = ("Therapeutic polygraph before a formal disclosure: ethical or coercive?",
             "Some CSATs require one. Do you?")  # fmt: skip
TWELVE_STEP = ("SAA or SLAA alongside therapy for sex addiction?",
               "Which 12-step fellowship do you suggest for a man new to recovery?")  # fmt: skip


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return default_taxonomy()


def asked(
    title: str,
    body: str = "",
    *,
    days_ago: float = 1,
    intent: Intent = Intent.CONSULT_QUESTION,
    specialties: tuple[str, ...] = ("sex_addiction",),
    community: str = "r/therapists",
    client_side: bool = False,
    crisis: bool = False,
    phrases: tuple[str, ...] = ("formal disclosure",),
) -> AskedThread:
    """A stored thread as the step reads it; `phrases`: what matching found (the default names
    the taxonomy phrase DISCLOSURE and POLYGRAPH share)."""
    n = next(_ids)
    thread = DraftInput(title=title, body=body, community=community,
                        url=f"https://www.reddit.com/r/therapists/comments/t{n}/",
                        intent=intent, specialties=specialties, client_side=client_side,
                        crisis=crisis, phrases=phrases)  # fmt: skip
    return AskedThread(id=n, created_at=NOW - timedelta(days=days_ago), thread=thread)


def ideas(taxonomy: Taxonomy, *threads: AskedThread, weeks: int = 4) -> list[ArticleIdea]:
    return article_ideas(threads, PROFILE, taxonomy, now=NOW, weeks=weeks)


def test_the_same_question_in_different_words_is_one_idea(taxonomy: Taxonomy) -> None:
    threads = [asked(title, body, days_ago=n + 1) for n, (title, body) in enumerate(DISCLOSURE)]
    [idea] = ideas(taxonomy, *threads)
    assert idea.count == 3
    assert idea.specialty == "sex_addiction" and idea.specialty_name == "sex addiction"
    assert [t.id for t in idea.threads] == [t.id for t in threads]  # newest first


def test_different_questions_in_one_specialty_are_different_ideas(taxonomy: Taxonomy) -> None:
    found = ideas(taxonomy, asked(*DISCLOSURE[0]), asked(*TWELVE_STEP))
    assert sorted(idea.count for idea in found) == [1, 1]
    assert {idea.specialty for idea in found} == {"sex_addiction"}


def test_questions_naming_one_phrase_and_sharing_nothing_else_are_different_ideas(
    taxonomy: Taxonomy,
) -> None:
    """The words of a taxonomy phrase ("formal disclosure") count once: a shared topic, not yet
    the same question."""
    found = ideas(taxonomy, asked(*DISCLOSURE[0]), asked(*POLYGRAPH))
    assert [idea.count for idea in found] == [1, 1]


def test_a_help_seekers_thread_is_never_an_idea(taxonomy: Taxonomy) -> None:
    seeker = asked("Should I make my husband do a formal disclosure?",
                   "I found the messages. How long should I wait?", client_side=True,
                   intent=Intent.CLIENT_SEEKING_HELP, community="r/AskTherapists")  # fmt: skip
    assert ideas(taxonomy, seeker) == []


def test_a_crisis_thread_is_never_an_idea(taxonomy: Taxonomy) -> None:
    crisis = asked("Partner after disclosure says she can't go on - what do I do tonight?",
                   crisis=True)  # fmt: skip
    assert ideas(taxonomy, crisis) == []


def test_questions_older_than_the_window_are_left_out(taxonomy: Taxonomy) -> None:
    old = asked(*TWELVE_STEP, days_ago=40)
    assert ideas(taxonomy, old) == []
    assert [idea.count for idea in ideas(taxonomy, old, weeks=8)] == [1]


def test_a_question_outside_the_therapists_specialties_is_left_out(taxonomy: Taxonomy) -> None:
    perinatal = asked("Is the PMH-C worth it for a perinatal therapist?",
                      specialties=("perinatal",))  # fmt: skip
    assert ideas(taxonomy, perinatal) == []


def test_a_referral_request_is_not_a_question_an_article_answers(taxonomy: Taxonomy) -> None:
    referral = asked("CSAT in Orange County, in person?", intent=Intent.REFERRAL_REQUEST)
    assert ideas(taxonomy, referral) == []


def test_a_thread_that_asks_nothing_is_not_an_idea(taxonomy: Taxonomy) -> None:
    statement = asked("Formal disclosure went well today",
                      "Six months of preparation and the partner felt heard.")  # fmt: skip
    assert ideas(taxonomy, statement) == []


def test_a_question_asked_more_often_ranks_first(taxonomy: Taxonomy) -> None:
    once = asked(*TWELVE_STEP, days_ago=1)
    often = [asked(title, body, days_ago=5) for title, body in DISCLOSURE]
    found = ideas(taxonomy, once, *often)
    assert [(idea.number, idea.count) for idea in found] == [(1, 3), (2, 1)]


def test_of_two_questions_asked_as_often_the_more_recent_ranks_first(taxonomy: Taxonomy) -> None:
    older = asked(*DISCLOSURE[0], days_ago=20)
    newer = asked(*TWELVE_STEP, days_ago=2)
    assert [idea.threads[0].id for idea in ideas(taxonomy, older, newer)] == [newer.id, older.id]


def test_a_main_specialty_outranks_a_lesser_one_asked_as_often(taxonomy: Taxonomy) -> None:
    couples = asked("How do you pace couples therapy after an affair?",
                    specialties=("couples",))  # fmt: skip
    main = asked(*TWELVE_STEP)
    assert [idea.specialty for idea in ideas(taxonomy, couples, main)] == ["sex_addiction",
                                                                             "couples"]  # fmt: skip


def test_rank_halves_each_week_and_adds_up() -> None:
    assert rank([NOW], 1.0, NOW) == 1.0
    assert rank([NOW - timedelta(weeks=1)], 1.0, NOW) == pytest.approx(0.5)
    assert rank([NOW, NOW - timedelta(weeks=2)], 0.6, NOW) == pytest.approx(0.6 * 1.25)


def test_the_working_title_is_a_colleagues_question_without_client_details(
    taxonomy: Taxonomy,
) -> None:
    threads = [asked(title, body) for title, body in DISCLOSURE]
    [idea] = ideas(taxonomy, *threads)
    assert idea.title.endswith("?") and "formal disclosure" in idea.title.lower()
    assert "client" not in idea.title.lower()
    assert all(thread.question.endswith("?") for thread in idea.threads)


def test_the_outline_prompt_holds_each_colleagues_question_once_and_the_specialty(
    taxonomy: Taxonomy,
) -> None:
    repeated = (*DISCLOSURE, DISCLOSURE[0])
    threads = [asked(title, body, days_ago=n + 1) for n, (title, body) in enumerate(repeated)]
    [idea] = ideas(taxonomy, *threads)
    assert idea.count == 4
    prompt = outline_prompt(idea, PROFILE)
    lines = prompt.splitlines()
    assert all(lines.count(f"- {thread.question}") == 1 for thread in idea.threads)
    assert f"Specialty: {idea.specialty_name}" in prompt


def test_the_outline_prompt_holds_the_therapists_work_but_not_their_name(
    taxonomy: Taxonomy,
) -> None:
    [idea] = ideas(taxonomy, asked(*TWELVE_STEP))
    prompt = outline_prompt(idea, replace(PROFILE, modalities=("Gottman Method",)))
    assert "Gottman Method" in prompt and "Grace Lee" not in prompt


def test_the_outline_prompt_holds_nothing_of_a_threads_body_but_its_question(
    taxonomy: Taxonomy,
) -> None:
    [idea] = ideas(taxonomy, asked(*DISCLOSURE[0]))
    assert "Partner wants it within the month" not in outline_prompt(idea, PROFILE)


def test_the_desk_offers_an_outline_no_post_move_channel_or_thread_key() -> None:
    keys = keys_for({"kind": "outline", "status": "pending"})
    assert set(keys) == {"a", "e", "r", "s", "q"}


@pytest.mark.parametrize("module", ["engage.ideas.grouping", "engage.ideas.outline"])
def test_the_pure_parts_load_no_database_code(module: str) -> None:
    loaded = subprocess.run(
        [sys.executable, "-c", f"import sys, {module}; print(*sorted(sys.modules))"],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    assert [m for m in loaded if m.startswith(DATABASE)] == []
