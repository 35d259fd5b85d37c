"""Tab "Performance": metrics with meanings, confusion matrix with costs, curves, comparisons."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.evaluate import Evaluation
from core.evaluate import metrics as mt
from core.evaluate import plots
from core.evaluate.decision import decided_test_labels
from core.evaluate.performance import baseline_gap, get_runs_df, main_metric
from core.i18n import fmt_threshold
from ui.context import get_store, lang, md, tr, tr_md
from ui.evaluate import checks
from ui.evaluate.common import chart, num, table


def show(ev: Evaluation) -> None:
    """Everything about how well the model predicts the locked test rows."""
    data, perf = ev.data, ev.performance
    st.caption(tr("evaluate.perf.help", rows=f"{len(data.y_test):,}", model=md(data.model)))
    for key in perf.warnings:
        st.warning(tr(key), icon=":material/warning:")
    if perf.threshold is not None:
        st.caption(tr("evaluate.perf.at_threshold", threshold=fmt_threshold(perf.threshold, lang())))
    df = mt.get_metrics_df(perf.metrics, data.problem_type, lang())
    table(pd.DataFrame({tr("evaluate.col.metric"): df["name"],
                        tr("evaluate.col.value"): [num(v, 4) for v in df["value"]],
                        tr("evaluate.col.meaning"): df["meaning"]}))
    checks.suspicions(ev)  # issue 13: too good to be true, and test rows beyond the training range
    checks.extrapolation(ev)
    if data.problem_type == "binary":
        _binary(ev)
    elif data.problem_type == "multiclass":
        _multiclass(ev)
    else:
        _regression(ev)
    _comparison(ev)


def _binary(ev: Evaluation) -> None:
    data, threshold = ev.data, ev.threshold_in_use
    y, p = data.y01(), data.scores
    matrix = ev.threshold.matrix if ev.threshold is not None else data.goal.cost_matrix
    left, right = st.columns(2)
    with left:
        chart(plots.plot_confusion(mt.get_confusion_df(mt.confusion_counts(y, p, threshold), matrix), lang(),
                                   data.goal.currency), "ev_confusion")
    with right:
        chart(plots.plot_roc(mt.get_roc_df(y, p), ev.performance.metrics.get("roc_auc"), lang()), "ev_roc")
    left, right = st.columns(2)
    with left:
        chart(plots.plot_pr(mt.get_pr_df(y, p), ev.performance.metrics.get("pr_auc"), float(y.mean()), lang()),
              "ev_pr")
    with right:
        chart(plots.plot_calibration(mt.get_calibration_df(y, p), lang()), "ev_calibration")


def _multiclass(ev: Evaluation) -> None:
    data = ev.data
    decided = decided_test_labels(data, ev.decision)
    per_class = mt.get_per_class_df(data.y_test, decided, data.class_labels)
    table(per_class.round(3))
    chart(plots.plot_class_confusion(mt.get_class_confusion_df(data.y_test, decided, data.class_labels),
                                     lang()), "ev_class_confusion")


def _regression(ev: Evaluation) -> None:
    y, pred = ev.data.y_test.to_numpy(dtype=float), ev.data.scores
    left, right = st.columns(2)
    with left:
        chart(plots.plot_predicted_vs_actual(y, pred, lang()), "ev_pred_actual")
    with right:
        chart(plots.plot_residuals(y, pred, lang()), "ev_residuals")
    chart(plots.plot_histograms(y, pred, lang()), "ev_hist")


def _comparison(ev: Evaluation) -> None:
    st.markdown(f"#### {tr('evaluate.compare.title')}")
    df = ev.baselines
    metric = main_metric(ev.data)
    name = tr(f"evaluate.metric.{metric}")
    if df.empty:
        st.caption(tr("evaluate.compare.none"))
        return
    gap = baseline_gap(df)
    if gap is not None:
        alert = st.success if gap["beats"] else st.warning
        alert(tr_md("evaluate.compare.beats" if gap["beats"] else "evaluate.compare.not_beats", metric=name,
                    model=gap["model"], score=num(gap["score"], 4), baseline=gap["baseline"],
                    baseline_score=num(gap["baseline_score"], 4)), icon=":material/balance:")
    chart(plots.plot_baselines(df, name, lang()), "ev_baselines")
    with st.expander(tr("evaluate.compare.runs"), icon=":material/history:"):
        if st.button(tr("evaluate.compare.runs_button"), key=f"ev_runs_{ev.data.run.id}"):
            runs_df = get_runs_df(get_store(), ev.data)
            table(pd.DataFrame({tr("evaluate.col.run"): runs_df.get("run"),
                                tr("evaluate.col.model"): runs_df.get("model"),
                                name: [num(v, 4) for v in runs_df.get("test", [])],
                                tr("evaluate.col.same_test"): [tr("evaluate.yes") if s else tr("evaluate.no")
                                                               for s in runs_df.get("same_test_set", [])]}))
