"""What a model is asked for an article outline (`engage ideas --outline N`): the rules, and the
prompt built from one idea and the therapist's work.

Why an outline and not the article: the article is the therapist's own writing, and what makes
it worth reading (their examples, their judgement) only they can supply; the model lays out the
points and leaves [brackets] where their practice goes.

Pure: no database, no network. The prompt holds the idea only (its working title, the
colleagues' questions as they asked them, its specialty) and the therapist's work without their
name: nothing else from any thread, no secret.
"""

from __future__ import annotations

from engage.drafting.llm_drafter import profile_line
from engage.types import Profile
from engage.types.ideas import ArticleIdea

RULES = """\
You draft the outline of a short article (about 300 words) that a psychotherapist will write
for colleagues, answering the question colleagues keep asking below. The therapist will expand
each point in their own words; the outline is never published as it is.

Hard rules:
- First line: a working title. Then 4 to 6 points, one per line, each starting with "- ".
- Each point is one sentence in plain text that the therapist will expand into a paragraph.
- Where only the therapist's practice can supply an example, write a placeholder in square
  brackets that says what to write, such as [an example from your work with this question].
  Use brackets for nothing else.
- No client details: no names, ages, places, dates, occupations or stories that could identify
  anyone.
- No advice to an individual: the article speaks to colleagues about the question; it does not
  diagnose anyone or recommend treatment or medication for a specific person.
- No links, no headings beyond the title, no hashtags, no sign-off.

Answer with the outline only."""


def outline_prompt(idea: ArticleIdea, profile: Profile) -> str:
    """The idea's working title, the colleagues' questions verbatim (each once), its specialty
    and the therapist's work (for context; never their name)."""
    questions = dict.fromkeys(thread.question for thread in idea.threads)
    work = profile_line(profile)
    lines = [
        f"The question colleagues keep asking: {idea.title}",
        f"Specialty: {idea.specialty_name}",
        "How colleagues asked it, in their own words:\n" + "\n".join(f"- {q}" for q in questions),
        f"The therapist's work (for context; do not recite it): {work}" if work else "",
    ]
    return "\n\n".join(line for line in lines if line)
