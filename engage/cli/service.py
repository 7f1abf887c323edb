"""`engage service install|uninstall|status`: keep the worker running as a per-user service.
Thin: engage.service writes and loads it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from engage.cli.app_context import AppContext
from engage.cli.output import emit_json, json_option

if TYPE_CHECKING:
    from engage.service import Service


@click.group("service")
def service_group() -> None:
    """Keep `engage run` going: a systemd user service (Linux) or a launchd agent (macOS)."""


def _service(app: AppContext) -> Service:
    from engage.service import service_for

    return service_for(app.config.path, app.config.home)


@service_group.command("install")
@click.option("--print", "only_print", is_flag=True, help="Show the file; write nothing.")
@click.pass_obj
def install(app: AppContext, only_print: bool) -> None:
    """Write the service for this machine and start it (it starts again after a reboot)."""
    from engage.service import install as run

    service = _service(app)
    if only_print:
        click.echo(f"# {service.path}\n{service.text}", nl=False)
        return
    for line in run(service):
        click.echo(line)


@service_group.command("uninstall")
@click.pass_obj
def uninstall(app: AppContext) -> None:
    """Stop the service and remove it (your data and config stay)."""
    from engage.service import uninstall as run

    for line in run(_service(app)):
        click.echo(line)


@service_group.command("status")
@json_option
@click.pass_obj
def status(app: AppContext, as_json: bool) -> None:
    """Whether the service is installed and running, and where its logs are."""
    from engage.service import status as ask

    report = ask(_service(app))
    if as_json:
        emit_json(report)
        return
    click.echo(f"{report['kind']}: {report['state']} ({report['path']}); logs: {report['logs']}")
