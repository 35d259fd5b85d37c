"""Operate on a real tiny predictor: stored predictions with their model version, exports, feedback, drift.

Scoring, feedback, outcomes and the background worker share one tiny predictor trained once per
session. The guard, neutralisation, PSI and versions without a predictor are in ``tests/unit/test_predict.py``.
"""

from __future__ import annotations

import io
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
    export_csv,
    export_excel,
    get_batch_df,
    match_outcomes,
    promote_run,
    retraining_signal,
    score_batch,
    score_rows,
    wait_for_batch,
)
from core.predict.drift import get_drift_df
from core.evaluate.record import current_decision
from core.predict.model import decision_rule, resolve_model
from core.store.paths import resolve
from core.predict.monitor import get_metrics_over_time_df
from core.predict.plots import plot_drift, plot_metric_over_time
from core.predict.reference import example_rows, get_inputs_df
from core.preprocess import Recipe, TargetSpec, save_recipe_version
from core.store import datasets, goals, projects
from core.store import predictions as store_p
from core.train import TrainSettings, start_training
from tests.helpers import churn_rows, wait_for_run

ROOT = Path(__file__).resolve().parents[2]


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
    reason = signal.reasons[0].message
    assert reason.key == "predict.monitor.reason.below_target"
    assert reason.params["metric"] == "accuracy" and reason.params["target"] == 0.8
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


# ---------------------------------------------------------------- the command line's test-set metrics


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
