"""Operate: column guard, stored predictions with their model version, exports, feedback, drift, versions.

The pure parts (guard, neutralisation, PSI) run on hand-made data; scoring, feedback and the
background worker share one tiny predictor trained once per session.
"""

from __future__ import annotations

import io
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.db import Store, open_store
from core.errors import UserError
from core.predict import (
    BatchRejected,
    add_feedback,
    check_batch,
    drift_report,
    export_csv,
    export_excel,
    get_batch_df,
    match_outcomes,
    neutralise,
    neutralise_frame,
    promote_run,
    psi,
    retraining_signal,
    rollback,
    score_batch,
    score_rows,
    wait_for_batch,
)
from core.predict.drift import get_drift_df, profile_category, profile_numeric
from core.evaluate.record import current_decision
from core.predict.model import decision_rule, resolve_model
from core.store.paths import resolve
from core.predict.monitor import get_metrics_over_time_df
from core.predict.plots import plot_drift, plot_metric_over_time
from core.predict.reference import example_rows, get_inputs_df
from core.predict.versions import get_history_df, get_versions_df
from core.preprocess import Recipe, TargetSpec, save_recipe_version
from core.store import datasets, goals, projects, runs
from core.store import predictions as store_p
from core.train import TrainSettings, start_training
from core.train.paths import CARD_NAME, run_dir
from tests.helpers import churn_rows, wait_for_run

ROOT = Path(__file__).resolve().parents[2]
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


# ---------------------------------------------------------------- one trained model for the rest


@dataclass(frozen=True)
class Trained:
    """A store with one project and one succeeded run of a tiny model."""

    store: Store
    project_id: int
    run_id: int
    data: pd.DataFrame


@pytest.fixture(scope="session")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Trained:
    """Train one tiny predictor for the session (about 20 s)."""
    root = tmp_path_factory.mktemp("predict")
    store = open_store(f"sqlite:///{root / 'studio.db'}", artefacts=root / "artefacts")
    df = churn_rows()
    project = projects.create_project(store, "Churn operate")
    datasets.add_dataset_version(store, project.id, df, source={"kind": "test"})
    recipe = Recipe(target=TargetSpec("Churn?", "binary", "True."))
    recipe.drop("Phone", "analyze.reason.id_like")
    save_recipe_version(store, project.id, recipe, created_by="ana")
    settings = TrainSettings(hyperparameters={"GBM": {"num_boost_round": 20}}, time_limit=30,
                             extra={"num_bag_folds": 0, "num_stack_levels": 0})
    run_id = start_training(store, project.id, settings, "ana")
    wait_for_run(store, run_id)
    return Trained(store, project.id, run_id, df)


def new_rows(n: int, start: int = 1000) -> pd.DataFrame:
    """Rows the model never saw (without the target)."""
    df = pd.read_csv(ROOT / "sample_data" / "telecom_churn.csv").iloc[start:start + n]
    return df.drop(columns=["Churn?"]).reset_index(drop=True)


def test_predictions_are_stored_with_the_model_version(trained: Trained):
    store = trained.store
    version = promote_run(store, trained.run_id, by="pm")  # an untested run is evaluated before promotion
    decision = current_decision(store, trained.run_id)
    assert version.version_number == 1 and version.is_production and version.verdict == decision.verdict
    assert not decision.stale and decision.info.model_name == version.model_name
    batch_id = score_batch(store, trained.project_id, new_rows(40), filename="april.csv", created_by="op")
    batch = store_p.get_batch(store, batch_id)
    assert batch.status == "done" and batch.n_rows == batch.n_done == 40 and batch.model_id == version.id
    threshold = decision_rule(store, trained.project_id)
    assert threshold.source == "test_step" and threshold.decision_id == decision.info.id
    assert batch.source["threshold"] == {"value": threshold.value, "source": "test_step"}
    assert batch.source["decision"]["decision_id"] == decision.info.id
    assert batch.source["id_column"] == "Phone"  # the ID the recipe dropped, unique in the batch
    preds = store_p.load_predictions_df(store, batch_id)
    assert preds["row_index"].tolist() == list(range(40)) and (preds["model_version"] == 1).all()
    assert preds["row_key"].tolist() == new_rows(40)["Phone"].tolist()
    assert preds["probability"].between(0, 1).all() and set(preds["prediction"]) <= {"True.", "False."}
    acted = np.where(preds["probability"] >= threshold.value, "True.", "False.")
    assert (preds["decision"] == acted).all()
    with_reasons = [r for r in preds["reasons"] if r]
    assert with_reasons and all(len(r) <= 3 and r[0]["method"] == "importance_x_deviation" for r in with_reasons)
    assert {f["feature"] for f in batch.drift["features"]} >= {"Day Mins", "State"}
    table = get_batch_df(store, batch_id)
    assert list(table.columns[:3]) == ["State", "Account Length", "Area Code"]
    assert {"prediction", "probability", "decision", "reasons", "reasons_method", "model_version"} <= set(table.columns)


def test_a_rejected_batch_stores_nothing(trained: Trained):
    before = len(store_p.list_batches(trained.store, trained.project_id))
    with pytest.raises(BatchRejected) as caught:
        score_batch(trained.store, trained.project_id, new_rows(5).drop(columns=["Day Mins", "Eve Mins"]))
    assert "Day Mins, Eve Mins" in str(caught.value)
    assert len(store_p.list_batches(trained.store, trained.project_id)) == before
    fields = get_inputs_df(trained.store, trained.project_id).set_index("name")
    assert fields.loc["Day Mins", "kind"] == "number" and fields.loc["Day Mins", "min"] < fields.loc["Day Mins", "max"]
    assert {"yes", "no"} <= set(fields.loc["Int'l Plan", "choices"])
    examples = example_rows(trained.store, trained.project_id, n=3)
    assert len(examples) == 3 and "Churn?" not in examples.columns
    assert len(score_rows(trained.store, trained.project_id, examples)) == 3


def test_what_if_scores_a_row_without_storing_it(trained: Trained):
    before = len(store_p.list_batches(trained.store, trained.project_id))
    row = new_rows(1, start=4500)
    low = score_rows(trained.store, trained.project_id, row, threshold=0.0)
    high = score_rows(trained.store, trained.project_id, row.assign(**{"CustServ Calls": 9}), threshold=1.0)
    assert low.loc[0, "decision"] == "True." and high.loc[0, "decision"] == "False."  # the threshold decides
    assert 0 <= low.loc[0, "probability"] <= 1 and isinstance(low.loc[0, "reasons"], list)
    assert len(store_p.list_batches(trained.store, trained.project_id)) == before


def test_exports_neutralise_formulas_in_csv_and_excel(trained: Trained):
    rows = new_rows(6)
    rows.loc[0, "State"] = "=HYPERLINK(\"http://evil\",\"x\")"
    rows.loc[1, "Phone"] = "@SUM(1+1)"
    batch_id = score_batch(trained.store, trained.project_id, rows)
    warnings = store_p.get_batch(trained.store, batch_id).source["guard"]["issues"]
    assert any(i["key"] == "predict.guard.unseen_categories" for i in warnings)
    csv = pd.read_csv(io.BytesIO(export_csv(trained.store, batch_id)), encoding="utf-8-sig")
    assert csv.loc[0, "State"] == "'=HYPERLINK(\"http://evil\",\"x\")" and csv.loc[1, "Phone"] == "'@SUM(1+1)"
    assert csv["Account Length"].tolist() == rows["Account Length"].tolist()
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export_excel(trained.store, batch_id))).active
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("State") + 1)
    assert cell.value.startswith("'=") and cell.data_type == "s"
    assert sheet.cell(row=2, column=header.index("Account Length") + 1).value == rows.loc[0, "Account Length"]


def test_exported_reasons_are_written_in_the_ui_language(trained: Trained):
    rows = new_rows(5).assign(**{"CustServ Calls": 9, "Day Mins": 350.0})  # unusual values give reasons
    batch_id = score_batch(trained.store, trained.project_id, rows)
    english = pd.read_csv(io.BytesIO(export_csv(trained.store, batch_id)), encoding="utf-8-sig")
    japanese = pd.read_csv(io.BytesIO(export_csv(trained.store, batch_id, "ja")), encoding="utf-8-sig")
    with_reasons = english["reasons"].fillna("").str.len() > 0
    assert with_reasons.any()
    assert english.loc[with_reasons, "reasons"].str.contains("typical").all()
    assert japanese.loc[with_reasons, "reasons"].str.contains("通常").all()
    assert not japanese["reasons"].fillna("").str.contains("typical").any()
    assert list(japanese.columns) == list(english.columns)  # column names stay machine-readable


def test_feedback_on_a_deleted_batch_is_a_clear_error(trained: Trained):
    batch_id = score_batch(trained.store, trained.project_id, new_rows(3))
    stored = add_feedback(trained.store, batch_id, 0, correct=False, given_by="op")
    assert stored["correct"] is False and stored["true_value"] in ("True.", "False.")
    store_p.delete_batch(trained.store, batch_id)
    with pytest.raises(UserError) as caught:
        add_feedback(trained.store, batch_id, 1, correct=True, given_by="op")
    assert caught.value.key == "predict.error.batch_missing" and str(batch_id) in caught.value.message("ja")


def test_outcomes_file_is_matched_by_id_and_unmatched_ids_are_reported(trained: Trained):
    rows = new_rows(10, start=2000)
    batch_id = score_batch(trained.store, trained.project_id, rows)
    truth = pd.read_csv(ROOT / "sample_data" / "telecom_churn.csv").iloc[2000:2008]
    outcomes = pd.DataFrame({"phone": [*truth["Phone"], "000-0000", "999-9999"],
                             "churned": [*truth["Churn?"].str.rstrip("."), "True", "False"]})
    result = match_outcomes(trained.store, batch_id, outcomes.rename(columns={"phone": "Phone"}), id_column="Phone",
                            outcome_column="churned", given_by="crm")
    assert result.matched == 8 and result.n_unmatched == 2 and result.unmatched_ids == ["000-0000", "999-9999"]
    assert result.rows_without_outcome == 2 and result.unknown_labels == []
    fb = store_p.feedback_df(trained.store, trained.project_id, batch_id)
    assert len(fb) == 8 and set(fb["true_value"]) <= {"True.", "False."} and (fb["source"] == "outcomes").all()
    with pytest.raises(UserError) as caught:
        match_outcomes(trained.store, batch_id, outcomes, id_column="phone", outcome_column="churned")
    assert caught.value.key == "predict.feedback.error.id_not_in_batch"


def test_retraining_is_recommended_when_feedback_falls_below_the_goal(trained: Trained):
    store, pid = trained.store, trained.project_id
    goals.save_goal(store, pid, {"acceptance": {"metrics": [{"metric": "accuracy", "direction": "min", "value": 0.8}]}})
    batch_id = score_batch(store, pid, new_rows(20, start=3000))
    for row in range(10):
        add_feedback(store, batch_id, row, correct=True, given_by="op")
    fine = retraining_signal(store, pid, window=10, min_feedback=10)
    assert not fine.recommended and fine.status == "ok" and fine.metrics["accuracy"] == 1.0
    for row in range(10, 20):
        add_feedback(store, batch_id, row, correct=False, given_by="op")
    signal = retraining_signal(store, pid, window=20, min_feedback=10)
    assert signal.recommended and signal.status == "retrain" and signal.metrics["accuracy"] == 0.5
    reason = signal.reasons[0]
    assert reason["key"] == "predict.monitor.reason.below_target"
    assert reason["params"]["metric"] == "accuracy" and reason["params"]["target"] == 0.8
    assert "0.5" in signal.messages("en")[0] and "0.8" in signal.messages("ja")[0]
    assert retraining_signal(store, pid, min_feedback=500).status == "insufficient"
    over_time = get_metrics_over_time_df(store, pid, freq="D")
    assert over_time["n"].sum() >= 20 and "accuracy" in over_time.columns
    figure = plot_metric_over_time(over_time, "accuracy", signal.targets, lang="ja")
    assert figure.data and figure.layout.shapes[0].y0 == 0.8  # the target line
    drift = store_p.get_batch(store, batch_id).drift
    assert plot_drift(get_drift_df(drift)).data[0].type == "bar"


def test_large_batches_are_scored_by_the_background_worker(trained: Trained):
    batch_id = score_batch(trained.store, trained.project_id, new_rows(30, start=4000), background=True)
    assert store_p.get_batch(trained.store, batch_id).source["job"]["pid"] > 0
    batch = wait_for_batch(trained.store, batch_id, timeout_s=90)
    assert batch.status == "done", batch.error
    assert batch.n_done == 30 and batch.progress == 1.0


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
    runs.finish_run(store, run.id, leaderboard=[], metrics={"chosen_model": "LightGBM"}, record={})
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


def test_command_line_metrics_are_the_test_steps_and_the_report_is_its_full_report(trained: Trained, tmp_path: Path):
    from core.evaluate import evaluate_run
    from core.predict.quick_report import write_report
    from core.predict.testset import evaluate_model

    info = resolve_model(trained.store, trained.project_id)
    result = evaluate_model(trained.store, info)
    assert set(result["metrics"]) == {"accuracy", "f1", "roc_auc", "precision", "recall"} and result["rows"] == 40
    page_numbers = evaluate_run(trained.store, info.run_id, info.model_name, with_speed=False).performance.metrics
    assert result["metrics"]["accuracy"] == pytest.approx(page_numbers["accuracy"], abs=1e-6)
    copy = write_report(trained.store, result, tmp_path / "out" / "report.html")
    assert copy.exists() and "<html" in copy.read_text(encoding="utf-8").lower()
    from core.store.test_reports import list_test_reports

    recorded = list_test_reports(trained.store, trained.project_id, info.run_id)
    assert recorded and copy.read_bytes() == resolve(trained.store, recorded[0].html_path).read_bytes()


