"""Storage: migrations from empty to head, models equal to migrations, refusal of newer schemas."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select, text

from engage.db import Database, alembic_config, head_revision, known_revisions
from engage.errors import SchemaTooNewError
from engage.models import Base, Thread


def test_the_migration_file_names_agree_with_alembic() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_heads() == [head_revision()]
    assert sorted(rev.revision for rev in script.walk_revisions()) == known_revisions()


def test_an_empty_database_is_migrated_to_head(database_url: str) -> None:
    database = Database(database_url)
    assert database.revision() is None
    assert database.ensure_schema() is True
    assert database.revision() == head_revision()
    tables = set(inspect(database.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    database.dispose()


def test_a_current_database_is_left_alone(database_url: str) -> None:
    database = Database(database_url)
    database.ensure_schema()
    assert database.ensure_schema() is False
    database.dispose()


def test_the_models_match_the_migrations(database_url: str) -> None:
    database = Database(database_url)
    database.ensure_schema()
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    database.dispose()


def test_a_database_from_a_newer_engage_is_refused(database_url: str) -> None:
    database = Database(database_url)
    database.ensure_schema()
    with database.write() as session:
        session.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(SchemaTooNewError, match="revision 9999.*upgrade engage"):
        database.ensure_schema()
    database.dispose()


def test_times_come_back_aware_utc(database_url: str) -> None:
    database = Database(database_url)
    database.ensure_schema()
    moment = datetime(2026, 5, 1, 12, 30, tzinfo=UTC)
    with database.write() as session:
        session.add(Thread(platform="reddit", external_id="t3_x", created_at=moment))
    with database.read() as session:
        stored = session.scalar(select(Thread.created_at))
    assert stored == moment and stored is not None and stored.tzinfo is not None
    database.dispose()


@pytest.mark.sqlite_only("WAL, busy timeout and foreign-key pragmas are SQLite's own")
def test_sqlite_uses_wal_and_foreign_keys(sqlite_url: str) -> None:
    database = Database(sqlite_url)
    database.ensure_schema()
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    database.dispose()
