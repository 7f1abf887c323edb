"""`engage people`: the colleagues met through engagement, warmest first; one shown, noted,
merged across handles; the next step off the screen suggested, drafted as a note, recorded.
Thin: each command calls one step in engage.relationships and prints."""

from __future__ import annotations

from datetime import datetime

import click

from engage.cli.app_context import AppContext
from engage.cli.drafts import actor
from engage.cli.output import console, emit_json, json_option, visible
from engage.types.relationships import NextStep, PersonView

HANDLE_HELP = "u/name, @name@host, name.bsky.social, or platform:name"


@click.group("people", invoke_without_command=True)
@json_option
@click.pass_context
def people_group(ctx: click.Context, as_json: bool) -> None:
    """The colleagues you have talked with, warmest first.

    Warmth: every exchange either way counts 1, every step off the screen (a note, a call,
    coffee, a consultation group) counts 3, each halved for every 30 days of its age. Specialties
    and places come from their own public posts. A person with several handles shows once
    (engage people merge).
    """
    if ctx.invoked_subcommand is not None:
        return
    from engage.relationships.people import list_people

    app: AppContext = ctx.obj
    people = list_people(app.engage.db)
    if as_json:
        emit_json([person.as_dict() for person in people])
        return
    if not people:
        click.echo("no colleagues yet: they appear when someone replies to you, or you to them")
        return
    out = console()
    for person in people:
        out.print(visible(summary(person)), markup=False, soft_wrap=True)


def summary(person: PersonView) -> str:
    handles = ", ".join(h.label for h in person.handles)
    name = f" ({person.display_name})" if person.display_name else ""
    last = f"{person.last_contact_at:%Y-%m-%d}" if person.last_contact_at else "never"
    parts = [
        f"{handles}{name}",
        f"warmth {person.warmth:.1f}",
        f"{person.exchanges_in} in / {person.exchanges_out} out",
        f"last contact {last}",
    ]
    if person.steps:
        parts.append("met: " + ", ".join(step.how for step in person.steps))
    if person.specialties:
        parts.append(", ".join(person.specialties[:3]))
    where = person.location or ", ".join(person.places[:2])
    if where:
        parts.append(where)
    return " · ".join(parts)


@people_group.command("show")
@click.argument("handle")
@json_option
@click.pass_obj
def show(app: AppContext, handle: str, as_json: bool) -> None:
    """One colleague: every handle, what their posts say of their specialty and place, your
    exchanges both ways, steps taken, your notes. HANDLE: u/name, @name@host, name.bsky.social,
    or platform:name."""
    from engage.relationships.people import show_person

    person = show_person(app.engage.db, handle)
    if as_json:
        emit_json(person.as_dict())
        return
    print_person(person)


def print_person(person: PersonView) -> None:
    out = console()

    def line(text: str) -> None:
        out.print(visible(text), markup=False, soft_wrap=True)

    line(", ".join(h.label for h in person.handles)
         + (f" ({person.display_name})" if person.display_name else ""))  # fmt: skip
    if person.is_clinician is not None:
        line(f"  clinician: {'yes' if person.is_clinician else 'no'}")
    line(f"  specialties: {', '.join(person.specialties) or 'not known from their posts'}")
    places = ", ".join(filter(None, [person.location, *person.places]))
    line(f"  place: {places or 'not known from their posts'}")
    line(f"  first seen {_day(person.first_seen_at)} · last contact {_day(person.last_contact_at)}")
    line(f"  exchanges: {person.exchanges_in} from them, {person.exchanges_out} from you · "
         f"warmth {person.warmth:.1f}")  # fmt: skip
    for step in person.steps:
        line(f"  met: {step.how} on {_day(step.at)}")
    if person.notes:
        line("  notes:")
        for note in person.notes.splitlines():
            line(f"    {note}")
    if person.interactions:
        line("  latest:")
        for item in person.interactions:
            arrow = "←" if item.direction == "in" else "→"
            excerpt = " ".join(item.excerpt.split())[:100]
            line(f"    {_day(item.at)} {arrow} {item.kind}" + (f": {excerpt}" if excerpt else ""))


def _day(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d}" if moment else "never"


@people_group.command("note")
@click.argument("handle")
@click.argument("text")
@json_option
@click.pass_obj
def note(app: AppContext, handle: str, text: str, as_json: bool) -> None:
    """Add a dated note to a colleague: what they share in public (their specialty, their town,
    what you talked about). A note that could identify a client is refused and not stored."""
    from engage.relationships.people import add_note

    person = add_note(app.engage.db, handle, text)
    if as_json:
        emit_json(person.as_dict())
        return
    click.echo(f"noted for {person.label}")


@people_group.command("merge")
@click.argument("handle")
@click.argument("other")
@json_option
@click.pass_obj
def merge(app: AppContext, handle: str, other: str, as_json: bool) -> None:
    """OTHER is the same colleague as HANDLE (another platform, a new account): they show once,
    with both handles, their exchanges and notes together."""
    from engage.relationships.people import merge_people

    person = merge_people(app.engage.db, handle, other)
    if as_json:
        emit_json(person.as_dict())
        return
    click.echo(visible(f"one person now: {', '.join(h.label for h in person.handles)}"))


@people_group.command("next")
@json_option
@click.pass_obj
def next_steps(app: AppContext, as_json: bool) -> None:
    """Colleagues worth a step off the screen now: a note, a call, coffee, or an invitation to a
    consultation group, and why (3 exchanges with one each way, or local and sharing one of
    your specialties; not again within 30 days of a step)."""
    from engage.relationships.next_steps import suggested_steps

    steps = suggested_steps(app.engage.db, app.config.settings.profile.to_profile())
    if as_json:
        emit_json([step.as_dict() for step in steps])
        return
    if not steps:
        click.echo("no next step to suggest today")
        return
    out = console()
    for step in steps:
        out.print(visible(step_line(step)), markup=False, soft_wrap=True)


STEP_WORDS = {"note": "write a short personal note to", "call": "suggest a call with",
              "coffee": "suggest coffee with",
              "group": "invite to a consultation group:"}  # fmt: skip


def step_line(step: NextStep) -> str:
    name = f" ({step.display_name})" if step.display_name else ""
    return f"{STEP_WORDS[step.step]} {step.who}{name} — {step.why}\n    {step.command}"


@people_group.command("note-draft")
@click.argument("handle")
@click.option("--ask", type=click.Choice(["call", "coffee", "group"]),
              help="What the note asks for (default: coffee when local, else a call).")  # fmt: skip
@click.option("--text", help="Your own words instead of the drafted ones.")
@json_option
@click.pass_obj
def note_draft(
    app: AppContext, handle: str, ask: str | None, text: str | None, as_json: bool
) -> None:
    """Draft a short personal note to a colleague, for your approval (engage review), checked
    like any draft. You send it yourself, then: engage people met HANDLE --how note."""
    from engage.relationships.next_steps import draft_note

    made = draft_note(app.engage, handle, ask=ask, text=text, actor=actor())
    if as_json:
        emit_json(made)
        return
    out = console()
    out.print(visible(f"draft {made['draft_id']}: a note to {made['who']} (pending your "
                      "approval: engage review)"), markup=False, soft_wrap=True)  # fmt: skip
    out.print(visible(f"  {made['text']}"), markup=False, soft_wrap=True)
    for warning in made["warnings"]:
        out.print(
            visible(f"  ! {warning['slug']}: {warning['message']}"), markup=False, soft_wrap=True
        )
    if made["target"]:
        out.print(visible(f"  write to them at {made['target']}"), markup=False, soft_wrap=True)


@people_group.command("met")
@click.argument("handle")
@click.option(
    "--how",
    required=True,
    type=click.Choice(["note", "call", "coffee", "group"]),
    help="The step you took: a note sent, a call, coffee, a consultation group.",
)
@json_option
@click.pass_obj
def met(app: AppContext, handle: str, how: str, as_json: bool) -> None:
    """Record a step taken off the screen with a colleague: it counts in engage people (warmth,
    last contact) and engage stats, and no step is suggested for them for 30 days."""
    from engage.relationships.next_steps import record_step

    person = record_step(app.engage.db, handle, how)
    if as_json:
        emit_json(person.as_dict())
        return
    click.echo(visible(f"recorded: {how} with {person.label}"))
