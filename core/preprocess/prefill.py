"""A first recipe pre-filled from the Analysis Report's recommendations (Step 2 → Step 4)."""

from __future__ import annotations

from typing import Any, Iterable

from core.preprocess.recipe import DropColumn, Recipe, SplitSettings, TargetSpec
from core.preprocess.split import default_strategy

_TYPE_ACTIONS = {"as_category": "category", "as_date": "date", "to_numeric": "numeric"}
IGNORED_ACTIONS = ("drop_rows_missing_target", "adjust_threshold")
"""Handled elsewhere: rows without a target are always left out; thresholds belong to Step 6."""


def _recommendations(findings: Any) -> list[dict[str, Any]]:
    """Recommendation dicts from a list of them, a report dict, or Finding objects."""
    if isinstance(findings, dict):
        findings = findings.get("findings", [])
    out = []
    for item in findings or []:
        rec = getattr(item, "recommendation", None) if not isinstance(item, dict) else item
        if isinstance(rec, dict) and "recommendation" in rec and "action" not in rec:
            rec = rec.get("recommendation")
        if isinstance(rec, dict) and rec.get("action"):
            out.append(rec)
    return out


def recipe_from_analysis(findings: Iterable[Any] | dict[str, Any], *, target: str | None = None,
                         problem_type: str | None = None, positive_class: Any = None) -> Recipe:
    """A recipe with every recommendation pre-filled: column drops accepted, with their reason;
    row filters (target outliers, duplicates) proposed but off, because removing rows changes
    what the model can learn (the page shows what each would remove before it is accepted).

    ``findings`` is ``AnalysisReport.recommendations()``, a stored report dict, or findings.
    Target, problem type and positive class default to the report's when it is a dict.
    """
    report = findings if isinstance(findings, dict) else {}
    target = target or report.get("target") or ""
    problem_type = problem_type or report.get("problem_type") or ""
    positive = positive_class if positive_class is not None else report.get("positive_class")
    recipe = Recipe(target=TargetSpec(target, problem_type, None if positive is None else str(positive)))
    time_column = None
    for rec in _recommendations(findings):
        time_column = _apply(recipe, rec, target) or time_column
    recipe.split = SplitSettings(strategy=default_strategy(problem_type, time_column), time_column=time_column)
    return recipe


def _apply(recipe: Recipe, rec: dict[str, Any], target: str) -> str | None:
    """Add one recommendation to ``recipe``; returns a time column when it asks for a time split."""
    action, column = rec["action"], rec.get("column")
    if action == "drop_column" and column and column != target and column not in recipe.dropped():
        recipe.drop_columns.append(DropColumn(column, rec.get("reason_key") or "preprocess.reason.analysis",
                                              True, "analysis"))
    elif action in _TYPE_ACTIONS and column and column != target:
        recipe.type_overrides = [o for o in recipe.type_overrides if o["column"] != column]
        recipe.type_overrides.append({"column": column, "to": _TYPE_ACTIONS[action]})
    elif action == "drop_target_outliers":  # removing rows loses information: proposed, off until accepted
        recipe.row_filters.append({"kind": "target_range", "upper": rec.get("upper"), "lower": rec.get("lower"),
                                   "accepted": False, "source": "analysis"})
    elif action == "drop_duplicates":
        recipe.row_filters.append({"kind": "drop_duplicates", "accepted": False, "source": "analysis"})
    elif action == "time_split" and column:
        return column
    return None
