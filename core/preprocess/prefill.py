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
                         problem_type: str | None = None, positive_class: Any = None,
                         answers: Iterable[dict[str, Any]] = ()) -> Recipe:
    """A recipe with every recommendation pre-filled: column drops accepted, with their reason;
    row filters (target outliers, duplicates) proposed but off, because removing rows changes
    what the model can learn (the page shows what each would remove before it is accepted).

    ``findings`` is ``AnalysisReport.recommendations()``, a stored report dict, or findings.
    Target, problem type and positive class default to the report's when it is a dict.
    ``answers`` (``core.prepare.answers.column_answers``) then decide for their columns.
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
    return apply_answers(recipe, answers)


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


_ANSWER_DROPS = {"analyze.question.drop_id": "analyze.reason.id_like",
                 "analyze.question.drop_empty": "analyze.reason.mostly_empty",
                 "analyze.question.leakage": "analyze.reason.leakage"}
_ACCEPT = {"drop": True, "not_known": True, "keep": False, "known": False, "errors": True, "real": False}
_TYPE_OF = {"quantity": "numeric", "code": "category"}


def apply_answers(recipe: Recipe, answers: Iterable[dict[str, Any]]) -> Recipe:
    """Let each stakeholder answer decide its column's proposal, and record it as the reason.

    "quantity" / "code" set how the column is read; "drop" / "keep" and "not known" / "known"
    (leakage) accept or reject dropping it; "errors" / "real" accept or reject the target
    outlier filter; "not sure" keeps the proposal and cites the answer.
    """
    for answer in answers:
        question, column, choice = answer.get("question"), answer.get("column"), answer.get("choice")
        if question == "analyze.question.target_outliers":  # about the target's rows
            for spec in recipe.row_filters:
                if spec.get("kind") == "target_range":
                    spec["accepted"] = _ACCEPT.get(choice, spec.get("accepted", False))
                    spec["answer"] = dict(answer)
        elif not column or column == recipe.target.column:
            continue
        elif question == "analyze.question.code_or_quantity":
            _answer_type(recipe, column, choice, answer)
        elif question in _ANSWER_DROPS:
            _answer_drop(recipe, column, choice, answer, _ANSWER_DROPS[question])
    return recipe


def _answer_type(recipe: Recipe, column: str, choice: str, answer: dict[str, Any]) -> None:
    """A code is read as a category, a quantity as a number; "not sure" only cites the answer."""
    current = next((o for o in recipe.type_overrides if o.get("column") == column), None)
    if choice in _TYPE_OF:
        recipe.type_overrides = [o for o in recipe.type_overrides if o.get("column") != column]
        recipe.type_overrides.append({"column": column, "to": _TYPE_OF[choice], "source": "answer",
                                      "answer": dict(answer)})
    elif current is not None:
        current["answer"] = dict(answer)


def _answer_drop(recipe: Recipe, column: str, choice: str, answer: dict[str, Any], reason_key: str) -> None:
    """Accept or reject dropping the column as answered (a "drop" adds the drop when it was not proposed)."""
    entry = next((d for d in recipe.drop_columns if d.column == column), None)
    if entry is None and _ACCEPT.get(choice):
        entry = DropColumn(column, reason_key, True, "analysis")
        recipe.drop_columns.append(entry)
    if entry is not None:
        entry.accepted = _ACCEPT.get(choice, entry.accepted)
        entry.answer = dict(answer)
