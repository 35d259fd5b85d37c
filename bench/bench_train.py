"""Step 5's default path against plain AutoGluon, on every sample: ``python -m bench train``.

For each sample in ``sample_data/`` the user's path runs as in the app, in a temporary store:
import (``read_upload``: encoding, delimiter), the proposed target type and positive class, the
diagnosis (``run_analysis``), the recipe it proposes accepted as is (``recipe_from_analysis``:
drops, types, row filters, split), saved (the split is made), then the Quick preset in the
worker process (``start_training``), polled until it ends. Its time counts from the file to the
finished run row (process start and AutoGluon import included).

In the same run, on the same training rows (the stored split's training part, as imported,
without the recipe), plain AutoGluon: ``TabularPredictor(label, eval_metric=<the run's
metric>).fit(rows, presets="medium_quality", time_limit=<Quick's budget>)`` (no neural
networks: there is no torch here). Both are scored on the same test rows: F1 of the positive
class (binary), accuracy (multiclass), R² (regression). The ratio user path / plain AutoGluon
should be at least 1.00 on every sample. A default XGBoost on the recipe's rows (the workshop's
own approach) is printed alongside (ratio ≥ 1 expected).

Options (environment variables):

* ``BENCH_SAMPLES=houses,demand``: only these samples (default: all four);
* ``BENCH_TIME_VALIDATION=1``: on samples split by time, the validations a time split could use,
  fitted in this process on the recipe's rows with Quick's settings: the latest part of the
  training period with and without refitting on all rows, forward-chaining folds, and the
  random folds used before (one to two more minutes per time-split sample);
* ``BENCH_BEST=1``: AutoGluon ``best_quality`` with a 300-second budget on the recipe's rows
  (the Quick path should be within 2%: ratio ≥ 0.98; about 5 more minutes per sample);
* ``BENCH_REJECT_FILTERS=1``: the user unticks the proposed row filters (e.g. target outliers)
  in Step 4, to tell their effect from the rest of the path's.

Measured on this 2-core machine (shared with other work, so times vary by ±50%): all four
samples take 5 to 6 minutes, 7 to 9 with ``BENCH_TIME_VALIDATION=1``. For time splits the latest
part of the training period, refit on all rows, won (test R², proposed recipe with its target
outlier filter rejected): houses 0.883 (no refit 0.866, random folds 0.883 with a validation that
saw the future, forward-chaining folds 0.696), demand 0.908 (0.897, 0.900, 0.858). Forward
chaining loses because most of its fold models learn from a small, old part of the period, and
it leaves the earliest rows without a validation prediction.
"""

from __future__ import annotations

import os
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = {"churn": ("telecom_churn.csv", "Churn?"), "churn_ja": ("telecom_churn_ja_cp932.csv", "解約"),
           "houses": ("house_prices.csv", "sale_price"), "demand": ("store_demand.csv", "units_sold")}
BEST_BUDGET_S = 300


def user_path(path: Path, target: str, home: Path, reject_filters: bool = False) -> dict[str, Any]:
    """Import → analysis → proposed recipe → Quick training in the worker, as a user clicks through."""
    from core.data import positive_class_candidates, propose_problem_type, read_upload
    from core.db import open_store
    from core.preprocess import recipe_from_analysis, save_recipe_version
    from core.store import datasets, projects, runs
    from core.analyze.saved import run_analysis
    from core.train import TrainSettings, start_training
    from core.train.paths import MODEL_NAME, run_dir

    store = open_store(f"sqlite:///{home / 'studio.db'}", artefacts=home / "artefacts")
    try:
        start = time.perf_counter()
        imported = read_upload(path.read_bytes(), path.name)
        df, problem = imported.df, propose_problem_type(imported.df[target])
        positive = str(positive_class_candidates(df[target])[0]) if problem == "binary" else None
        project = projects.create_project(store, path.stem)
        datasets.add_dataset_version(store, project.id, df, source={"kind": "bench", "filename": path.name})
        projects.update_project(store, project.id, target_column=target, problem_type=problem, positive_class=positive)
        report = run_analysis(store, project.id).report.to_dict()
        recipe = recipe_from_analysis(report, target=target, problem_type=problem, positive_class=positive)
        for row_filter in recipe.row_filters if reject_filters else []:
            row_filter["accepted"] = False  # the user unticks the proposed row filters in Step 4
        saved = save_recipe_version(store, project.id, recipe)
        run_id = start_training(store, project.id, TrainSettings(preset="quick"), "bench")
        while (run := runs.get_run(store, run_id)).status not in runs.FINAL:
            time.sleep(0.5)
        seconds = time.perf_counter() - start
        if run.status != runs.SUCCEEDED:
            raise RuntimeError(f"Quick run {run.status}: {run.error.get('key')} {run.error.get('params')}")
        stored = datasets.load_dataframe(store, saved.info.dataset_id)
        return {"seconds": seconds, "run": run, "saved": saved, "df": stored, "problem": problem,
                "positive": positive, "model_dir": run_dir(store, project.id, run_id) / MODEL_NAME}
    finally:
        store.engine.dispose()


def score(problem: str, positive: str | None, y_true: pd.Series, y_pred: Any) -> float:
    """F1 of the positive class, accuracy or R² (higher is better for all three)."""
    from sklearn.metrics import accuracy_score, f1_score, r2_score

    truth, pred = np.asarray(y_true), np.asarray(y_pred)
    if problem == "binary":
        return float(f1_score(truth.astype(str) == positive, pred.astype(str) == positive))
    if problem == "multiclass":
        return float(accuracy_score(truth.astype(str), pred.astype(str)))
    return float(r2_score(truth.astype(float), pred.astype(float)))


def _autogluon(label: str, problem: str, metric: str, positive: str | None, folder: Path, rows: pd.DataFrame,
               test_x: pd.DataFrame, **fit: Any) -> tuple[Any, float]:
    """Fit AutoGluon in this process and predict the test rows; returns (predictions, fit seconds)."""
    from autogluon.tabular import TabularPredictor

    from core.train.settings import excluded_model_types
    from core.train.worker import quiet_torch_probes

    quiet_torch_probes()
    warnings.filterwarnings("ignore")
    predictor = TabularPredictor(label=label, problem_type=problem, eval_metric=metric, path=str(folder),
                                 positive_class=positive if problem == "binary" else None, verbosity=0,
                                 groups=fit.pop("groups", None))
    fit.setdefault("excluded_model_types", excluded_model_types())
    start = time.perf_counter()
    predictor.fit(rows, **fit)
    return predictor.predict(test_x), time.perf_counter() - start


def _xgboost(problem: str, positive: str | None, train: pd.DataFrame, target: str, test_x: pd.DataFrame) -> Any:
    """A default XGBoost model (dates as days, categories as pandas categories learned from the training rows)."""
    import xgboost as xgb

    x, y = train.drop(columns=target), train[target]
    x_test = test_x[x.columns].copy()
    for column in x.columns:
        if pd.api.types.is_datetime64_any_dtype(x[column]):
            x[column], x_test[column] = (frame[column].astype("int64") / 86_400e9 for frame in (x, x_test))
        elif not pd.api.types.is_numeric_dtype(x[column]) or pd.api.types.is_bool_dtype(x[column]):
            kinds = pd.CategoricalDtype(sorted(x[column].dropna().astype(str).unique()))
            x[column] = x[column].astype(str).where(x[column].notna()).astype(kinds)
            x_test[column] = x_test[column].astype(str).where(x_test[column].notna()).astype(kinds)
    if problem == "regression":
        return xgb.XGBRegressor(enable_categorical=True, tree_method="hist").fit(x, y).predict(x_test)
    labels = sorted(y.astype(str).unique())
    codes = y.astype(str).map({v: i for i, v in enumerate(labels)})
    model = xgb.XGBClassifier(enable_categorical=True, tree_method="hist").fit(x, codes)
    return np.asarray(labels)[model.predict(x_test)]


def time_validations(user: dict[str, Any], train: pd.DataFrame, test_x: pd.DataFrame, y_test: pd.Series,
                     home: Path) -> None:
    """The validations a time split could use, each fitted with Quick's settings on the recipe's rows."""
    from core.train import TrainSettings
    from core.train.settings import fit_arguments
    from core.train.validation import fit_plan, prepare_validation, split_keys

    run, split, recipe = user["run"], user["saved"].split, user["saved"].recipe
    target, metric = recipe.target.column, run.record["metric"]
    train_raw, _ = split.parts(user["df"])
    latest_args, plan = fit_plan(TrainSettings(), metric, split)
    prepared = prepare_validation(plan, train, split_keys(split, train_raw, train.index), target, user["problem"])
    without_refit = {k: v for k, v in latest_args.items() if k not in ("refit_full", "set_best_to_refit_full")}
    random_folds = fit_arguments(TrainSettings(), metric)
    variants = {"latest part, then refit on all rows (default)": (prepared.train_data, dict(
                    latest_args, tuning_data=prepared.tuning_data)),
                "latest part, no refit": (prepared.train_data, dict(without_refit, tuning_data=prepared.tuning_data)),
                "random 5 folds (before; validation sees the future)": (train, random_folds)}
    if split.time_column in train.columns:
        variants["forward-chaining 5 folds"] = (train, dict(random_folds, validation_structure={
            "time_on": split.time_column, "temporal_forward_only": True}))
    for number, (name, (rows, fit)) in enumerate(variants.items()):
        pred, fit_s = _autogluon(target, user["problem"], metric, user["positive"], home / f"variant{number}", rows,
                                 test_x, **fit)
        print(f"    {name}: test {score(user['problem'], user['positive'], y_test, pred):.4f}, fit {fit_s:.0f} s")


def sample(name: str, options: dict[str, bool]) -> dict[str, float]:
    """One sample: the user's path, plain AutoGluon and XGBoost on the same rows; returns the ratios."""
    from autogluon.tabular import TabularPredictor

    from core.train import TrainSettings
    from core.train.settings import fit_arguments

    file, target = SAMPLES[name]
    with tempfile.TemporaryDirectory(prefix=f"bench-train-{name}-") as tmp:
        home = Path(tmp)
        user = user_path(ROOT / "sample_data" / file, target, home, options["reject_filters"])
        run, split, recipe = user["run"], user["saved"].split, user["saved"].recipe
        problem, positive, metric = user["problem"], user["positive"], run.record["metric"]
        train_raw, test_raw = split.parts(user["df"])
        train, test = recipe.apply(train_raw), recipe.apply(test_raw, for_test=True)
        test_x = test.drop(columns=recipe.target.column)
        predictor = TabularPredictor.load(str(user["model_dir"]), require_py_version_match=False)
        ours = score(problem, positive, test[recipe.target.column], predictor.predict(test_x, model=run.chosen_model))
        budget = float(fit_arguments(TrainSettings(preset="quick"), metric, models=False)["time_limit"])
        plain_pred, plain_s = _autogluon(target, problem, metric, positive, home / "plain", train_raw,
                                         test_raw.drop(columns=target), presets="medium_quality", time_limit=budget)
        plain = score(problem, positive, test_raw[target], plain_pred)
        xgb = score(problem, positive, test[recipe.target.column], _xgboost(problem, positive, train, target, test_x))
        unit = {"binary": "F1", "multiclass": "accuracy"}.get(problem, "R²")
        filters = ", ".join(f["kind"] for f in recipe.row_filters if f.get("accepted", True)) or "none"
        validation = run.record.get("validation") or {}
        print(f"{name} ({file}): {len(train_raw):,} training rows ({len(train):,} after the recipe), "
              f"{len(test_raw):,} test rows; {split.strategy} split; recipe drops "
              f"{', '.join(recipe.dropped()) or 'nothing'}, row filters: {filters}; "
              f"validation {validation.get('kind')}")
        timings = run.record.get("timings") or {}
        print(f"  user path: test {unit} {ours:.4f}; {user['seconds']:.0f} s from the file to the trained model "
              f"(training run {run.elapsed_s or 0:.0f} s, fit {timings.get('fit_s', 0):.0f} s)")
        print(f"  plain AutoGluon medium_quality ({budget:.0f} s budget, same training rows): test {unit} {plain:.4f}, "
              f"fit {plain_s:.0f} s")
        print(f"  → user path / plain AutoGluon: {ours / plain:.3f} (target ≥ 1.00); "
              f"time: training run / plain fit {(run.elapsed_s or 0) / plain_s:.2f}")
        print(f"  default XGBoost on the recipe's rows: test {unit} {xgb:.4f} → user path / XGBoost {ours / xgb:.3f}")
        if options["time_validation"] and split.strategy == "time":
            time_validations(user, train, test_x, test[recipe.target.column], home)
        if options["best"]:
            best_pred, best_s = _autogluon(target, problem, metric, positive, home / "best", train, test_x,
                                           presets="best_quality", time_limit=BEST_BUDGET_S)
            best = score(problem, positive, test[recipe.target.column], best_pred)
            print(f"  AutoGluon best_quality ({BEST_BUDGET_S} s) on the recipe's rows: test {unit} {best:.4f}, "
                  f"{best_s:.0f} s → user path / best_quality {ours / best:.3f} (target ≥ 0.98)")
        return {"ratio": ours / plain, "seconds": user["seconds"], "plain_s": plain_s}


def run() -> None:
    """Every sample (or ``BENCH_SAMPLES``), then one line per sample: ratio and time."""
    names = [n.strip() for n in os.environ.get("BENCH_SAMPLES", "").split(",") if n.strip()] or list(SAMPLES)
    unknown = sorted(set(names) - set(SAMPLES))
    if unknown:
        raise ValueError(f"unknown samples {unknown}; known: {', '.join(SAMPLES)}")
    options = {key: os.environ.get(f"BENCH_{key.upper()}", "") not in ("", "0")
               for key in ("time_validation", "best", "reject_filters")}
    results = {name: sample(name, options) for name in names}
    print("summary (user path / plain AutoGluon medium_quality, same rows and time budget; target ≥ 1.00):")
    for name, r in results.items():
        mark = "ok" if r["ratio"] >= 1.0 else "BELOW TARGET"
        print(f"  {name:9s} {r['ratio']:.3f} {mark:12s} user path {r['seconds']:.0f} s, plain fit {r['plain_s']:.0f} s")


if __name__ == "__main__":
    run()
