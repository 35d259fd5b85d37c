"""Pure plotly figures for Step 1: they take DataFrames from ``roi``/``costs`` and return figures.

Every function takes ``lang`` for titles and labels; money axes name the ``currency``.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.i18n import fmt_money, fmt_threshold, t
from core.value.templates import param_label

_GREEN, _RED, _BLUE, _GREY = "#2e7d32", "#c62828", "#1565c0", "#757575"


def _money_axis(currency: str, lang: str) -> str:
    """Axis title for an amount of money."""
    return t("value.plot.amount", lang, currency=currency)


def plot_cumulative_net(df: pd.DataFrame, break_even_day: int | None, currency: str, lang: str) -> go.Figure:
    """Cumulative value, cost and net per day (from ``cumulative_net_df``), break-even marked."""
    fig = go.Figure()
    for column, color, dash in (("cumulative_value", _BLUE, "dot"), ("cumulative_cost", _GREY, "dot"),
                                ("cumulative_net", _GREEN, "solid")):
        fig.add_trace(go.Scatter(x=df["day"], y=df[column], mode="lines", name=t(f"value.plot.{column}", lang),
                                 line={"color": color, "dash": dash}))
    fig.add_hline(y=0, line={"color": _GREY, "width": 1})
    if break_even_day is not None:
        fig.add_vline(x=break_even_day, line={"color": _GREEN, "dash": "dash"},
                      annotation_text=t("value.plot.break_even_at", lang, day=break_even_day))
    else:
        fig.add_annotation(text=t("value.plot.never", lang), xref="paper", yref="paper", x=0.98, y=0.05,
                           showarrow=False, font={"color": _RED})
    fig.update_layout(title=t("value.plot.cumulative_title", lang), xaxis_title=t("value.plot.day", lang),
                      yaxis_title=_money_axis(currency, lang), hovermode="x unified")
    return fig


def _break_even_text(day: object, lang: str) -> str:
    """'Day 162' or 'never'."""
    return t("value.plot.never", lang) if pd.isna(day) else t("value.plot.break_even_at", lang, day=int(day))


def plot_scenarios(df: pd.DataFrame, currency: str, lang: str) -> go.Figure:
    """Net value per day of each scenario (from ``compare_scenarios``), labelled with break-even."""
    colors = [_GREEN if v == "pays_back" else _RED if v == "loss" else _GREY for v in df["verdict"]]
    labels = [f"{fmt_money(net, currency, lang, digits=0)} · {_break_even_text(day, lang)}"
              for net, day in zip(df["net_per_day"], df["break_even_day"])]
    fig = go.Figure(go.Bar(x=df["scenario"], y=df["net_per_day"], marker_color=colors, text=labels,
                           textposition="auto"))
    fig.add_hline(y=0, line={"color": _GREY, "width": 1})
    fig.update_layout(title=t("value.plot.scenarios_title", lang), xaxis_title=t("value.plot.scenario", lang),
                      yaxis_title=t("value.plot.net_per_day", lang, currency=currency))
    return fig


def _tornado_bar(row: pd.Series, side: str, horizon_days: int) -> tuple[float, str]:
    """Bar length (change in break-even days) and label; 'never' is drawn to the horizon."""
    day, base = row[f"break_even_{side}"], row["break_even_base"]
    if pd.isna(base):
        return 0.0, ""
    if pd.isna(day):
        return float(horizon_days - base), "∞"
    return float(day - base), f"{int(day - base):+d}"


def plot_tornado(df: pd.DataFrame, lang: str, horizon_days: int = 1095, pct: float = 0.2) -> go.Figure:
    """Change in break-even days when each parameter moves ±pct (from ``tornado_df``)."""
    rows = df.iloc[::-1]
    names = [param_label(p, lang) for p in rows["parameter"]]
    fig = go.Figure()
    for side, color in (("low", _BLUE), ("high", "#ef6c00")):
        bars = [_tornado_bar(row, side, horizon_days) for _, row in rows.iterrows()]
        sign = "−" if side == "low" else "+"
        fig.add_trace(go.Bar(y=names, x=[b[0] for b in bars], text=[b[1] for b in bars], orientation="h",
                             name=f"{sign}{round(pct * 100)}%", marker_color=color, opacity=0.8))
    fig.add_vline(x=0, line={"color": _GREY, "width": 1})
    fig.update_layout(barmode="overlay", title=t("value.plot.tornado_title", lang),
                      xaxis_title=t("value.plot.break_even_change", lang),
                      yaxis_title=t("value.plot.parameter", lang))
    return fig


def plot_threshold_cost(df: pd.DataFrame, chosen: float | None = None, currency: str = "JPY",
                        lang: str = "en", target: float | None = None) -> go.Figure:
    """Cost per case against the threshold (from ``threshold_cost_df``); precision/recall on y2."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=df["threshold"], y=df["cost_per_case"], mode="lines", line_shape="hv",
                             name=t("value.plot.cost_per_case", lang), line={"color": _RED}))
    for column, color in (("precision", _BLUE), ("recall", _GREEN)):
        fig.add_trace(go.Scatter(x=df["threshold"], y=df[column], mode="lines", yaxis="y2",
                                 name=t(f"value.plot.{column}", lang), line={"color": color, "dash": "dot"}))
    if target is not None:
        fig.add_hline(y=target, line={"color": _GREY, "dash": "dash"},
                      annotation_text=t("value.plot.target", lang, amount=fmt_money(target, currency, lang)))
    if chosen is not None:
        fig.add_vline(x=chosen, line={"color": _GREY, "dash": "dash"},
                      annotation_text=t("value.plot.chosen", lang, threshold=fmt_threshold(chosen, lang)))
    fig.update_layout(title=t("value.plot.threshold_title", lang), xaxis_title=t("value.plot.threshold", lang),
                      yaxis={"title": {"text": t("value.plot.cost_per_case_axis", lang, currency=currency)}},
                      yaxis2={"title": {"text": t("value.plot.rate", lang)}, "overlaying": "y",
                              "side": "right", "range": [0, 1]})
    return fig
