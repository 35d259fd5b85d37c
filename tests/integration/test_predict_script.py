"""The generated predict.py: standalone, applies the recipe, scores a CSV like the app's predictor."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd

from core.store import runs
from core.train import choose_model
from core.train.paths import run_dir
from tests.helpers import TrainedRun, with_goal

ROOT = Path(__file__).resolve().parents[2]


def _folder(churn_run: TrainedRun) -> Path:
    return run_dir(churn_run.store, churn_run.project_id, churn_run.run_id)


def _score(folder: Path, tmp_path: Path, rows: pd.DataFrame, *extra: str) -> subprocess.CompletedProcess[str]:
    rows.to_csv(tmp_path / "new.csv", index=False)
    return subprocess.run([sys.executable, str(folder / "predict.py"), "--model", str(folder / "model"),
                           "--input", str(tmp_path / "new.csv"), "--output", str(tmp_path / "out.csv"), *extra],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)


def test_script_imports_nothing_from_this_repository(churn_run: TrainedRun):
    tree = ast.parse((_folder(churn_run) / "predict.py").read_text(encoding="utf-8"))
    modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    modules |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not {m.split(".")[0] for m in modules if m} & {"core", "ui", "pages", "tests"}


def test_model_card_describes_inputs_target_metric_and_data(churn_run: TrainedRun):
    card = json.loads((_folder(churn_run) / "model_card.json").read_text(encoding="utf-8"))
    inputs = {i["name"]: i["kind"] for i in card["inputs"]}
    assert "Phone" not in inputs and "Churn?" not in inputs and inputs["Day Mins"] == "number"
    assert card["target"] == {"column": "Churn?", "problem_type": "binary", "positive_class": "True.",
                              "classes": ["False.", "True."]}
    assert card["metric"]["name"] == "f1" and card["training_data"]["rows"] == 160
    assert card["library_versions"]["autogluon.tabular"] and card["model"]["chosen"]


def test_predict_py_scores_a_csv_like_the_trained_predictor(churn_run: TrainedRun, tmp_path: Path):
    from autogluon.tabular import TabularPredictor

    from core.preprocess import latest_recipe

    folder = _folder(churn_run)
    new = pd.read_csv(ROOT / "sample_data" / "telecom_churn.csv").tail(40)  # rows the model never saw
    done = _score(folder, tmp_path, new)
    assert done.returncode == 0, done.stderr
    out = pd.read_csv(tmp_path / "out.csv")
    assert len(out) == 40 and {"prediction", "probability"} <= set(out.columns)
    assert out["probability"].between(0, 1).all()
    recipe = latest_recipe(churn_run.store, churn_run.project_id).recipe
    predictor = TabularPredictor.load(str(folder / "model"), verbosity=0)
    expected = predictor.predict_proba(recipe.apply(new.drop(columns="Churn?"), for_prediction=True))["True."]
    assert out["probability"].round(6).tolist() == expected.round(6).tolist()


def test_missing_input_columns_are_a_clear_error(churn_run: TrainedRun, tmp_path: Path):
    new = pd.read_csv(ROOT / "sample_data" / "telecom_churn.csv").tail(5).drop(columns=["Day Mins"])
    done = _score(_folder(churn_run), tmp_path, new)
    assert done.returncode == 2 and "Day Mins" in done.stderr and "Traceback" not in done.stderr


def test_choosing_another_model_changes_the_script_default(churn_run: TrainedRun, tmp_path: Path):
    run = runs.get_run(churn_run.store, churn_run.run_id)
    linear = next(r["model"] for r in run.leaderboard if r["family"] == "baseline_linear")
    choose_model(churn_run.store, run.id, linear)
    try:
        done = _score(_folder(churn_run), tmp_path, pd.read_csv(ROOT / "sample_data" / "telecom_churn.csv").tail(3))
        assert done.returncode == 0 and linear in done.stdout
        assert runs.get_run(churn_run.store, run.id).chosen_model == linear
    finally:
        choose_model(churn_run.store, run.id, run.metrics["best_model"])


def test_predict_py_decides_with_the_test_steps_rule_once_it_exists(churn_run: TrainedRun, tmp_path: Path):
    from core.evaluate import evaluate_run
    from core.evaluate.record import record_decision

    with_goal(churn_run)  # the churn costs: the Test step chooses a threshold below 0.5
    stored = record_decision(churn_run.store, evaluate_run(churn_run.store, churn_run.run_id, with_speed=False))
    card = json.loads((_folder(churn_run) / "model_card.json").read_text(encoding="utf-8"))
    assert card["decision"]["decision_id"] == stored.id and card["decision"]["threshold"] == stored.threshold
    done = _score(_folder(churn_run), tmp_path, pd.read_csv(ROOT / "sample_data" / "telecom_churn.csv").tail(40))
    assert done.returncode == 0, done.stderr
    out = pd.read_csv(tmp_path / "out.csv")
    expected = ["True." if p >= stored.threshold else "False." for p in out["probability"]]
    assert out["decision"].tolist() == expected
