from __future__ import annotations

import click

from engage.cli.app_context import AppContext
from engage.cli.output import console, emit_json, json_option, visible
from engage.errors import UsageError


@click.group("feedback", invoke_without_command=True)
@json_option
@click.pass_context
def feedback_group(ctx: click.Context, as_json: bool) -> None:
    """The kinds of thread ranked lower because you rejected drafts on them, with your reasons
    (engage feedback undo ID takes one back)."""
    if ctx.invoked_subcommand is not None:
        return
    from engage.desk import list_lowerings

    app: AppContext = ctx.obj
    lowerings = list_lowerings(app.engage.db)
    if as_json:
        emit_json([lowering.as_dict() for lowering in lowerings])
        return
    if not lowerings:
        click.echo("nothing is ranked lower: rejecting a reply with a reason ranks its kind of "
                   "thread lower, until you undo it here")  # fmt: skip
        return
    out = console()
    for lowering in lowerings:
        count = len(lowering.rejections)
        drafts = "1 draft" if count == 1 else f"{count} drafts"
        out.print(f"{lowering.label}: ranked x{lowering.factor:.2f} ({drafts} rejected)",
                  markup=False, soft_wrap=True)  # fmt: skip
        for rejection in lowering.rejections:
            draft = f"draft {rejection.draft_id}, " if rejection.draft_id else ""
            line = f"  {rejection.id}  '{rejection.reason}' ({draft}{rejection.at:%Y-%m-%d})"
            out.print(visible(line), markup=False, soft_wrap=True)
    out.print("undo one: engage feedback undo ID (or --all)", markup=False)


@feedback_group.command("undo")
@click.argument("feedback_id", type=int, required=False)
@click.option("--all", "undo_all", is_flag=True, help="Undo every active rejection's feedback.")
@json_option
@click.pass_obj
def undo(app: AppContext, feedback_id: int | None, undo_all: bool, as_json: bool) -> None:
    """Stop one rejection (ID, from engage feedback) from ranking its kind of thread lower."""
    from engage.desk import undo_feedback

    if (feedback_id is None) == (not undo_all):
        raise UsageError("give a feedback ID (see engage feedback) or --all, not both")
    undone = undo_feedback(app.engage.db, None if undo_all else feedback_id)
    if as_json:
        emit_json({"undone": undone})
    elif not undone:
        click.echo("nothing to undo: nothing is ranked lower")
    else:
        ids = ", ".join(str(i) for i in undone)
        click.echo(f"undone feedback {ids}: it ranks nothing lower now (engage feedback shows "
                   "what other rejections still do)")  # fmt: skip
