"""Every library the code imports is declared in pyproject.toml, not borrowed from another's
requirements (prawcore arrives with praw, requests with prawcore: they are declared anyway)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported_top_levels(folder: Path) -> set[str]:
    """The top-level module of every absolute import under `folder`, lazy ones included."""
    found: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.partition(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.partition(".")[0])
    return found


def declared(*groups: str) -> set[str]:
    """Distribution names (normalised) in [project] dependencies and the named extras."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for group in groups:
        requirements += project["optional-dependencies"][group]
    names = {re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0] for requirement in requirements}
    return {normalise(name) for name in names}


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def undeclared(folder: Path, *groups: str) -> set[str]:
    local = {"engage", "tests", "bench", "__future__"}
    owners = packages_distributions()
    wanted = declared(*groups)
    missing = set()
    for module in imported_top_levels(folder) - local - set(sys.stdlib_module_names):
        distributions = {normalise(name) for name in owners.get(module, [module])}
        if not distributions & wanted:
            missing.add(module)
    return missing


def test_every_library_engage_imports_is_a_declared_dependency() -> None:
    assert undeclared(ROOT / "engage", "postgres", "llm") == set()


def test_every_library_the_tests_and_benchmarks_import_is_declared_for_development() -> None:
    assert undeclared(ROOT / "tests", "test") == set()
    assert undeclared(ROOT / "bench", "test") == set()
