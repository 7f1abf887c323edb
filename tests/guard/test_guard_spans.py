"""Every warning points at text inside the draft, and its message quotes what it points at."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engage import guard
from engage.types import GuardContext, GuardWarning

DATA = Path(__file__).parent.parent / "data" / "guard"
RECORDS = [
    json.loads(line)
    for name in ("guard-dev.jsonl", "fresh-cases.jsonl")
    for line in (DATA / name).read_text(encoding="utf-8").splitlines()
    if line.strip()
]


def _assert_well_formed(text: str, warnings: list[GuardWarning]) -> None:
    for w in warnings:
        start, end = w.span
        assert 0 <= start < end <= len(text), w
        quoted = " ".join(text[start:end].split())
        assert quoted[:40] in w.message, (quoted, w.message)


@pytest.mark.parametrize("record", RECORDS, ids=[r["id"] for r in RECORDS])
def test_spans_are_inside_and_quoted(record: dict[str, str]) -> None:
    text = record["text"]
    _assert_well_formed(text, guard.check(text, record["context"]))


@pytest.mark.parametrize(
    ("text", "slug", "flagged"),
    [
        (
            "Optum lost the file for member ID 88213-A twice.",
            "client_identifying",
            "member ID 88213",
        ),
        (
            "Honestly, stop the Wellbutrin and see how you feel.",
            "individual_clinical_advice",
            "stop the Wellbutrin",
        ),
        ("Happy to help, just DM me.", "solicitation", "DM me"),
        (
            "If I've helped you, please leave me a Google review!",
            "testimonial",
            "leave me a Google review",
        ),
    ],
)
def test_span_is_the_offending_words(text: str, slug: str, flagged: str) -> None:
    [w] = [w for w in guard.check(text, "r/Anxiety: A poster asks for advice.") if w.slug == slug]
    assert text[w.span[0] : w.span[1]].startswith(flagged)


@settings(max_examples=300, deadline=None)
@given(text=st.text(), thread=st.text())
def test_never_crashes_and_is_deterministic(text: str, thread: str) -> None:
    ctx = GuardContext(
        thread=thread, own_domains=("example.com",), allowed_domains=(), recent_items=(text,)
    )
    first = guard.check(text, ctx)
    assert guard.check(text, ctx) == first
    _assert_well_formed(text, first)


@settings(max_examples=200, deadline=None)
@given(
    parts=st.lists(
        st.sampled_from(
            [
                "My client ",
                "Dana",
                ", 34, ",
                "works at ",
                "Acme in Reno",
                " DM me ",
                "988",
                "call 555-0142",
                "\n— Dana",
                "$49 course at dana.co",
                "you have ADHD",
                "🙏",
                "\u200b",
            ]
        ),
        max_size=12,
    )
)
def test_never_crashes_on_rule_fragments(parts: list[str]) -> None:
    text = "".join(parts)
    _assert_well_formed(text, guard.check(text, "r/depression: A poster wants to die."))
