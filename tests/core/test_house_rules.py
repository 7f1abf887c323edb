"""The rules of the house (docs/DESIGN.md), checked on the source so they can't drift: platforms
and sources import no database, every platform is in the registry with its config section."""

from __future__ import annotations

import ast
from pathlib import Path

from engage.config import Settings
from engage.platforms import PLATFORMS, addable_kinds, watching
from engage.types import Platform, SourceKind

ENGAGE = Path(__file__).resolve().parents[2] / "engage"
DATABASE = ("sqlalchemy", "alembic", "psycopg", "sqlite3", "engage.models", "engage.db")


def imports(path: Path) -> set[str]:
    """Every module `path` imports, lazily or under TYPE_CHECKING included."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def offenders(folder: Path, forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    bad = {}
    for path in sorted(folder.rglob("*.py")):
        hits = sorted(m for m in imports(path) if m.startswith(forbidden))
        if hits:
            bad[str(path.relative_to(ENGAGE.parent))] = hits
    return bad


def test_platforms_and_sources_import_no_database() -> None:
    assert offenders(ENGAGE / "platforms", DATABASE) == {}
    assert offenders(ENGAGE / "sources", DATABASE) == {}


def test_every_platform_is_registered_once_with_its_config_section() -> None:
    names = [platform.name for platform in PLATFORMS]
    assert sorted(names) == sorted(p.value for p in Platform)
    sections = [platform.section for platform in PLATFORMS if platform.section]
    assert len(sections) == len(set(sections))
    assert set(sections) <= set(Settings.model_fields)
    assert PLATFORMS[-1].name == Platform.MANUAL  # it takes any URL: asked last


def test_every_watched_kind_belongs_to_one_platform() -> None:
    kinds = [platform.kind for platform in PLATFORMS if platform.kind is not None]
    assert len(kinds) == len(set(kinds))
    assert set(kinds) <= {kind.value for kind in SourceKind}
    assert all(watching(kind).name for kind in addable_kinds())


def test_the_cli_runs_no_queries_of_its_own() -> None:
    """Commands parse, call a step, format: the steps query and return typed values."""
    assert offenders(ENGAGE / "cli", ("sqlalchemy", "engage.models")) == {}
    sessions = [
        str(path.relative_to(ENGAGE.parent))
        for path in sorted((ENGAGE / "cli").rglob("*.py"))
        if ".db.read()" in path.read_text() or ".db.write()" in path.read_text()
    ]
    assert sessions == []
