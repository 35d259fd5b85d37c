"""A business goal in words and tables, shared by the Step 1 page and the Business Goal sheet.

Plain Python: translated labels (catalog keys ``business.*`` and ``value.*``), money in the
goal's currency, never failing on odd numbers (huge amounts, missing values). Sentences are
:class:`~core.report.document.Phrase` texts, so the sheet's Markdown escapes only their user text.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from core.i18n import fmt_money, fmt_number
from core.report.document import t
from core.value import ROI_OWNERS, BusinessGoal, formula_label, label, param_label
from core.value.metrics import metric_label


def money_text(amount: float | None, currency: str, lang: str, digits: int | None = None) -> str:
    """Money as shown in reports ('—' when missing); see :func:`core.i18n.fmt_money`."""
    if amount is not None and pd.isna(amount):
        amount = None
    return fmt_money(amount, currency, lang, digits=digits)


def number_text(value: float | None, lang: str, digits: int = 4) -> str:
    """A number as shown in reports ('—' when missing); see :func:`core.i18n.fmt_number`."""
    if value is not None and pd.isna(value):
        value = None
    return fmt_number(value, lang, digits=digits)


def display_unit(unit: str, currency: str) -> str:
    """A parameter unit as shown: the word ``money`` becomes the currency code (``money/h`` → ``JPY/h``)."""
    return (unit or "").replace("money", currency)


def owners_df(goal: BusinessGoal, lang: str) -> pd.DataFrame:
    """Who must act on which number: owner, number, value, unit, confidence, formula (sorted by owner)."""
    rows = []
    for formula in goal.formulas:
        for param in formula.parameters:
            rows.append({"owner": label(param.owner, lang) if param.owner.strip() else "",
                         "number": param_label(param.name, lang), "value": param.value,
                         "unit": display_unit(param.unit, goal.currency),
                         "confidence": t(f"value.confidence.{param.confidence}", lang),
                         "formula": formula_label(formula.name, lang)})
    for field_name, owner in ROI_OWNERS.items():
        rows.append({"owner": label(owner, lang), "number": t(f"business.roi.{field_name}", lang),
                     "value": getattr(goal.roi, field_name), "unit": goal.currency, "confidence": "",
                     "formula": t("business.section.roi", lang)})
    df = pd.DataFrame(rows, columns=["owner", "number", "value", "unit", "confidence", "formula"])
    df["unassigned"] = df["owner"] == ""
    df["owner"] = df["owner"].where(~df["unassigned"], t("business.owners.unassigned", lang))
    return df.sort_values(["unassigned", "owner"], kind="stable").drop(columns="unassigned").reset_index(drop=True)


def scenario_overrides(goal: BusinessGoal) -> dict[str, dict[str, float]]:
    """Scenarios by unique name, keeping only overrides of parameters the ROI formula still has."""
    formula = goal.value_formula()
    names = {p.name for p in formula.parameters} if formula else set()
    out: dict[str, dict[str, float]] = {}
    for index, scenario in enumerate(goal.scenarios, start=1):
        name = scenario.name.strip() or f"#{index}"
        while name in out:
            name = f"{name} ({index})"
        out[name] = {k: v for k, v in scenario.overrides.items() if k in names}
    return out


def verdict_text(summary: Any, goal: BusinessGoal, lang: str) -> str:
    """The break-even verdict in words (``summary`` is a ``RoiSummary``)."""
    money = {key: money_text(amount, goal.currency, lang, digits=0) for key, amount in (
        ("value", summary.value_per_day), ("cost", summary.cost_per_day), ("net", summary.net_at_horizon),
        ("loss", -summary.net_per_day))}
    if summary.verdict == "pays_back":
        months = number_text(summary.break_even_day / (365 / 12), lang, digits=1)
        return t("business.verdict.pays_back", lang, day=summary.break_even_day, months=months)
    if summary.verdict == "too_slow":
        return t("business.verdict.too_slow", lang, years=number_text(goal.roi.horizon_days / 365, lang, 1), **money)
    return t("business.verdict.loss", lang, **money)


def acceptance_lines(goal: BusinessGoal, lang: str) -> list[str]:
    """The acceptance criteria as sentences (metric targets, value target, human baseline)."""
    criteria = goal.acceptance
    lines = [t("business.acceptance.metric_line", lang, metric=metric_label(m.metric, lang),
               value=number_text(m.value, lang),
               direction=t(f"value.direction.{m.direction}", lang)) for m in criteria.metrics if m.metric]
    if criteria.max_cost_per_case is not None:
        amount = money_text(criteria.max_cost_per_case, goal.currency, lang)
        lines.append(t("business.acceptance.cost_line", lang, amount=amount))
    base = criteria.human_baseline
    if base is not None:
        key = "baseline_line" if base.higher_is_better else "baseline_line_lower"
        lines.append(t(f"business.acceptance.{key}", lang, metric=metric_label(base.metric, lang),
                       novice=number_text(base.novice, lang),
                       expert=number_text(base.expert, lang)))
    return lines
