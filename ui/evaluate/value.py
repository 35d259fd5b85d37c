"""Tab "Value & threshold": cost at 0.5 vs the chosen threshold, a threshold to move, ROI measured."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.evaluate import Evaluation
from core.evaluate import plots
from core.evaluate.value import get_roi_df, measured_cumulative_df
from core.value import plot_cumulative_net
from ui.context import lang, md, tr
from ui.evaluate.common import chart, money, num, table


def show(ev: Evaluation) -> None:
    """The threshold story, then the break-even with measured numbers."""
    if ev.threshold_error is not None:
        key, params = ev.threshold_error
        st.warning(tr(key, **params), icon=":material/warning:")
    if ev.threshold is not None:
        _threshold(ev)
    st.markdown(f"#### {tr('evaluate.value.title')}")
    _roi(ev)


def _ratio(view: dict) -> str:
    return tr("evaluate.value.ratio", ratio=num(view["budget_ratio"], 2)) if view.get("budget_ratio") else ""


def _threshold(ev: Evaluation) -> None:
    th = ev.threshold
    st.caption(tr(f"evaluate.threshold.source_{th.source}", rows=f"{th.validation_rows:,}"))
    default, chosen = th.default_view, th.chosen_view
    left, right = st.columns(2)
    left.metric(tr("evaluate.threshold.default", threshold=f"{default['threshold']:.2f}"),
                money(ev, default["cost_per_case"]), _ratio(default), delta_color="off", delta_arrow="off")
    right.metric(tr("evaluate.threshold.chosen", threshold=f"{chosen['threshold']:.2f}"),
                 money(ev, chosen["cost_per_case"]), _ratio(chosen), delta_color="off", delta_arrow="off")
    if th.budget:
        good = chosen["within_budget"]
        key = "evaluate.threshold.budget_ok" if good else "evaluate.threshold.budget_bad"
        (st.success if good else st.error)(tr(key, budget=md(money(ev, th.budget))), icon=":material/savings:")
    chart(plots.plot_cost_comparison(th.get_comparison_df(), ev.data.goal.currency, lang()), "ev_cost_compare")
    st.markdown(f"##### {tr('evaluate.threshold.move')}")
    key = f"ev_threshold_{ev.data.run.id}"
    value = st.slider(tr("evaluate.threshold.slider"), 0.0, 1.0, float(th.chosen), 0.01, key=key,
                      help=tr("evaluate.threshold.slider_help"))
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


def _roi(ev: Evaluation) -> None:
    value = ev.value
    st.caption(tr(f"evaluate.value.rule_{value.driver}", assumed=num(value.assumed, 2),
                  measured=num(value.measured, 3), factor=num(value.factor, 3)))
    if value.saving_per_case is not None:
        st.markdown(tr("evaluate.value.no_model", none=md(money(ev, value.no_model_cost)),
                       model=md(money(ev, value.model_cost)), saving=md(money(ev, value.saving_per_case))))
    if value.error is not None:
        st.info(tr(value.error[0], **value.error[1]), icon=":material/info:")
        return
    df = get_roi_df(value)
    if df.empty:
        return
    table(pd.DataFrame({"": [tr(f"evaluate.value.{w}") for w in df["which"]],
                        tr("evaluate.value.per_period", period=tr(f"value.period.{value.period}")):
                            [money(ev, v) for v in df["value_per_period"]],
                        tr("evaluate.value.net_per_day"): [money(ev, v) for v in df["net_per_day"]],
                        tr("evaluate.value.break_even"): [
                            tr("value.plot.never") if pd.isna(d) else tr("evaluate.value.day", day=int(d))
                            for d in df["break_even_day"]],
                        tr("evaluate.value.verdict"): [tr(f"value.verdict.{v}") for v in df["verdict"]]}))
    if value.measured_roi is not None:
        chart(plot_cumulative_net(measured_cumulative_df(ev.data, value), value.measured_roi.break_even_day,
                                  ev.data.goal.currency, lang()), "ev_roi")
