"""Tab "Monitor": quality on feedback against the acceptance targets, the retraining signal, data drift."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from core.predict import RetrainingSignal, get_bins_df, get_drift_df, get_drift_history_df, get_metrics_over_time_df
from core.predict import retraining_signal
from core.predict.drift import MISSING, OTHER
from core.predict.monitor import SignalReason
from core.predict.plots import plot_drift, plot_drift_history, plot_feature_bins, plot_metric_over_time
from core.store import predictions as store_p
from core.store.model_versions import ModelInfo, get_model
from core.store.projects import ProjectInfo
from ui.context import attempt, get_store, lang, md, tr, tr_md
from ui.predict.common import chart, metric_label, num

PERIODS = ("D", "W", "M")


def _message(reason: SignalReason) -> str:
    """A signal reason in words, with its metric and source translated."""
    params = dict(reason.message.params)
    if "metric" in params:
        params["metric"] = metric_label(params["metric"])
    if "source" in params:
        params["source"] = tr(f"predict.monitor.source.{params['source']}")
    for name in ("value", "target"):
        if isinstance(params.get(name), (int, float)):
            params[name] = num(params[name], 3)
    return tr(reason.message.key, **params)


def signal_box(signal: RetrainingSignal) -> None:
    """Retraining recommended (red), holding (green) or not judged yet (blue), with the reasons."""
    main = [_message(r) for r in signal.reasons if r.severity != "watch"]
    watch = [_message(r) for r in signal.reasons if r.severity == "watch"]
    if signal.recommended:
        st.error("\n".join(f"- {md(m)}" for m in main), icon=":material/model_training:")
    elif signal.status == "ok":
        st.success(tr("predict_ui.monitor.holding", n=signal.n_feedback), icon=":material/verified:")
    else:
        st.info("\n".join(md(m) for m in main) or tr("predict_ui.monitor.not_judged"), icon=":material/hourglass_top:")
    for message in watch:
        st.warning(md(message), icon=":material/stacked_line_chart:")
    if signal.targets:
        cols = st.columns(min(len(signal.targets) + 1, 5))
        cols[0].metric(tr("predict_ui.monitor.feedback_n"), f"{signal.n_feedback:,}")
        for col, target in zip(cols[1:], signal.targets):
            sign = "≥" if target.direction == "min" else "≤"
            col.metric(md(metric_label(target.metric)), num(signal.metrics.get(target.metric), 3),
                       help=tr("predict_ui.monitor.target", sign=sign, value=num(target.value, 3),
                               source=tr(f"predict.monitor.source.{target.source}")))


def quality(project: ProjectInfo, model: ModelInfo, signal: RetrainingSignal) -> None:
    """Each monitored metric per period, with its target line."""
    freq = st.segmented_control(tr("predict_ui.monitor.period"), PERIODS, default="W",
                                key=f"pm_freq_{project.id}_{lang()}",
                                format_func={p: tr(f"predict_ui.monitor.period_{p}") for p in PERIODS}.get) or "W"
    df = attempt(lambda: get_metrics_over_time_df(get_store(), project.id, freq))
    if df is None:
        return
    default = "rmse" if model.card["target"]["problem_type"] == "regression" else "accuracy"
    metrics = list(dict.fromkeys([t.metric for t in signal.targets] + [default]))
    for i, metric in enumerate(metrics):
        fig = plot_metric_over_time(df, metric, signal.targets, lang())
        fig.update_layout(title=tr("predict_ui.monitor.metric_title", metric=metric_label(metric)),
                          yaxis_title=metric_label(metric))
        fig.update_xaxes(tickformat="%Y-%m-%d")
        if len(df) == 1:  # one period: show a few around it, not milliseconds
            span = pd.Timedelta(days={"D": 3, "W": 14, "M": 60}[freq])
            fig.update_xaxes(range=[df["period"].iloc[0] - span, df["period"].iloc[0] + span])
        chart(fig, f"pm_metric_{project.id}_{i}")


def _drift_table(df: pd.DataFrame) -> None:
    table = pd.DataFrame({tr("predict_ui.drift.feature"): df["feature"], "PSI": df["psi"].round(3),
                          tr("predict_ui.drift.level"): [tr(f"predict_ui.drift.level_{v}") for v in df["level"]],
                          tr("predict_ui.drift.flagged"): ["⚠" if f else "" for f in df["flagged"]]})
    st.dataframe(table, hide_index=True, width="stretch", height=min(35 * (len(table) + 1) + 3, 420))


def drift(project: ProjectInfo) -> None:
    """PSI per input of each finished batch against the training data, flagged above 0.2."""
    st.caption(tr("predict_ui.drift.help"))
    history = get_drift_history_df(get_store(), project.id)
    done = [b for b in store_p.list_batches(get_store(), project.id) if b.status == store_p.DONE]
    if not done:
        st.info(tr("predict_ui.drift.none"), icon=":material/stacked_line_chart:")
        return
    if history["batch_id"].nunique() > 1:
        chart(plot_drift_history(history, lang()), f"pm_drift_history_{project.id}")
    by_id = {b.id: b for b in done}
    labels = {i: tr("predict_ui.drift.batch_item", id=i, rows=f"{b.n_rows:,}", file=b.source.get("filename") or "—")
              for i, b in by_id.items()}
    chosen = st.selectbox(tr("predict_ui.drift.batch"), list(by_id), key=f"pm_batch_{project.id}_{lang()}",
                          format_func=labels.get)
    batch = by_id[chosen]
    report = batch.drift or {}
    df = get_drift_df(report)
    if not report.get("reliable", True):
        st.info(tr("predict_ui.drift.small", rows=f"{batch.n_rows:,}", min=report.get("min_rows", 200)),
                icon=":material/info:")
    elif report.get("flagged"):
        st.warning(tr_md("predict_ui.drift.flagged_list", features=", ".join(report["flagged"])),
                   icon=":material/stacked_line_chart:")
    else:
        st.success(tr("predict_ui.drift.stable"), icon=":material/check_circle:")
    left, right = st.columns([3, 2])
    with left:
        chart(plot_drift(df, lang()), f"pm_drift_{batch.id}")
    with right:
        _drift_table(df)
    _bins(batch, report, df)


def _bins(batch: store_p.BatchInfo, report: dict[str, Any], df: pd.DataFrame) -> None:
    """Training vs batch shares of one input."""
    info = get_model(get_store(), batch.model_id)
    profiles = ((info.card.get("reference") or {}).get("inputs") or {}) if info else {}
    features = [f for f in df["feature"] if f in profiles]
    if not features:
        return
    feature = st.selectbox(tr("predict_ui.drift.feature_pick"), features, key=f"pm_feature_{batch.id}")
    entry = next(f for f in report.get("features", []) if f["feature"] == feature)
    bins = get_bins_df(profiles[feature], entry)
    bins["bin"] = bins["bin"].replace({OTHER: tr("predict_ui.drift.other"), MISSING: tr("predict_ui.drift.missing")})
    chart(plot_feature_bins(bins, feature, lang()), f"pm_bins_{batch.id}")


def show(project: ProjectInfo, model: ModelInfo) -> None:
    """The retraining signal, quality over time and drift."""
    signal = retraining_signal(get_store(), project.id)
    st.subheader(f":material/monitor_heart: {tr('predict_ui.monitor.title')}")
    signal_box(signal)
    quality(project, model, signal)
    st.subheader(f":material/stacked_line_chart: {tr('predict_ui.drift.title')}")
    drift(project)
