"""Speed and quality of Step 5's Quick preset against the issue's targets.

For each sample (telecom churn: F1 of "True.", Phone dropped, stratified split, seed 42;
house prices: R², time split on ``sale_date``) the product path runs end to end: a project in a
temporary store, a saved recipe and split, ``start_training`` with the Quick preset (the worker
is a separate process, as in the app), polled until it ends. Its wall time counts from the
click to the finished row (process start and AutoGluon import included). The test rows, never
seen by training, then score

* the Quick run's model (its chosen model and decision threshold, as predict.py would);
* a default ``xgboost`` model trained in this process on the same training rows and features
  (the workshop's own approach): the Quick preset should be at least as good (ratio ≥ 1);
* AutoGluon ``best_quality`` with a 300-second budget on the same rows: the Quick preset
  should be within 2% (ratio ≥ 0.98). ``BENCH_QUICK=1`` skips this part (about 10 minutes).

Training time target: 60 s for the churn sample on this 2-core machine (ratio ≤ 1).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
TARGET_QUICK_S = 60.0
BEST_BUDGET_S = 300
CASES: dict[str, dict[str, Any]] = {
    "churn": {"file": "telecom_churn.csv", "target": "Churn?", "problem_type": "binary", "positive": "True.",
              "drop": ["Phone"], "strategy": "stratified", "time_column": None, "metric": "f1"},
    "houses": {"file": "house_prices.csv", "target": "sale_price", "problem_type": "regression", "positive": None,
               "drop": ["sale_date"], "strategy": "time", "time_column": "sale_date", "metric": "r2"},
}


def _recipe(case: dict[str, Any]):
    """The recipe of a case: drops, and for dated data the date parts instead of the raw date."""
    from core.preprocess import Recipe, SplitSettings, TargetSpec

    recipe = Recipe(target=TargetSpec(case["target"], case["problem_type"], case["positive"]),
                    split=SplitSettings(case["strategy"], 0.2, 42, case["time_column"]))
    for column in case["drop"]:
        recipe.drop(column)
    if case["time_column"]:
        recipe.derived.append({"kind": "date_parts", "column": case["time_column"]})
    return recipe


def _quick_run(case: dict[str, Any], df: pd.DataFrame, home: Path) -> dict[str, Any]:
    """The product path: store, recipe and split, Quick training in the worker process."""
    from core.db import open_store
    from core.preprocess import save_recipe_version
    from core.store import datasets, projects, runs
    from core.train import TrainSettings, start_training
    from core.train.paths import MODEL_NAME, run_dir

    store = open_store(f"sqlite:///{home / 'studio.db'}", artefacts=home / "artefacts")
    try:
        project = projects.create_project(store, case["file"])
        datasets.add_dataset_version(store, project.id, df, source={"kind": "bench"})
        saved = save_recipe_version(store, project.id, _recipe(case))
        start = time.perf_counter()
        run_id = start_training(store, project.id, TrainSettings(preset="quick"), "bench")
        while (run := runs.get_run(store, run_id)).status not in runs.FINAL:
            time.sleep(0.5)
        seconds = time.perf_counter() - start
        if run.status != runs.SUCCEEDED:
            raise RuntimeError(f"Quick run {run.status}: {run.error.get('key')} {run.error.get('params')}")
        return {"seconds": seconds, "split": saved.split, "recipe": saved.recipe, "models": len(run.leaderboard),
                "best": run.metrics.get("best_model"), "model_dir": run_dir(store, project.id, run_id) / MODEL_NAME}
    finally:
        store.engine.dispose()


def _sets(case: dict[str, Any], df: pd.DataFrame, quick: dict[str, Any]):
    """(train features+target after the recipe, test features, test target) on the stored split."""
    train_raw, test_raw = quick["split"].parts(df)
    train = quick["recipe"].apply(train_raw)
    test_x = quick["recipe"].apply(test_raw.drop(columns=case["target"]), for_prediction=True)
    return train, test_x, test_raw[case["target"]]


def _score(case: dict[str, Any], y_true: pd.Series, y_pred: Any) -> float:
    from sklearn.metrics import f1_score, r2_score

    if case["metric"] == "f1":
        positive = case["positive"]
        return float(f1_score(np.asarray(y_true.astype(str)) == positive, np.asarray(y_pred).astype(str) == positive))
    return float(r2_score(y_true.astype(float), np.asarray(y_pred, dtype=float)))


def _xgboost(case: dict[str, Any], train: pd.DataFrame, test_x: pd.DataFrame) -> tuple[Any, float]:
    """A default XGBoost model (categories as pandas categories learned from the training rows)."""
    import xgboost as xgb

    x, y = train.drop(columns=case["target"]), train[case["target"]]
    x_test = test_x[x.columns].copy()
    for column in x.columns:
        if not pd.api.types.is_numeric_dtype(x[column]) or pd.api.types.is_bool_dtype(x[column]):
            kinds = pd.CategoricalDtype(sorted(x[column].dropna().astype(str).unique()))
            x[column] = x[column].astype(str).where(x[column].notna()).astype(kinds)
            x_test[column] = x_test[column].astype(str).where(x_test[column].notna()).astype(kinds)
    start = time.perf_counter()
    if case["problem_type"] == "binary":
        positive = (y.astype(str) == case["positive"]).astype(int)
        model = xgb.XGBClassifier(enable_categorical=True, tree_method="hist").fit(x, positive)
        pred = np.where(model.predict(x_test) == 1, case["positive"], "other")
    else:
        pred = xgb.XGBRegressor(enable_categorical=True, tree_method="hist").fit(x, y).predict(x_test)
    return pred, time.perf_counter() - start


def _best_quality(case: dict[str, Any], train: pd.DataFrame, test_x: pd.DataFrame, home: Path) -> tuple[Any, float]:
    """AutoGluon best_quality with a 300 s budget on the same rows (no neural networks: no torch here)."""
    import warnings

    from autogluon.tabular import TabularPredictor

    from core.train.settings import excluded_model_types
    from core.train.worker import quiet_torch_probes

    quiet_torch_probes()
    warnings.filterwarnings("ignore", message="Failed to use ray")
    positive = case["positive"] if case["problem_type"] == "binary" else None
    predictor = TabularPredictor(label=case["target"], problem_type=case["problem_type"], eval_metric=case["metric"],
                                 path=str(home / "best_quality"), positive_class=positive, verbosity=0)
    start = time.perf_counter()
    predictor.fit(train, presets="best_quality", time_limit=BEST_BUDGET_S, excluded_model_types=excluded_model_types())
    return predictor.predict(test_x), time.perf_counter() - start


def _case(name: str, case: dict[str, Any], full: bool) -> None:
    from autogluon.tabular import TabularPredictor

    df = pd.read_csv(ROOT / "sample_data" / case["file"])
    with tempfile.TemporaryDirectory(prefix=f"bench-train-{name}-") as tmp:
        home = Path(tmp)
        quick = _quick_run(case, df, home)
        train, test_x, test_y = _sets(case, df, quick)
        predictor = TabularPredictor.load(str(quick["model_dir"]), require_py_version_match=False)
        quick_score = _score(case, test_y, predictor.predict(test_x))
        xgb_pred, xgb_s = _xgboost(case, train, test_x)
        xgb_score = _score(case, test_y, xgb_pred)
        metric = case["metric"].upper() if case["metric"] == "f1" else "R²"
        print(f"{name}: {len(train):,} training rows, {len(test_x):,} test rows ({case['strategy']} split, seed 42)")
        line = f"  Quick preset: {quick['seconds']:.1f} s wall ({quick['models']} models, best {quick['best']})"
        if name == "churn":
            line += f" (target {TARGET_QUICK_S:.0f} s → {quick['seconds'] / TARGET_QUICK_S:.2f}×)"
        print(line + f", test {metric} {quick_score:.4f}")
        print(f"  default XGBoost: {xgb_s:.1f} s, test {metric} {xgb_score:.4f} → Quick / XGBoost "
              f"{quick_score / xgb_score:.3f} (target ≥ 1)")
        if not full:
            print("  AutoGluon best_quality: skipped (BENCH_QUICK=1)")
            return
        best_pred, best_s = _best_quality(case, train, test_x, home)
        best_score = _score(case, test_y, best_pred)
        print(f"  AutoGluon best_quality ({BEST_BUDGET_S} s budget): {best_s:.0f} s, test {metric} {best_score:.4f} "
              f"→ Quick / best_quality {quick_score / best_score:.3f} (target ≥ 0.98)")


def run() -> None:
    """Both samples; the best_quality comparison unless BENCH_QUICK=1."""
    full = os.environ.get("BENCH_QUICK", "") in ("", "0")
    for name, case in CASES.items():
        _case(name, case, full)


if __name__ == "__main__":
    run()
