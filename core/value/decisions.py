"""Decisions in money: the rule that turns a prediction into an action, and the rules that need no model.

Every problem type gets a decision rule chosen to minimise the goal's costs, and the policies
that need no model at all, which the rule must beat (the seeds' first lesson: if a rule
solves it, do not use ML):

* **binary** (:class:`~core.value.costs.CostMatrix`): act when P(positive) ≥ threshold. The cost
  is a step function of the threshold, so ``costs.threshold_costs`` evaluates it at every
  distinct score (exact, vectorised). Without a model: act on everyone, act on no one.
  For calibrated probabilities the costs imply the threshold
  (FP − TN) / ((FP − TN) + (FN − TP)) (:func:`implied_threshold`).
* **multiclass** (:class:`ClassCosts`, actual × decided): decide the class with the least
  expected cost over the predicted probabilities. Without a model: always decide class *c*.
* **regression** (costs per unit of under- and over-prediction): decide the prediction shifted
  to the cost-minimising quantile τ = under / (under + over) of the validation errors.
  Without a model: a constant quantity, the same quantile of the training target. The
  symmetric option (a cost per unit beyond a tolerance) decides the plain prediction and
  compares it with the best constant.

Costs are per case (positive = money spent or lost); all functions are pure numpy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np

from core.errors import UserError
from core.value.costs import CostMatrix

ACT_NONE, ACT_ALL, CONSTANT, ALWAYS = "act_none", "act_all", "constant", "always:"
BEST = "best"
"""Today's practice 'the cheapest decision without a model' (measured on the validation rows)."""
MAX_CLASSES = 30
BOOTSTRAP_MAX_ROWS = 20_000
BOOTSTRAP_RESAMPLES = 2000


def always(label: Any) -> str:
    """The policy id 'always decide ``label``' (multiclass)."""
    return f"{ALWAYS}{label}"


# --------------------------------------------------------------------------- binary


def implied_threshold(matrix: CostMatrix) -> float | None:
    """(FP − TN) / ((FP − TN) + (FN − TP)): where acting pays for a calibrated probability (None if never/always)."""
    act_cost, miss_cost = matrix.fp - matrix.tn, matrix.fn - matrix.tp
    if act_cost <= 0 or miss_cost <= 0:
        return None
    return act_cost / (act_cost + miss_cost)


def binary_case_costs(y01: np.ndarray, act: np.ndarray, matrix: CostMatrix) -> np.ndarray:
    """Each row's cost when acting where ``act`` is True (``y01``: 1 = positive)."""
    y, a = np.asarray(y01, dtype=bool), np.asarray(act, dtype=bool)
    return np.select([y & a, ~y & a, y & ~a], [matrix.tp, matrix.fp, matrix.fn], default=matrix.tn).astype(float)


# --------------------------------------------------------------------------- multiclass


@dataclass
class ClassCosts:
    """What deciding each class costs when another one is true: ``costs[actual][decided]``."""

    classes: list[str]
    costs: list[list[float]]

    def __post_init__(self) -> None:
        self.classes = [str(c) for c in self.classes]
        k = len(self.classes)
        if k < 2 or k > MAX_CLASSES:
            raise UserError("value.costs.class_count", max=MAX_CLASSES)
        if len(set(self.classes)) != k or any(not c.strip() for c in self.classes):
            raise UserError("value.costs.class_names")
        if len(self.costs) != k or any(len(row) != k for row in self.costs):
            raise UserError("value.costs.class_shape")
        out = []
        for actual, row in zip(self.classes, self.costs, strict=True):
            values = []
            for decided, cell in zip(self.classes, row, strict=True):
                value = _cell(cell)
                if value is None:
                    raise UserError("value.costs.class_cell", actual=actual, decided=decided)
                values.append(value)
            out.append(values)
        self.costs = out

    @classmethod
    def default(cls, classes: Sequence[Any]) -> ClassCosts:
        """Zero on the diagonal, one elsewhere (every mistake costs the same): the starting point."""
        k = len(classes)
        return cls(list(classes), [[0.0 if i == j else 1.0 for j in range(k)] for i in range(k)])

    def warnings(self) -> list[str]:
        """Message keys for suspicious matrices (all equal, a mistake cheaper than the right class)."""
        c = np.asarray(self.costs)
        if np.all(c == c.flat[0]):
            return ["value.costs.class_all_equal"]
        if (c < np.diag(c)[:, None]).any():
            return ["value.costs.class_mistake_cheaper"]
        return []

    def array(self, labels: Sequence[Any]) -> np.ndarray:
        """The costs reordered to ``labels`` (the model's classes); UserError naming a class the matrix lacks."""
        names = [str(v) for v in labels]
        missing = [n for n in names if n not in self.classes]
        if missing:
            raise UserError("value.costs.class_missing", classes=", ".join(missing[:5]))
        index = [self.classes.index(n) for n in names]
        return np.asarray(self.costs, dtype=float)[np.ix_(index, index)]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {"classes": list(self.classes), "costs": [list(r) for r in self.costs]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ClassCosts:
        """Build from :meth:`to_dict` output (UserError when it is not a valid matrix)."""
        classes, costs = data.get("classes"), data.get("costs")
        if not isinstance(classes, list) or not isinstance(costs, list) or not all(isinstance(r, list) for r in costs):
            raise UserError("value.costs.class_shape")
        return cls(classes, costs)


def _cell(value: Any) -> float | None:
    """A cost cell: a finite number ≥ 0 (text, blanks and negatives are refused)."""
    if value is None or isinstance(value, (bool, str)):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and number >= 0 else None


def least_cost_decisions(proba: np.ndarray, costs: np.ndarray) -> np.ndarray:
    """Index of the class with the least expected cost per row: argmin over ``proba @ costs``."""
    return np.argmin(np.asarray(proba, dtype=float) @ np.asarray(costs, dtype=float), axis=1)


def class_case_costs(actual: np.ndarray, decided: np.ndarray, costs: np.ndarray) -> np.ndarray:
    """Each row's cost: ``costs[actual, decided]`` (class indices)."""
    return np.asarray(costs, dtype=float)[np.asarray(actual, dtype=int), np.asarray(decided, dtype=int)]


# --------------------------------------------------------------------------- regression


@dataclass(frozen=True)
class QuantityCosts:
    """Regression costs per unit: under- and over-prediction (asymmetric) or beyond a tolerance (symmetric)."""

    under: float | None = None
    over: float | None = None
    per_unit: float | None = None
    tolerance: float | None = None

    @property
    def asymmetric(self) -> bool:
        """Whether under- and over-prediction are priced separately."""
        return self.under is not None or self.over is not None

    @property
    def quantile(self) -> float | None:
        """τ = under / (under + over): the share of cases the decided quantity should cover."""
        if not self.asymmetric:
            return None
        under, over = self.under or 0.0, self.over or 0.0
        return under / (under + over)

    def check(self) -> QuantityCosts:
        """UserError unless the costs can price a decision (finite, ≥ 0, not all zero)."""
        for name in ("under", "over", "per_unit", "tolerance"):
            value = getattr(self, name)
            if value is not None and (not math.isfinite(value) or value < 0):
                raise UserError("value.costs.regression_bad", field=name)
        if self.asymmetric and not (self.under or self.over):
            raise UserError("value.costs.regression_both_zero")
        if not self.asymmetric and not self.per_unit:
            raise UserError("value.costs.regression_missing")
        return self

    def case_costs(self, y: np.ndarray, decided: np.ndarray) -> np.ndarray:
        """Each row's cost of deciding ``decided`` when ``y`` is the actual quantity."""
        err = np.asarray(y, dtype=float) - np.asarray(decided, dtype=float)
        if self.asymmetric:
            return (self.under or 0.0) * np.maximum(err, 0.0) + (self.over or 0.0) * np.maximum(-err, 0.0)
        return float(self.per_unit) * np.maximum(np.abs(err) - (self.tolerance or 0.0), 0.0)


def best_shift(residuals: np.ndarray, costs: QuantityCosts) -> float:
    """The shift added to every prediction that minimises the cost on ``residuals`` (actual − predicted).

    Asymmetric costs: the τ-quantile of the residuals (a data point, so it is a true minimiser of
    the mean cost). Symmetric costs: 0 (the plain prediction is decided).
    """
    if not costs.asymmetric:
        return 0.0
    r = _finite(residuals)
    return float(np.quantile(r, costs.quantile, method="inverted_cdf"))


def best_constant(y: np.ndarray, costs: QuantityCosts) -> float:
    """The constant quantity with the least cost on ``y`` (what ordering without a model would do)."""
    values = np.sort(_finite(y))
    if costs.asymmetric:
        return float(np.quantile(values, costs.quantile, method="inverted_cdf"))
    # Symmetric beyond a tolerance: convex and piecewise linear, so a breakpoint y ± tolerance is optimal.
    tol = costs.tolerance or 0.0
    candidates = np.unique(np.concatenate([values - tol, values + tol]))
    prefix = np.concatenate([[0.0], np.cumsum(values)])
    hi = np.searchsorted(values, candidates + tol, side="right")
    lo = np.searchsorted(values, candidates - tol, side="left")
    above = (prefix[-1] - prefix[hi]) - (len(values) - hi) * (candidates + tol)
    below = lo * (candidates - tol) - prefix[lo]
    return float(candidates[np.argmin(above + below)])


def _finite(values: np.ndarray) -> np.ndarray:
    out = np.asarray(values, dtype=float)
    out = out[np.isfinite(out)]
    if len(out) == 0:
        raise UserError("value.costs.no_cases")
    return out


# --------------------------------------------------------------------------- uncertainty


@dataclass(frozen=True)
class Interval:
    """Mean of a per-row difference with its 95% interval and how it was computed."""

    mean: float
    low: float
    high: float
    method: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {"mean": self.mean, "low": self.low, "high": self.high, "method": self.method}


def mean_interval(diff: np.ndarray, confidence: float = 0.95, seed: int = 0) -> Interval:
    """The mean of ``diff`` with a percentile bootstrap interval (scipy), or the normal one for many rows.

    Above :data:`BOOTSTRAP_MAX_ROWS` rows the bootstrap equals the normal approximation to well
    within the interval's own precision and would take seconds, so the normal one is used.
    """
    d = np.asarray(diff, dtype=float)
    mean = float(d.mean())
    if len(d) < 2 or float(np.ptp(d)) == 0.0:
        return Interval(mean, mean, mean, "exact")
    if len(d) > BOOTSTRAP_MAX_ROWS:
        from scipy.stats import norm

        half = float(norm.ppf(0.5 + confidence / 2) * d.std(ddof=1) / math.sqrt(len(d)))
        return Interval(mean, mean - half, mean + half, "normal")
    from scipy.stats import bootstrap

    result = bootstrap((d,), np.mean, n_resamples=BOOTSTRAP_RESAMPLES, method="percentile", vectorized=True,
                       confidence_level=confidence, rng=np.random.default_rng(seed))
    ci = result.confidence_interval
    return Interval(mean, float(ci.low), float(ci.high), "bootstrap")


def policy_label(policy: str, lang: str) -> str:
    """A policy without a model in words ('Act on everyone', 'Always decide “B”')."""
    from core.i18n import t

    if policy.startswith(ALWAYS):
        return t("value.policy.always", lang, label=policy[len(ALWAYS):])
    return t(f"value.policy.{policy}", lang) if policy in (ACT_NONE, ACT_ALL, CONSTANT, BEST) else policy
