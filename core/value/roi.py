"""Break-even (return on investment) of a value formula over calendar days.

Model (all amounts are plain floats in the goal's currency)::

    cumulative_value(d) = d × value_per_day
    cumulative_cost(d)  = development_cost + d × operation_cost_per_day
    cumulative_net(d)   = cumulative_value(d) − cumulative_cost(d)

for day ``d = 0 … horizon_days``; the break-even day is the first ``d`` with
``cumulative_net(d) ≥ 0``.

Period conversions: a day is a calendar day, a month is ``365 / 12`` days
(≈ 30.42, so twelve months make exactly one 365-day year) and a year is 365 days.

Two choices matter for the workshop's worked example (20 workers × 7.5 h/day before,
1,200/h, development 10,000,000, operation 100,000, three years):

* ``operation_period=None`` (the default) charges the operation cost **per the same
  period as the value formula**. Only this reading reproduces the workshop's verdicts:
  with a per-day value the operation cost of 100,000 is per day, so estimate B
  (10 workers after → 90,000/day) can never cover it (a loss), A breaks even on
  day 162 and C on day 179. Charging 100,000 per *month* instead would make B pay back
  in about 115 days, contradicting the workshop. Set ``operation_period="month"``
  for a monthly bill.
* ``working_days_per_month=None`` (the default) earns a per-day value on every calendar
  day, as the workshop does. Set e.g. ``20`` to earn it only on working days
  (the daily value is then averaged over calendar days). Costs always accrue daily.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from typing import Any, Callable, Mapping

import numpy as np
import pandas as pd

from core.errors import UserError
from core.value._serial import opt_float as _opt_float
from core.value.formula import PERIODS, ValueFormula

DAYS_PER_YEAR = 365.0
DAYS_PER_MONTH = DAYS_PER_YEAR / 12
MAX_HORIZON_DAYS = 36_500
_DAYS_IN: dict[str, float] = {"day": 1.0, "month": DAYS_PER_MONTH, "year": DAYS_PER_YEAR}
VERDICTS: tuple[str, ...] = ("pays_back", "too_slow", "loss")
"""``pays_back`` within the horizon; ``too_slow``: net positive but not within the
horizon; ``loss``: the daily value does not exceed the daily operation cost."""


@dataclass
class RoiInputs:
    """Costs, value and horizon of one break-even calculation (see module docstring)."""

    development_cost: float | None
    operation_cost: float | None
    value_per_period: float | None = None
    period: str = "day"
    operation_period: str | None = None
    horizon_days: int = 1095
    working_days_per_month: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> RoiInputs:
        """Build from :meth:`to_dict` output, tolerating missing keys (no checks here)."""
        data = data or {}
        period = data.get("period", "day")
        op_period = data.get("operation_period")
        horizon = _opt_float(data.get("horizon_days"))
        return cls(development_cost=_opt_float(data.get("development_cost")),
                   operation_cost=_opt_float(data.get("operation_cost")),
                   value_per_period=_opt_float(data.get("value_per_period")),
                   period=period if period in PERIODS else "day",
                   operation_period=op_period if op_period in PERIODS else None,
                   horizon_days=int(horizon) if horizon is not None else 1095,
                   working_days_per_month=_opt_float(data.get("working_days_per_month")))


@dataclass(frozen=True)
class RoiSummary:
    """Headline numbers of one break-even calculation."""

    value_per_day: float
    cost_per_day: float
    net_per_day: float
    break_even_day: int | None
    verdict: str
    net_at_horizon: float


# --------------------------------------------------------------------------- checks


def _check_amount(value: float | None, name: str, allow_negative: bool) -> float:
    """A present, finite (and unless allowed, non-negative) amount."""
    if value is None:
        raise UserError(f"value.roi.missing_{name}")
    if not math.isfinite(value):
        raise UserError("value.roi.not_finite")
    if value < 0 and not allow_negative:
        raise UserError(f"value.roi.negative_{name}")
    return float(value)


def check_roi(inputs: RoiInputs) -> RoiInputs:
    """Validate ``inputs`` (UserError on the first problem) and return them."""
    _check_amount(inputs.development_cost, "development_cost", False)
    _check_amount(inputs.operation_cost, "operation_cost", False)
    _check_amount(inputs.value_per_period, "value_per_period", True)
    if inputs.period not in PERIODS or (inputs.operation_period or "day") not in PERIODS:
        raise UserError("value.error.bad_period", value=inputs.period, allowed=", ".join(PERIODS))
    if not 1 <= inputs.horizon_days <= MAX_HORIZON_DAYS:
        raise UserError("value.roi.bad_horizon", max=MAX_HORIZON_DAYS)
    wd = inputs.working_days_per_month
    if wd is not None and not 0 < wd <= 31:
        raise UserError("value.roi.bad_working_days")
    totals = (daily_value(inputs) * inputs.horizon_days, daily_cost(inputs) * inputs.horizon_days)
    if not all(math.isfinite(x) for x in totals):
        raise UserError("value.roi.not_finite")
    return inputs


# --------------------------------------------------------------------------- conversions


def per_day(amount: float, period: str) -> float:
    """Convert an amount per ``period`` to per calendar day (month = 365/12 days)."""
    if period not in _DAYS_IN:
        raise UserError("value.error.bad_period", value=period, allowed=", ".join(PERIODS))
    return amount / _DAYS_IN[period]


def daily_value(inputs: RoiInputs) -> float:
    """Value per calendar day (working days averaged over the month when given)."""
    value = float(inputs.value_per_period or 0.0)
    if inputs.period == "day" and inputs.working_days_per_month is not None:
        return value * inputs.working_days_per_month / DAYS_PER_MONTH
    return per_day(value, inputs.period)


def daily_cost(inputs: RoiInputs) -> float:
    """Operation cost per calendar day (its period defaults to the value's period)."""
    return per_day(float(inputs.operation_cost or 0.0), inputs.operation_period or inputs.period)


# --------------------------------------------------------------------------- break-even


def break_even_day(inputs: RoiInputs) -> int | None:
    """First day the cumulative net is ≥ 0; None if never within the horizon.

    Also None whenever the daily value does not exceed the daily operation cost.
    """
    check_roi(inputs)
    net = daily_value(inputs) - daily_cost(inputs)
    if net <= 0:
        return None
    day = max(0, math.ceil(float(inputs.development_cost) / net - 1e-9))
    return day if day <= inputs.horizon_days else None


def verdict(inputs: RoiInputs) -> str:
    """One of :data:`VERDICTS` for ``inputs``."""
    if break_even_day(inputs) is not None:
        return "pays_back"
    return "too_slow" if daily_value(inputs) > daily_cost(inputs) else "loss"


def roi_summary(inputs: RoiInputs) -> RoiSummary:
    """Daily value, cost and net, break-even day, verdict and net at the horizon."""
    day = break_even_day(inputs)
    value, cost = daily_value(inputs), daily_cost(inputs)
    net_end = (value - cost) * inputs.horizon_days - float(inputs.development_cost)
    return RoiSummary(value, cost, value - cost, day, verdict(inputs), net_end)


def cumulative_net_df(inputs: RoiInputs) -> pd.DataFrame:
    """Per day 0…horizon: cumulative_value, cumulative_cost, cumulative_net."""
    check_roi(inputs)
    days = np.arange(inputs.horizon_days + 1)
    value = days * daily_value(inputs)
    cost = float(inputs.development_cost) + days * daily_cost(inputs)
    return pd.DataFrame({"day": days, "cumulative_value": value,
                         "cumulative_cost": cost, "cumulative_net": value - cost})


def with_formula(roi: RoiInputs, formula: ValueFormula,
                 overrides: Mapping[str, float] | None = None) -> RoiInputs:
    """``roi`` with its value and period taken from ``formula`` (plus what-if overrides)."""
    return replace(roi, value_per_period=formula.evaluate(overrides), period=formula.period)


# --------------------------------------------------------------------------- scenarios


def compare_scenarios(base_formula: ValueFormula, scenarios: Mapping[str, Mapping[str, float]],
                      roi: RoiInputs) -> pd.DataFrame:
    """One row per scenario (name → parameter overrides; ``{}`` is the base case).

    Columns: scenario, value_per_period, value_per_day, cost_per_day, net_per_day,
    break_even_day (nullable Int64, <NA> = never), verdict, net_at_horizon.
    """
    rows = []
    for name, overrides in scenarios.items():
        inputs = with_formula(roi, base_formula, overrides)
        summary = roi_summary(inputs)
        rows.append({"scenario": name, "value_per_period": inputs.value_per_period,
                     "value_per_day": summary.value_per_day, "cost_per_day": summary.cost_per_day,
                     "net_per_day": summary.net_per_day, "break_even_day": summary.break_even_day,
                     "verdict": summary.verdict, "net_at_horizon": summary.net_at_horizon})
    df = pd.DataFrame(rows, columns=["scenario", "value_per_period", "value_per_day", "cost_per_day",
                                     "net_per_day", "break_even_day", "verdict", "net_at_horizon"])
    df["break_even_day"] = df["break_even_day"].astype("Int64")
    return df


def _change(base: int | None, other: int | None) -> int | None:
    """Difference in break-even days, None when either side never pays back."""
    return None if base is None or other is None else other - base


def tornado_df(formula: ValueFormula, roi: RoiInputs, pct: float = 0.2) -> pd.DataFrame:
    """Vary each used parameter by ±``pct`` and report the effect on break-even.

    Columns: parameter, base_value, low_value, high_value, value_per_day_low,
    value_per_day_high, break_even_base, break_even_low, break_even_high (Int64,
    <NA> = never), change_low, change_high (days vs base, <NA> if either is never),
    swing (|value_per_day_high − value_per_day_low|; rows sorted by it, largest first).
    """
    if not 0 < pct < 1:
        raise UserError("value.roi.bad_pct")
    base = break_even_day(with_formula(roi, formula))
    used, rows = formula.names(), []
    for param in formula.parameters:
        if param.name not in used or param.value is None:
            continue
        low_v, high_v = param.value * (1 - pct), param.value * (1 + pct)
        low = with_formula(roi, formula, {param.name: low_v})
        high = with_formula(roi, formula, {param.name: high_v})
        be_low, be_high = break_even_day(low), break_even_day(high)
        rows.append({"parameter": param.name, "base_value": param.value, "low_value": low_v,
                     "high_value": high_v, "value_per_day_low": daily_value(low),
                     "value_per_day_high": daily_value(high), "break_even_base": base,
                     "break_even_low": be_low, "break_even_high": be_high,
                     "change_low": _change(base, be_low), "change_high": _change(base, be_high),
                     "swing": abs(daily_value(high) - daily_value(low))})
    columns = ["parameter", "base_value", "low_value", "high_value", "value_per_day_low",
               "value_per_day_high", "break_even_base", "break_even_low", "break_even_high",
               "change_low", "change_high", "swing"]
    df = pd.DataFrame(rows, columns=columns)
    for col in ("break_even_base", "break_even_low", "break_even_high", "change_low", "change_high"):
        df[col] = df[col].astype("Int64")
    return df.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- solver


def _safe(g: Callable[[float], float], x: float) -> float | None:
    """``g(x)``, or None where the formula is undefined (e.g. division by zero)."""
    try:
        return g(x)
    except UserError:
        return None


def _linear_root(g: Callable[[float], float], x0: float) -> float | None:
    """Closed-form root when ``g`` is linear around ``x0`` (the usual case)."""
    h = max(abs(x0), 1.0)
    g0, g1, g2 = (_safe(g, x0 + k * h) for k in (0, 1, 2))
    if g0 is None or g1 is None or g2 is None:
        return None
    scale = max(abs(g0), abs(g1), abs(g2), 1.0)
    if abs((g2 - g1) - (g1 - g0)) > 1e-9 * scale or g1 == g0:
        return None
    return x0 - g0 * h / (g1 - g0)


def _bisect(g: Callable[[float], float], x0: float, allow_negative: bool) -> float | None:
    """Bracket a sign change nearest ``x0`` and bisect; returns the side with g ≥ 0."""
    h = max(abs(x0), 1.0)
    points = {x0, 0.0} | {x0 + s * h * 2.0**k for k in range(-20, 60) for s in (-1, 1)}
    xs = sorted(x for x in points if allow_negative or x >= 0)
    vals = [(x, _safe(g, x)) for x in xs]
    pairs = [(a, b) for a, b in zip(vals, vals[1:])
             if a[1] is not None and b[1] is not None and a[1] * b[1] <= 0]
    for (lo, glo), (hi, _ghi) in sorted(pairs, key=lambda p: min(abs(p[0][0] - x0), abs(p[1][0] - x0))):
        for _ in range(200):
            mid = (lo + hi) / 2
            gmid = _safe(g, mid)
            if gmid is None or mid in (lo, hi):
                break
            lo, hi, glo = (mid, hi, gmid) if (gmid < 0) == (glo < 0) else (lo, mid, glo)
        best = hi if glo < 0 else lo
        value = _safe(g, best)
        if value is not None and abs(value) <= 1e-6 * max(1.0, abs(_safe(g, x0) or 1.0)):
            return best
    return None


def solve_for(param: str, formula: ValueFormula, roi: RoiInputs, days: int,
              allow_negative: bool = False) -> float | None:
    """Value of ``param`` that makes the project break even on day ``days``.

    Solves daily value = daily operation cost + development cost / days, first in
    closed form (formulas linear in ``param``), otherwise by bracketing and bisection
    around the current value. Returns None if no such value exists (the parameter does
    not move the value, or only a negative value would work and ``allow_negative`` is
    False). With no development cost it returns the value where the daily net is zero.
    """
    if days < 1:
        raise UserError("value.roi.bad_days")
    name = formula.parameter(param).name
    x0 = float(formula.parameter(name).value or 0.0)
    base = check_roi(with_formula(roi, formula))
    target = daily_cost(base) + float(base.development_cost) / days

    def gap(x: float) -> float:
        return daily_value(with_formula(base, formula, {name: x})) - target

    x = _linear_root(gap, x0)
    if x is None or _safe(gap, x) is None or abs(gap(x)) > 1e-6 * max(1.0, abs(target)):
        x = _bisect(gap, x0, allow_negative)
    if x is None or (x < 0 and not allow_negative):
        return None
    return x
