"""Operate without a trained model: the column guard, formula neutralisation, PSI, model versions and stored rows.

The guard, neutralisation and PSI run on hand-made data; versions, prediction rows and feedback on
runs that have a model card but no predictor (versions never load one). Scoring, exports,
outcomes and the background worker on a real tiny predictor are in ``tests/integration/test_predict.py``.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from core.db import Store
from core.errors import UserError
from core.predict import (
    BatchRejected,
    check_batch,
    drift_report,
    neutralise,
    neutralise_frame,
    promote_run,
    psi,
    rollback,
)
from core.predict.drift import profile_category, profile_numeric
from core.predict.versions import get_history_df, get_versions_df
from core.preprocess import Recipe, TargetSpec, save_recipe_version
from core.store import datasets, projects, runs
from core.store import predictions as store_p
from core.train.paths import CARD_NAME, run_dir
from tests.helpers import churn_rows

INPUTS = [{"name": "plan", "dtype": "object", "kind": "text"},
          {"name": "minutes", "dtype": "float64", "kind": "number"},
          {"name": "calls", "dtype": "int64", "kind": "integer"}]


# ---------------------------------------------------------------- column guard


def _profiles() -> dict:
    train = pd.DataFrame({"plan": ["basic", "pro", "basic", "max"] * 25, "minutes": np.linspace(0, 300, 100),
                          "calls": np.arange(100) % 9})
    return {"plan": profile_category(train["plan"]), "minutes": profile_numeric(train["minutes"]),
            "calls": profile_numeric(train["calls"])}


def _keys(report) -> dict[str, str]:  # noqa: ANN001
    return {i.key.removeprefix("predict.guard."): i.level for i in report.issues}


def test_guard_accepts_a_clean_batch():
    batch = pd.DataFrame({"plan": ["pro", "basic"], "minutes": [12.5, 250.0], "calls": [1, 3]})
    report = check_batch(batch, INPUTS, _profiles())
    assert report.ok and report.issues == []


def test_guard_blocks_missing_columns_and_ignores_extra_ones():
    batch = pd.DataFrame({"plan": ["pro"], "note": ["call back"], "churn": ["yes"]})
    report = check_batch(batch, INPUTS, _profiles(), target="churn")
    assert _keys(report) == {"missing_columns": "blocking", "extra_columns": "warning", "target_present": "warning"}
    missing = report.blocking[0]
    assert missing.params == {"count": 2, "columns": "minutes, calls"}
    assert "minutes, calls" in missing.message("en") and "minutes, calls" in missing.message("ja")
    with pytest.raises(BatchRejected) as caught:
        report.raise_if_blocked()
    assert caught.value.key == "predict.guard.missing_columns" and caught.value.report is report


def test_guard_type_mismatch_blocks_only_when_nothing_is_a_number():
    words = pd.DataFrame({"plan": ["pro"] * 3, "minutes": ["long", "short", "n/a"], "calls": ["1", "2", "x"]})
    report = check_batch(words, INPUTS, _profiles())
    assert _keys(report) == {"text_for_number": "blocking", "some_not_numbers": "warning"}
    assert report.blocking[0].column == "minutes" and "long" in report.blocking[0].params["examples"]
    assert report.warnings[0].column == "calls" and report.warnings[0].params["count"] == 1


def test_guard_reports_unseen_categories_and_values_outside_training():
    batch = pd.DataFrame({"plan": ["pro", "platinum", "platinum", "gold"], "minutes": [10, 20, 999, -5],
                          "calls": [1, 2, 3, 4]})
    report = check_batch(batch, INPUTS, _profiles())
    assert report.ok and _keys(report) == {"unseen_categories": "warning", "out_of_range": "warning"}
    unseen = next(i for i in report.issues if i.key.endswith("unseen_categories"))
    assert unseen.params == {"count": 3, "values": "platinum, gold"}
    outside = next(i for i in report.issues if i.key.endswith("out_of_range"))
    assert outside.column == "minutes" and outside.params["count"] == 2
    assert report.get_issues_df("ja")["message"].str.contains("platinum").any()


def test_guard_blocks_an_empty_file():
    assert _keys(check_batch(pd.DataFrame(columns=["plan", "minutes", "calls"]), INPUTS)) == {"empty": "blocking"}


# ---------------------------------------------------------------- formula neutralisation


def test_formulas_are_neutralised_and_numbers_untouched():
    for dangerous in ("=SUM(A1:A9)", "+1", "-2+3", "@cmd", "\tx", "\rx", "=HYPERLINK(\"http://x\")"):
        assert neutralise(dangerous) == "'" + dangerous
    for harmless in ("plain", "a=b", "", 5, -3.5, None):
        assert neutralise(harmless) == harmless
    df = pd.DataFrame({"=name": ["=1+1", "ok"], "amount": [-5, 7], "ratio": [-0.5, 1.0]})
    out = neutralise_frame(df)
    assert list(out.columns) == ["'=name", "amount", "ratio"]
    assert out["'=name"].tolist() == ["'=1+1", "ok"]
    assert out["amount"].tolist() == [-5, 7] and out["amount"].dtype == df["amount"].dtype
    assert out["ratio"].tolist() == [-0.5, 1.0]


# ---------------------------------------------------------------- PSI


def test_psi_matches_hand_computed_values():
    # (0.25 − 0.5)·ln(0.25/0.5) + (0.75 − 0.5)·ln(0.75/0.5)
    assert psi([0.5, 0.5], [0.25, 0.75]) == pytest.approx(0.25 * math.log(2) + 0.25 * math.log(1.5))
    assert psi([0.2, 0.3, 0.5], [0.2, 0.3, 0.5]) == 0.0
    # numeric: bins (−∞, 10], (10, 20], (20, ∞), missing
    profile = {"kind": "numeric", "edges": [10.0, 20.0], "shares": [0.3, 0.3, 0.4, 0.0]}
    found = drift_report({"x": profile}, pd.DataFrame({"x": [5, 15, 25, 25, None]}), min_rows=1)["features"][0]
    assert found["actual"] == pytest.approx([0.2, 0.2, 0.4, 0.2])
    expected = 2 * (0.2 - 0.3) * math.log(0.2 / 0.3) + (0.2 - 1e-4) * math.log(0.2 / 1e-4)
    assert found["psi"] == pytest.approx(expected, abs=1e-6) and found["flagged"]
    # categorical: a, b, other, missing
    cat = {"kind": "category", "categories": ["a", "b"], "shares": [0.5, 0.3, 0.2, 0.0]}
    found = drift_report({"c": cat}, pd.DataFrame({"c": ["a", "a", "z", "z"]}), min_rows=1)["features"][0]
    expected = (1e-4 - 0.3) * math.log(1e-4 / 0.3) + (0.5 - 0.2) * math.log(0.5 / 0.2)
    assert found["actual"] == pytest.approx([0.5, 0.0, 0.5, 0.0]) and found["psi"] == pytest.approx(expected, abs=1e-6)


def test_psi_uses_training_deciles_and_does_not_flag_small_batches():
    train = pd.Series(np.arange(1, 101, dtype=float))
    profile = profile_numeric(train)
    assert profile["edges"] == pytest.approx([10.9, 20.8, 30.7, 40.6, 50.5, 60.4, 70.3, 80.2, 90.1])
    assert profile["shares"] == pytest.approx([0.1] * 10 + [0.0])
    same = drift_report({"x": profile}, pd.DataFrame({"x": np.tile(np.arange(1, 101), 3)}))
    assert same["features"][0]["psi"] == pytest.approx(0.0, abs=1e-9) and same["flagged"] == []
    low = pd.DataFrame({"x": np.tile(np.arange(1, 11), 30)})  # every value in the first decile
    shifted = drift_report({"x": profile}, low)["features"][0]
    assert shifted["psi"] == pytest.approx(0.9 * math.log(10) + 9 * (0.1 - 1e-4) * math.log(0.1 / 1e-4), abs=1e-5)
    assert shifted["flagged"] and shifted["level"] == "major"
    small = drift_report({"x": profile}, low.head(20))
    assert small["features"][0]["psi"] > 0.2 and small["flagged"] == [] and not small["reliable"]


# ---------------------------------------------------------------- stores (SQLite and PostgreSQL)


CARD = {"target": {"column": "Churn?", "problem_type": "binary", "positive_class": "True.",
                   "classes": ["False.", "True."]},
        "metric": {"name": "f1", "validation_score": 0.8, "greater_is_better": True, "decision_threshold": 0.3},
        "model": {"best": "LightGBM", "chosen": "LightGBM", "folder": "model"},
        "inputs": [{"name": "State", "dtype": "object", "kind": "text"}], "features_after_recipe": ["State"]}


def _project_with_recipe(store: Store, name: str) -> tuple[int, int, int]:
    """(project id, dataset id, recipe id) of a small project ready to have runs."""
    project = projects.create_project(store, name)
    version, _ = datasets.add_dataset_version(store, project.id, churn_rows(60), source={"kind": "test"})
    saved = save_recipe_version(store, project.id, Recipe(target=TargetSpec("Churn?", "binary", "True.")))
    return project.id, version.id, saved.info.id


def _fake_run(store: Store, project_id: int, dataset_id: int, recipe_id: int) -> int:
    """A succeeded run with a model card in its folder (no predictor: versions never load one)."""
    run = runs.create_run(store, project_id, dataset_id=dataset_id, recipe_id=recipe_id, settings={}, record={})
    runs.mark_started(store, run.id, pid=1, log_path="")
    runs.finish_run(store, run.id, leaderboard=[], metrics={}, record={}, chosen_model="LightGBM")
    folder = run_dir(store, project_id, run.id)
    folder.mkdir(parents=True)
    (folder / CARD_NAME).write_text(json.dumps({**CARD, "run_id": run.id}), encoding="utf-8")
    return run.id


def test_promote_and_rollback_are_recorded(store: Store):
    project_id, dataset_id, recipe_id = _project_with_recipe(store, "Versions")
    first, second, third = (_fake_run(store, project_id, dataset_id, recipe_id) for _ in range(3))
    with pytest.raises(UserError) as caught:
        rollback(store, project_id, by="ops")
    assert caught.value.key == "predict.version.error.no_production"
    v1 = promote_run(store, first, by="pm", verdict="go")
    assert (v1.version_number, v1.promoted_by, v1.verdict) == (1, "pm", "go") and v1.promoted_at is not None
    with pytest.raises(UserError) as caught:
        rollback(store, project_id, by="ops")
    assert caught.value.key == "predict.version.error.no_earlier" and "1" in str(caught.value)
    promote_run(store, second, by="pm", verdict="go")
    v3 = promote_run(store, third, by="lead", verdict="go", note="better recall")
    assert v3.version_number == 3
    versions = get_versions_df(store, project_id)
    assert versions["version"].tolist() == [3, 2, 1] and versions["production"].tolist() == [True, False, False]
    back = rollback(store, project_id, by="ops", reason="complaints")
    assert back.run_id == second and back.version_number == 2 and back.is_production
    history = get_history_df(store, project_id)
    last = history.iloc[-1]
    assert (last["action"], last["from_version"], last["to_version"], last["by"], last["note"]) == \
        ("rollback", 3, 2, "ops", "complaints")
    assert history["action"].tolist() == ["promote", "promote", "promote", "rollback"]
    assert rollback(store, project_id, by="ops").version_number == 1
    with pytest.raises(UserError) as caught:
        rollback(store, project_id, by="ops")
    assert caught.value.key == "predict.version.error.no_earlier"
    assert get_versions_df(store, project_id)["production"].tolist() == [False, False, True]
    assert promote_run(store, third, by="pm", verdict="go").version_number == 3  # a known version keeps its number
    with pytest.raises(UserError):
        promote_run(store, second, by="  ")


def test_prediction_rows_and_feedback_round_trip(store: Store):
    project_id, dataset_id, recipe_id = _project_with_recipe(store, "Rows")
    model = promote_run(store, _fake_run(store, project_id, dataset_id, recipe_id), by="pm", verdict="go")
    batch = store_p.create_batch(store, project_id, model_id=model.id, n_rows=3, source={"filename": "a.csv"})
    rows = [(i, f"id-{i}", "True.", 0.9 - i * 0.4, "True." if i == 0 else "False.",
             json.dumps([{"feature": "State", "value": "KS", "method": "importance_x_deviation"}]) if i == 0 else "[]",
             model.version_number) for i in range(3)]
    assert store_p.insert_predictions(store, batch.id, rows) == 3
    assert store_p.get_batch(store, batch.id).n_done == 3
    preds = store_p.load_predictions_df(store, batch.id)
    assert preds["row_key"].tolist() == ["id-0", "id-1", "id-2"] and preds["model_version"].tolist() == [1, 1, 1]
    assert preds.loc[0, "reasons"][0]["feature"] == "State" and preds.loc[1, "reasons"] == []
    ids = store_p.prediction_ids(store, batch.id)
    store_p.add_feedback_rows(store, project_id, batch.id, [
        {"prediction_id": ids[1], "correct": False, "true_value": "True.", "source": "operator", "given_by": "op"}])
    fb = store_p.feedback_df(store, project_id)
    assert fb[["row_index", "correct", "true_value"]].to_dict("records") == \
        [{"row_index": 1, "correct": False, "true_value": "True."}]
    assert store_p.delete_batch(store, batch.id) is not None
    assert store_p.feedback_df(store, project_id).empty and store_p.get_batch(store, batch.id) is None
    with pytest.raises(UserError) as caught:
        store_p.add_feedback_rows(store, project_id, batch.id, [])
    assert caught.value.key == "predict.error.batch_missing"
