"""Return on investment: costs, horizon, break-even day and the cumulative net chart."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from core.errors import UserError
from core.report.goal_text import verdict_text
from core.value import PERIODS, cumulative_net_df, formula_label, plot_cumulative_net, roi_summary
from ui.business.editor import GoalEditor, seed
from ui.context import show_message, tr

_DAYS_PER_YEAR = 365


def _float(value: float | None) -> float | None:
    return None if value is None else float(value)


def _formula_choice(ed: GoalEditor) -> None:
    """Which money formula drives the break-even (only asked when there are several)."""
    names = [f.name for f in ed.goal.formulas if f.is_money and f.expression.strip()]
    if len(names) < 2:
        return
    current = ed.goal.value_formula()
    seed("biz_roi_formula", current.name if current and current.name in names else names[0])
    if st.session_state["biz_roi_formula"] not in names:
        st.session_state["biz_roi_formula"] = names[0]
    chosen = st.selectbox(tr("business.roi.formula"), names, key="biz_roi_formula",
                          format_func=lambda n: formula_label(n, ed.lang))
    if chosen != ed.goal.roi_formula:
        ed.goal.roi_formula = chosen
        ed.save()


def _inputs(ed: GoalEditor) -> None:
    """Development and operation cost, the operation cost's period, horizon and working days."""
    roi = ed.goal.roi
    formula = ed.goal.value_formula()
    value_period = formula.period if formula else roi.period
    saved_years = round(roi.horizon_days / _DAYS_PER_YEAR, 2)
    seed("biz_roi_dev", _float(roi.development_cost))
    seed("biz_roi_op", _float(roi.operation_cost))
    seed("biz_roi_op_period", roi.operation_period)
    seed("biz_roi_years", saved_years)
    seed("biz_roi_wdays", _float(roi.working_days_per_month))
    cols = st.columns(3)
    dev = cols[0].number_input(tr("business.roi.development_cost_input", currency=ed.currency), value=None,
                               key="biz_roi_dev", step=100_000.0, format=ed.money_format,
                               help=tr("business.roi.development_cost_help"))
    cols[0].caption(ed.money(dev))
    op = cols[1].number_input(tr("business.roi.operation_cost_input", currency=ed.currency), value=None,
                              key="biz_roi_op", step=10_000.0, format=ed.money_format,
                              help=tr("business.roi.operation_cost_help"))
    same = ed.tr("business.roi.same_period", period=ed.tr(f"value.period.{value_period}"))
    op_period = cols[1].selectbox(tr("business.roi.operation_period"), [None, *PERIODS], key="biz_roi_op_period",
                                  format_func=lambda p: ed.tr(f"value.period.{p}") if p else same)
    cols[1].caption(tr("business.roi.amount_per", amount=ed.money(op),
                       period=tr(f"value.period.{op_period or value_period}")))
    years = cols[2].number_input(tr("business.roi.horizon_years"), value=None, key="biz_roi_years", step=0.5,
                                 format="%.2f")
    wdays = cols[2].number_input(tr("business.roi.working_days"), value=None, key="biz_roi_wdays", step=1.0,
                                 placeholder=tr("business.roi.working_days_all"),
                                 help=tr("business.roi.working_days_help"))
    # the years box shows a rounded value: keep the saved days unless the years were changed
    horizon = roi.horizon_days if years == saved_years else int(round((years or 0) * _DAYS_PER_YEAR))
    cols[2].caption(tr("business.roi.horizon_value", days=ed.number(horizon, 0),
                       years=ed.number(horizon / 365, 1)))
    new = replace(roi, development_cost=dev, operation_cost=op, operation_period=op_period, horizon_days=horizon,
                  working_days_per_month=wdays)
    if new != roi:
        ed.goal.roi = new
        ed.save()


def _summary(ed: GoalEditor) -> None:
    """Headline numbers, the verdict in words and the cumulative net chart (or what is missing)."""
    try:
        inputs = ed.goal.roi_inputs()
        summary = roi_summary(inputs)
        df = cumulative_net_df(inputs)
    except UserError as exc:
        if exc.key.startswith(("value.roi.missing_", "value.issue.no_formula")):  # still to do, not wrong
            show_message(exc, "info", ":material/info:")
        else:
            show_message(exc, "error", ":material/error:")
        return
    cols = st.columns(4)
    cols[0].metric(tr("business.roi.value_per_day"), ed.money(summary.value_per_day, digits=0))
    cols[1].metric(tr("business.roi.cost_per_day"), ed.money(summary.cost_per_day, digits=0))
    cols[2].metric(tr("business.roi.break_even"), tr("business.roi.day", day=summary.break_even_day)
                   if summary.break_even_day is not None else tr("value.plot.never"))
    cols[3].metric(tr("business.roi.net_at_horizon"), ed.money(summary.net_at_horizon, digits=0))
    text = verdict_text(summary, ed.goal, ed.lang)
    if summary.verdict == "pays_back":
        st.success(text, icon=":material/savings:")
    elif summary.verdict == "loss":
        st.error(text, icon=":material/money_off:")
    else:
        st.warning(text, icon=":material/hourglass_bottom:")
    if summary.value_per_day < 0:
        st.caption(tr("business.formula.negative"))
    fig = plot_cumulative_net(df, summary.break_even_day, ed.currency, ed.lang)
    st.plotly_chart(fig, width="stretch", key="biz_chart_roi")


def roi(ed: GoalEditor) -> None:
    """The break-even section."""
    st.subheader(tr("business.section.roi"))
    st.caption(tr("business.roi.help"))
    _formula_choice(ed)
    _inputs(ed)
    _summary(ed)
