"""One evaluation of a run: performance, threshold, value, speed and the verdict, computed together.

The verdict is always taken at the threshold chosen on validation rows (0.5 without a cost
matrix): a threshold moved by hand on the page is for exploring, never for deciding, because
it would be tuned on the test set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from core.db import Store
from core.errors import UserError
from core.evaluate.data import EvalData, load_eval_data
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
    threshold_error: tuple[str, dict[str, Any]] | None
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
        """Test-set cost per case at the threshold in use (binary with a cost matrix)."""
        return self.threshold.chosen_view["cost_per_case"] if self.threshold is not None else None


def _regression_cost(data: EvalData) -> float | None:
    spec = data.goal.regression_cost
    if data.problem_type != "regression" or spec is None or spec.cost_per_unit is None:
        return None
    from core.value import regression_cost

    return regression_cost(data.y_test.to_numpy(dtype=float), data.scores, spec.cost_per_unit,
                           spec.tolerance).cost_per_case


def evaluate_run(store: Store, run_id: int, model: str | None = None, *, data: EvalData | None = None,
                 with_speed: bool = True) -> Evaluation:
    """Evaluate the run's model on its locked test set against the business goal."""
    data = data or load_eval_data(store, run_id, model)
    default = measure(data)
    threshold, error = None, None
    if data.problem_type == "binary":
        try:
            threshold = choose_threshold(data)
        except UserError as exc:
            error = (exc.key, exc.params)
    performance = measure(data, threshold.chosen) if threshold is not None else default
    cost = threshold.chosen_view["cost_per_case"] if threshold is not None else _regression_cost(data)
    value = measure_value(data, performance.metrics, cost)
    speed = measure_speed(data) if with_speed else None
    roi = value.measured_roi.verdict if value.measured_roi is not None else None
    facts = {"rows": len(data.y_test), "model": data.model, "cost_per_case": cost,
             "budget": data.goal.acceptance.max_cost_per_case,
             "default_cost": threshold.default_view["cost_per_case"] if threshold is not None else None,
             "threshold": threshold.chosen if threshold is not None else DEFAULT, "roi_verdict": roi,
             "break_even_day": value.measured_roi.break_even_day if value.measured_roi else None,
             "planned_break_even_day": value.planned.break_even_day if value.planned else None}
    verdict = build_verdict(data.goal.acceptance, performance.metrics, cost_per_case=cost, speed=speed,
                            roi_verdict=roi, facts=facts)
    return Evaluation(data, default, performance, threshold, error, value, speed, verdict, get_baselines_df(data))
