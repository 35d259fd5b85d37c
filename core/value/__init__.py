"""Step 1, Business Understanding: value formulas, break-even, costs of mistakes, the business goal.

Plain Python (no UI). Problems with user input raise ``core.errors.UserError`` whose
``key`` is a ``value.*`` message in ``core/i18n/catalog/value.toml``. Money is plain floats
in the goal's currency; format it with ``core.i18n.fmt_money``.

Value formulas (``formula``)
    ``Parameter(name, value, unit, owner, confidence="estimate"|"agreed"|"measured", note)``
    ``ValueFormula(name, expression, parameters, period="day"|"month"|"year", unit_label="money")``
    ``.evaluate(overrides=None) -> float``, ``.names()``, ``.unused_parameters()``, ``.parameter(name)``
    ``evaluate_expression(expr, values) -> float``; ``formula_names(expr) -> set[str]``;
    ``is_valid_name(name)``. Only numbers, names, ``+ - * /`` (also ``× ÷ −`` and full-width),
    unary ±, parentheses; max 500 characters and nesting depth 40.

Templates and examples (``templates``, ``examples``)
    ``TEMPLATES`` (ids ``labour_saving``, ``qcd``, ``revenue_protected``, ``custom``),
    ``get_template(id).formulas()``, ``.title_key``, ``.description_key``;
    ``formula_label(name, lang)``, ``param_label(name, lang)``, ``ROI_OWNERS``.
    ``WORKSHOP_EXAMPLES`` (``flea_market_break_even``, ``bottle_inspection_qcd``,
    ``road_crack_baseline``, ``telecom_churn``); ``example_goal(id, lang) -> BusinessGoal``;
    ``example_dict(id, lang) -> dict``.

Break-even (``roi``)
    ``RoiInputs(development_cost, operation_cost, value_per_period=None, period="day",
    operation_period=None, horizon_days=1095, working_days_per_month=None)``;
    ``operation_period=None`` means the operation cost is per the value's period (how the
    workshop's A/B/C example works out). A month is 365/12 days.
    ``check_roi``, ``daily_value``, ``daily_cost``, ``per_day(amount, period)``,
    ``break_even_day(inputs) -> int | None`` (None = never), ``verdict(inputs)`` in ``VERDICTS``,
    ``roi_summary(inputs) -> RoiSummary``, ``cumulative_net_df(inputs)``,
    ``with_formula(roi, formula, overrides=None)``,
    ``compare_scenarios(formula, {name: overrides}, roi)``, ``tornado_df(formula, roi, pct=0.2)``,
    ``solve_for(param, formula, roi, days, allow_negative=False) -> float | None``.

Costs of predictions (``costs``)
    ``CostMatrix(tp, fp, fn, tn)`` (costs; a benefit is a negative cost), ``.cost_per_case(tp, fp, fn, tn)``,
    ``.total_cost(...)``, ``.warnings() -> list[key]``; ``cost_per_case(matrix, tp, fp, fn, tn)``;
    ``threshold_cost_df(y_true, proba, matrix, thresholds=None)``;
    ``best_threshold(y_true, proba, matrix, thresholds=None) -> (threshold, cost)``;
    ``regression_cost(y_true, y_pred, cost_per_unit=None, tolerance=None) -> RegressionCostResult``.

Decisions (``decisions``, ``metrics``)
    ``best_threshold_exact`` (every distinct score), ``implied_threshold``, ``ClassCosts`` (actual ×
    decided), ``least_cost_decisions``, ``QuantityCosts`` (under/over or beyond a tolerance),
    ``best_shift``, ``best_constant``, ``mean_interval`` (bootstrap), ``policy_label``; metric ids
    per problem type, ``metric_id`` (aliases in both languages), ``metric_label``.

Business goal (``goal``, ``acceptance``, ``checklist``)
    ``BusinessGoal(title, currency, statement: ValueStatement, formulas, roi_formula, roi: RoiInputs,
    scenarios: [Scenario], cost_matrix, regression_cost: RegressionCostSpec, acceptance:
    AcceptanceCriteria, preconditions: Preconditions, checklist: [ChecklistItem], signoffs: [SignOff],
    example_id)`` with ``to_dict()`` / ``from_dict()``, ``value_formula()``, ``roi_inputs()``,
    ``scenario_map()``. ``validate(goal) -> list[issue key]`` (keys in ``ISSUES``).
    ``AcceptanceCriteria(metrics: [MetricTarget(metric, "min"|"max", value)], max_cost_per_case,
    human_baseline: HumanBaseline(metric, novice, expert))``; ``check_acceptance(criteria, metrics,
    cost_per_case=None) -> [AcceptanceResult]``. ``default_checklist()``,
    ``owner_checklist(formulas, lang)``, ``label(role_or_key, lang)``, ``signed_off(signoffs)``.

Plots (``plots``; pure, return plotly figures)
    ``plot_cumulative_net(df, break_even_day, currency, lang)``, ``plot_scenarios(df, currency, lang)``,
    ``plot_tornado(df, lang, horizon_days=1095, pct=0.2)``,
    ``plot_threshold_cost(df, chosen=None, currency="JPY", lang="en", target=None)``.
"""

from core.value.acceptance import (AcceptanceCriteria, AcceptanceResult, HumanBaseline, MetricTarget,
                                   check_acceptance)
from core.value.checklist import (CHECK_STATUSES, DECISIONS, ROLES, ChecklistItem, SignOff, default_checklist,
                                  label, owner_checklist, signed_off)
from core.value.costs import (CostMatrix, RegressionCostResult, best_threshold, cost_per_case, regression_cost,
                              threshold_cost_df)
from core.value.examples import WORKSHOP_EXAMPLES, example_dict, example_goal
from core.value.formula import (CONFIDENCES, MONEY_UNIT, PERIODS, Parameter, ValueFormula, evaluate_expression,
                                formula_names, is_valid_name)
from core.value.goal import (EXPLANATIONS, INFERENCE_ENVS, PROBLEM_TYPES, SIGNOFF_KIND, SIGNOFF_STEP, SIGNOFF_SUBJECT,
                             SPEED_KINDS, BusinessGoal, Preconditions, RegressionCostSpec, Scenario, SpeedRequirement,
                             ValueStatement)
from core.value.validation import ISSUES, current_signoffs, signoffs_from_reviews, validate
from core.value.plots import plot_cumulative_net, plot_scenarios, plot_threshold_cost, plot_tornado
from core.value.roi import (DAYS_PER_MONTH, DAYS_PER_YEAR, VERDICTS, RoiInputs, RoiSummary, break_even_day,
                            check_roi, compare_scenarios, cumulative_net_df, daily_cost, daily_value, per_day,
                            roi_summary, solve_for, tornado_df, verdict, with_formula)
from core.value.templates import ROI_OWNERS, TEMPLATES, Template, formula_label, get_template, param_label

__all__ = [
    "AcceptanceCriteria", "AcceptanceResult", "HumanBaseline", "MetricTarget", "check_acceptance",
    "CHECK_STATUSES", "DECISIONS", "ROLES", "ChecklistItem", "SignOff", "default_checklist", "label",
    "owner_checklist", "signed_off",
    "CostMatrix", "RegressionCostResult", "best_threshold", "cost_per_case", "regression_cost",
    "threshold_cost_df",
    "WORKSHOP_EXAMPLES", "example_dict", "example_goal",
    "CONFIDENCES", "MONEY_UNIT", "PERIODS", "Parameter", "ValueFormula", "evaluate_expression",
    "formula_names", "is_valid_name",
    "EXPLANATIONS", "INFERENCE_ENVS", "ISSUES", "PROBLEM_TYPES", "SPEED_KINDS", "BusinessGoal",
    "Preconditions", "RegressionCostSpec", "Scenario", "SpeedRequirement", "ValueStatement", "validate",
    "SIGNOFF_KIND", "SIGNOFF_STEP", "SIGNOFF_SUBJECT", "current_signoffs", "signoffs_from_reviews",
    "plot_cumulative_net", "plot_scenarios", "plot_threshold_cost", "plot_tornado",
    "DAYS_PER_MONTH", "DAYS_PER_YEAR", "VERDICTS", "RoiInputs", "RoiSummary", "break_even_day", "check_roi",
    "compare_scenarios", "cumulative_net_df", "daily_cost", "daily_value", "per_day", "roi_summary",
    "solve_for", "tornado_df", "verdict", "with_formula",
    "ROI_OWNERS", "TEMPLATES", "Template", "formula_label", "get_template", "param_label",
]
