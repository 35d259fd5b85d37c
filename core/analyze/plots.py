"""Pure Plotly figures for the Analysis Report: tables in, figures out, titles in ``lang``."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.analyze.checks_columns import MOSTLY_EMPTY
from core.analyze.report import AnalysisReport
from core.i18n import t

_HEIGHT_PER_BAR = 22


def missing_table(df: pd.DataFrame) -> pd.DataFrame:
    """Share of missing values per column of raw data, worst first."""
    shares = df.isna().mean().sort_values(ascending=False, kind="stable")
    return pd.DataFrame({"column": shares.index.astype(str), "missing_share": shares.to_numpy()})


def _empty(title: str, note: str) -> go.Figure:
    """A titled figure with a centred note instead of data."""
    fig = go.Figure()
    fig.add_annotation(text=note, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_layout(title=title, xaxis_visible=False, yaxis_visible=False)
    return fig


def _bar_height(n: int) -> int:
    """Figure height for ``n`` horizontal bars."""
    return max(260, 120 + _HEIGHT_PER_BAR * n)


def plot_missing(data: AnalysisReport | pd.DataFrame, lang: str = "en", top: int = 40) -> go.Figure:
    """Horizontal bars of missing share per column, with the 50 % drop line."""
    table = data.get_missing_df() if isinstance(data, AnalysisReport) else missing_table(data)
    table = table[table["missing_share"] > 0].head(top)
    title = t("analyze.plot.missing_title", lang)
    if table.empty:
        return _empty(title, t("analyze.plot.no_missing", lang))
    fig = go.Figure(go.Bar(x=table["missing_share"], y=table["column"], orientation="h",
                           hovertemplate="%{y}: %{x:.1%}<extra></extra>"))
    fig.add_vline(x=MOSTLY_EMPTY, line_dash="dash", annotation_text=t("analyze.plot.drop_line", lang))
    fig.update_layout(title=title, height=_bar_height(len(table)), xaxis_tickformat=".0%",
                      xaxis_title=t("analyze.plot.missing_share", lang), xaxis_range=[0, 1],
                      yaxis_autorange="reversed")
    return fig


def plot_target(data: AnalysisReport | pd.DataFrame, lang: str = "en", upper: float | None = None) -> go.Figure:
    """Class counts (classification) or a histogram with the IQR outlier bound (regression)."""
    if isinstance(data, AnalysisReport):
        table = data.get_target_df()
        chart = next((f.chart for f in data.by_check("target") if f.chart), {}) or {}
        upper = chart.get("upper", upper)
    else:
        table = data
    title = t("analyze.plot.target_title", lang)
    if table.empty:
        return _empty(title, t("analyze.plot.no_target", lang))
    if "label" in table.columns:
        fig = go.Figure(go.Bar(x=table["label"].astype(str), y=table["count"]))
        fig.update_layout(xaxis_title=t("analyze.plot.class", lang), xaxis_type="category")
    else:
        centres = (table["bin_left"] + table["bin_right"]) / 2
        fig = go.Figure(go.Bar(x=centres, y=table["count"], width=table["bin_right"] - table["bin_left"]))
        fig.update_layout(xaxis_title=t("analyze.plot.value", lang), bargap=0.02)
        if upper is not None:
            fig.add_vline(x=upper, line_dash="dash", line_color="firebrick",
                          annotation_text=t("analyze.plot.outlier_bound", lang))
    fig.update_layout(title=title, yaxis_title=t("analyze.plot.rows", lang))
    return fig


def plot_relations(data: AnalysisReport | pd.DataFrame, lang: str = "en", top: int = 20) -> go.Figure:
    """Features ranked by relation strength to the target, coloured by measure."""
    table = data.get_relations_df() if isinstance(data, AnalysisReport) else data
    title = t("analyze.plot.relations_title", lang)
    if table.empty:
        return _empty(title, t("analyze.plot.no_relations", lang))
    table = table.sort_values("strength", ascending=False, kind="stable").head(top)
    fig = go.Figure()
    for method, part in table.groupby("method", sort=False):
        fig.add_trace(go.Bar(x=part["strength"], y=part["feature"], orientation="h",
                             name=t(f"analyze.method.{method}", lang)))
    fig.update_layout(title=title, height=_bar_height(len(table)), xaxis_range=[0, 1],
                      xaxis_title=t("analyze.plot.strength", lang), barmode="overlay",
                      yaxis={"categoryorder": "array", "categoryarray": table["feature"].tolist(),
                             "autorange": "reversed"})
    return fig


def plot_correlation(data: AnalysisReport | pd.DataFrame, lang: str = "en") -> go.Figure:
    """Heatmap of the feature–feature correlation matrix (−1 … 1)."""
    matrix = data.get_correlation_df() if isinstance(data, AnalysisReport) else data
    title = t("analyze.plot.correlation_title", lang)
    if matrix.empty:
        return _empty(title, t("analyze.plot.no_correlation", lang))
    fig = go.Figure(go.Heatmap(z=matrix.to_numpy(), x=matrix.columns.astype(str), y=matrix.index.astype(str),
                               zmin=-1, zmax=1, colorscale="RdBu", reversescale=True))
    side = max(360, 120 + 18 * len(matrix))
    fig.update_layout(title=title, height=side, yaxis_autorange="reversed")
    return fig
