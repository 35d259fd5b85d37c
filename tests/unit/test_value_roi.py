"""Break-even, scenarios, sensitivity and the solver, checked against the workshop example."""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
import pytest

from core.errors import UserError
from core.value.formula import Parameter, ValueFormula
from core.value.plots import plot_cumulative_net, plot_scenarios, plot_tornado
from core.value.roi import (DAYS_PER_MONTH, RoiInputs, break_even_day, compare_scenarios, cumulative_net_df,
                            daily_cost, daily_value, per_day, roi_summary, solve_for, tornado_df, verdict,
                            with_formula)
from core.value.templates import labour_saving

SCENARIOS = {"A": {"workers_after": 2, "hours_after": 7.5},
             "B": {"workers_after": 10, "hours_after": 7.5},
             "C": {"workers_after": 10, "hours_after": 2}}


def workshop_roi(**changes) -> RoiInputs:
    """Development 10,000,000; operation 100,000 (per the value's period, i.e. per day); 3 years."""
    return replace(RoiInputs(development_cost=10_000_000, operation_cost=100_000, horizon_days=1095), **changes)


def error_key(func, *args) -> str:
    with pytest.raises(UserError) as info:
        func(*args)
    return info.value.key


# --------------------------------------------------------------------------- the workshop example


def test_workshop_scenarios_reproduce_the_verdicts() -> None:
    df = compare_scenarios(labour_saving(), SCENARIOS, workshop_roi()).set_index("scenario")
    assert list(df["value_per_period"]) == [162_000, 90_000, 156_000]
    a, b, c = (df.loc[name] for name in "ABC")
    assert a["break_even_day"] == 162 and a["break_even_day"] < 200 and a["verdict"] == "pays_back"
    assert pd.isna(b["break_even_day"]) and b["verdict"] == "loss" and b["net_per_day"] < 0
    assert c["break_even_day"] == 179 and c["verdict"] == "pays_back"
    assert abs(c["break_even_day"] - a["break_even_day"]) < 0.15 * a["break_even_day"]  # "about the same"


def test_break_even_is_the_first_day_with_non_negative_cumulative_net() -> None:
    inputs = with_formula(workshop_roi(), labour_saving())
    day = break_even_day(inputs)
    df = cumulative_net_df(inputs).set_index("day")
    assert df.loc[day, "cumulative_net"] >= 0 > df.loc[day - 1, "cumulative_net"]
    assert day == math.ceil(10_000_000 / (162_000 - 100_000))


def test_monthly_operation_cost_would_contradict_the_workshop() -> None:
    """Why the default charges operation cost per the value's period: per month, B would pay back."""
    b = with_formula(workshop_roi(operation_period="month"), labour_saving(workers_after=10))
    assert daily_cost(b) == pytest.approx(100_000 / DAYS_PER_MONTH)
    assert break_even_day(b) == 116


def test_working_days_per_month_averages_the_daily_value() -> None:
    inputs = with_formula(workshop_roi(working_days_per_month=20), labour_saving())
    assert daily_value(inputs) == pytest.approx(162_000 * 20 * 12 / 365)
    # ≈ 106,521 a calendar day: still above the 100,000 cost, but too slow for three years
    assert break_even_day(inputs) is None and verdict(inputs) == "too_slow"


def test_cumulative_df_shape_and_endpoints() -> None:
    inputs = with_formula(workshop_roi(), labour_saving())
    df = cumulative_net_df(inputs)
    assert list(df.columns) == ["day", "cumulative_value", "cumulative_cost", "cumulative_net"]
    assert len(df) == 1096 and df["day"].iloc[-1] == 1095
    assert df["cumulative_net"].iloc[0] == -10_000_000
    assert df["cumulative_net"].iloc[-1] == pytest.approx(62_000 * 1095 - 10_000_000)
    assert roi_summary(inputs).net_at_horizon == pytest.approx(df["cumulative_net"].iloc[-1])


# --------------------------------------------------------------------------- conversions and edge cases


def test_period_conversions() -> None:
    assert DAYS_PER_MONTH == pytest.approx(30.4167, abs=1e-4)
    assert per_day(12 * 1000, "year") == pytest.approx(per_day(1000, "month"))
    assert per_day(700, "day") == 700
    assert error_key(per_day, 1, "week") == "value.error.bad_period"


def test_zero_hourly_pay_never_pays_back() -> None:
    inputs = with_formula(workshop_roi(), labour_saving(hourly_pay=0))
    assert inputs.value_per_period == 0
    assert break_even_day(inputs) is None and verdict(inputs) == "loss"


def test_more_work_after_is_a_loss_not_an_error() -> None:
    inputs = with_formula(workshop_roi(), labour_saving(workers_after=25))
    assert inputs.value_per_period < 0
    assert verdict(inputs) == "loss" and roi_summary(inputs).net_per_day < -100_000


def test_positive_but_slow_is_too_slow() -> None:
    inputs = workshop_roi(value_per_period=105_000)  # 10,000,000 / 5,000 = 2,000 days
    assert break_even_day(inputs) is None and verdict(inputs) == "too_slow"
    assert break_even_day(replace(inputs, horizon_days=2000)) == 2000


def test_no_development_cost_breaks_even_on_day_zero() -> None:
    assert break_even_day(workshop_roi(development_cost=0, value_per_period=100_001)) == 0


def test_exact_division_is_not_pushed_a_day_late() -> None:
    # 10,000,000 / 50,000 = 200 exactly
    assert break_even_day(workshop_roi(value_per_period=150_000)) == 200


@pytest.mark.parametrize("changes, key", [
    ({"development_cost": -1}, "value.roi.negative_development_cost"),
    ({"operation_cost": -5}, "value.roi.negative_operation_cost"),
    ({"development_cost": None}, "value.roi.missing_development_cost"),
    ({"operation_cost": None}, "value.roi.missing_operation_cost"),
    ({"value_per_period": None}, "value.roi.missing_value_per_period"),
    ({"horizon_days": 0}, "value.roi.bad_horizon"),
    ({"horizon_days": 10**9}, "value.roi.bad_horizon"),
    ({"development_cost": float("nan")}, "value.roi.not_finite"),
    ({"value_per_period": 1e306}, "value.roi.not_finite"),
    ({"working_days_per_month": 0}, "value.roi.bad_working_days"),
])
def test_bad_inputs(changes: dict, key: str) -> None:
    inputs = replace(workshop_roi(value_per_period=1000), **changes)
    assert error_key(break_even_day, inputs) == key
    assert error_key(cumulative_net_df, inputs) == key


def test_huge_but_finite_numbers_stay_sensible() -> None:
    inputs = workshop_roi(development_cost=1e15, value_per_period=1e13)
    assert break_even_day(inputs) == 101  # 1e15 / (1e13 − 1e5) just over 100
    assert math.isfinite(cumulative_net_df(inputs)["cumulative_net"].iloc[-1])


def test_roi_inputs_round_trip_and_tolerant_loading() -> None:
    inputs = workshop_roi(value_per_period=5.5, operation_period="month", working_days_per_month=20)
    assert RoiInputs.from_dict(inputs.to_dict()) == inputs
    old = RoiInputs.from_dict({"development_cost": "1000", "period": "fortnight"})
    assert old.development_cost == 1000 and old.operation_cost is None
    assert old.period == "day" and old.horizon_days == 1095 and old.operation_period is None


# --------------------------------------------------------------------------- sensitivity


def test_tornado_reports_break_even_changes() -> None:
    df = tornado_df(labour_saving(), workshop_roi())
    assert set(df["parameter"]) == {"workers_before", "hours_before", "workers_after", "hours_after", "hourly_pay"}
    assert list(df["swing"]) == sorted(df["swing"], reverse=True)
    row = df.set_index("parameter").loc["hourly_pay"]
    assert (row["low_value"], row["high_value"]) == pytest.approx((960, 1440))
    # (20·7.5 − 2·7.5) = 135 hours saved a day
    assert row["break_even_low"] == math.ceil(10_000_000 / (135 * 960 - 100_000)) == 338
    assert row["break_even_high"] == math.ceil(10_000_000 / (135 * 1440 - 100_000))
    assert row["change_low"] == 338 - 162 and row["change_high"] < 0


def test_tornado_handles_never() -> None:
    # C-like estimate close to the edge: −20% hourly pay makes the value fall below the cost.
    formula = labour_saving(workers_after=10, hours_after=2)
    df = tornado_df(formula, workshop_roi(), pct=0.4).set_index("parameter")
    row = df.loc["hourly_pay"]
    assert pd.isna(row["break_even_low"]) and pd.isna(row["change_low"])
    assert row["break_even_base"] == 179 and not pd.isna(row["break_even_high"])


def test_tornado_rejects_bad_pct() -> None:
    assert error_key(tornado_df, labour_saving(), workshop_roi(), 0) == "value.roi.bad_pct"


# --------------------------------------------------------------------------- solver


@pytest.mark.parametrize("param", ["workers_after", "hourly_pay", "hours_after", "workers_before"])
@pytest.mark.parametrize("days", [150, 200, 365, 1000])
def test_solver_gives_break_even_on_the_target_day(param: str, days: int) -> None:
    formula, roi = labour_saving(), workshop_roi()
    x = solve_for(param, formula, roi, days)
    assert x is not None and x >= 0
    assert break_even_day(with_formula(roi, formula, {param: x})) == days


def test_solver_closed_form_value() -> None:
    # value needed = 100,000 + 10,000,000 / 200 = 150,000 → (150 − 7.5·w)·1200 = 150,000 → w = 10/3
    assert solve_for("workers_after", labour_saving(), workshop_roi(), 200) == pytest.approx(10 / 3)


def test_solver_on_a_nonlinear_formula() -> None:
    formula = ValueFormula("v", "items / minutes_per_item * margin", [
        Parameter("items", 6000), Parameter("minutes_per_item", 2), Parameter("margin", 50)])
    roi = RoiInputs(development_cost=1_000_000, operation_cost=10_000, horizon_days=1000)
    x = solve_for("minutes_per_item", formula, roi, 50)
    assert x is not None
    assert break_even_day(with_formula(roi, formula, {"minutes_per_item": x})) == 50
    assert x == pytest.approx(6000 * 50 / (10_000 + 1_000_000 / 50), rel=1e-6)


def test_solver_returns_none_when_impossible() -> None:
    roi = workshop_roi()
    # Recovering 10,000,000 in one day needs a negative number of hours after ML.
    assert solve_for("hours_after", labour_saving(), roi, 1) is None
    assert solve_for("hours_after", labour_saving(), roi, 1, allow_negative=True) < 0
    # A parameter that does not move the value cannot be solved for.
    formula = ValueFormula("v", "a + b * 0", [Parameter("a", 1), Parameter("b", 1)])
    assert solve_for("b", formula, roi, 100) is None


def test_solver_bad_input() -> None:
    assert error_key(solve_for, "workers_after", labour_saving(), workshop_roi(), 0) == "value.roi.bad_days"
    assert error_key(solve_for, "nope", labour_saving(), workshop_roi(), 10) == "value.formula.unknown_name"


# --------------------------------------------------------------------------- plots


def test_roi_plots_are_labelled_in_the_requested_language() -> None:
    inputs = with_formula(workshop_roi(), labour_saving())
    fig = plot_cumulative_net(cumulative_net_df(inputs), 162, "JPY", "ja")
    assert len(fig.data) == 3 and fig.layout.xaxis.title.text == "リリースからの日数"
    assert any("162" in (a.text or "") for a in fig.layout.annotations)
    never = plot_cumulative_net(cumulative_net_df(inputs), None, "JPY", "en")
    assert any(a.text == "Never pays back" for a in never.layout.annotations)
    scen = plot_scenarios(compare_scenarios(labour_saving(), SCENARIOS, workshop_roi()), "JPY", "en")
    assert list(scen.data[0].x) == ["A", "B", "C"] and "Never pays back" in scen.data[0].text[1]
    tornado = plot_tornado(tornado_df(labour_saving(), workshop_roi()), "en")
    assert len(tornado.data) == 2 and tornado.data[0].orientation == "h"
