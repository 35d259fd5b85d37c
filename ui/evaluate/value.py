"""Tab "Value & decision": the model against the decisions that need no model, the rule, measured ROI."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from core.evaluate import Evaluation
from core.evaluate import plots
from core.evaluate.money import (get_class_money_df, get_decisions_df, get_quantities_df, rule_text,
                                 value_formula_text)
from core.evaluate.threshold import curve_thresholds
from core.evaluate.value import get_roi_df, measured_cumulative_df, planned_gap
from core.evaluate.verdict import no_model_reason, reason_text
from core.i18n import fmt_threshold
from core.messages import Message
from core.value import plot_cumulative_net
from ui.context import lang, md, show_message, tr, tr_md
from ui.evaluate.common import chart, money, num, table


def show(ev: Evaluation) -> None:
    """The decisions in money first, then the rule of the problem type, then the measured break-even."""
    _decisions(ev)
    if ev.threshold is not None:
        _threshold(ev)
    elif ev.threshold_error is not None and ev.decision_error is None:
        show_message(ev.threshold_error, "warning", ":material/warning:")
    if ev.decision is not None and ev.decision.rule["kind"] == "expected_cost":
        _classes(ev)
    if ev.decision is not None and ev.data.problem_type == "regression":
        _quantities(ev)
    st.markdown(f"#### {tr('evaluate.value.title')}")
    _roi(ev)


def _decisions(ev: Evaluation) -> None:
    st.markdown(f"#### {tr('evaluate.money.title')}")
    if ev.decision is None:
        show_message(ev.decision_error or Message("evaluate.value.error.no_costs"), "info", ":material/savings:")
        st.page_link("pages/business.py", label=tr("nav.business"), icon=":material/savings:")
        return
    decision, currency = ev.decision, ev.data.goal.currency
    st.caption(tr("evaluate.money.help", validation=f"{decision.validation_rows:,}", test=f"{decision.test_rows:,}"))
    st.caption(tr(f"evaluate.threshold.source_{decision.source}", rows=f"{decision.validation_rows:,}"))
    st.markdown(md(rule_text(decision, lang(), currency)))
    rival = no_model_reason(ev.verdict)
    if rival is not None:
        st.error(md(reason_text(rival, lang(), currency)), icon=":material/rule:")
    else:
        st.success(tr_md("evaluate.money.beats_all", saving=money(ev, decision.value_added)), icon=":material/rule:")
    df = get_decisions_df(decision, lang(), currency)
    table(pd.DataFrame({tr("evaluate.money.col.decision"): df["decision"],
                        tr("evaluate.money.col.validation"): df["validation"],
                        tr("evaluate.money.col.test"): df["test"], tr("evaluate.money.col.saving"): df["saving"],
                        tr("evaluate.money.col.status"): df["status"]}))
    chart(plots.plot_decision_costs(decision, currency, lang(), ev.data.goal.acceptance.max_cost_per_case),
          "ev_decision_costs")


def _ratio(view: dict) -> str:
    return tr("evaluate.value.ratio", ratio=num(view["budget_ratio"], 2)) if view.get("budget_ratio") else ""


def _threshold(ev: Evaluation) -> None:
    th = ev.threshold
    st.markdown(f"##### {tr('evaluate.threshold.title')}")
    default, chosen = th.default_view, th.chosen_view
    left, right = st.columns(2)
    left.metric(tr("evaluate.threshold.default", threshold=fmt_threshold(default["threshold"], lang())),
                money(ev, default["cost_per_case"]), _ratio(default), delta_color="off", delta_arrow="off")
    right.metric(tr("evaluate.threshold.chosen", threshold=fmt_threshold(chosen["threshold"], lang())),
                 money(ev, chosen["cost_per_case"]), _ratio(chosen), delta_color="off", delta_arrow="off")
    if th.budget:
        good = chosen["within_budget"]
        key = "evaluate.threshold.budget_ok" if good else "evaluate.threshold.budget_bad"
        (st.success if good else st.error)(tr(key, budget=md(money(ev, th.budget))), icon=":material/savings:")
    chart(plots.plot_cost_comparison(th.get_comparison_df(), ev.data.goal.currency, lang()), "ev_cost_compare")
    st.markdown(f"##### {tr('evaluate.threshold.move')}")
    implied = ev.decision.rule.get("implied") if ev.decision is not None else None
    options = [float(x) for x in curve_thresholds(min(th.chosen, 1.0), implied)]
    key, language = f"ev_threshold_{ev.data.run.id}", lang()
    start = min(options, key=lambda x: abs(x - th.chosen))
    value = st.select_slider(tr("evaluate.threshold.slider"), options=options, value=start, key=key,
                             format_func=lambda x: fmt_threshold(x, language), help=tr("evaluate.threshold.slider_help"))
    view = th.threshold_view(value)
    a, b, c, d = st.columns(4)
    a.metric(tr("evaluate.threshold.cost"), money(ev, view["cost_per_case"]), _ratio(view), delta_color="off",
             delta_arrow="off")
    b.metric(tr("evaluate.metric.precision"), num(view["precision"], 3))
    c.metric(tr("evaluate.metric.recall"), num(view["recall"], 3))
    d.metric(tr("evaluate.threshold.flagged"), f"{view['predicted_positive']:,}")
    st.caption(tr("evaluate.threshold.counts", tp=view["tp"], fp=view["fp"], fn=view["fn"], tn=view["tn"]))
    chart(plots.plot_threshold(th.validation_curve, th.chosen, value, ev.data.goal.currency, lang(), th.budget),
          "ev_threshold_curve")


def _classes(ev: Evaluation) -> None:
    st.markdown(f"##### {tr('evaluate.money.classes_title')}")
    df = get_class_money_df(ev.data, ev.decision)
    chart(plots.plot_class_money(df, ev.data.goal.currency, lang()), "ev_class_money")


def _quantities(ev: Evaluation) -> None:
    st.markdown(f"##### {tr('evaluate.money.quantities_title')}")
    df = get_quantities_df(ev.data, ev.decision)
    table(pd.DataFrame({tr("evaluate.money.col.row"): df["row"],
                        tr("evaluate.money.col.actual"): [num(v, 2) for v in df["actual"]],
                        tr("evaluate.money.col.prediction"): [num(v, 2) for v in df["prediction"]],
                        tr("evaluate.money.col.decided"): [num(v, 2) for v in df["decided"]],
                        tr("evaluate.money.col.cost"): [money(ev, v) for v in df["cost"]]}))


def _roi(ev: Evaluation) -> None:
    value, currency = ev.value, ev.data.goal.currency
    formula = value_formula_text(value, lang(), currency, ev.data.goal.practice.unit)
    st.caption(tr("evaluate.value.rule_measured"))
    if formula is not None:
        st.markdown(md(formula))
    if value.error is not None:
        show_message(value.error, "info", ":material/info:")
    gap = planned_gap(value)
    if gap is not None:
        st.warning(tr("evaluate.value.gap", ratio=num(gap, 1)), icon=":material/difference:")
    df = get_roi_df(value)
    if df.empty:
        return
    table(pd.DataFrame({"": [tr(f"evaluate.value.{w}") for w in df["which"]],
                        tr("evaluate.value.per_period_any"):
                            [f"{money(ev, v)} {tr(f'value.period.{p}')}" for v, p in zip(df["value_per_period"],
                                                                                         df["period"])],
                        tr("evaluate.value.net_per_day"): [money(ev, v) for v in df["net_per_day"]],
                        tr("evaluate.value.break_even"): [
                            tr("value.plot.never") if pd.isna(d) else tr("evaluate.value.day", day=int(d))
                            for d in df["break_even_day"]],
                        tr("evaluate.value.verdict"): [tr(f"value.verdict.{v}") for v in df["verdict"]]}))
    if value.measured_roi is not None and np.isfinite(value.measured_value):
        chart(plot_cumulative_net(measured_cumulative_df(ev.data, value), value.measured_roi.break_even_day,
                                  currency, lang()), "ev_roi")
