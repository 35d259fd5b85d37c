"""What a model's mistakes (and hits) cost: cost matrices, thresholds, regression error.

Sign convention: every entry of a :class:`CostMatrix` is a **cost** (positive = money
spent or lost). A benefit is written as a negative cost, e.g. ``tp=-3000`` when catching
a churner earns 3,000 net. Lower cost per case is always better.

Telecom churn example from the workshop: acting on a predicted churner costs an
incentive of 500, losing a customer costs 200,000 to re-acquire::

    CostMatrix(tp=500, fp=500, fn=200_000, tn=0).cost_per_case(tp=50, fp=100, fn=20, tn=830)
    # (50·500 + 100·500 + 20·200,000 + 830·0) / 1000 = 4075.0
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from core.errors import UserError
from core.value._serial import opt_float as _opt_float

DEFAULT_THRESHOLDS = np.round(np.linspace(0.0, 1.0, 101), 2)


@dataclass
class CostMatrix:
    """Cost of each confusion-matrix cell (see the module docstring for the sign convention)."""

    tp: float = 0.0
    fp: float = 0.0
    fn: float = 0.0
    tn: float = 0.0

    def __post_init__(self) -> None:
        for name in ("tp", "fp", "fn", "tn"):
            try:
                value = float(getattr(self, name))
            except (TypeError, ValueError, OverflowError):
                value = math.nan
            if not math.isfinite(value):
                raise UserError("value.costs.bad_cost", cell=name.upper())
            setattr(self, name, value)

    def warnings(self) -> list[str]:
        """Message keys for suspicious matrices (all zero, mistakes cheaper than hits)."""
        out = []
        if self.tp == self.fp == self.fn == self.tn == 0:
            out.append("value.costs.all_zero")
        elif self.fp <= self.tn and self.fn <= self.tp:
            out.append("value.costs.errors_not_costlier")
        return out

    def total_cost(self, tp: int, fp: int, fn: int, tn: int) -> float:
        """Total cost of a confusion matrix (exact for integer counts and costs)."""
        counts = _check_counts(tp, fp, fn, tn)
        return math.fsum(c * w for c, w in zip(counts, (self.tp, self.fp, self.fn, self.tn)))

    def cost_per_case(self, tp: int, fp: int, fn: int, tn: int) -> float:
        """Average cost per case of a confusion matrix."""
        n = sum(_check_counts(tp, fp, fn, tn))
        if n == 0:
            raise UserError("value.costs.no_cases")
        return self.total_cost(tp, fp, fn, tn) / n

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CostMatrix:
        """Build from :meth:`to_dict` output; missing cells are 0."""
        return cls(**{k: _opt_float(data.get(k)) or 0.0 for k in ("tp", "fp", "fn", "tn")})


def _check_counts(*counts: int) -> tuple[int, ...]:
    """Counts must be non-negative whole numbers."""
    out = []
    for count in counts:
        try:
            whole = int(count)
        except (TypeError, ValueError, OverflowError):  # None, text, NaN, infinity
            raise UserError("value.costs.bad_counts") from None
        if count < 0 or whole != count:
            raise UserError("value.costs.bad_counts")
        out.append(whole)
    return tuple(out)


def cost_per_case(matrix: CostMatrix, tp: int, fp: int, fn: int, tn: int) -> float:
    """Average cost per case of the confusion matrix ``tp, fp, fn, tn`` under ``matrix``."""
    return matrix.cost_per_case(tp, fp, fn, tn)


# --------------------------------------------------------------------------- thresholds


def _check_binary(y_true: Sequence[Any], proba: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """Validate 0/1 labels and probabilities in [0, 1] of the same non-zero length."""
    y = np.asarray(y_true)
    p = np.asarray(proba, dtype=float)
    if y.ndim != 1 or p.ndim != 1 or len(y) != len(p):
        raise UserError("value.costs.length_mismatch")
    if len(y) == 0:
        raise UserError("value.costs.no_cases")
    if not np.isin(y, [0, 1]).all():
        raise UserError("value.costs.labels_not_binary")
    if not np.isfinite(p).all() or (p < 0).any() or (p > 1).any():
        raise UserError("value.costs.bad_proba")
    return y.astype(int), p


def _check_thresholds(thresholds: Sequence[float] | None) -> np.ndarray:
    """Sorted, unique thresholds in [0, 1]."""
    th = DEFAULT_THRESHOLDS if thresholds is None else np.unique(np.asarray(thresholds, dtype=float))
    if len(th) == 0 or not np.isfinite(th).all() or (th < 0).any() or (th > 1).any():
        raise UserError("value.costs.bad_thresholds")
    return th


def threshold_cost_df(y_true: Sequence[Any], proba: Sequence[float], matrix: CostMatrix,
                      thresholds: Sequence[float] | None = None) -> pd.DataFrame:
    """Cost per case, precision, recall and counts when predicting 1 for ``proba ≥ threshold``.

    Default thresholds are 0.00, 0.01, …, 1.00. Precision is NaN when nothing is
    predicted positive, recall is NaN when there are no positives.
    """
    y, p = _check_binary(y_true, proba)
    th = _check_thresholds(thresholds)
    pos, neg = np.sort(p[y == 1]), np.sort(p[y == 0])
    tp = len(pos) - np.searchsorted(pos, th, side="left")
    fp = len(neg) - np.searchsorted(neg, th, side="left")
    fn, tn = len(pos) - tp, len(neg) - fp
    total = tp * matrix.tp + fp * matrix.fp + fn * matrix.fn + tn * matrix.tn
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(tp + fp > 0, tp / np.maximum(tp + fp, 1), np.nan)
        recall = np.where(len(pos) > 0, tp / max(len(pos), 1), np.nan)
    return pd.DataFrame({"threshold": th, "cost_per_case": total / len(y), "precision": precision,
                         "recall": recall, "tp": tp, "fp": fp, "fn": fn, "tn": tn})


def best_threshold(y_true: Sequence[Any], proba: Sequence[float], matrix: CostMatrix,
                   thresholds: Sequence[float] | None = None) -> tuple[float, float]:
    """``(threshold, cost_per_case)`` with the lowest cost; ties go to the one nearest 0.5.

    Without ``thresholds`` the search is exact (every distinct score, see
    :func:`core.value.decisions.best_threshold_exact`); with them, only those are tried.
    """
    if thresholds is None:
        return best_threshold_exact(y_true, proba, matrix)
    df = threshold_cost_df(y_true, proba, matrix, thresholds)
    costs = df["cost_per_case"].to_numpy()
    lowest = costs.min()
    tied = df[np.isclose(costs, lowest, rtol=1e-12, atol=1e-12)]
    row = tied.loc[(tied["threshold"] - 0.5).abs().idxmin()]
    return float(row["threshold"]), float(row["cost_per_case"])


def threshold_costs(y_true: Sequence[Any], proba: Sequence[float], matrix: CostMatrix) -> pd.DataFrame:
    """Cost per case and counts at every threshold that changes a decision (act when P ≥ threshold).

    Rows: every distinct score (each is the lowest threshold flagging it), one threshold
    above the highest score (act on no one), and the grid 0.00, 0.01, … 1.00, which adds
    no new outcome but lets ties fall on round numbers. Sorted by threshold.
    """
    y, p = _check_binary(y_true, proba)
    top = float(p.max())
    none = 1.0 if top < 1.0 else float(np.nextafter(1.0, 2.0))
    th = np.unique(np.concatenate([p, DEFAULT_THRESHOLDS, [none]]))
    pos, neg = np.sort(p[y == 1]), np.sort(p[y == 0])
    tp = len(pos) - np.searchsorted(pos, th, side="left")
    fp = len(neg) - np.searchsorted(neg, th, side="left")
    fn, tn = len(pos) - tp, len(neg) - fp
    total = tp * matrix.tp + fp * matrix.fp + fn * matrix.fn + tn * matrix.tn
    return pd.DataFrame({"threshold": th, "cost_per_case": total / len(y), "tp": tp, "fp": fp, "fn": fn, "tn": tn})


def best_threshold_exact(y_true: Sequence[Any], proba: Sequence[float], matrix: CostMatrix) -> tuple[float, float]:
    """``(threshold, cost_per_case)`` with the lowest cost over all thresholds; ties go to the one nearest 0.5."""
    df = threshold_costs(y_true, proba, matrix)
    costs = df["cost_per_case"].to_numpy()
    tied = np.flatnonzero(np.isclose(costs, costs.min(), rtol=1e-12, atol=1e-12))
    pick = tied[np.argmin(np.abs(df["threshold"].to_numpy()[tied] - 0.5))]
    return float(df["threshold"].iloc[pick]), float(costs[pick])



# --------------------------------------------------------------------------- regression


@dataclass(frozen=True)
class RegressionCostResult:
    """Error summary of a regression model in business terms."""

    n: int
    mean_abs_error: float
    within_tolerance: float | None
    cost_per_case: float | None
    total_cost: float | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return asdict(self)


def regression_cost(y_true: Sequence[float], y_pred: Sequence[float], cost_per_unit: float | None = None,
                    tolerance: float | None = None) -> RegressionCostResult:
    """Cost of regression errors.

    Each case costs ``cost_per_unit × max(|error| − tolerance, 0)`` (tolerance 0 if
    omitted). With only a tolerance, the share of cases within it is reported and the
    costs are None. At least one of the two must be given.
    """
    if cost_per_unit is None and tolerance is None:
        raise UserError("value.costs.regression_missing")
    for name, value in (("cost_per_unit", cost_per_unit), ("tolerance", tolerance)):
        if value is not None and (not math.isfinite(value) or value < 0):
            raise UserError("value.costs.regression_bad", field=name)
    y, pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    if y.ndim != 1 or y.shape != pred.shape:
        raise UserError("value.costs.length_mismatch")
    if len(y) == 0:
        raise UserError("value.costs.no_cases")
    if not (np.isfinite(y).all() and np.isfinite(pred).all()):
        raise UserError("value.costs.bad_values")
    err = np.abs(y - pred)
    within = float(np.mean(err <= tolerance)) if tolerance is not None else None
    total = None
    if cost_per_unit is not None:
        total = float(cost_per_unit * np.maximum(err - (tolerance or 0.0), 0.0).sum())
    return RegressionCostResult(n=len(y), mean_abs_error=float(err.mean()), within_tolerance=within,
                                cost_per_case=None if total is None else total / len(y),
                                total_cost=total)
