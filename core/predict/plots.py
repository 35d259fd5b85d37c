"""Pure Plotly figures for the Operate pages: tables in, figures out, titles in ``lang``."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.i18n import t
from core.predict.drift import FLAG_ABOVE, MODERATE_ABOVE
from core.predict.monitor import MonitorTarget

_HEIGHT_PER_BAR = 22


def _empty(title: str, note: str) -> go.Figure:
    """A titled figure with a centred note instead of data."""
    fig = go.Figure()
    fig.add_annotation(text=note, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_layout(title=title, xaxis_visible=False, yaxis_visible=False)
    return fig


def plot_metric_over_time(df: pd.DataFrame, metric: str, targets: list[MonitorTarget] | None = None,
                          lang: str = "en") -> go.Figure:
    """A metric on feedback per period (markers sized by feedback count) with its target line."""
    title = t("predict.plot.metric_title", lang, metric=metric)
    if df.empty or metric not in df.columns or df[metric].isna().all():
        return _empty(title, t("predict.plot.no_feedback", lang))
    sizes = (6 + 14 * df["n"] / max(df["n"].max(), 1)).tolist()
    fig = go.Figure(go.Scatter(x=df["period"], y=df[metric], mode="lines+markers", name=metric,
                               marker={"size": sizes}, customdata=df["n"],
                               hovertemplate="%{x|%Y-%m-%d}: %{y:.3f} (n=%{customdata})<extra></extra>"))
    for target in targets or []:
        if target.metric == metric:
            fig.add_hline(y=target.value, line_dash="dash", line_color="firebrick",
                          annotation_text=t(f"predict.plot.target_{target.direction}", lang, value=f"{target.value:g}"))
    fig.update_layout(title=title, xaxis_title=t("predict.plot.period", lang), yaxis_title=metric)
    return fig


def plot_drift(drift_df: pd.DataFrame, lang: str = "en", top: int = 40) -> go.Figure:
    """Horizontal bars of PSI per input (largest first), coloured by level, with the 0.2 line."""
    title = t("predict.plot.drift_title", lang)
    if drift_df.empty:
        return _empty(title, t("predict.plot.no_drift", lang))
    table = drift_df.head(top)
    colours = ["firebrick" if v > FLAG_ABOVE else "darkorange" if v > MODERATE_ABOVE else "seagreen"
               for v in table["psi"]]
    fig = go.Figure(go.Bar(x=table["psi"], y=table["feature"], orientation="h", marker_color=colours,
                           hovertemplate="%{y}: PSI %{x:.3f}<extra></extra>"))
    fig.add_vline(x=FLAG_ABOVE, line_dash="dash", annotation_text=t("predict.plot.drift_line", lang))
    fig.update_layout(title=title, height=max(260, 120 + _HEIGHT_PER_BAR * len(table)),
                      xaxis_title="PSI", yaxis_autorange="reversed")
    return fig


def plot_drift_history(history_df: pd.DataFrame, lang: str = "en", top: int = 8) -> go.Figure:
    """PSI per batch for the inputs that drifted most, with the 0.2 line."""
    title = t("predict.plot.drift_history_title", lang)
    if history_df.empty:
        return _empty(title, t("predict.plot.no_drift", lang))
    worst = history_df.groupby("feature")["psi"].max().sort_values(ascending=False).head(top).index
    fig = go.Figure()
    for feature in worst:
        part = history_df[history_df["feature"] == feature]
        fig.add_trace(go.Scatter(x=part["batch_id"].astype(str), y=part["psi"], mode="lines+markers", name=feature))
    fig.add_hline(y=FLAG_ABOVE, line_dash="dash", annotation_text=t("predict.plot.drift_line", lang))
    fig.update_layout(title=title, xaxis_title=t("predict.plot.batch", lang), yaxis_title="PSI",
                      xaxis_type="category")
    return fig


def plot_feature_bins(bins_df: pd.DataFrame, feature: str, lang: str = "en") -> go.Figure:
    """Training vs batch share per bin of one input (``core.predict.drift.get_bins_df``)."""
    title = t("predict.plot.bins_title", lang, feature=feature)
    if bins_df.empty:
        return _empty(title, t("predict.plot.no_drift", lang))
    fig = go.Figure([go.Bar(x=bins_df["bin"], y=bins_df["training"], name=t("predict.plot.training", lang)),
                     go.Bar(x=bins_df["bin"], y=bins_df["batch"], name=t("predict.plot.batch", lang))])
    fig.update_layout(title=title, barmode="group", yaxis_tickformat=".0%", xaxis_type="category")
    return fig


def plot_probability(predictions: pd.DataFrame, threshold: float | None = None, lang: str = "en") -> go.Figure:
    """Histogram of the positive-class probability of a batch, with the decision threshold."""
    title = t("predict.plot.probability_title", lang)
    values = pd.to_numeric(predictions.get("probability", pd.Series(dtype=float)), errors="coerce").dropna()
    if values.empty:
        return _empty(title, t("predict.plot.no_probability", lang))
    fig = go.Figure(go.Histogram(x=values, nbinsx=40, hovertemplate="%{x}: %{y}<extra></extra>"))
    if threshold is not None:
        fig.add_vline(x=threshold, line_dash="dash", line_color="firebrick",
                      annotation_text=t("predict.plot.threshold", lang, value=f"{threshold:g}"))
    fig.update_layout(title=title, xaxis_title=t("predict.plot.probability", lang), xaxis_range=[0, 1],
                      yaxis_title=t("predict.plot.rows", lang))
    return fig
