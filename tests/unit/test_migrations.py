"""Alembic migrations: from an empty database to head, and again (a no-op)."""

from __future__ import annotations

from sqlalchemy import inspect

from core.db import current_revision, make_engine, migrate
from core.models import Base


def _heads() -> set[str]:
    from alembic.script import ScriptDirectory

    from core.db import alembic_config

    return set(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


def test_migrate_from_empty_and_rerun(db_url):
    engine = make_engine(db_url)
    assert current_revision(engine) is None
    migrate(engine)
    assert current_revision(engine) in _heads()
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    migrate(engine)  # running again changes nothing and does not fail
    assert current_revision(engine) in _heads()
    engine.dispose()


def test_models_match_migrations(db_url):
    """The models and the migration scripts describe the same schema (no missing migration)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = make_engine(db_url)
    migrate(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []
