"""Acceptance criteria of a business goal and checking a model's results against them.

Criteria come in three kinds, any of which may be combined:

* metric targets, e.g. ``recall`` with direction ``min`` and value 0.8 (the metric must be
  at least 0.8; ``max`` means at most, e.g. an RMSE ceiling);
* a value target: the maximum average cost per case (from the cost matrix or the
  regression cost), e.g. 500 yen per customer in the churn workshop;
* a human baseline: the model must beat a novice on ``metric`` (novice < model), and the
  expert's score is the reference to approach (model < expert is expected, not required).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from core.errors import UserError
from core.value._serial import choice, items, nested, opt_float, text
from core.value.metrics import is_known, metric_id

DIRECTIONS: tuple[str, ...] = ("min", "max")


@dataclass
class MetricTarget:
    """A metric threshold: ``min`` = at least ``value``, ``max`` = at most ``value``."""

    metric: str
    direction: str = "min"
    value: float | None = None

    def __post_init__(self) -> None:
        if self.direction not in DIRECTIONS:
            raise UserError("value.error.bad_choice", value=self.direction, allowed=", ".join(DIRECTIONS))

    def passed(self, actual: float) -> bool:
        """Whether ``actual`` meets the target."""
        return actual >= self.value if self.direction == "min" else actual <= self.value

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {"metric": self.metric, "direction": self.direction, "value": self.value}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MetricTarget:
        """Build from :meth:`to_dict` output (metric text of older versions mapped to its id)."""
        return cls(metric_id(text(data, "metric")), choice(data, "direction", DIRECTIONS, "min"),
                   opt_float(data.get("value")))


@dataclass
class HumanBaseline:
    """Scores of a novice and an expert on ``metric`` (the model should beat the novice)."""

    metric: str
    novice: float | None = None
    expert: float | None = None
    higher_is_better: bool = True

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {"metric": self.metric, "novice": self.novice, "expert": self.expert,
                "higher_is_better": self.higher_is_better}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> HumanBaseline:
        """Build from :meth:`to_dict` output (metric text of older versions mapped to its id)."""
        return cls(metric_id(text(data, "metric")), opt_float(data.get("novice")), opt_float(data.get("expert")),
                   bool(data.get("higher_is_better", True)))


@dataclass
class AcceptanceCriteria:
    """What a model must achieve for the business goal to be met."""

    metrics: list[MetricTarget] = field(default_factory=list)
    max_cost_per_case: float | None = None
    human_baseline: HumanBaseline | None = None

    def is_empty(self) -> bool:
        """True when no criterion has been set."""
        has_metric = any(m.metric and m.value is not None for m in self.metrics)
        return not has_metric and self.max_cost_per_case is None and self.human_baseline is None

    def unknown_metrics(self) -> list[str]:
        """Metric names of criteria the Test step cannot measure (typed text that names no metric)."""
        names = [m.metric for m in self.metrics if m.metric]
        if self.human_baseline is not None and self.human_baseline.metric:
            names.append(self.human_baseline.metric)
        return [n for n in dict.fromkeys(names) if not is_known(n)]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {"metrics": [m.to_dict() for m in self.metrics],
                "max_cost_per_case": self.max_cost_per_case,
                "human_baseline": self.human_baseline.to_dict() if self.human_baseline else None}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> AcceptanceCriteria:
        """Build from :meth:`to_dict` output, tolerating missing keys."""
        data = data or {}
        return cls(items(data, "metrics", MetricTarget.from_dict), opt_float(data.get("max_cost_per_case")),
                   nested(data, "human_baseline", HumanBaseline.from_dict))


@dataclass(frozen=True)
class AcceptanceResult:
    """One checked criterion: ``passed`` is None when the actual value is unknown."""

    kind: str
    metric: str
    target: float | None
    actual: float | None
    passed: bool | None


def _baseline_result(baseline: HumanBaseline, actual: float | None) -> AcceptanceResult:
    """The model must beat the novice (in the baseline's direction)."""
    if actual is None or baseline.novice is None:
        return AcceptanceResult("human_baseline", baseline.metric, baseline.novice, actual, None)
    better = actual > baseline.novice if baseline.higher_is_better else actual < baseline.novice
    return AcceptanceResult("human_baseline", baseline.metric, baseline.novice, actual, better)


def check_acceptance(criteria: AcceptanceCriteria, metrics: Mapping[str, float],
                     cost_per_case: float | None = None) -> list[AcceptanceResult]:
    """Check measured ``metrics`` (name → value) and cost per case against ``criteria``."""
    results = []
    for target in criteria.metrics:
        actual = metrics.get(target.metric)
        ok = None if actual is None or target.value is None else target.passed(actual)
        results.append(AcceptanceResult(f"metric_{target.direction}", target.metric, target.value, actual, ok))
    if criteria.max_cost_per_case is not None:
        ok = None if cost_per_case is None else cost_per_case <= criteria.max_cost_per_case
        results.append(AcceptanceResult("max_cost_per_case", "cost_per_case", criteria.max_cost_per_case,
                                        cost_per_case, ok))
    if criteria.human_baseline is not None:
        baseline = criteria.human_baseline
        results.append(_baseline_result(baseline, metrics.get(baseline.metric)))
    return results
