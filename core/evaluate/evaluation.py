"""One evaluation of a run: performance, decision in money, value, speed and the verdict, computed together.

The verdict is always taken with the decision rule chosen on validation rows (a threshold, the
least expected cost, a quantile shift; 0.5 without costs): a threshold moved by hand on the page
is for exploring, never for deciding, because it would be tuned on the test set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from core.db import Store
from core.errors import UserError
from core.messages import Message
from core.evaluate.data import EvalData, load_eval_data
from core.evaluate.decision import DecisionResult, decide, decided_test_labels
from core.evaluate.performance import Performance, get_baselines_df, measure
from core.evaluate.speed import Speed, measure_speed
from core.evaluate.threshold import DEFAULT, ThresholdResult, choose_threshold
from core.evaluate.value import MeasuredValue, measure_value
from core.evaluate.verdict import Verdict, build_verdict


@dataclass
class Evaluation:
    """Everything Step 6 shows about one model."""

    data: EvalData
    default: Performance
    performance: Performance
    threshold: ThresholdResult | None
    threshold_error: Message | None
    decision: DecisionResult | None
    decision_error: Message | None
    value: MeasuredValue
    speed: Speed | None
    verdict: Verdict
    baselines: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def threshold_in_use(self) -> float | None:
        """The decision threshold the verdict uses (binary only)."""
        if self.data.problem_type != "binary":
            return None
        return self.threshold.chosen if self.threshold is not None else DEFAULT

    @property
    def cost_per_case(self) -> float | None:
        """Test-set cost per case of the model's decisions (when the goal prices them)."""
        return self.decision.model_test_cost if self.decision is not None else None


def _attempt(fn: Any) -> tuple[Any, Message | None]:
    try:
        return fn(), None
    except UserError as exc:
        return None, exc.msg


def _facts(data: EvalData, decision: DecisionResult | None, threshold: ThresholdResult | None,
           value: MeasuredValue) -> dict[str, Any]:
    return {"rows": len(data.y_test), "model": data.model,
            "cost_per_case": decision.model_test_cost if decision is not None else None,
            "budget": data.goal.acceptance.max_cost_per_case,
            "default_cost": threshold.default_view["cost_per_case"] if threshold is not None else None,
            "threshold": threshold.chosen if threshold is not None else DEFAULT,
            "value_added": decision.value_added if decision is not None else None,
            "value_added_low": decision.best_policy.saving.low if decision is not None else None,
            "value_added_high": decision.best_policy.saving.high if decision is not None else None,
            "best_policy": decision.best_policy.policy if decision is not None else None,
            "practice": value.practice,
            "roi_verdict": value.measured_roi.verdict if value.measured_roi is not None else None,
            "break_even_day": value.measured_roi.break_even_day if value.measured_roi else None,
            "planned_break_even_day": value.planned.break_even_day if value.planned else None}


def evaluate_run(store: Store, run_id: int, model: str | None = None, *, data: EvalData | None = None,
                 with_speed: bool = True) -> Evaluation:
    """Evaluate the run's model on its locked test set against the business goal."""
    data = data or load_eval_data(store, run_id, model)
    default = measure(data)
    threshold, threshold_error = _attempt(lambda: choose_threshold(data)) if data.problem_type == "binary" \
        else (None, None)
    decision, decision_error = _attempt(lambda: decide(data))
    if data.problem_type == "binary":
        performance = measure(data, threshold.chosen) if threshold is not None else default
    elif data.problem_type == "multiclass" and decision is not None:
        performance = measure(data, decided=decided_test_labels(data, decision))
    else:
        performance = default
    value = measure_value(data, decision)
    speed = measure_speed(data) if with_speed else None
    roi = value.measured_roi.verdict if value.measured_roi is not None else None
    measurable = value.planned is not None and decision is not None
    verdict = build_verdict(data.goal.acceptance, performance.metrics, cost_per_case=None if decision is None else decision.model_test_cost,
                            speed=speed, roi_verdict=roi, decision=decision, roi_measurable=measurable,
                            facts=_facts(data, decision, threshold, value))
    return Evaluation(data, default, performance, threshold, threshold_error, decision, decision_error, value, speed,
                      verdict, get_baselines_df(data))

