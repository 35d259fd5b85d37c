"""The business value of Step 1 recomputed with the performance measured on the test set.

Rule (shown on the page and in the report): the value formula of Step 1 estimates the value per
period of a model that performs *as planned*. The measured value scales that estimate by the
ratio of the measured to the assumed performance of the metric that drives the value:

* binary: **recall** at the chosen threshold (the value comes from the positive cases caught:
  churners kept, defects found);
* multiclass: **accuracy**; regression: the **share of predictions within the tolerance** when
  the goal sets one, else **R²** (clipped at 0).

The assumed performance is the goal's own acceptance target for that metric when it has one
(the plan promised it), else 1.0 (the formula assumed every case handled). Development and
operation costs are unchanged, so break-even moves only through the value. For a binary goal
with a cost matrix the cost per case is also compared with running **without a model** (acting
on nobody: every positive becomes a false negative), giving the saving per case.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from core.errors import UserError
from core.evaluate.data import EvalData
from core.evaluate.metrics import canonical
from core.value import RoiSummary, cumulative_net_df, regression_cost, roi_summary


@dataclass
class MeasuredValue:
    """Planned vs measured value and break-even."""

    driver: str
    measured: float | None
    assumed: float
    factor: float | None
    period: str = "day"
    planned_value: float | None = None
    measured_value: float | None = None
    planned: RoiSummary | None = None
    measured_roi: RoiSummary | None = None
    no_model_cost: float | None = None
    model_cost: float | None = None
    error: tuple[str, dict[str, Any]] | None = None

    @property
    def saving_per_case(self) -> float | None:
        """No-model cost per case minus the model's (positive = the model saves money)."""
        if self.no_model_cost is None or self.model_cost is None:
            return None
        return self.no_model_cost - self.model_cost


def driver_metric(data: EvalData) -> str:
    """Which measured metric scales the value (see the module docstring)."""
    if data.problem_type == "binary":
        return "recall"
    if data.problem_type == "multiclass":
        return "accuracy"
    spec = data.goal.regression_cost
    return "within_tolerance" if spec is not None and spec.tolerance is not None else "r2"


def _assumed(data: EvalData, metric: str) -> float:
    for target in data.goal.acceptance.metrics:
        if canonical(target.metric) == metric and target.value and target.direction == "min":
            return float(target.value)
    return 1.0


def _measured(data: EvalData, metric: str, metrics: dict[str, float | None]) -> float | None:
    if metric == "within_tolerance":
        spec = data.goal.regression_cost
        result = regression_cost(data.y_test.to_numpy(dtype=float), data.scores, tolerance=spec.tolerance)
        return result.within_tolerance
    value = metrics.get(metric)
    return None if value is None else max(0.0, float(value))


def no_model_cost(data: EvalData) -> float | None:
    """Cost per case of acting on nobody (every test row predicted negative), from the cost matrix."""
    matrix = data.goal.cost_matrix
    if data.problem_type != "binary" or matrix is None:
        return None
    y = data.y01()
    return matrix.cost_per_case(tp=0, fp=0, fn=int(y.sum()), tn=int(len(y) - y.sum()))


def measure_value(data: EvalData, metrics: dict[str, float | None], model_cost: float | None = None) -> MeasuredValue:
    """Planned and measured value per period and break-even (``metrics`` at the chosen threshold)."""
    driver = driver_metric(data)
    measured, assumed = _measured(data, driver, metrics), _assumed(data, driver)
    factor = None if measured is None else measured / assumed
    out = MeasuredValue(driver, measured, assumed, factor, no_model_cost=no_model_cost(data), model_cost=model_cost)
    try:
        planned = data.goal.roi_inputs()
    except UserError as exc:
        out.error = (exc.key, exc.params)
        return out
    out.period, out.planned_value = planned.period, planned.value_per_period
    try:
        out.planned = roi_summary(planned)
        if factor is not None:
            measured_inputs = replace(planned, value_per_period=planned.value_per_period * factor)
            out.measured_value = measured_inputs.value_per_period
            out.measured_roi = roi_summary(measured_inputs)
    except UserError as exc:
        out.error = (exc.key, exc.params)
    return out


def measured_cumulative_df(data: EvalData, value: MeasuredValue) -> pd.DataFrame:
    """Cumulative net per day with the measured value (for the break-even chart)."""
    inputs = replace(data.goal.roi_inputs(), value_per_period=value.measured_value)
    return cumulative_net_df(inputs)


def get_roi_df(value: MeasuredValue) -> pd.DataFrame:
    """Planned vs measured: value per day, net per day, break-even day, verdict."""
    rows = []
    for which, summary, per_period in (("planned", value.planned, value.planned_value),
                                       ("measured", value.measured_roi, value.measured_value)):
        if summary is None:
            continue
        rows.append({"which": which, "value_per_period": per_period, "value_per_day": summary.value_per_day,
                     "net_per_day": summary.net_per_day, "break_even_day": summary.break_even_day,
                     "verdict": summary.verdict, "net_at_horizon": summary.net_at_horizon})
    df = pd.DataFrame(rows, columns=["which", "value_per_period", "value_per_day", "net_per_day", "break_even_day",
                                     "verdict", "net_at_horizon"])
    df["break_even_day"] = df["break_even_day"].astype("Int64")
    return df


def is_finite(value: float | None) -> bool:
    """A present, finite number."""
    return value is not None and bool(np.isfinite(value))
