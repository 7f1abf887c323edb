"""A therapist, threads to answer, and the guard's verdict on a draft, for the drafting tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from engage import guard
from engage.types import DraftInput, GuardWarning, Intent, Platform, Profile


@pytest.fixture
def csat() -> Profile:
    """The user the templates are written for: a CSAT in Southern California."""
    return Profile(
        specialties={"sex_addiction": 1.0, "couples": 0.6, "faith_integration": 0.4},
        name="Grace Lee",
        credentials="LMFT, CSAT",
        location="Southern California",
        licensed_in=("CA",),
        delivery=("in_person", "telehealth"),
        voice_samples=(
            "I believe you also have valuable opinions and questions, and I'd love to hear them!",
            "And if you share with a shaky voice, all the better 🙂",
        ),
        website="https://gracelee.example",
    )


MakeInput = Callable[..., DraftInput]


@pytest.fixture
def thread() -> MakeInput:
    """A colleague's consultation question; keyword arguments override any field."""

    def make(**fields: object) -> DraftInput:
        values: dict[str, object] = {
            "title": "Formal disclosure and the betrayed partner",
            "body": (
                "Preparing a formal disclosure with a couple after years of compulsive porn use. "
                "How do you decide how much detail is helpful for the betrayed partner and "
                "how much retraumatizes?"
            ),
            "community": "r/therapists",
            "url": "https://www.reddit.com/r/therapists/comments/abc123/",
            "platform": Platform.REDDIT,
            "intent": Intent.CONSULT_QUESTION,
            "specialties": ("sex_addiction", "couples"),
            "phrases": ("formal disclosure", "compulsive porn use", "betrayed partner"),
        }
        values.update(fields)
        return DraftInput(**values)  # type: ignore[arg-type]

    return make


def blocking(text: str, draft_input: DraftInput) -> list[GuardWarning]:
    """The guard's blocking warnings on a draft, with the thread and matching's flags as context."""
    context = guard.GuardContext(
        thread=draft_input.text, crisis=draft_input.crisis, client_side=draft_input.client_side
    )
    return [w for w in guard.check(text, context) if w.blocking]
