"""Pure Plotly figures of explanations: importance, beeswarm, dependence, waterfall.

Values are in the model's output units: probability points for classification (shown as %),
target units for regression.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.explain.engine import Explanation
from core.explain.summary import get_importance_df
from core.i18n import t

BLUE, RED, GREY = "#1565c0", "#c62828", "#757575"


def _axis(explanation: Explanation, lang: str) -> str:
    return t(f"explain.axis.{explanation.output}", lang)


def plot_importance(explanation: Explanation, lang: str = "en", top: int = 15) -> go.Figure:
    """Mean |SHAP| per feature, largest on top."""
    df = get_importance_df(explanation).head(top)
    fig = go.Figure(go.Bar(x=df["importance"], y=df["feature"], orientation="h", marker_color=BLUE))
    fig.update_layout(title=t("explain.plot.importance_title", lang), xaxis_title=_axis(explanation, lang),
                      yaxis_autorange="reversed", height=max(300, 90 + 26 * len(df)))
    return fig


def _colour_values(series: pd.Series) -> np.ndarray:
    """Feature values scaled to 0…1 for colouring (categories by their rank of mean SHAP is overkill: codes)."""
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        x = pd.to_numeric(series, errors="coerce").rank(pct=True)
        return x.fillna(0.5).to_numpy()
    codes = series.astype("category").cat.codes.astype(float)
    top = max(codes.max(), 1)
    return (codes / top).where(codes >= 0, 0.5).to_numpy()


def plot_beeswarm(explanation: Explanation, X: pd.DataFrame, lang: str = "en", top: int = 12,
                  max_points: int = 1000, seed: int = 0) -> go.Figure:
    """One dot per row and feature at its SHAP value, coloured from low (blue) to high (red) feature value."""
    features = get_importance_df(explanation)["feature"].head(top).tolist()
    rows = explanation.values.index
    if len(rows) > max_points:
        rows = pd.Index(np.random.default_rng(seed).choice(rows, size=max_points, replace=False))
    rng = np.random.default_rng(seed)
    fig = go.Figure()
    for k, feature in enumerate(features):
        shap = explanation.values.loc[rows, feature].to_numpy()
        values = X.loc[rows, feature]
        fig.add_trace(go.Scattergl(
            x=shap, y=k + rng.uniform(-0.3, 0.3, len(rows)), mode="markers", name=feature, showlegend=False,
            marker={"size": 5, "color": _colour_values(values), "colorscale": [[0, BLUE], [1, RED]], "cmin": 0,
                    "cmax": 1, "opacity": 0.7, "showscale": k == 0,
                    "colorbar": {"title": {"text": t("explain.plot.feature_value", lang)}, "tickvals": [0, 1],
                                 "ticktext": [t("explain.plot.low", lang), t("explain.plot.high", lang)]}},
            text=[f"{feature} = {v}" for v in values.astype(str)], hoverinfo="text+x"))
    fig.add_vline(x=0, line={"color": GREY, "width": 1})
    fig.update_layout(title=t("explain.plot.beeswarm_title", lang), xaxis_title=_axis(explanation, lang),
                      yaxis={"tickvals": list(range(len(features))), "ticktext": features, "autorange": "reversed"},
                      height=max(320, 90 + 34 * len(features)))
    return fig


def plot_dependence(df: pd.DataFrame, feature: str, output: str, lang: str = "en") -> go.Figure:
    """SHAP value of ``feature`` against its value (from ``get_dependence_df``); categories as boxes."""
    values = df["value"]
    numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values) and values.nunique() > 8
    if numeric:
        fig = go.Figure(go.Scattergl(x=values, y=df["shap"], mode="markers",
                                     marker={"color": BLUE, "opacity": 0.6, "size": 6}))
    else:
        fig = go.Figure(go.Box(x=values.astype(str), y=df["shap"], marker_color=BLUE, boxpoints="all", jitter=0.4,
                               pointpos=0))
    fig.add_hline(y=0, line={"color": GREY, "width": 1})
    fig.update_layout(title=t("explain.plot.dependence_title", lang, feature=feature), xaxis_title=feature,
                      yaxis_title=t(f"explain.axis.{output}", lang), showlegend=False)
    return fig


def plot_waterfall(row_df: pd.DataFrame, base: float, prediction: float, output: str, lang: str = "en") -> go.Figure:
    """From the average prediction, each feature's push up (red) or down (blue), to this row's prediction."""
    steps = row_df.iloc[::-1]
    fmt = (lambda v: f"{v * 100:+.1f} pt") if output == "probability" else (lambda v: f"{v:+,.4g}")
    labels = [f"{f} = {v}" if v != "" else f for f, v in zip(steps["feature"], steps["value"])]
    fig = go.Figure(go.Waterfall(
        orientation="h", measure=["absolute"] + ["relative"] * len(steps) + ["total"],
        y=[t("explain.plot.average", lang)] + labels + [t("explain.plot.this_row", lang)],
        x=[base] + steps["contribution"].tolist() + [prediction],
        text=[f"{base:.3g}"] + [fmt(v) for v in steps["contribution"]] + [f"{prediction:.3g}"],
        increasing={"marker": {"color": RED}}, decreasing={"marker": {"color": BLUE}},
        totals={"marker": {"color": GREY}}, connector={"line": {"color": GREY, "width": 1}}))
    fig.update_layout(title=t("explain.plot.waterfall_title", lang), xaxis_title=t(f"explain.axis.{output}", lang),
                      yaxis_autorange="reversed", height=max(340, 110 + 28 * (len(steps) + 2)), showlegend=False)
    return fig
