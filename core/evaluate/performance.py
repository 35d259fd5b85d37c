"""Performance of the run's model on the locked test set, and how it compares.

* :func:`measure`: every metric of the problem type (threshold 0.5 unless given), with the
  warnings a reader must see (all predictions one class, one class in the test set);
* :func:`get_baselines_df`: every leaderboard model of the run (baselines included) scored on
  the same test rows, so "did ML beat a simple rule?" is answered on unseen data too;
* :func:`get_runs_df`: earlier runs of the project, each scored on its own test set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from core.db import Store
from core.errors import UserError
from core.evaluate import metrics as mt
from core.evaluate.data import EvalData, load_eval_data
from core.store import runs
from core.train.leaderboard import shown_score
from core.train.settings import greater_is_better

MAX_EARLIER_RUNS = 5


@dataclass
class Performance:
    """Test-set metrics of one model at one threshold."""

    problem_type: str
    metrics: dict[str, float | None]
    threshold: float | None
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    rows: int = 0


def main_metric(data: EvalData) -> str:
    """The run's optimised metric in our naming (f1, roc_auc, rmse …)."""
    return mt.canonical(data.run.record.get("metric") or mt.ORDER[data.problem_type][0])


def scores_for(data: EvalData, model: str) -> tuple[np.ndarray, pd.DataFrame | None]:
    """(P(positive) or predicted value or P(top class), class probabilities) of another model on the test rows."""
    predictor = data.predictor
    if data.problem_type == "regression":
        return np.asarray(predictor.predict(data.X_test, model=model), dtype=float), None
    proba = predictor.predict_proba(data.X_test, model=model)
    if data.problem_type == "binary":
        return proba[data.positive].to_numpy(dtype=float), proba
    return proba.max(axis=1).to_numpy(dtype=float), proba


def metrics_of(data: EvalData, scores: np.ndarray, proba: pd.DataFrame | None,
               threshold: float = 0.5, decided: pd.Series | None = None) -> dict[str, float | None]:
    """All metrics of the problem type for these test predictions (``decided``: multiclass decisions)."""
    if data.problem_type == "regression":
        y = data.y_test.to_numpy(dtype=float)
        values = mt.regression_metrics(y, scores)
        spec = data.goal.regression_cost
        if spec is not None and spec.tolerance is not None and len(y):
            values["within_tolerance"] = float(np.mean(np.abs(y - scores) <= spec.tolerance))
        return values
    if data.problem_type == "binary":
        return mt.binary_metrics(data.y01(), scores, threshold)
    return mt.multiclass_metrics(data.y_test, proba, decided)


def measure(data: EvalData, threshold: float = 0.5, decided: pd.Series | None = None) -> Performance:
    """The chosen model's test-set performance (multiclass label metrics on ``decided`` when given)."""
    values = metrics_of(data, data.scores, data.proba, threshold, decided)
    out = Performance(data.problem_type, values, threshold if data.problem_type == "binary" else None,
                      rows=len(data.y_test))
    if data.problem_type == "binary":
        out.counts = mt.confusion_counts(data.y01(), data.scores, threshold)
        if out.counts["tp"] + out.counts["fp"] in (0, out.rows):
            out.warnings.append("evaluate.warning.one_class_predictions")
        if len(np.unique(data.y01())) < 2:
            out.warnings.append("evaluate.warning.one_class_test")
    elif data.problem_type == "multiclass" and (data.predicted if decided is None else decided).nunique() == 1:
        out.warnings.append("evaluate.warning.one_class_predictions")
    return out


def get_baselines_df(data: EvalData) -> pd.DataFrame:
    """Each usable leaderboard model on the test rows: validation score and test metrics."""
    chosen = data.model
    metric = main_metric(data)
    rows, higher = [], greater_is_better(data.run.record.get("metric"))
    for entry in data.run.leaderboard:
        if not entry.get("can_infer", True):
            continue
        try:
            scores, proba = scores_for(data, entry["model"])
        except (KeyError, ValueError, AssertionError):
            continue
        values = metrics_of(data, scores, proba)
        rows.append({"model": entry["model"], "family": entry.get("family", ""),
                     "is_baseline": bool(entry.get("is_baseline")), "is_chosen": entry["model"] == chosen,
                     "validation": shown_score(entry.get("score_val"), higher),
                     "metric": metric, "test": values.get(metric), **values})
    df = pd.DataFrame(rows)
    if df.empty:
        return df
    ascending = metric in mt.LOWER_IS_BETTER
    return df.sort_values("test", ascending=ascending, na_position="last", kind="stable").reset_index(drop=True)


def baseline_gap(df: pd.DataFrame) -> dict[str, Any] | None:
    """The chosen model vs the best baseline on the test set (None without both)."""
    if df.empty or not df["is_baseline"].any() or not df["is_chosen"].any():
        return None
    metric = df["metric"].iloc[0]
    chosen = df[df["is_chosen"]].iloc[0]
    base = df[df["is_baseline"]].dropna(subset=["test"])
    if base.empty or chosen["test"] is None or pd.isna(chosen["test"]):
        return None
    best = base.sort_values("test", ascending=metric in mt.LOWER_IS_BETTER).iloc[0]
    return {"metric": metric, "model": chosen["model"], "score": float(chosen["test"]), "baseline": best["model"],
            "baseline_score": float(best["test"]), "beats": bool(mt.better(metric, chosen["test"], best["test"]))}


def get_runs_df(store: Store, data: EvalData) -> pd.DataFrame:
    """The project's finished runs (newest first, at most five besides this one), each on its own test set."""
    same_split = (data.run.record.get("split") or {}).get("data_hash")
    metric = main_metric(data)
    rows = []
    earlier = [r for r in runs.list_runs(store, data.run.project_id) if r.status == runs.SUCCEEDED]
    for run in earlier[: MAX_EARLIER_RUNS + 1]:
        if run.id == data.run.id:
            other = data
        else:
            try:
                other = load_eval_data(store, run.id)
            except UserError:
                continue
        values = metrics_of(other, other.scores, other.proba)
        rows.append({"run": run.id, "created_at": run.created_at, "model": other.model,
                     "preset": (run.settings or {}).get("preset"), "metric": metric, "test": values.get(metric),
                     "validation": run.metrics.get("score"), "rows": len(other.y_test),
                     "current": run.id == data.run.id,
                     "same_test_set": (run.record.get("split") or {}).get("data_hash") == same_split})
    return pd.DataFrame(rows)
