"""Where the model fails: metric per slice, fairness between groups, robustness to missing values.

* Slices: the metric per value of a column (the raw test rows, so columns the recipe dropped,
  e.g. a sensitive attribute, can be used), numeric columns cut into quantile bins. A slice is
  flagged when it has at least ``MIN_ROWS`` rows and its metric is worse than the overall one
  by more than ``max(0.05, 10 %)`` (error metrics: more than 20 % higher).
* Fairness (binary): positive-prediction rate and recall per group, with the largest gaps
  (the method's warning: biased data gives misclassification rates that differ by group).
* Robustness: the metric when a feature is missing in every row (set to NaN).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn import metrics as skm

from core.errors import UserError
from core.evaluate import metrics as mt
from core.evaluate.data import EvalData
from core.evaluate.performance import metrics_of

MIN_ROWS = 10
MAX_GROUPS = 12
OTHER = "…"


def groups_of(data: EvalData, column: str, bins: int = 4) -> pd.Series:
    """Group label per test row: the value, a quantile bin of a numeric column, or ``…`` for rare values."""
    if column not in data.raw_test.columns:
        raise UserError("evaluate.error.no_column", column=column)
    series = data.raw_test[column]
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series) and series.nunique() > bins:
        cut = pd.qcut(series, q=bins, duplicates="drop")
        return cut.astype(str).where(series.notna(), "NaN")
    text = series.astype(str).where(series.notna(), "NaN")
    top = text.value_counts().index[:MAX_GROUPS]
    return text.where(text.isin(top), OTHER)


def _metric(data: EvalData, mask: np.ndarray, metric: str, threshold: float) -> float | None:
    if data.problem_type == "regression":
        return mt.regression_metrics(data.y_test.to_numpy(dtype=float)[mask], data.scores[mask]).get(metric)
    if data.problem_type == "binary":
        return mt.binary_metrics(data.y01()[mask], data.scores[mask], threshold).get(metric)
    sub = data.proba[mask]
    return mt.multiclass_metrics(data.y_test[mask], sub).get(metric)


def far_below(metric: str, value: float | None, overall: float | None) -> bool:
    """Whether a slice's value is much worse than the overall one (see the module docstring)."""
    if value is None or overall is None:
        return False
    if metric in mt.LOWER_IS_BETTER:
        return value > overall * 1.2 + 1e-12
    return value < overall - max(0.05, 0.1 * abs(overall))


def get_slices_df(data: EvalData, column: str, metric: str, threshold: float = 0.5, bins: int = 4) -> pd.DataFrame:
    """Metric per group of ``column`` with row counts and the flag for slices far below overall."""
    groups = groups_of(data, column, bins)
    overall = _metric(data, np.ones(len(groups), dtype=bool), metric, threshold)
    rows = []
    for name, count in groups.value_counts().items():
        mask = (groups == name).to_numpy()
        value = _metric(data, mask, metric, threshold)
        rows.append({"group": str(name), "rows": int(count), "value": value, "overall": overall,
                     "gap": None if value is None or overall is None else value - overall,
                     "flagged": bool(count >= MIN_ROWS and far_below(metric, value, overall))})
    return pd.DataFrame(rows, columns=["group", "rows", "value", "overall", "gap", "flagged"])


def get_fairness_df(data: EvalData, column: str, threshold: float = 0.5) -> pd.DataFrame:
    """Per group: rows, share predicted positive, recall and precision (binary only)."""
    if data.problem_type != "binary":
        raise UserError("evaluate.error.fairness_binary_only")
    groups = groups_of(data, column)
    y, pred = data.y01(), (data.scores >= threshold).astype(int)
    rows = []
    for name, count in groups.value_counts().items():
        mask = (groups == name).to_numpy()
        yg, pg = y[mask], pred[mask]
        rows.append({"group": str(name), "rows": int(count), "positive_rate": float(pg.mean()),
                     "actual_rate": float(yg.mean()),
                     "recall": float(skm.recall_score(yg, pg, zero_division=0)) if yg.sum() else None,
                     "precision": float(skm.precision_score(yg, pg, zero_division=0)) if pg.sum() else None})
    return pd.DataFrame(rows, columns=["group", "rows", "positive_rate", "actual_rate", "recall", "precision"])


def fairness_gaps(df: pd.DataFrame) -> dict[str, Any]:
    """Largest differences between groups with at least ``MIN_ROWS`` rows (rate gap, recall gap, rate ratio)."""
    big = df[df["rows"] >= MIN_ROWS]
    if len(big) < 2:
        return {"groups": len(big), "positive_rate_gap": None, "recall_gap": None, "positive_rate_ratio": None}
    rates = big["positive_rate"]
    recalls = big["recall"].dropna()
    return {"groups": len(big), "positive_rate_gap": float(rates.max() - rates.min()),
            "recall_gap": float(recalls.max() - recalls.min()) if len(recalls) >= 2 else None,
            "positive_rate_ratio": float(rates.min() / rates.max()) if rates.max() > 0 else None}


def get_robustness_df(data: EvalData, columns: list[str], metric: str, threshold: float = 0.5) -> pd.DataFrame:
    """The metric with each of ``columns`` missing in every test row, and the change from normal."""
    normal = metrics_of(data, data.scores, data.proba, threshold).get(metric)
    rows = []
    for column in columns:
        if column not in data.X_test.columns:
            continue
        X = data.X_test.copy()
        if isinstance(X[column].dtype, pd.CategoricalDtype):
            X[column] = pd.Categorical([None] * len(X), categories=X[column].cat.categories)
        else:
            X[column] = np.nan
        if data.problem_type == "regression":
            scores, proba = np.asarray(data.predictor.predict(X, model=data.model), dtype=float), None
        else:
            proba = data.predictor.predict_proba(X, model=data.model)
            scores = proba[data.positive].to_numpy(dtype=float) if data.problem_type == "binary" else \
                proba.max(axis=1).to_numpy(dtype=float)
        value = metrics_of(data, scores, proba, threshold).get(metric)
        rows.append({"column": column, "value": value, "normal": normal,
                     "change": None if value is None or normal is None else value - normal})
    return pd.DataFrame(rows, columns=["column", "value", "normal", "change"])
