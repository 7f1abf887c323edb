"""engage as a service the machine keeps running: a systemd user unit on Linux (and WSL with
systemd), a launchd agent on macOS, written from the templates in engage/templates/deploy.

The worker it runs is exactly `engage --config FILE run` with this installation's Python, so
the service and the command line share one config, one data directory and one database.
Must not need root: both are per-user services.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from engage.errors import EngageError, UsageError

LABEL = "org.engage.worker"
UNIT = "engage.service"


@dataclass(frozen=True, slots=True)
class Service:
    """What `engage service` writes and which commands start, stop and ask about it."""

    kind: str  # "systemd" or "launchd"
    path: Path
    text: str
    start: tuple[tuple[str, ...], ...]
    stop: tuple[tuple[str, ...], ...]
    status: tuple[str, ...]
    logs: str


def service_for(config_path: Path | None, home: Path, system: str | None = None) -> Service:
    """The service for this machine (`system`: "Linux" or "Darwin", default this one's)."""
    if config_path is None:
        raise UsageError("no config file: run `engage init` first, then `engage service install`")
    system = system or os.uname().sysname
    arguments = [sys.executable, "-m", "engage", "--config", str(config_path.resolve()), "run"]
    values = {"home": str(home.resolve()), "workdir": str(config_path.resolve().parent)}
    if system == "Darwin":
        path = Path.home() / "Library" / "LaunchAgents" / f"{LABEL}.plist"
        text = _render("org.engage.worker.plist.j2", label=LABEL, arguments=arguments,
                       path=str(path), **values)  # fmt: skip
        return Service(
            "launchd", path, text,
            start=(("launchctl", "load", "-w", str(path)),),
            stop=(("launchctl", "unload", "-w", str(path)),),
            status=("launchctl", "list", LABEL),
            logs=f"{values['home']}/logs/engage.log",
        )  # fmt: skip
    if system == "Linux":
        config_home = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
        path = config_home / "systemd" / "user" / UNIT
        text = _render("engage.service.j2", command=shlex.join(arguments), **values)
        return Service(
            "systemd", path, text,
            start=(("systemctl", "--user", "daemon-reload"),
                   ("systemctl", "--user", "enable", "--now", UNIT)),
            stop=(("systemctl", "--user", "disable", "--now", UNIT),),
            status=("systemctl", "--user", "is-active", UNIT),
            logs=f"journalctl --user -u {UNIT} -f  (and {values['home']}/logs/engage.log)",
        )  # fmt: skip
    raise UsageError(
        f"engage service knows systemd (Linux) and launchd (macOS), not {system}: keep "
        "`engage run` going another way (on Windows, inside WSL with systemd)"
    )


def install(service: Service) -> list[str]:
    """Write the file and load it; what happened, in words. A machine without the service
    manager (WSL without systemd, a container) gets the file and the command to run."""
    service.path.parent.mkdir(parents=True, exist_ok=True)
    service.path.write_text(service.text, encoding="utf-8")
    said = [f"wrote {service.path}"]
    if shutil.which(service.start[0][0]) is None:
        said.append(f"{service.start[0][0]} is not on this machine: start the worker with "
                    "`engage run` (and keep the terminal open)")  # fmt: skip
        return said
    for command in service.start:
        _run(command)
    return [*said, f"started; logs: {service.logs}"]


def uninstall(service: Service) -> list[str]:
    if not service.path.exists():
        return [f"not installed ({service.path} does not exist)"]
    if shutil.which(service.stop[0][0]) is not None:
        for command in service.stop:
            _run(command)
    service.path.unlink()
    return [f"stopped and removed {service.path}"]


def status(service: Service) -> dict[str, object]:
    """Whether the service is installed and, where the manager can say, running ("state":
    running, stopped, installed — the manager can't be asked —, or not installed)."""
    state = "not installed"
    if service.path.exists():
        state = "installed"
        if shutil.which(service.status[0]) is not None:
            answer = subprocess.run(service.status, capture_output=True, text=True, check=False)
            state = "running" if answer.returncode == 0 else "stopped"
    return {"kind": service.kind, "path": str(service.path), "state": state,
            "logs": service.logs}  # fmt: skip


def _run(command: tuple[str, ...]) -> None:
    answer = subprocess.run(command, capture_output=True, text=True, check=False)
    if answer.returncode != 0:
        said = (answer.stderr or answer.stdout).strip().splitlines()[-1:] or ["no message"]
        raise EngageError(f"`{shlex.join(command)}` failed: {said[0]}")


def _render(name: str, **values: object) -> str:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("engage", "templates/deploy"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # a unit file and a plist, not HTML; the plist escapes with | e
    )
    return env.get_template(name).render(**values)
