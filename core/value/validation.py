"""What a business goal still lacks: the Business page's to-do list and the step tracker's state.

:func:`validate` lists message keys (``value.issue.*``, in :data:`ISSUES` order) for what is still
missing; sign-offs come from the project's review log (:func:`signoffs_from_reviews`), where
each person's latest decision counts (:func:`current_signoffs`).
"""

from __future__ import annotations

from typing import Any, Iterable

from core.errors import UserError
from core.value.checklist import DECISIONS, SignOff, signed_off
from core.value.goal import SIGNOFF_KIND, SIGNOFF_STEP, SIGNOFF_SUBJECT, BusinessGoal
from core.value.roi import break_even_day


ISSUES: tuple[str, ...] = (
    "value.issue.no_statement", "value.issue.no_before_after", "value.issue.no_problem_owner",
    "value.issue.no_formula", "value.issue.formula_error", "value.issue.parameter_without_owner",
    "value.issue.no_costs", "value.issue.no_break_even", "value.issue.no_problem_type",
    "value.issue.no_cost_model", "value.issue.no_cases", "value.issue.no_acceptance",
    "value.issue.unknown_metric", "value.issue.open_questions",
    "value.issue.rejected", "value.issue.not_signed_off",
)
"""Every key :func:`validate` can return, in display order."""


def _formula_issues(goal: BusinessGoal) -> list[str]:
    """Missing or broken formulas and parameters without an owner."""
    formulas = [f for f in goal.formulas if f.expression.strip()]
    if not formulas:
        return ["value.issue.no_formula"]
    issues = []
    for formula in formulas:
        try:
            formula.evaluate()
        except UserError:
            issues.append("value.issue.formula_error")
            break
    if any(not p.owner.strip() for f in formulas for p in f.parameters):
        issues.append("value.issue.parameter_without_owner")
    return issues


def _roi_issues(goal: BusinessGoal) -> list[str]:
    """Costs not entered, or the investment never pays back."""
    if goal.roi.development_cost is None or goal.roi.operation_cost is None:
        return ["value.issue.no_costs"]
    try:
        return [] if break_even_day(goal.roi_inputs()) is not None else ["value.issue.no_break_even"]
    except UserError:
        return []  # reported as a formula or cost problem elsewhere


def _cost_model_issues(goal: BusinessGoal) -> list[str]:
    """A goal needs the costs of its decisions (a regression goal may count within a tolerance) and cases per period."""
    kind = goal.preconditions.problem_type
    if not kind:
        return ["value.issue.no_problem_type"]
    if not goal.priced(kind):
        spec = goal.regression_cost
        counted = kind == "regression" and spec is not None and spec.tolerance is not None
        return [] if counted else ["value.issue.no_cost_model"]
    return ["value.issue.no_cases"] if goal.practice.cases is None else []


def signoffs_from_reviews(rows: Iterable[Any]) -> list[SignOff]:
    """Sign-offs of the value formula from review-log rows (``ReviewInfo`` or ORM rows), in order.

    Rows of other steps, kinds or subjects and decisions other than approve/reject are skipped.
    """
    out = []
    for row in rows:
        if (row.step, row.kind, row.subject) != (SIGNOFF_STEP, SIGNOFF_KIND, SIGNOFF_SUBJECT):
            continue
        if row.decision not in DECISIONS:
            continue
        created = getattr(row, "created_at", None)
        out.append(SignOff(row.reviewer, row.role, row.decision, row.comment or "",
                           created.date().isoformat() if created else ""))
    return out


def current_signoffs(signoffs: Iterable[SignOff]) -> list[SignOff]:
    """Each person's latest decision (same name and role): a later approval replaces a rejection."""
    latest: dict[tuple[str, str], SignOff] = {}
    for signoff in signoffs:
        key = (signoff.name.strip().casefold(), signoff.role.strip().casefold())
        latest.pop(key, None)
        latest[key] = signoff
    return list(latest.values())


def _agreement_issues(goal: BusinessGoal, signoffs: list[SignOff]) -> list[str]:
    """Open stakeholder questions and missing or rejected sign-off."""
    issues = []
    if any(item.status != "answered" for item in goal.checklist):
        issues.append("value.issue.open_questions")
    current = current_signoffs(signoffs)
    if any(s.decision == "reject" for s in current):
        issues.append("value.issue.rejected")
    elif not signed_off(current):
        issues.append("value.issue.not_signed_off")
    return issues


def validate(goal: BusinessGoal, signoffs: Iterable[SignOff] | None = None) -> list[str]:
    """Message keys (from :data:`ISSUES`) for what is still missing; [] when complete.

    ``signoffs``: the project's sign-offs from the review log (see :func:`signoffs_from_reviews`);
    None falls back to ``goal.signoffs`` (a goal read from a JSON file).
    """
    statement = goal.statement
    issues = []
    if not (statement.as_a.strip() and statement.i_want.strip() and statement.so_that.strip()):
        issues.append("value.issue.no_statement")
    if not (statement.before.strip() and statement.after.strip()):
        issues.append("value.issue.no_before_after")
    if not statement.problem_owner.strip():
        issues.append("value.issue.no_problem_owner")
    issues += _formula_issues(goal) + _roi_issues(goal) + _cost_model_issues(goal)
    if goal.acceptance.is_empty():
        issues.append("value.issue.no_acceptance")
    if goal.acceptance.unknown_metrics():
        issues.append("value.issue.unknown_metric")
    return issues + _agreement_issues(goal, list(goal.signoffs if signoffs is None else signoffs))
