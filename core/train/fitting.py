"""Inside the worker: data → recipe → AutoGluon fit on the training rows → results for the run row."""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from core.db import Store
from core.errors import UserError
from core.preprocess import Recipe, SavedRecipe, Split, check_target, get_saved_recipe
from core.store import datasets, runs
from core.train.leaderboard import baseline_verdict, merge_refit, shown_score
from core.train.settings import TrainSettings, greater_is_better
from core.train.validation import PreparedValidation, ValidationPlan, fit_plan, prepare_validation, split_keys

log = logging.getLogger("core.train.worker")


@dataclass
class TrainingRows:
    """The training rows of the stored split, before (``raw``) and after (``train``) the recipe."""

    train: pd.DataFrame
    raw: pd.DataFrame
    recipe: Recipe
    split: Split
    report: dict[str, Any]


def training_rows(store: Store, saved: SavedRecipe, problem_type: str | None) -> TrainingRows:
    """The recipe applied to the training rows of the stored split (test rows stay out); UserError if unusable."""
    raw = datasets.load_dataframe(store, saved.info.dataset_id)
    train_raw, _test = saved.split.parts(raw)
    train, report = saved.recipe.apply_with_report(train_raw)
    target = saved.recipe.target
    check_target(train[target.column], problem_type, target.column)
    if train.shape[1] < 2:
        raise UserError("preprocess.error.no_features")
    report["input_columns"] = {c: str(train_raw[c].dtype) for c in saved.recipe.required_inputs(list(raw.columns))}
    return TrainingRows(train, train_raw, saved.recipe, saved.split, report)


def load_training_rows(store: Store, run: runs.RunInfo) -> TrainingRows:
    """The training rows of a run's recipe version."""
    saved = get_saved_recipe(store, run.recipe_id)
    if saved is None or run.dataset_id is None:
        raise UserError("train.error.no_recipe")
    return training_rows(store, saved, run.record.get("problem_type"))


def validation_for(rows: TrainingRows, plan: ValidationPlan, problem_type: str, seed: int) -> PreparedValidation:
    """The validation of the split applied to the training rows (UserError on bad input, e.g. one group)."""
    keys = split_keys(rows.split, rows.raw, rows.train.index)
    return prepare_validation(plan, rows.train, keys, rows.recipe.target.column, problem_type, seed)


def _positive_label(y: pd.Series, positive: str | None) -> Any:
    """The label value whose text is ``positive`` (labels may be numbers), or None."""
    if positive is None:
        return None
    return next((v for v in y.dropna().unique() if str(v) == str(positive)), None)


def _summary(train: pd.DataFrame, target: str, problem_type: str) -> dict[str, Any]:
    """Training data summary for the record and the model card."""
    y = train[target]
    out: dict[str, Any] = {"rows": int(len(train)), "features": [c for c in train.columns if c != target]}
    if problem_type == "regression":
        values = pd.to_numeric(y, errors="coerce")
        out["target"] = {k: float(values.agg(k)) for k in ("min", "mean", "median", "max")}
    else:
        out["class_counts"] = {str(k): int(v) for k, v in y.value_counts().items()}
    return out


def fit_run(store: Store, run: runs.RunInfo, reporter: Any) -> dict[str, Any]:
    """Fit the run's predictor and return ``finish_run`` keyword arguments."""
    from autogluon.tabular import TabularPredictor

    from core.train.predict_script import write_artifacts
    from core.train.progress import ProgressCallback, rows_from_trainer
    from core.train.worker import model_dir, prepare_model_dir, quiet_torch_probes

    t0 = time.monotonic()
    quiet_torch_probes()
    settings = TrainSettings.from_dict(run.settings)
    random.seed(settings.seed)
    np.random.seed(settings.seed)
    data = load_training_rows(store, run)
    train, recipe, report = data.train, data.recipe, data.report
    problem_type, metric = run.record["problem_type"], run.record["metric"]
    args, plan = fit_plan(settings, metric, data.split)
    prepared = validation_for(data, plan, problem_type, settings.seed)
    folder = prepare_model_dir(model_dir(store, run))
    summary = _summary(train, recipe.target.column, problem_type)
    record = {**run.record, "training_data": summary, "recipe_report": report, "validation": prepared.record}
    runs.update_progress(store, run.id, record=record)
    positive = _positive_label(train[recipe.target.column], recipe.target.positive_class)
    predictor = TabularPredictor(label=recipe.target.column, problem_type=problem_type, eval_metric=metric,
                                 path=str(folder), positive_class=positive if problem_type == "binary" else None,
                                 groups=prepared.groups)
    log.info("Fitting on %d training rows (%d test rows held out), validation %s. Settings: %s", len(train),
             len(data.split.test_index), prepared.record, settings.to_dict())
    t_fit = time.monotonic()
    predictor.fit(prepared.train_data, tuning_data=prepared.tuning_data, callbacks=[ProgressCallback(reporter)],
                  **args)
    fit_s = time.monotonic() - t_fit
    best = predictor.model_best
    trainer = predictor._trainer  # noqa: SLF001 - the same rows the live board shows
    rows = merge_refit(rows_from_trainer(trainer, best), predictor.model_refit_map())
    if not rows:
        raise UserError("train.error.no_models")
    rows = with_measured_speed(rows, predictor, train.drop(columns=recipe.target.column))
    write_artifacts(folder.parent, predictor, recipe, run, summary, report["input_columns"], rows)
    metrics = _metrics(predictor, rows, metric)
    record["validation"] = {**prepared.record, "rows": metrics["validation_rows"],
                            "refit_parents": {r["model"]: r["refit_of"] for r in rows if r.get("refit_of")}}
    return {"leaderboard": rows, "metrics": metrics, "chosen_model": best,
            "record": {**record, "timings": {"load_s": round(t_fit - t0, 2), "fit_s": round(fit_s, 2),
                                             "total_s": round(time.monotonic() - t0, 2)}}}


def with_measured_speed(rows: list[dict[str, Any]], predictor: Any, features: pd.DataFrame,
                        budget_s: float = 20.0) -> list[dict[str, Any]]:
    """Replace the estimated prediction time per 1,000 rows by a measurement (best models first).

    Scores 1,000 training rows (features only) with each model, counting AutoGluon's feature
    preparation once per batch, as a batch job would. Models left when ``budget_s`` runs out
    keep AutoGluon's estimate from validation (``predict_measured`` False).
    """
    sample = features.sample(n=1000, replace=len(features) < 1000, random_state=0)
    t0 = time.perf_counter()
    prepared = predictor.transform_features(sample)
    prep_s = time.perf_counter() - t0
    trainer, deadline = predictor._trainer, time.monotonic() + budget_s  # noqa: SLF001
    order = sorted(rows, key=lambda r: (not r["is_best"], not r["is_baseline"], -(r["score_val"] or -1e18)))
    measured: dict[str, float] = {}
    for row in order:
        if time.monotonic() > deadline or not row["can_infer"]:
            continue
        t1 = time.perf_counter()
        trainer.predict(prepared, model=row["model"])
        measured[row["model"]] = round((prep_s + time.perf_counter() - t1) * 1000, 2)
    return [{**r, "predict_ms_per_1000": measured.get(r["model"], r["predict_ms_per_1000"]),
             "predict_measured": r["model"] in measured} for r in rows]


def _metrics(predictor: Any, rows: list[dict[str, Any]], metric: str) -> dict[str, Any]:
    """Validation metrics of the run: best model, its score and the best baseline's (the metric's own sign,
    RMSE positive; ``score_val`` in AutoGluon's higher-is-better sign), the verdict, the threshold."""
    best = predictor.model_best
    by_name = {r["model"]: r for r in rows}
    base = [r for r in rows if r["is_baseline"] and r["score_val"] is not None]
    threshold = getattr(predictor, "decision_threshold", None)
    higher = greater_is_better(metric)  # AutoGluon's eval_metric.greater_is_better is True even for RMSE
    score_val = by_name.get(best, {}).get("score_val")
    return {
        "metric": metric, "greater_is_better": higher, "best_model": best,
        "score_val": score_val, "score": shown_score(score_val, higher),
        "baseline_score": shown_score(max((r["score_val"] for r in base), default=None), higher),
        "verdict": baseline_verdict(rows, best, higher),
        "decision_threshold": None if threshold is None else float(threshold),
        "validation_rows": int(getattr(predictor._trainer, "num_rows_val_for_calibration", 0) or 0),  # noqa: SLF001
    }
