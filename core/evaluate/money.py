"""The decision in money as tables and sentences, shared by the Test page and the test report.

* :func:`get_decisions_df`: the model and every policy without a model, cost per case on the
  validation and the test rows, and what the model saves against each (95% interval);
* :func:`get_class_money_df`: multiclass, actual × decided with counts and money per cell;
* :func:`get_quantities_df`: regression, actual, plain prediction, decided quantity and cost per row;
* :func:`rule_text`, :func:`value_formula_text`: the rule and the measured value with its numbers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.evaluate.data import EvalData
from core.evaluate.decision import (EXPECTED_COST, SHIFT, THRESHOLD, DecisionResult, decided_quantities,
                                    decided_test_labels)
from core.evaluate.value import MeasuredValue
from core.i18n import fmt_cost, fmt_money, fmt_number, fmt_threshold, t
from core.value.decisions import policy_label

SAMPLE_ROWS = 12


def rule_text(decision: DecisionResult, lang: str, currency: str) -> str:
    """The model's decision rule in one sentence."""
    rule = decision.rule
    if rule["kind"] == THRESHOLD:
        implied = rule.get("implied")
        text = t("evaluate.money.rule_threshold", lang, threshold=fmt_threshold(rule["threshold"], lang))
        if implied is not None:
            text += " " + t("evaluate.money.implied", lang, implied=fmt_threshold(implied, lang))
        return text
    if rule["kind"] == EXPECTED_COST:
        return t("evaluate.money.rule_expected_cost", lang)
    if rule["kind"] == SHIFT:
        return t("evaluate.money.rule_shift", lang, shift=fmt_number(rule["shift"], lang, 2),
                 quantile=fmt_number(100 * rule["quantile"], lang, 1),
                 under=fmt_money(rule["under"], currency, lang), over=fmt_money(rule["over"], currency, lang))
    return t("evaluate.money.rule_plain", lang)


def get_decisions_df(decision: DecisionResult, lang: str, currency: str) -> pd.DataFrame:
    """One row for the model and one per policy without a model (costs per case, the model's saving)."""
    def money(v: float | None) -> str:
        return fmt_cost(v, currency, lang)

    rows = [{"decision": t("evaluate.money.model", lang), "policy": "", "validation": money(decision.model_validation_cost),
             "test": money(decision.model_test_cost), "saving": "", "status": ""}]
    for p in decision.policies:
        quantity = "" if p.quantity is None else f" ({fmt_number(p.quantity, lang, 2)})"
        saving = t("evaluate.money.saving", lang, mean=money(p.saving.mean), low=money(p.saving.low),
                   high=money(p.saving.high))
        rows.append({"decision": policy_label(p.policy, lang) + quantity, "policy": p.policy,
                     "validation": money(p.validation_cost), "test": money(p.test_cost), "saving": saving,
                     "status": t("evaluate.money.beaten" if p.beaten else "evaluate.money.not_beaten", lang)})
    return pd.DataFrame(rows, columns=["decision", "policy", "validation", "test", "saving", "status"])


def get_class_money_df(data: EvalData, decision: DecisionResult) -> pd.DataFrame:
    """Multiclass: one row per (actual, decided) cell with its count, unit cost and total cost."""
    labels = decision.rule["classes"]
    costs = np.asarray(decision.rule["costs"], dtype=float)
    actual = data.y_test.astype(str).to_numpy()
    decided = decided_test_labels(data, decision).astype(str).to_numpy()
    rows = []
    for i, a in enumerate(labels):
        for j, d in enumerate(labels):
            count = int(np.sum((actual == a) & (decided == d)))
            rows.append({"actual": a, "decided": d, "count": count, "unit_cost": costs[i, j],
                         "total_cost": costs[i, j] * count})
    return pd.DataFrame(rows, columns=["actual", "decided", "count", "unit_cost", "total_cost"])


def get_quantities_df(data: EvalData, decision: DecisionResult, rows: int = SAMPLE_ROWS) -> pd.DataFrame:
    """Regression: the first test rows with the actual value, the plain prediction, the decided quantity, its cost."""
    decided = decided_quantities(data, decision)
    costs = decision.test_case_costs
    n = min(rows, len(decided))
    return pd.DataFrame({"row": data.X_test.index[:n], "actual": data.y_test.to_numpy(dtype=float)[:n],
                         "prediction": data.scores[:n], "decided": decided[:n], "cost": costs[:n]})


def value_formula_text(value: MeasuredValue, lang: str, currency: str, unit: str = "") -> str | None:
    """'(¥50,000 − ¥463) × 10,000 customers per month = ¥495,375,000 per month', or None when not measured."""
    if value.measured_value is None or value.today_cost is None or value.model_cost is None:
        return None
    return t("evaluate.money.value_formula", lang, practice=policy_label(value.practice, lang),
             today=fmt_cost(value.today_cost, currency, lang), model=fmt_cost(value.model_cost, currency, lang),
             cases=fmt_number(value.cases, lang, 2), unit=unit or t("evaluate.money.cases", lang),
             period=t(f"value.period.{value.cases_period}", lang),
             value=fmt_money(value.measured_value, currency, lang))
