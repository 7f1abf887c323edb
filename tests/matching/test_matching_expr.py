"""The boolean expression language of profile extra_terms and exclusions."""

from __future__ import annotations

import pytest

from engage.matching.expr import matches, parse, required_words
from engage.matching.lexicon import fold


def holds(source: str, text: str) -> bool:
    return bool(matches(parse(source), fold(text)))


@pytest.mark.parametrize(
    ("source", "text", "expected"),
    [
        ("porn", "compulsive porn use", True),
        ("porn", "pornography", False),
        ("porn*", "pornography", True),
        ('"betrayal trauma"', "partners with Betrayal-Trauma symptoms", True),
        ('"betrayal trauma"', "trauma after betrayal", False),
        ("EMDR AND telehealth", "EMDR over telehealth", True),
        ("EMDR AND telehealth", "EMDR in person", False),
        ("EMDR telehealth", "telehealth EMDR", True),
        ("EMDR OR IFS", "an IFS consult", True),
        ("NOT webinar", "a consult question", True),
        ("NOT webinar", "join our webinar", False),
        ("EMDR AND NOT (software OR app)", "EMDR light bar app", False),
        ("(adoption OR adoptee) AND NOT (dog OR software)", "an adoptee in reunion", True),
        ("a OR b AND c", "a", True),
        ("a OR b AND c", "b", False),
        ("post-partum", "post partum anxiety", True),
    ],
)
def test_expression_matches_whole_words_case_insensitively(
    source: str, text: str, expected: bool
) -> None:
    assert holds(source, text) is expected


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ('"betrayal trauma" OR (EMDR AND NOT software)', ("betrayal", "emdr")),
        ("webinar AND discount", ("webinar",)),
        ("adopt*", ("adopt",)),
        ("EMDR OR NOT webinar", None),
        ("NOT webinar", None),
    ],
)
def test_required_words_are_those_a_text_needs_for_the_expression_to_hold(
    source: str, words: tuple[str, ...] | None
) -> None:
    assert required_words(parse(source)) == words


@pytest.mark.parametrize(
    "source",
    ['"betrayal trauma" OR (EMDR AND NOT software)', "(adoption OR adoptee) AND NOT dog"],
)
@pytest.mark.parametrize(
    "text", ["betrayal-trauma work", "EMDR intensive", "an adoptee in reunion", "a dog"]
)
def test_a_text_an_expression_holds_in_has_one_of_its_required_words(
    source: str, text: str
) -> None:
    expression = parse(source)
    words = required_words(expression)
    if matches(expression, fold(text)):
        assert words is None or any(word in fold(text) for word in words)


def test_matched_spans_point_at_the_phrases() -> None:
    text = "Looking for EMDR and IFS folks"
    spans = matches(parse("EMDR OR IFS"), fold(text))
    assert [text[s:e] for s, e in spans] == ["EMDR", "IFS"]


def test_expression_true_only_through_not_holds_with_an_empty_span() -> None:
    assert matches(parse("NOT webinar"), "anything") == [(0, 0)]


@pytest.mark.parametrize(
    ("source", "message", "position"),
    [
        ("", "empty expression", None),
        ("EMDR AND", "expression ends where a term was expected", 8),
        ("OR EMDR", "expected a term, found 'OR'", 0),
        ("(EMDR OR IFS", "'(' is never closed", 0),
        ("EMDR)", "unexpected ')'", 4),
        ('"betrayal trauma', "unterminated quote", 0),
        ('EMDR AND ""', "empty phrase", 9),
        ("EMDR AND NOT", "expression ends where a term was expected", 12),
        ("c++", "is not a word", 0),
        ("()", "expected a term, found ')'", 1),
    ],
)
def test_parse_errors_name_the_problem_and_its_position(
    source: str, message: str, position: int | None
) -> None:
    with pytest.raises(ValueError) as error:
        parse(source)
    assert message in str(error.value)
    if position is not None:
        assert f"at position {position}" in str(error.value)
