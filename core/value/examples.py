"""Workshop examples: complete business goals the page can load in one click.

* ``flea_market_break_even``: the break-even worked example (labour saving; estimates
  A, B, C as scenarios; operation cost charged per day, see ``core.value.roi``).
* ``bottle_inspection_qcd``: drink-bottle inspection valued as Quality, Cost, Delivery.
* ``road_crack_baseline``: road-crack detection accepted against a human baseline
  (novice < model < expert).
* ``telecom_churn``: churn prediction with a cost matrix (TN 0, FP 500, TP 500,
  FN 200,000 yen) and a value target of at most 500 yen per customer; today nobody gets the
  incentive, and 10,000 customers are decided on each month (an estimate).

Bottles and road images are checked by people today (``act_all``: every case handled).

Texts (statement, scenario names) come from the catalog in the requested language.
Numbers not given by the workshop are marked as estimates in the parameters.
"""

from __future__ import annotations

from typing import Any, Callable

from core.errors import UserError
from core.i18n import t
from core.value.acceptance import AcceptanceCriteria, HumanBaseline, MetricTarget
from core.value.costs import CostMatrix
from core.value.goal import BusinessGoal, Practice, Preconditions, Scenario, SpeedRequirement, ValueStatement
from core.value.roi import RoiInputs
from core.value.templates import labour_saving, qcd_cost, qcd_delivery, qcd_quality, revenue_protected

_STATEMENT_FIELDS = ("as_a", "i_want", "so_that", "before", "after", "problem_owner")


def _statement(example_id: str, lang: str) -> ValueStatement:
    """The example's value statement from the catalog."""
    return ValueStatement(**{f: t(f"value.example.{example_id}.{f}", lang) for f in _STATEMENT_FIELDS})


def _scenario(example_id: str, key: str, lang: str, **overrides: float) -> Scenario:
    """A named what-if scenario of an example."""
    return Scenario(t(f"value.example.{example_id}.scenario.{key}", lang), dict(overrides))


def _flea_market(lang: str) -> BusinessGoal:
    """Break-even worked example: 20 checkers × 7.5 h/day, A/B/C estimates."""
    eid = "flea_market_break_even"
    return BusinessGoal(
        statement=_statement(eid, lang), formulas=[labour_saving()], roi_formula="labour_saving",
        roi=RoiInputs(development_cost=10_000_000, operation_cost=100_000, operation_period="day",
                      horizon_days=1095),
        scenarios=[_scenario(eid, "a", lang, workers_after=2, hours_after=7.5),
                   _scenario(eid, "b", lang, workers_after=10, hours_after=7.5),
                   _scenario(eid, "c", lang, workers_after=10, hours_after=2)],
        acceptance=AcceptanceCriteria(metrics=[MetricTarget("recall", "min", 0.9)]),
        preconditions=Preconditions("binary", t(f"value.example.{eid}.target", lang),
                                    SpeedRequirement("online", latency_ms=1000), "online", "overall",
                                    t(f"value.example.{eid}.explanation", lang)))


def _bottle(lang: str) -> BusinessGoal:
    """QCD example: drink-bottle inspection on a factory line."""
    eid = "bottle_inspection_qcd"
    return BusinessGoal(
        statement=_statement(eid, lang), formulas=[qcd_quality(), qcd_cost(), qcd_delivery()],
        roi_formula="cost",
        roi=RoiInputs(development_cost=5_000_000, operation_cost=50_000, operation_period="month"),
        scenarios=[_scenario(eid, "current", lang),
                   _scenario(eid, "half_inspectors", lang, inspectors_after=5)],
        cost_matrix=CostMatrix(tp=100, fp=100, fn=50_000, tn=0),
        practice=Practice("act_all", cases=216_000, period="month", unit=t(f"value.example.{eid}.cases_unit", lang)),
        acceptance=AcceptanceCriteria(metrics=[MetricTarget("recall", "min", 0.95)], max_cost_per_case=100),
        preconditions=Preconditions("binary", t(f"value.example.{eid}.target", lang),
                                    SpeedRequirement("online", items=5, window_minutes=1, latency_ms=300_000),
                                    "edge", "none", t(f"value.example.{eid}.explanation", lang)))


def _road_crack(lang: str) -> BusinessGoal:
    """Human-baseline example: road cracks found in patrol images."""
    eid = "road_crack_baseline"
    return BusinessGoal(
        statement=_statement(eid, lang),
        formulas=[labour_saving(workers_before=6, hours_before=6, workers_after=6, hours_after=2,
                                hourly_pay=2000)],
        roi_formula="labour_saving",
        roi=RoiInputs(development_cost=8_000_000, operation_cost=150_000, operation_period="month"),
        cost_matrix=CostMatrix(tp=200, fp=200, fn=30_000, tn=0),
        practice=Practice("act_all", cases=20_000, period="day", unit=t(f"value.example.{eid}.cases_unit", lang)),
        acceptance=AcceptanceCriteria(human_baseline=HumanBaseline("recall", novice=0.6, expert=0.9)),
        preconditions=Preconditions("binary", t(f"value.example.{eid}.target", lang),
                                    SpeedRequirement("batch", items=20_000, window_minutes=480),
                                    "batch", "overall", t(f"value.example.{eid}.explanation", lang)))


def _churn(lang: str) -> BusinessGoal:
    """Cost-matrix example: telecom churn, ≤ 500 yen per customer."""
    eid = "telecom_churn"
    return BusinessGoal(
        statement=_statement(eid, lang), formulas=[revenue_protected(customers_kept=200, monthly_profit=4000)],
        roi_formula="revenue_protected",
        roi=RoiInputs(development_cost=5_000_000, operation_cost=200_000, operation_period="month"),
        scenarios=[_scenario(eid, "expected", lang),
                   _scenario(eid, "pessimistic", lang, customers_kept=50)],
        cost_matrix=CostMatrix(tp=500, fp=500, fn=200_000, tn=0),
        practice=Practice("act_none", cases=10_000, period="month", unit=t(f"value.example.{eid}.cases_unit", lang)),
        acceptance=AcceptanceCriteria(metrics=[MetricTarget("recall", "min", 0.8)], max_cost_per_case=500),
        preconditions=Preconditions("binary", t(f"value.example.{eid}.target", lang),
                                    SpeedRequirement("batch", items=100_000, window_minutes=1440),
                                    "batch", "overall", t(f"value.example.{eid}.explanation", lang)))


_BUILDERS: dict[str, Callable[[str], BusinessGoal]] = {
    "flea_market_break_even": _flea_market,
    "bottle_inspection_qcd": _bottle,
    "road_crack_baseline": _road_crack,
    "telecom_churn": _churn,
}
WORKSHOP_EXAMPLES: tuple[str, ...] = tuple(_BUILDERS)


def example_goal(example_id: str, lang: str = "en") -> BusinessGoal:
    """A fresh copy of a workshop example in ``lang`` (UserError if unknown)."""
    build = _BUILDERS.get(example_id)
    if build is None:
        raise UserError("value.error.unknown_example", name=example_id)
    goal = build(lang)
    goal.title = t(f"value.example.{example_id}.title", lang)
    goal.example_id = example_id
    return goal


def example_dict(example_id: str, lang: str = "en") -> dict[str, Any]:
    """A workshop example as a JSON-ready business-goal dict."""
    return example_goal(example_id, lang).to_dict()
