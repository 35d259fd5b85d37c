"""The Test step's decision in money: the model's rule against the policies that need no model.

For each problem type with costs in the goal (``core.value.decisions`` has the maths):

1. the decision rule is chosen on the **validation** rows (``core.evaluate.validation``): the
   cost-minimising threshold (binary), least expected cost (multiclass: nothing to choose),
   the quantile shift of the prediction (regression);
2. the policies without a model are priced on the same validation rows (a regression
   constant comes from the training target) and again on the **test** rows, beside the model;
3. on the test rows, the model's saving against each policy gets a 95% interval (paired
   bootstrap over rows). The model *beats* a policy when the whole interval is above zero.

The verdict requires the model to beat every policy without a model; otherwise "a rule without
ML does as well" is its reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from core.errors import UserError
from core.evaluate.data import EvalData
from core.evaluate.validation import ValidationSet, validation_set
from core.value.costs import best_threshold_exact
from core.value.decisions import (ACT_ALL, ACT_NONE, BEST, CONSTANT, Interval, QuantityCosts, always,
                                  best_constant, best_shift, binary_case_costs,
                                  class_case_costs, implied_threshold, least_cost_decisions, mean_interval)

THRESHOLD, EXPECTED_COST, SHIFT, PLAIN = "threshold", "expected_cost", "quantile_shift", "plain"


@dataclass
class PolicyResult:
    """A decision that needs no model, priced like the model."""

    policy: str
    validation_cost: float
    test_cost: float
    saving: Interval
    quantity: float | None = None

    @property
    def beaten(self) -> bool:
        """The model is cheaper on the test rows beyond the uncertainty (the interval is above zero)."""
        return self.saving.low > 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {"policy": self.policy, "validation_cost": self.validation_cost, "test_cost": self.test_cost,
                "saving": self.saving.to_dict(), "quantity": self.quantity, "beaten": self.beaten}


@dataclass
class DecisionResult:
    """The model's decision rule, its cost per case, and the policies without a model."""

    problem_type: str
    rule: dict[str, Any]
    source: str
    validation_rows: int
    test_rows: int
    model_validation_cost: float
    model_test_cost: float
    policies: list[PolicyResult]
    test_case_costs: np.ndarray = field(repr=False, default_factory=lambda: np.zeros(0))

    @property
    def best_policy(self) -> PolicyResult:
        """The cheapest policy without a model on the validation rows (what one would pick without ML)."""
        return min(self.policies, key=lambda p: p.validation_cost)

    @property
    def rivals(self) -> list[PolicyResult]:
        """Policies without a model the model does not beat, cheapest on the test rows first."""
        return sorted((p for p in self.policies if not p.beaten), key=lambda p: p.test_cost)

    @property
    def beats_all(self) -> bool:
        """Whether the model beats every policy without a model."""
        return not self.rivals

    @property
    def value_added(self) -> float:
        """Per case on the test rows: the best policy's cost minus the model's (positive = the model saves)."""
        return self.best_policy.test_cost - self.model_test_cost

    def policy(self, policy_id: str) -> PolicyResult | None:
        """One policy by id (``best``: the cheapest on validation)."""
        if policy_id == BEST:
            return self.best_policy
        return next((p for p in self.policies if p.policy == policy_id), None)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (what the decision record stores)."""
        best = self.best_policy
        return {"problem_type": self.problem_type, "rule": self.rule, "source": self.source,
                "validation_rows": self.validation_rows, "test_rows": self.test_rows,
                "model": {"validation_cost": self.model_validation_cost, "test_cost": self.model_test_cost},
                "policies": [p.to_dict() for p in self.policies], "best_policy": best.policy,
                "value_added": self.value_added, "value_added_interval": best.saving.to_dict(),
                "beats_all": self.beats_all}


def _policies(candidates: dict[str, tuple[np.ndarray, np.ndarray, float | None]],
              model_test: np.ndarray) -> list[PolicyResult]:
    """Each policy: (validation case costs, test case costs, quantity) → its result against the model."""
    return [PolicyResult(name, float(np.mean(val)), float(np.mean(test)), mean_interval(test - model_test), quantity)
            for name, (val, test, quantity) in candidates.items()]


def _binary(data: EvalData, val: ValidationSet) -> DecisionResult:
    matrix = data.goal.cost_matrix
    y_val = data.y01(val.y)
    p_val = val.proba[data.positive].to_numpy(dtype=float)
    threshold, val_cost = best_threshold_exact(y_val, p_val, matrix)
    y_test, p_test = data.y01(), data.scores
    model_test = binary_case_costs(y_test, p_test >= threshold, matrix)
    every = {ACT_NONE: False, ACT_ALL: True}
    candidates = {name: (binary_case_costs(y_val, np.full(len(y_val), act), matrix),
                         binary_case_costs(y_test, np.full(len(y_test), act), matrix), None)
                  for name, act in every.items()}
    rule = {"kind": THRESHOLD, "threshold": threshold, "implied": implied_threshold(matrix),
            "positive": str(data.positive)}
    return DecisionResult("binary", rule, val.source, val.rows, len(y_test), val_cost, float(model_test.mean()),
                          _policies(candidates, model_test), model_test)


def _class_indices(y: pd.Series, labels: list[str]) -> np.ndarray:
    position = {name: i for i, name in enumerate(labels)}
    return np.asarray([position[str(v)] for v in y])


def _ordered(data: EvalData) -> tuple[list[str], list[Any]]:
    """The model's classes in the goal table's order (as text, and as the predictor's labels)."""
    by_text = {str(c): c for c in data.class_labels}
    table = [c for c in data.goal.class_costs.classes if c in by_text]
    labels = table + [c for c in by_text if c not in table]  # a class the table lacks fails in .array()
    return labels, [by_text[c] for c in labels]


def _multiclass(data: EvalData, val: ValidationSet) -> DecisionResult:
    labels, columns = _ordered(data)
    costs = data.goal.class_costs.array(labels)
    val_proba = val.proba[columns].to_numpy(dtype=float)
    test_proba = data.proba[columns].to_numpy(dtype=float)
    y_val, y_test = _class_indices(val.y, labels), _class_indices(data.y_test, labels)
    model_val = class_case_costs(y_val, least_cost_decisions(val_proba, costs), costs)
    model_test = class_case_costs(y_test, least_cost_decisions(test_proba, costs), costs)
    candidates = {always(name): (class_case_costs(y_val, np.full(len(y_val), k), costs),
                                 class_case_costs(y_test, np.full(len(y_test), k), costs), None)
                  for k, name in enumerate(labels)}
    rule = {"kind": EXPECTED_COST, "classes": labels, "costs": costs.tolist()}
    return DecisionResult("multiclass", rule, val.source, val.rows, len(y_test), float(model_val.mean()),
                          float(model_test.mean()), _policies(candidates, model_test), model_test)


def _regression(data: EvalData, val: ValidationSet, costs: QuantityCosts) -> DecisionResult:
    y_val = val.y.to_numpy(dtype=float)
    shift = best_shift(y_val - val.pred, costs)
    y_test = data.y_test.to_numpy(dtype=float)
    model_val = costs.case_costs(y_val, val.pred + shift)
    model_test = costs.case_costs(y_test, data.scores + shift)
    constant = best_constant(data.y_train.to_numpy(dtype=float), costs)
    candidates = {CONSTANT: (costs.case_costs(y_val, np.full(len(y_val), constant)),
                             costs.case_costs(y_test, np.full(len(y_test), constant)), constant)}
    rule = ({"kind": SHIFT, "shift": shift, "quantile": costs.quantile, "under": costs.under, "over": costs.over}
            if costs.asymmetric else {"kind": PLAIN, "per_unit": costs.per_unit, "tolerance": costs.tolerance})
    return DecisionResult("regression", rule, val.source, val.rows, len(y_test), float(model_val.mean()),
                          float(model_test.mean()), _policies(candidates, model_test), model_test)


def decide(data: EvalData) -> DecisionResult:
    """The evaluated model's decision in money (UserError saying why when the goal prices nothing)."""
    kind, goal = data.problem_type, data.goal
    if not goal.priced(kind):
        raise UserError(f"evaluate.decision.no_costs_{kind}")
    val = validation_set(data)
    if kind == "binary":
        return _binary(data, val)
    if kind == "multiclass":
        return _multiclass(data, val)
    return _regression(data, val, goal.regression_cost.quantity_costs().check())


def decided_test_labels(data: EvalData, result: DecisionResult | None) -> pd.Series:
    """The decided class of each test row (multiclass with class costs; else the most likely class)."""
    if result is None or result.rule.get("kind") != EXPECTED_COST:
        return data.predicted
    by_text = {str(c): c for c in data.class_labels}
    columns = [by_text[c] for c in result.rule["classes"]]
    picks = least_cost_decisions(data.proba[columns].to_numpy(dtype=float), np.asarray(result.rule["costs"]))
    return pd.Series([columns[i] for i in picks], index=data.X_test.index)


def decided_quantities(data: EvalData, result: DecisionResult | None) -> np.ndarray:
    """The decided quantity of each test row (regression: the prediction plus the rule's shift)."""
    shift = float(result.rule.get("shift") or 0.0) if result is not None else 0.0
    return data.scores + shift
