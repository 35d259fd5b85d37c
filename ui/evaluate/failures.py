"""Tab "Where it fails": slices, fairness between groups, robustness to missing values, speed."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.evaluate import Evaluation
from core.evaluate import metrics as mt
from core.evaluate import plots, slices
from core.evaluate.performance import main_metric
from core.explain.engine import Explanation
from core.explain.summary import get_importance_df
from ui.context import attempt, lang, md, tr
from ui.evaluate.common import chart, num, table


def _metrics(ev: Evaluation) -> list[str]:
    names = list(mt.ORDER[ev.data.problem_type])
    first = main_metric(ev.data)
    return [first] + [m for m in names if m != first] if first in names else names


def show(ev: Evaluation, expl: Explanation | None) -> None:
    """The four views, each with its own choices."""
    data, run_id = ev.data, ev.data.run.id
    threshold = ev.threshold_in_use or 0.5
    columns = [c for c in data.raw_test.columns if c != data.target]
    st.markdown(f"#### {tr('evaluate.slices.title')}")
    st.caption(tr("evaluate.slices.help"))
    left, right = st.columns(2)
    column = left.selectbox(tr("evaluate.slices.column"), columns, key=f"ev_slice_col_{run_id}")
    metric = right.selectbox(tr("evaluate.slices.metric"), _metrics(ev), key=f"ev_slice_metric_{run_id}",
                             format_func=lambda m: tr(f"evaluate.metric.{m}"))
    df = attempt(lambda: slices.get_slices_df(data, column, metric, threshold))
    if df is not None and not df.empty:
        flagged = df[df["flagged"]]
        if len(flagged):
            st.warning(tr("evaluate.slices.flagged", groups=md(", ".join(flagged["group"]))), icon=":material/flag:")
        chart(plots.plot_slices(df, tr(f"evaluate.metric.{metric}"), lang()), "ev_slices")
    if data.problem_type == "binary":
        _fairness(ev, columns, threshold)
    _robustness(ev, expl, metric, threshold)
    _speed(ev)


def _fairness(ev: Evaluation, columns: list[str], threshold: float) -> None:
    st.markdown(f"#### {tr('evaluate.fair.title')}")
    st.caption(tr("evaluate.fair.help"))
    column = st.selectbox(tr("evaluate.fair.column"), columns, index=None, key=f"ev_fair_col_{ev.data.run.id}",
                          placeholder=tr("evaluate.fair.placeholder"))
    if column is None:
        return
    df = attempt(lambda: slices.get_fairness_df(ev.data, column, threshold))
    if df is None:
        return
    gaps = slices.fairness_gaps(df)
    if gaps["positive_rate_gap"] is not None:
        st.markdown(tr("evaluate.fair.gaps", rate=num(gaps["positive_rate_gap"], 3),
                       recall=num(gaps["recall_gap"], 3), ratio=num(gaps["positive_rate_ratio"], 2)))
    chart(plots.plot_fairness(df, lang()), "ev_fairness")
    table(df.rename(columns={"group": tr("evaluate.col.group"), "rows": tr("evaluate.col.rows"),
                             "positive_rate": tr("evaluate.fair.positive_rate"), "recall": tr("evaluate.fair.recall"),
                             "actual_rate": tr("evaluate.fair.actual_rate"),
                             "precision": tr("evaluate.metric.precision")}).round(3))


def _robustness(ev: Evaluation, expl: Explanation | None, metric: str, threshold: float) -> None:
    st.markdown(f"#### {tr('evaluate.robust.title')}")
    st.caption(tr("evaluate.robust.help"))
    top = get_importance_df(expl)["feature"].head(6).tolist() if expl is not None else list(ev.data.X_test.columns[:6])
    if st.button(tr("evaluate.robust.button", n=len(top)), key=f"ev_robust_{ev.data.run.id}"):
        df = slices.get_robustness_df(ev.data, top, metric, threshold)
        chart(plots.plot_robustness(df, tr(f"evaluate.metric.{metric}"), lang()), "ev_robustness")
        table(pd.DataFrame({tr("evaluate.col.column"): df["column"], tr("evaluate.col.value"): df["value"].round(4),
                            tr("evaluate.robust.change"): df["change"].round(4)}))


def _speed(ev: Evaluation) -> None:
    st.markdown(f"#### {tr('evaluate.speed.title')}")
    speed = ev.speed
    if speed is None:
        return
    a, b = st.columns(2)
    a.metric(tr("evaluate.speed.latency"), f"{speed.latency_ms:,.1f} ms")
    b.metric(tr("evaluate.speed.throughput"), tr("evaluate.speed.per_s", rows=f"{speed.throughput:,.0f}"))
    if speed.kind is None:
        st.caption(tr("evaluate.speed.no_requirement"))
    else:
        need = (f"{speed.required:,.1f} ms" if speed.kind == "online"
                else tr("evaluate.speed.per_s", rows=f"{speed.required:,.2f}"))
        (st.success if speed.passed else st.error)(tr(f"evaluate.speed.{speed.kind}_{'ok' if speed.passed else 'bad'}",
                                                      need=need), icon=":material/speed:")
