"""The business value of Step 1 measured on the test rows, from measured quantities only.

Rule (shown on the page and in the report, with its numbers)::

    measured value per period = (cost per case of today's practice − the model's cost per case)
                                × cases per period

Both costs are measured on the locked test rows with the goal's costs (``core.evaluate.decision``);
today's practice (act on no one, act on everyone, always one class, a constant quantity, or the
cheapest of these) and the cases per period are fields of the goal (Business page, beside the
costs). Development and operation costs are unchanged, so break-even follows from the
measured value alone. Nothing is scaled by an acceptance target. Without costs or cases per
period there is no measured value; the reason is kept in ``error``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from core.errors import UserError
from core.evaluate.data import EvalData
from core.evaluate.decision import DecisionResult
from core.messages import Message
from core.value import RoiInputs, RoiSummary, cumulative_net_df, roi_summary


@dataclass
class MeasuredValue:
    """Planned vs measured value per period and break-even."""

    period: str = "day"
    planned_value: float | None = None
    planned: RoiSummary | None = None
    practice: str = ""
    today_cost: float | None = None
    model_cost: float | None = None
    cases: float | None = None
    cases_period: str = "month"
    measured_value: float | None = None
    measured_roi: RoiSummary | None = None
    error: Message | None = None

    @property
    def saving_per_case(self) -> float | None:
        """Today's cost per case minus the model's (positive = the model saves money)."""
        if self.today_cost is None or self.model_cost is None:
            return None
        return self.today_cost - self.model_cost

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready numbers (what the decision record keeps)."""
        def roi(s: RoiSummary | None) -> dict[str, Any] | None:
            return None if s is None else {"value_per_day": s.value_per_day, "net_per_day": s.net_per_day,
                                           "break_even_day": s.break_even_day, "verdict": s.verdict}

        return {"planned_value": self.planned_value, "period": self.period, "planned": roi(self.planned),
                "practice": self.practice, "today_cost": self.today_cost, "model_cost": self.model_cost,
                "cases": self.cases, "cases_period": self.cases_period, "measured_value": self.measured_value,
                "measured": roi(self.measured_roi),
                "error": None if self.error is None else self.error.to_dict()}


def _measured_inputs(planned: RoiInputs, value: MeasuredValue) -> RoiInputs:
    """The ROI inputs with the measured value per cases' period (the operation cost keeps its own period)."""
    return replace(planned, value_per_period=value.measured_value, period=value.cases_period,
                   operation_period=planned.operation_period or planned.period,
                   working_days_per_month=planned.working_days_per_month if value.cases_period == "day" else None)


def _practice(data: EvalData, decision: DecisionResult | None, out: MeasuredValue) -> None:
    """Today's cost per case and the model's, on the test rows (or why they are unknown)."""
    practice = data.goal.practice
    out.practice = practice.policy_for(data.problem_type)
    out.cases, out.cases_period = practice.cases, practice.period
    if decision is None:
        out.error = Message("evaluate.value.error.no_costs")
        return
    today = decision.policy(out.practice)
    if today is None:
        out.error = Message("evaluate.value.error.unknown_practice", {"policy": out.practice})
        return
    out.today_cost, out.model_cost = today.test_cost, decision.model_test_cost
    if out.practice == "best":
        out.practice = today.policy
    if practice.cases is None or practice.cases <= 0:
        out.error = Message("evaluate.value.error.no_cases")
        return
    out.measured_value = out.saving_per_case * practice.cases


def measure_value(data: EvalData, decision: DecisionResult | None) -> MeasuredValue:
    """Planned and measured value per period and break-even."""
    out = MeasuredValue()
    _practice(data, decision, out)
    try:
        planned = data.goal.roi_inputs()
    except UserError as exc:
        out.error = out.error or exc.msg
        return out
    out.period, out.planned_value = planned.period, planned.value_per_period
    try:
        out.planned = roi_summary(planned)
        if out.measured_value is not None:
            out.measured_roi = roi_summary(_measured_inputs(planned, out))
    except UserError as exc:
        out.error = exc.msg
    return out


GAP = 3.0
"""Planned and measured value this many times apart means one of them rests on a wrong number."""


def planned_gap(value: MeasuredValue) -> float | None:
    """How many times the measured value differs from the planned one, when more than :data:`GAP` (else None)."""
    if value.measured_roi is None or value.planned is None:
        return None
    planned, measured = value.planned.value_per_day, value.measured_roi.value_per_day
    if planned <= 0 or measured <= 0:
        return None
    ratio = max(planned, measured) / min(planned, measured)
    return ratio if ratio > GAP else None


def measured_cumulative_df(data: EvalData, value: MeasuredValue) -> pd.DataFrame:
    """Cumulative net per day with the measured value (for the break-even chart)."""
    return cumulative_net_df(_measured_inputs(data.goal.roi_inputs(), value))


def get_roi_df(value: MeasuredValue) -> pd.DataFrame:
    """Planned vs measured: value per period (each in its own period), net per day, break-even day, verdict."""
    rows = []
    for which, summary, per_period, period in (("planned", value.planned, value.planned_value, value.period),
                                               ("measured", value.measured_roi, value.measured_value,
                                                value.cases_period)):
        if summary is None:
            continue
        rows.append({"which": which, "value_per_period": per_period, "period": period,
                     "value_per_day": summary.value_per_day, "net_per_day": summary.net_per_day,
                     "break_even_day": summary.break_even_day, "verdict": summary.verdict,
                     "net_at_horizon": summary.net_at_horizon})
    df = pd.DataFrame(rows, columns=["which", "value_per_period", "period", "value_per_day", "net_per_day",
                                     "break_even_day", "verdict", "net_at_horizon"])
    df["break_even_day"] = df["break_even_day"].astype("Int64")
    return df

