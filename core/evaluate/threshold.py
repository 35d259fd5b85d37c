"""The decision threshold that minimises business cost, chosen on validation rows, applied to the test rows.

The threshold is chosen with :func:`core.value.best_threshold` on *validation* predictions:
AutoGluon's out-of-fold predictions when the model was bagged (every training row predicted by
a model that did not see it), else the validation rows AutoGluon held out. The test rows only
measure what that choice costs, side by side with the default threshold 0.5 (the workshop's
churn case: about 8× over budget at 0.5, within budget after lowering the threshold).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from core.errors import UserError
from core.evaluate.data import EvalData
from core.evaluate.metrics import binary_metrics, confusion_counts
from core.value import CostMatrix, best_threshold, threshold_cost_df

DEFAULT = 0.5
OOF, VALIDATION = "oof", "validation"


def validation_scores(data: EvalData) -> tuple[np.ndarray, np.ndarray, str]:
    """(labels 1/0, P(positive), source) of rows the model did not train on; never test rows."""
    predictor = data.predictor
    learner = predictor._learner  # noqa: SLF001
    try:
        oof = predictor.predict_proba_oof(model=data.model)
        _, y_internal = predictor.load_data_internal(data="train", return_y=True)
        source, proba = OOF, oof[data.positive]
        y = learner.label_cleaner.inverse_transform(y_internal.loc[proba.index])
    except (AssertionError, AttributeError, KeyError, ValueError, FileNotFoundError, TypeError):
        try:
            X_val, y_internal = predictor.load_data_internal(data="val", return_y=True)
        except (AssertionError, AttributeError, KeyError, ValueError, FileNotFoundError, TypeError):
            raise UserError("evaluate.error.no_validation") from None
        if X_val is None or y_internal is None or len(X_val) == 0:
            raise UserError("evaluate.error.no_validation") from None
        source = VALIDATION
        parent = predictor._trainer.get_refit_full_parent(data.model)  # noqa: SLF001 - a refit model saw X_val
        scores = predictor._trainer.predict_proba(X_val, model=parent)  # noqa: SLF001
        proba = pd.Series(np.asarray(scores, dtype=float).reshape(len(X_val), -1)[:, -1], index=X_val.index)
        y = learner.label_cleaner.inverse_transform(y_internal)
    return data.y01(pd.Series(np.asarray(y), index=proba.index)), proba.to_numpy(dtype=float), source


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
        threshold = float(min(max(threshold, 0.0), 1.0))
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


def choose_threshold(data: EvalData) -> ThresholdResult:
    """Choose the cost-minimising threshold on validation predictions and measure it on the test set."""
    matrix = check_matrix(data)
    y_val, p_val, source = validation_scores(data)
    chosen, cost = best_threshold(y_val, p_val, matrix)
    return ThresholdResult(chosen=chosen, chosen_validation_cost=cost, source=source, validation_rows=len(y_val),
                           validation_curve=threshold_cost_df(y_val, p_val, matrix), matrix=matrix,
                           budget=data.goal.acceptance.max_cost_per_case, y_test=data.y01(), p_test=data.scores)
