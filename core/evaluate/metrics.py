"""Test-set metrics (all from scikit-learn), each with a one-line meaning, and their tables.

Metric names: ``accuracy``, ``precision``, ``recall``, ``f1``, ``roc_auc``, ``pr_auc``,
``log_loss``, ``balanced_accuracy``, ``f1_macro``, ``precision_macro``, ``recall_macro`` (classification);
``rmse``, ``mae``, ``r2``, ``mape`` (regression). A metric that is undefined on these rows
(ROC AUC with one class, MAPE with a zero target) is None, never a crash.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
from sklearn import metrics as skm

from core.i18n import t
from core.value import CostMatrix
from core.value.metrics import LOWER_IS_BETTER, canonical  # noqa: F401 - re-exported for the Test step
from core.value.metrics import ORDER as METRIC_ORDER

CELLS = ("tp", "fp", "fn", "tn")
ORDER = {kind: tuple(m for m in ids if m != "within_tolerance") for kind, ids in METRIC_ORDER.items()}
"""The metrics measured on every model of a problem type (``within_tolerance`` needs the goal's tolerance)."""


def _safe(fn: Any, *args: Any, **kwargs: Any) -> float | None:
    """A metric value, or None when it is undefined on these rows."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = float(fn(*args, **kwargs))
    except ValueError:
        return None
    return value if np.isfinite(value) else None


def binary_metrics(y: np.ndarray, proba: np.ndarray, threshold: float = 0.5) -> dict[str, float | None]:
    """Binary metrics; ``y`` holds 1 for the positive class, ``proba`` is P(positive)."""
    y, proba = np.asarray(y, dtype=int), np.asarray(proba, dtype=float)
    pred = (proba >= threshold).astype(int)
    both = len(np.unique(y)) == 2
    return {
        "accuracy": _safe(skm.accuracy_score, y, pred),
        "precision": _safe(skm.precision_score, y, pred, zero_division=0),
        "recall": _safe(skm.recall_score, y, pred, zero_division=0),
        "f1": _safe(skm.f1_score, y, pred, zero_division=0),
        "roc_auc": _safe(skm.roc_auc_score, y, proba) if both else None,
        "pr_auc": _safe(skm.average_precision_score, y, proba) if both else None,
        "log_loss": _safe(skm.log_loss, y, np.clip(proba, 1e-15, 1 - 1e-15), labels=[0, 1]),
    }


def multiclass_metrics(y: pd.Series, proba: pd.DataFrame, decided: pd.Series | None = None) -> dict[str, float | None]:
    """Multiclass metrics from class probabilities (columns = class labels).

    Label metrics (accuracy, F1 …) judge ``decided`` (the classes the decision rule picks) when
    given, else the most likely class; ROC AUC and log loss judge the probabilities.
    """
    labels = list(proba.columns)
    y_text, names = y.astype(str).to_numpy(), [str(c) for c in labels]
    pred = (np.asarray(names)[proba.to_numpy().argmax(axis=1)] if decided is None
            else decided.astype(str).to_numpy())
    present = set(y_text)
    return {
        "accuracy": _safe(skm.accuracy_score, y_text, pred),
        "balanced_accuracy": _safe(skm.balanced_accuracy_score, y_text, pred),
        "f1_macro": _safe(skm.f1_score, y_text, pred, average="macro", zero_division=0),
        "precision_macro": _safe(skm.precision_score, y_text, pred, average="macro", zero_division=0),
        "recall_macro": _safe(skm.recall_score, y_text, pred, average="macro", zero_division=0),
        "roc_auc": _safe(skm.roc_auc_score, y_text, proba.to_numpy(), multi_class="ovr", labels=names)
        if len(present) == len(names) else None,
        "log_loss": _safe(skm.log_loss, y_text, np.clip(proba.to_numpy(), 1e-15, 1), labels=names),
    }


def regression_metrics(y: np.ndarray, pred: np.ndarray) -> dict[str, float | None]:
    """RMSE, MAE, R², and MAPE when no actual value is zero."""
    y, pred = np.asarray(y, dtype=float), np.asarray(pred, dtype=float)
    return {
        "rmse": _safe(skm.root_mean_squared_error, y, pred),
        "mae": _safe(skm.mean_absolute_error, y, pred),
        "r2": _safe(skm.r2_score, y, pred) if len(y) > 1 else None,
        "mape": _safe(skm.mean_absolute_percentage_error, y, pred) if len(y) and np.all(np.abs(y) > 1e-12) else None,
    }


def better(metric: str, a: float | None, b: float | None) -> bool | None:
    """Whether ``a`` is better than ``b`` for ``metric`` (None when either is missing)."""
    if a is None or b is None:
        return None
    return a < b if canonical(metric) in LOWER_IS_BETTER else a > b


def get_metrics_df(values: dict[str, float | None], problem_type: str, lang: str = "en") -> pd.DataFrame:
    """One row per metric: id, name, value, what it means (in ``lang``)."""
    rows = [{"metric": m, "name": t(f"evaluate.metric.{m}", lang), "value": values.get(m),
             "meaning": t(f"evaluate.meaning.{m}", lang)} for m in METRIC_ORDER[problem_type] if m in values]
    return pd.DataFrame(rows, columns=["metric", "name", "value", "meaning"])


def confusion_counts(y: np.ndarray, proba: np.ndarray, threshold: float) -> dict[str, int]:
    """tp, fp, fn, tn at ``threshold`` (sklearn's confusion matrix)."""
    pred = (np.asarray(proba) >= threshold).astype(int)
    tn, fp, fn, tp = skm.confusion_matrix(np.asarray(y, dtype=int), pred, labels=[0, 1]).ravel()
    return {"tp": int(tp), "fp": int(fp), "fn": int(fn), "tn": int(tn)}


def get_confusion_df(counts: dict[str, int], matrix: CostMatrix | None = None) -> pd.DataFrame:
    """The four cells: actual, predicted, count, share, cost per case of the cell and its total cost."""
    total = max(sum(counts.values()), 1)
    rows = []
    for cell in CELLS:
        unit = getattr(matrix, cell) if matrix is not None else None
        rows.append({"cell": cell, "actual": "positive" if cell in ("tp", "fn") else "negative",
                     "predicted": "positive" if cell in ("tp", "fp") else "negative", "count": counts[cell],
                     "share": counts[cell] / total, "unit_cost": unit,
                     "total_cost": None if unit is None else unit * counts[cell]})
    return pd.DataFrame(rows)


def get_roc_df(y: np.ndarray, proba: np.ndarray) -> pd.DataFrame:
    """ROC curve points (empty when the rows hold one class)."""
    if len(np.unique(y)) < 2:
        return pd.DataFrame(columns=["fpr", "tpr", "threshold"])
    fpr, tpr, th = skm.roc_curve(y, proba)
    return pd.DataFrame({"fpr": fpr, "tpr": tpr, "threshold": np.clip(th, 0, 1)})


def get_pr_df(y: np.ndarray, proba: np.ndarray) -> pd.DataFrame:
    """Precision-recall curve points (empty when there is no positive row)."""
    if np.sum(y) == 0:
        return pd.DataFrame(columns=["recall", "precision", "threshold"])
    precision, recall, th = skm.precision_recall_curve(y, proba)
    return pd.DataFrame({"recall": recall, "precision": precision, "threshold": np.append(th, 1.0)})


def get_calibration_df(y: np.ndarray, proba: np.ndarray, bins: int = 10) -> pd.DataFrame:
    """Mean predicted probability vs observed share of positives per probability bin."""
    from sklearn.calibration import calibration_curve

    if len(np.unique(y)) < 2:
        return pd.DataFrame(columns=["predicted", "observed", "count"])
    observed, predicted = calibration_curve(y, proba, n_bins=bins, strategy="uniform")
    edges = np.linspace(0, 1, bins + 1)
    counts = np.bincount(np.searchsorted(edges[1:-1], proba), minlength=bins)  # sklearn's own binning
    return pd.DataFrame({"predicted": predicted, "observed": observed, "count": counts[counts > 0]})


def get_per_class_df(y: pd.Series, pred: pd.Series, labels: list[Any]) -> pd.DataFrame:
    """Precision, recall, F1 and support per class (multiclass)."""
    names = [str(c) for c in labels]
    p, r, f, s = skm.precision_recall_fscore_support(y.astype(str), pred.astype(str), labels=names, zero_division=0)
    return pd.DataFrame({"class": names, "precision": p, "recall": r, "f1": f, "support": s})


def get_class_confusion_df(y: pd.Series, pred: pd.Series, labels: list[Any]) -> pd.DataFrame:
    """Multiclass confusion matrix: rows actual, columns predicted."""
    names = [str(c) for c in labels]
    cm = skm.confusion_matrix(y.astype(str), pred.astype(str), labels=names)
    return pd.DataFrame(cm, index=names, columns=names)
