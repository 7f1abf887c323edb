"""`engage ideas`: ideas for a short article, from the questions colleagues keep asking in the
therapist's specialties. Thin: calls engage.ideas.asked and prints."""

from __future__ import annotations

import click

from engage.cli.app_context import AppContext
from engage.cli.output import emit_json, json_option, visible
from engage.types.ideas import ArticleIdea


@click.command("ideas")
@click.option("--weeks", type=click.IntRange(1, 52), default=4, show_default=True,
              help="How many weeks back to read the questions.")  # fmt: skip
@click.option("--limit", type=click.IntRange(min=0), default=10, show_default=True,
              help="How many ideas (0 for all).")  # fmt: skip
@click.option("--outline", "outline", type=click.IntRange(min=1), metavar="N",
              help="Have the model ([llm] model) draft an outline for idea N (as listed with "
                   "the same --weeks); it waits at the desk and is never posted.")  # fmt: skip
@json_option
@click.pass_obj
def ideas(app: AppContext, weeks: int, limit: int, outline: int | None, as_json: bool) -> None:
    """Questions colleagues asked in your specialties, grouped when they ask the same thing,
    as ideas for a ~300-word article: each with a working title (the question as a colleague
    put it) and the threads it came from, ranked by how often and how recently it was asked.
    Help-seekers' and crisis threads are never among them. With --outline N, the model drafts
    an outline for idea N, approved at the desk like any draft, kept for your own article."""
    from engage.ideas.asked import ideas as article_ideas

    if outline is not None:
        _outline(app, outline, weeks, as_json)
        return
    found = article_ideas(app.engage, weeks=weeks, limit=limit)
    if as_json:
        emit_json(found.as_dict())
        return
    period = f"the last {weeks} week{'s' if weeks > 1 else ''}"
    if not found.ideas:
        click.echo(f"no questions in your specialties in {period} — run engage watch, "
                   "or engage demo")  # fmt: skip
        return
    click.echo(f"Article ideas from {found.questions} question"
               f"{'s' if found.questions > 1 else ''} colleagues asked in your specialties "
               f"in {period}, best first:")  # fmt: skip
    for idea in found.ideas:
        click.echo()
        click.echo("\n".join(lines(idea)))
    if found.found > len(found.ideas):
        click.echo()
        click.echo(f"{found.found - len(found.ideas)} more: engage ideas --limit 0")


def _outline(app: AppContext, number: int, weeks: int, as_json: bool) -> None:
    from engage.cli.drafts import actor, report
    from engage.ideas.outline_draft import draft_outline

    made = draft_outline(app.engage, number, weeks=weeks, actor=actor())
    queued = f"outline for idea {number} queued as draft {made['draft_id']}: engage review"
    report(as_json, made, queued)


def lines(idea: ArticleIdea) -> list[str]:
    times = "once" if idea.count == 1 else f"{idea.count} times"
    places = len(idea.communities)
    where = idea.communities[0] if places == 1 else f"{places} communities"
    shown = [
        visible(f"{idea.number}. {idea.title}"),
        f"   {idea.specialty_name} · asked {times} in {visible(where)}, last on "
        f"{idea.last_asked.date().isoformat()}",
    ]
    for thread in idea.threads:
        shown.append(visible(f"   - {thread.asked_at.date().isoformat()} {thread.community}: "
                             f"{thread.title}"))  # fmt: skip
        shown.append(visible(f"     {thread.url}"))
    return shown
