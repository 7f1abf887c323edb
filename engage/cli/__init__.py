"""The `engage` command. Subcommands live in their own modules and are imported only when run,
so `engage --help` never pays for SQLAlchemy, praw or Alembic."""

from __future__ import annotations

import importlib
from typing import IO, Any

import click

from engage import __version__
from engage.errors import EngageError

# command name -> "module:attribute" under engage.cli
COMMANDS = {
    "init": ("setup:init", "Write your config file (asks, or takes flags for scripts)."),
    "config": ("setup:config_group", "Check the configuration."),
    "auth": ("auth:auth_group", "Connect your LinkedIn account: engage auth linkedin."),
    "db": ("database:db_group", "The database: upgrade, tidy, vacuum, backup."),
    "status": ("status:status", "Where things are, how each source is doing, counts by state."),
    "sources": ("sources:sources_group", "The communities and blogs engage watches."),
    "watch": ("watch:watch", "Bring new threads from the watched sources (--once: now)."),
    "threads": ("threads:threads_group", "Threads seen: list (--worth), show, add by URL."),
    "match": ("match:match", "Score threads for your profile: --all, or --explain THREAD."),
    "eval": ("match:evaluate", "Relevance metrics on a labelled thread set, per persona."),
    "guard": ("guard:guard_group", "Check any text: engage guard check, engage guard eval."),
    "crisis": ("crisis:crisis_group", "Crisis triage of any text: engage crisis check, eval."),
    "draft": ("drafts:draft", "Draft a reply to one stored thread now (--move to choose)."),
    "drafts": (
        "drafts:drafts_group",
        "Drafts for scripts: list, show, approve, reject, edit, edits, resolve.",
    ),
    "review": ("review:review", "The approval desk: approve, edit, reject drafts by key."),
    "feedback": ("feedback:feedback_group", "Kinds of thread ranked lower by rejections: undo."),
    "publish": ("publish:publish", "Publish approved drafts that are due now (--dry-run)."),
    "mark-posted": ("publish:mark_posted", "Record that you posted an approved draft by hand."),
    "log": ("publish:engagement_log", "Everything that went out, by API or by hand."),
    "replies": ("replies:replies_group", "Replies colleagues wrote you: list, read, draft ID."),
    "people": ("people:people_group", "Colleagues warmest first: show, note, merge, next, met."),
    "referrals": ("referrals:referrals_group", "New clients by source and month: add one."),
    "stats": ("stats:stats", "Week by week: threads, replies, colleagues, referrals."),
    "export": ("export:export", "Your records as CSV or JSON files in a folder."),
    "ideas": ("ideas:ideas", "Ideas for a short article: what colleagues keep asking you."),
    "demo": ("demo:demo", "Try the daily job offline on fictional threads (then --publish)."),
    "digest": ("digest:digest", "The daily digest email: --preview, or --send-now."),
    "run": ("run:run", "Start the worker (the same as python scheduler.py)."),
    "service": ("service:service_group", "Keep the worker running: install, uninstall, status."),
    "thread": ("threads:threads_group", "Same as `threads` (e.g. engage thread add URL)."),
}


class ExpectedFailure(click.ClickException):
    """Shown as `error: ...` lines; exit 1, or 2 through ExpectedUsageFailure."""

    def show(self, file: IO[Any] | None = None) -> None:
        from engage.redact import redact

        for line in redact(self.message).splitlines():
            click.echo(f"error: {line}", err=True, file=file)


class ExpectedUsageFailure(ExpectedFailure):
    exit_code = 2


def expected_failure(error: EngageError) -> ExpectedFailure:
    kind = ExpectedUsageFailure if error.exit_code == 2 else ExpectedFailure
    return kind(str(error))


def one_line(ctx: click.Context, exc: Exception) -> ExpectedFailure:
    """What the user sees for `exc`: the expected failure it stands for, else a short note that
    this is a bug. With --debug the traceback comes first (redacted), for a bug report."""
    from engage.failures import explain
    from engage.redact import redact

    if ctx.params.get("debug"):
        import traceback

        click.echo(redact("".join(traceback.format_exception(exc))), err=True, nl=False)
    app = ctx.obj
    database = None
    if app is not None and "config" in getattr(app, "__dict__", {}):
        database = app.config.database_url
    error = explain(exc, database)
    if error is not None:
        return expected_failure(error)
    hint = "" if ctx.params.get("debug") else "; run again with --debug for the traceback"
    first = next(iter(str(exc).strip().splitlines()), "")[:300]
    return ExpectedFailure(f"unexpected {type(exc).__name__}: {first} (a bug in engage{hint})")


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def __init__(self, *args: Any, lazy: dict[str, tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.lazy:
            return super().get_command(ctx, cmd_name)
        module_name, attribute = self.lazy[cmd_name][0].split(":")
        module = importlib.import_module(f"engage.cli.{module_name}")
        command: click.Command = getattr(module, attribute)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        """The error boundary: every expected failure becomes one line and its exit code (2 for
        configuration and usage, 1 for the rest), no traceback unless --debug asks for it."""
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            raise ExpectedFailure("interrupted") from None
        except Exception as exc:
            raise one_line(ctx, exc) from exc

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List the commands from their one-line summaries without importing them."""
        rows = [(name, self.lazy[name][1]) for name in sorted(self.lazy)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="engage")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="Config file (default: $ENGAGE_CONFIG, ./config/engage.toml, then your user config dir).",
)
@click.option("--debug", is_flag=True, help="On an error, show its traceback (for bug reports).")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, debug: bool) -> None:
    """engage: join the conversations where colleagues want your expertise.

    Watches the communities you chose, surfaces threads that match your specialty, drafts
    replies for your approval, and logs the colleagues you meet. Nothing is ever published
    without your explicit approval of the exact text.
    """
    from engage.cli.app_context import AppContext

    ctx.obj = AppContext(config_path)
    ctx.call_on_close(ctx.obj.close)


def main() -> None:
    cli(prog_name="engage")
