"""The decision threshold that minimises business cost, chosen on validation rows, applied to the test rows.

The threshold is chosen exactly (:func:`core.value.decisions.best_threshold_exact`: the cost at
every distinct validation score) on the validation predictions of
:mod:`core.evaluate.validation`. The test rows only measure what that choice costs, side by side
with the default threshold 0.5 (the workshop's churn case: about 8× over budget at 0.5, within
budget after lowering the threshold).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from core.errors import UserError
from core.evaluate.data import EvalData
from core.evaluate.metrics import binary_metrics, confusion_counts
from core.evaluate.validation import validation_set
from core.value import CostMatrix, threshold_cost_df
from core.value.costs import best_threshold_exact
from core.value.decisions import implied_threshold

DEFAULT = 0.5
SMALL = np.geomspace(1e-4, 0.01, 9)
"""Thresholds below 0.01 the curve and the page's control also offer (costly misses imply tiny ones)."""


def check_matrix(data: EvalData) -> CostMatrix:
    """The goal's cost matrix, or a UserError saying why a cost threshold cannot be chosen."""
    if data.problem_type != "binary":
        raise UserError("evaluate.error.threshold_binary_only")
    matrix = data.goal.cost_matrix
    if matrix is None:
        raise UserError("evaluate.error.no_cost_matrix")
    if "value.costs.all_zero" in matrix.warnings():
        raise UserError("evaluate.error.cost_all_zero")
    return matrix


@dataclass
class ThresholdResult:
    """The chosen threshold, its validation curve, and test-set cost at 0.5 and at the chosen value."""

    chosen: float
    chosen_validation_cost: float
    source: str
    validation_rows: int
    validation_curve: pd.DataFrame
    matrix: CostMatrix
    budget: float | None
    y_test: np.ndarray = field(repr=False)
    p_test: np.ndarray = field(repr=False)

    def threshold_view(self, threshold: float) -> dict[str, Any]:
        """Test-set cost per case, precision, recall, counts and budget ratio at ``threshold``."""
        threshold = float(max(threshold, 0.0))
        counts = confusion_counts(self.y_test, self.p_test, threshold)
        cost = self.matrix.cost_per_case(**counts)
        values = binary_metrics(self.y_test, self.p_test, threshold)
        ratio = cost / self.budget if self.budget else None
        return {"threshold": threshold, "cost_per_case": cost, "total_cost": self.matrix.total_cost(**counts),
                "precision": values["precision"], "recall": values["recall"], "f1": values["f1"],
                "accuracy": values["accuracy"], **counts, "budget": self.budget, "budget_ratio": ratio,
                "within_budget": None if self.budget is None else cost <= self.budget,
                "predicted_positive": counts["tp"] + counts["fp"]}

    @property
    def default_view(self) -> dict[str, Any]:
        """The test set at the default threshold 0.5."""
        return self.threshold_view(DEFAULT)

    @property
    def chosen_view(self) -> dict[str, Any]:
        """The test set at the chosen threshold."""
        return self.threshold_view(self.chosen)

    def get_comparison_df(self) -> pd.DataFrame:
        """Default vs chosen threshold on the test set, one row each."""
        rows = [{"which": "default", **self.default_view}, {"which": "chosen", **self.chosen_view}]
        return pd.DataFrame(rows)

    def get_test_curve_df(self) -> pd.DataFrame:
        """Cost per case against the threshold on the test rows (for information, never for choosing)."""
        return threshold_cost_df(self.y_test, self.p_test, self.matrix)


def curve_thresholds(*marks: float | None) -> np.ndarray:
    """The thresholds a cost curve is drawn at: small ones, the 0.01 grid, and the marked values."""
    extra = [m for m in marks if m is not None and 0.0 <= m <= 1.0]
    return np.unique(np.concatenate([SMALL, np.round(np.linspace(0.0, 1.0, 101), 2), extra]))


def choose_threshold(data: EvalData) -> ThresholdResult:
    """Choose the cost-minimising threshold on validation predictions and measure it on the test set."""
    matrix = check_matrix(data)
    val = validation_set(data)
    y_val, p_val = data.y01(val.y), val.proba[data.positive].to_numpy(dtype=float)
    chosen, cost = best_threshold_exact(y_val, p_val, matrix)
    curve = threshold_cost_df(y_val, p_val, matrix, curve_thresholds(chosen, implied_threshold(matrix)))
    return ThresholdResult(chosen=chosen, chosen_validation_cost=cost, source=val.source, validation_rows=val.rows,
                           validation_curve=curve, matrix=matrix, budget=data.goal.acceptance.max_cost_per_case,
                           y_test=data.y01(), p_test=data.scores)
