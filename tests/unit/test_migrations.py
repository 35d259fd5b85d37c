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


_NOW = "2026-11-01 10:00:00+00:00"


def _fill_revision_0001(conn) -> None:  # noqa: ANN001 - SQLAlchemy connection
    """Rows as the 0001 schema knew them (raw SQL, so later model changes do not leak in).

    Two recipes share number 2, as two saves at the same moment could leave them before 0002.
    """
    from sqlalchemy import text

    conn.execute(text(
        "INSERT INTO projects (id, name, name_key, description, owner, currency, language, is_demo, "
        "created_at, updated_at, version) VALUES (1, '解約予測', '解約予測', 'd', 'Aki', 'JPY', 'ja', false, "
        ":now, :now, 3)"), {"now": _NOW})
    conn.execute(text(
        "INSERT INTO business_goals (project_id, data, updated_at, version) "
        "VALUES (1, :data, :now, 1)"), {"data": '{"value_statement": "keep customers"}', "now": _NOW})
    for rid, number in [(1, 1), (2, 2), (3, 2), (4, 3)]:  # ids from the database's own sequence
        conn.execute(text(
            "INSERT INTO recipes (project_id, number, data, split, created_by, created_at) "
            "VALUES (1, :n, :data, '{}', 'Aki', :now)"), {"n": number, "data": f'{{"r": {rid}}}', "now": _NOW})
    conn.execute(text(
        "INSERT INTO reviews (project_id, step, kind, subject, reviewer, role, decision, comment, created_at) "
        "VALUES (1, 'business', 'signoff', 's', '佐藤', 'sales', 'approved', 'ok', :now)"), {"now": _NOW})


def test_database_from_revision_0001_upgrades_at_start_up_without_loss(db_url, tmp_path):
    """A database made by the first release opens with today's code: rows kept, numbers made unique."""
    from sqlalchemy import text

    from core.db import open_store
    from core.store.projects import get_project
    from core.store.recipes import add_recipe, latest_recipe, list_recipes

    engine = make_engine(db_url)
    migrate(engine, "0001")
    assert current_revision(engine) == "0001"
    with engine.begin() as conn:
        _fill_revision_0001(conn)
    engine.dispose()

    store = open_store(db_url, artefacts=tmp_path / "artefacts")  # what the app does at start-up
    try:
        assert current_revision(store.engine) in _heads()
        project = get_project(store, 1)
        assert (project.name, project.owner, project.currency, project.version) == ("解約予測", "Aki", "JPY", 3)
        recipes = sorted(list_recipes(store, 1), key=lambda r: r.id)
        assert [r.data["r"] for r in recipes] == [1, 2, 3, 4]  # no recipe lost
        assert [r.number for r in recipes] == [1, 2, 3, 4]  # renumbered in saving order
        assert latest_recipe(store, 1).data == {"r": 4}  # the newest stays the newest (Train uses it)
        assert add_recipe(store, 1, {"r": 5}, {}, dataset_id=None).number == 5
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT reviewer FROM reviews")).scalar_one() == "佐藤"
            assert "keep customers" in str(conn.execute(text("SELECT data FROM business_goals")).scalar_one())
            assert conn.execute(text("SELECT count(*) FROM users")).scalar_one() == 0
    finally:
        store.engine.dispose()


def test_downgrade_to_0001_and_back(db_url):
    """The newest migration can be undone and redone (a release can be rolled back)."""
    from alembic import command

    from core.db import alembic_config

    engine = make_engine(db_url)
    migrate(engine)
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    assert current_revision(engine) == "0001"
    assert "users" not in set(inspect(engine).get_table_names())
    migrate(engine)
    assert current_revision(engine) in _heads()
    engine.dispose()


def test_goals_from_revision_0002_get_metric_ids_and_unknown_text_is_kept_and_flagged(db_url, tmp_path):
    """Criteria typed as free text by 0002 become metric ids; text that names no metric stays, flagged."""
    import json

    from sqlalchemy import text

    from core.db import open_store
    from core.store.goals import load_goal
    from core.value import BusinessGoal, validate

    engine = make_engine(db_url)
    migrate(engine, "0002")
    goal = {"acceptance": {"metrics": [{"metric": "再現率が目標以上", "direction": "min", "value": 0.6},
                                       {"metric": "Precision", "direction": "min", "value": 0.3},
                                       {"metric": "お客様満足度", "direction": "min", "value": 4}],
                           "human_baseline": {"metric": "F値", "novice": 0.5}}}
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO projects (id, name, name_key, description, owner, currency, language, is_demo, "
            "created_at, updated_at, version) VALUES (1, 'p', 'p', '', '', 'JPY', 'ja', false, :now, :now, 1)"),
            {"now": _NOW})
        conn.execute(text("INSERT INTO business_goals (project_id, data, updated_at, version) "
                          "VALUES (1, :data, :now, 1)"), {"data": json.dumps(goal, ensure_ascii=False), "now": _NOW})
    engine.dispose()
    store = open_store(db_url, artefacts=tmp_path / "artefacts")
    try:
        data, _ = load_goal(store, 1)
        assert [m["metric"] for m in data["acceptance"]["metrics"]] == ["recall", "precision", "お客様満足度"]
        assert data["acceptance"]["human_baseline"]["metric"] == "f1"
        loaded = BusinessGoal.from_dict(data)
        assert loaded.acceptance.unknown_metrics() == ["お客様満足度"]
        assert "value.issue.unknown_metric" in validate(loaded)
        assert "decisions" in set(inspect(store.engine).get_table_names())
    finally:
        store.engine.dispose()
