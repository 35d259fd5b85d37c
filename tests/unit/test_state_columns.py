"""Migration 0004: a database made at 0003 keeps every run's chosen model, error and the data request,
and the new foreign keys hold; the data request lives on its own (re-runs, deleted versions, copies)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from sqlalchemy import inspect, text

from core import models as m
from core.db import current_revision, downgrade, make_engine, migrate, open_store

_NOW = "2026-11-01 10:00:00+00:00"
_LATER = "2026-11-03 10:00:00+00:00"
OLD_REQUEST = {"title": "first", "why": "an older copy", "columns": []}
REQUEST = {"title": "More labels", "recipient": "Billing", "why": "few churners", "what": "churn flags",
           "columns": ["churn"]}
BOARD = [{"model": "LightGBM", "can_infer": True}, {"model": "WeightedEnsemble_L2", "can_infer": True}]


def _json(value):  # noqa: ANN001, ANN202 - PostgreSQL hands back JSON parsed, SQLite as text
    return json.loads(value) if isinstance(value, str) else value


def _heads() -> set[str]:
    from alembic.script import ScriptDirectory

    from core.db import alembic_config

    return set(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


def _insert(conn, table: str, **values) -> None:  # noqa: ANN001 - SQLAlchemy connection
    names = ", ".join(values)
    conn.execute(text(f"INSERT INTO {table} ({names}) VALUES ({', '.join(':' + k for k in values)})"), values)


def _run(conn, run_id: int, **values) -> None:  # noqa: ANN001
    row = {"id": run_id, "project_id": 1, "status": "succeeded", "progress": 1.0, "models_done": 2,
           "models_planned": 2, "current_model": "", "log_path": "", "settings": "{}", "record": "{}",
           "metrics": "{}", "leaderboard": "[]", "error": "", "created_by": "Aki", "created_at": _NOW}
    _insert(conn, "training_runs", **{**row, **values})


def _fill_revision_0003(conn) -> None:  # noqa: ANN001
    """Rows as 0003 stored them (raw SQL): the chosen model in metrics, errors as JSON text, the
    data request inside analysis reports, and ids pointing at rows that are gone."""
    project = {"description": "", "owner": "Aki", "currency": "JPY", "language": "ja", "is_demo": False,
               "created_at": _NOW, "updated_at": _NOW, "version": 1}
    _insert(conn, "projects", id=1, name="解約予測", name_key="解約予測", **project)
    _insert(conn, "projects", id=2, name="other", name_key="other", current_dataset_id=999, **project)
    version = {"project_id": 1, "label": "v", "content_hash": "h", "n_rows": 3, "n_cols": 2, "columns": "[]",
               "source": "{}", "parquet_path": "", "created_by": "Aki", "created_at": _NOW}
    _insert(conn, "dataset_versions", id=1, **version)
    _insert(conn, "dataset_versions", id=2, parent_id=1, **version)
    _insert(conn, "dataset_versions", id=3, parent_id=888, **version)  # its parent was deleted
    conn.execute(text("UPDATE projects SET current_dataset_id = 2 WHERE id = 1"))
    _insert(conn, "recipes", id=1, project_id=1, number=1, dataset_id=1, data="{}", split="{}", created_by="Aki",
            created_at=_NOW)
    for dataset_id, request, when in [(1, OLD_REQUEST, _NOW), (1, REQUEST, _LATER), (2, None, _LATER)]:
        data = {"overall": "ok", "settings": {"min_rows_per_class": 100}}
        if request is not None:
            data["data_request"] = request
        _insert(conn, "analysis_reports", project_id=1, dataset_id=dataset_id, overall="ok",
                data=json.dumps(data, ensure_ascii=False), created_at=when)
    _run(conn, 1, dataset_id=1, recipe_id=1, leaderboard=json.dumps(BOARD),
         metrics=json.dumps({"best_model": "WeightedEnsemble_L2", "chosen_model": "LightGBM", "score": 0.8}))
    _run(conn, 2, dataset_id=777, recipe_id=666, metrics=json.dumps({"best_model": "CatBoost"}))  # gone rows
    _run(conn, 3, status="failed", error=json.dumps(
        {"key": "train.error.worker_died", "params": {"seconds": 12}, "log_tail": "Fitting model LightGBM"}))
    _run(conn, 4, status="failed", error="Traceback: boom")  # text from before errors were messages
    _run(conn, 5, status="cancelled", error=json.dumps({"key": "train.status.cancelled", "params": {},
                                                         "log_tail": ""}))
    _run(conn, 6, status="queued")
    _insert(conn, "models", project_id=1, run_id=1, model_name="LightGBM", path="p", card="{}",
            is_production=False, promoted_by="", verdict="", created_at=_NOW)
    _insert(conn, "decisions", project_id=1, run_id=1, model_name="LightGBM", problem_type="binary",
            rule_kind="threshold", threshold=0.4, verdict="go", goal_fingerprint="", rule="{}", costs="{}",
            outcome="{}", created_by="Aki", created_at=_NOW)
    _insert(conn, "business_goals", project_id=1, data='{"value_statement": "keep customers"}', updated_at=_NOW,
            version=1)


def _database_at_0003(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate(engine, "0003")
    with engine.begin() as conn:
        _fill_revision_0003(conn)
    engine.dispose()


def test_database_from_0003_keeps_chosen_models_errors_and_the_data_request(db_url, tmp_path):
    from core.evaluate.data import run_model
    from core.store import runs
    from core.analyze.saved import list_analyses
    from core.prepare.requests import load_data_request
    from core.store.datasets import get_dataset
    from core.store.projects import get_project

    _database_at_0003(db_url)
    store = open_store(db_url, artefacts=tmp_path / "artefacts")  # what the app does at start-up
    try:
        assert current_revision(store.engine) in _heads()
        chosen, best = runs.get_run(store, 1), runs.get_run(store, 2)
        assert (chosen.chosen_model, run_model(chosen)) == ("LightGBM", "LightGBM")  # the user's pick is kept
        assert chosen.metrics == {"best_model": "WeightedEnsemble_L2", "score": 0.8}  # stored once, in its column
        assert best.chosen_model == "CatBoost"  # none picked: the best one, as every reader assumed
        assert (chosen.dataset_id, chosen.recipe_id) == (1, 1)
        assert (best.dataset_id, best.recipe_id) == (None, None)  # pointed at rows that are gone
        died, crashed, cancelled, queued = (runs.get_run(store, i) for i in (3, 4, 5, 6))
        assert died.error == {"key": "train.error.worker_died", "params": {"seconds": 12}}
        assert died.log_tail == "Fitting model LightGBM"
        assert crashed.error == {"key": "train.error.unexpected", "params": {"detail": "Traceback: boom"}}
        assert (cancelled.error["key"], cancelled.log_tail) == ("train.status.cancelled", "")
        assert (queued.error, queued.log_tail, queued.chosen_model) == ({}, "", "")
        assert (get_project(store, 1).current_dataset_id, get_project(store, 2).current_dataset_id) == (2, None)
        assert (get_dataset(store, 2).parent_id, get_dataset(store, 3).parent_id) == (1, None)
        assert load_data_request(store, 1) == REQUEST and load_data_request(store, 2) is None
        assert len(list_analyses(store, 1)) == 3
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM models")).scalar_one() == 1  # rebuilt tables kept
            assert conn.execute(text("SELECT count(*) FROM decisions")).scalar_one() == 1  # their children
            assert "keep customers" in str(conn.execute(text("SELECT data FROM business_goals")).scalar_one())
            assert conn.execute(text("SELECT error FROM training_runs WHERE id = 6")).scalar_one() is None
            reports = [str(d) for d in conn.execute(text("SELECT data FROM analysis_reports")).scalars()]
            assert not any("data_request" in d for d in reports)  # one copy, in data_requests
    finally:
        store.engine.dispose()


def test_after_0004_the_new_foreign_keys_hold_and_choosing_writes_the_column(db_url, tmp_path):
    from core.analyze import analyze
    from core.store import runs
    from core.analyze.saved import save_analysis
    from core.prepare.requests import load_data_request
    from core.store.datasets import get_dataset
    from core.store.projects import get_project
    from core.train import choose_model

    _database_at_0003(db_url)
    store = open_store(db_url, artefacts=tmp_path / "artefacts")
    try:
        fks = {(t, fk["constrained_columns"][0]): (fk["referred_table"], fk["options"].get("ondelete"))
               for t in ("projects", "dataset_versions", "training_runs")
               for fk in inspect(store.engine).get_foreign_keys(t)}
        assert fks[("projects", "current_dataset_id")] == ("dataset_versions", "SET NULL")
        assert fks[("dataset_versions", "parent_id")] == ("dataset_versions", "SET NULL")
        assert fks[("training_runs", "dataset_id")] == ("dataset_versions", "SET NULL")
        assert fks[("training_runs", "recipe_id")] == ("recipes", "SET NULL")

        choose_model(store, 1, "WeightedEnsemble_L2")
        assert runs.get_run(store, 1).chosen_model == "WeightedEnsemble_L2"
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT chosen_model FROM training_runs WHERE id = 1")).scalar_one() \
                == "WeightedEnsemble_L2"

        with store.sessions.begin() as session:  # the version whose reports held the request
            session.delete(session.get(m.DatasetVersion, 1))
        assert load_data_request(store, 1) == REQUEST
        assert get_dataset(store, 2).parent_id is None and runs.get_run(store, 1).dataset_id is None
        with store.sessions.begin() as session:
            session.delete(session.get(m.DatasetVersion, 2))  # the current one
        assert get_project(store, 1).current_dataset_id is None and load_data_request(store, 1) == REQUEST
        df = pd.DataFrame({"x": np.arange(30), "y": ["a", "b", "c"] * 10})
        save_analysis(store, 1, 3, analyze(df, "y"))  # a new diagnosis does not replace it
        assert load_data_request(store, 1) == REQUEST
    finally:
        store.engine.dispose()


def test_0004_downgrades_without_loss_and_upgrades_again(db_url, tmp_path):
    from core.store import runs
    from core.prepare.requests import load_data_request

    _database_at_0003(db_url)
    engine = make_engine(db_url)
    migrate(engine)
    downgrade(engine, "0003")
    assert current_revision(engine) == "0003"
    assert "data_requests" not in set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        metrics = _json(conn.execute(text("SELECT metrics FROM training_runs WHERE id = 1")).scalar_one())
        error = json.loads(conn.execute(text("SELECT error FROM training_runs WHERE id = 3")).scalar_one())
        newest = conn.execute(text("SELECT data FROM analysis_reports ORDER BY id DESC")).scalars().first()
        assert conn.execute(text("SELECT error FROM training_runs WHERE id = 6")).scalar_one() == ""
        assert conn.execute(text("SELECT count(*) FROM models")).scalar_one() == 1
    assert metrics["chosen_model"] == "LightGBM"
    assert error == {"key": "train.error.worker_died", "params": {"seconds": 12}, "log_tail": "Fitting model LightGBM"}
    assert _json(newest)["data_request"] == REQUEST  # where 0003's code looks for it
    engine.dispose()

    store = open_store(db_url, artefacts=tmp_path / "artefacts")
    try:
        assert runs.get_run(store, 1).chosen_model == "LightGBM" and runs.get_run(store, 3).log_tail
        assert load_data_request(store, 1) == REQUEST
    finally:
        store.engine.dispose()


def test_the_data_request_survives_re_runs_and_is_copied_with_the_project(sqlite_store):
    from core.prepare import DataRequest
    from core.analyze.saved import run_analysis
    from core.prepare.requests import load_data_request, save_data_request
    from core.store.datasets import add_dataset_version
    from core.store.duplicate import duplicate_project
    from core.store.projects import create_project, delete_project

    store = sqlite_store
    project = create_project(store, "Churn")
    df = pd.DataFrame({"x": np.arange(40), "churn": ["yes", "no"] * 20})
    add_dataset_version(store, project.id, df, source={"kind": "test"})
    run_analysis(store, project.id)
    request = DataRequest(recipient="Billing", why="more rows", what="churn flags").to_dict()
    save_data_request(store, project.id, request, by="Aki")
    save_data_request(store, project.id, {**request, "how": "monthly"}, based_on=request, by="Sato")
    with store.sessions() as session:
        row = session.query(m.DataRequest).filter_by(project_id=project.id).one()
        assert (row.created_by, row.updated_by) == ("Aki", "Sato")
    add_dataset_version(store, project.id, df.assign(x=df["x"] + 1), source={"kind": "test"})
    run_analysis(store, project.id)
    assert load_data_request(store, project.id)["how"] == "monthly"
    copy = duplicate_project(store, project.id, "Churn (copy)")
    assert load_data_request(store, copy.id) == load_data_request(store, project.id)
    delete_project(store, project.id)
    assert load_data_request(store, copy.id)["how"] == "monthly"
