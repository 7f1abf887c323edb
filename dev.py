#!/usr/bin/env python3
"""Set-up and everyday tasks on a machine that has only Python.

    python3 dev.py demo    run engage on the embedded default (SQLite, offline demo data)
    python3 dev.py test    run the whole test suite
    python3 dev.py lint    ruff and mypy

Each task creates ./.venv and installs the project into it on first use (and again whenever
pyproject.toml changes), so nothing else needs installing first.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".engage-installed"


def ensure_venv() -> None:
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not (BIN / "python").exists():
        print("creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("installing engage and its test tools into .venv ...", flush=True)
    pip = [str(BIN / "python"), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(wanted)


def run(*command: str, env: dict[str, str] | None = None) -> int:
    return subprocess.run(command, cwd=ROOT, env={**os.environ, **(env or {})}).returncode


def demo(args: list[str]) -> int:
    """`dev.py demo` runs the demo; `dev.py demo --publish` its publishing step."""
    return run(str(BIN / "engage"), "demo", "--dir", str(ROOT / "var" / "demo"), *args)


def test(args: list[str]) -> int:
    return run(str(BIN / "python"), "-m", "pytest", *args)


def lint() -> int:
    return run(str(BIN / "ruff"), "check", ".") or run(str(BIN / "mypy"))


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("demo", "test", "lint"):
        print(__doc__)
        return 2
    ensure_venv()
    task, rest = argv[0], argv[1:]
    return demo(rest) if task == "demo" else test(rest) if task == "test" else lint()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
