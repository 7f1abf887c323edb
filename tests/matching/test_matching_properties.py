"""Properties that hold for any text: no crash, same answer twice, honest spans."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from engage.matching import Matcher
from engage.types import ScoringInput, TextField

# Markdown, HTML, emoji, odd unicode and the vocabulary itself, mixed.
_FRAGMENTS = st.sampled_from(
    [
        "EMDR",
        "CSAT",
        "IFS Cloud",
        "postpartum",
        "PPD test",
        "**bold**",
        "<b>tag</b>",
        "&amp;",
        "[link](https://x.example/blog/a)",
        "\n\n> quote\n",
        "Edit: found someone",
        "🏳️‍🌈",
        "İ",
        "ß",
        "ﬁ",
        "\u200b",
        "\x00",
        "NYC",
        "Orange County",
        "better off without me",
        "Referral:",
        "a couple of",
        "betrayal trauma",
        "post-partum",
        "I'm 24",
        "$90",
        "90837",
        "\t",
        "  ",
    ]
)
_TEXT = st.lists(st.one_of(st.text(max_size=30), _FRAGMENTS), max_size=25).map(" ".join)
_POSTS = st.builds(
    ScoringInput,
    title=_TEXT,
    body=_TEXT,
    community=st.sampled_from(["r/therapists", "r/AskTherapists", "linkedin", "", "blog"]),
)


@settings(max_examples=300, deadline=None)
@given(_POSTS)
def test_scoring_any_text_returns_a_finite_non_negative_score(
    matchers: dict[str, Matcher], post: ScoringInput
) -> None:
    for matcher in matchers.values():
        result = matcher.score(post)
        assert 0.0 <= result.score < float("inf")


@settings(max_examples=200, deadline=None)
@given(_POSTS)
def test_scoring_is_deterministic(matchers: dict[str, Matcher], post: ScoringInput) -> None:
    matcher = matchers["P1"]
    assert matcher.score(post) == matcher.score(post)


@settings(max_examples=300, deadline=None)
@given(_POSTS)
def test_every_reason_span_points_at_the_text_it_claims(
    matchers: dict[str, Matcher], post: ScoringInput
) -> None:
    for matcher in matchers.values():
        for reason in matcher.score(post).reasons:
            field = post.title if reason.span.field is TextField.TITLE else post.body
            assert 0 <= reason.span.start <= reason.span.end <= len(field)
            assert field[reason.span.start : reason.span.end] == reason.text
