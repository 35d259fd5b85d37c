"""Pure Plotly figures of Step 6: tables from ``core.evaluate`` in, figures out, words in ``lang``.

User text (column and group names) is drawn by Plotly, which renders a small subset of HTML in
labels; callers building a stand-alone report escape such names first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.i18n import fmt_cost, fmt_money, fmt_threshold, t
from core.value import plot_threshold_cost
from core.value.decisions import policy_label

if TYPE_CHECKING:
    from core.evaluate.decision import DecisionResult

GREEN, RED, BLUE, GREY, ORANGE = "#2e7d32", "#c62828", "#1565c0", "#757575", "#ef6c00"


def _empty(title: str, note: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=note, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_layout(title=title, xaxis_visible=False, yaxis_visible=False)
    return fig


def plot_confusion(df: pd.DataFrame, lang: str = "en", currency: str = "JPY") -> go.Figure:
    """2×2 confusion matrix (from ``get_confusion_df``): counts, and each cell's cost when known."""
    order = ["positive", "negative"]
    z = [[int(df[(df.actual == a) & (df.predicted == p)]["count"].iloc[0]) for p in order] for a in order]
    text = []
    for a in order:
        line = []
        for p in order:
            row = df[(df.actual == a) & (df.predicted == p)].iloc[0]
            label = f"{t(f'evaluate.cell.{row.cell}', lang)}<br>{int(row['count'])}"
            if row.total_cost is not None and not pd.isna(row.total_cost):
                label += f"<br>{fmt_money(row.total_cost, currency, lang)}"
            line.append(label)
        text.append(line)
    names = [t(f"evaluate.plot.{o}", lang) for o in order]
    fig = go.Figure(go.Heatmap(z=z, x=names, y=names, text=text, texttemplate="%{text}", showscale=False,
                               colorscale=[[0, "#f3f6fb"], [1, "#8fb3e6"]], textfont={"color": "#1f2328"}))
    fig.update_layout(title=t("evaluate.plot.confusion_title", lang), xaxis_title=t("evaluate.plot.predicted", lang),
                      yaxis_title=t("evaluate.plot.actual", lang), yaxis_autorange="reversed", height=380)
    return fig


def plot_class_confusion(df: pd.DataFrame, lang: str = "en") -> go.Figure:
    """Multiclass confusion matrix (rows actual, columns predicted)."""
    fig = go.Figure(go.Heatmap(z=df.to_numpy(), x=list(df.columns), y=list(df.index), texttemplate="%{z}",
                               colorscale="Blues", showscale=False))
    fig.update_layout(title=t("evaluate.plot.confusion_title", lang), xaxis_title=t("evaluate.plot.predicted", lang),
                      yaxis_title=t("evaluate.plot.actual", lang), yaxis_autorange="reversed")
    return fig


def plot_roc(df: pd.DataFrame, auc: float | None, lang: str = "en") -> go.Figure:
    """ROC curve with the chance diagonal."""
    title = t("evaluate.plot.roc_title", lang, auc="—" if auc is None else f"{auc:.3f}")
    if df.empty:
        return _empty(title, t("evaluate.plot.one_class", lang))
    fig = go.Figure(go.Scatter(x=df["fpr"], y=df["tpr"], mode="lines", line={"color": BLUE},
                               name=t("evaluate.metric.roc_auc", lang)))
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", line={"color": GREY, "dash": "dash"},
                             name=t("evaluate.plot.chance", lang)))
    fig.update_layout(title=title, xaxis_title=t("evaluate.plot.fpr", lang), yaxis_title=t("evaluate.plot.tpr", lang))
    return fig


def plot_pr(df: pd.DataFrame, ap: float | None, prevalence: float, lang: str = "en") -> go.Figure:
    """Precision-recall curve with the no-skill line at the positive share."""
    title = t("evaluate.plot.pr_title", lang, ap="—" if ap is None else f"{ap:.3f}")
    if df.empty:
        return _empty(title, t("evaluate.plot.one_class", lang))
    fig = go.Figure(go.Scatter(x=df["recall"], y=df["precision"], mode="lines", line={"color": BLUE},
                               name=t("evaluate.metric.pr_auc", lang)))
    fig.add_hline(y=prevalence, line={"color": GREY, "dash": "dash"},
                  annotation_text=t("evaluate.plot.no_skill", lang))
    fig.update_layout(title=title, xaxis_title=t("evaluate.metric.recall", lang),
                      yaxis_title=t("evaluate.metric.precision", lang), yaxis_range=[0, 1.02])
    return fig


def plot_calibration(df: pd.DataFrame, lang: str = "en") -> go.Figure:
    """Predicted probability vs observed share of positives per bin (the diagonal is perfect)."""
    title = t("evaluate.plot.calibration_title", lang)
    if df.empty:
        return _empty(title, t("evaluate.plot.one_class", lang))
    fig = go.Figure(go.Scatter(x=df["predicted"], y=df["observed"], mode="lines+markers", line={"color": BLUE},
                               text=[t("evaluate.plot.rows_n", lang, n=int(n)) for n in df["count"]],
                               name=t("evaluate.plot.model", lang)))
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", line={"color": GREY, "dash": "dash"},
                             name=t("evaluate.plot.perfect", lang)))
    fig.update_layout(title=title, xaxis_title=t("evaluate.plot.mean_predicted", lang),
                      yaxis_title=t("evaluate.plot.observed", lang), xaxis_range=[0, 1], yaxis_range=[0, 1])
    return fig


def plot_predicted_vs_actual(y: np.ndarray, pred: np.ndarray, lang: str = "en") -> go.Figure:
    """Scatter of predicted against actual values with the perfect line."""
    lo, hi = float(min(np.min(y), np.min(pred))), float(max(np.max(y), np.max(pred)))
    fig = go.Figure(go.Scattergl(x=y, y=pred, mode="markers", marker={"color": BLUE, "opacity": 0.5, "size": 5},
                                 name=t("evaluate.plot.rows", lang)))
    fig.add_trace(go.Scatter(x=[lo, hi], y=[lo, hi], mode="lines", line={"color": GREY, "dash": "dash"},
                             name=t("evaluate.plot.perfect", lang)))
    fig.update_layout(title=t("evaluate.plot.pred_actual_title", lang), xaxis_title=t("evaluate.plot.actual", lang),
                      yaxis_title=t("evaluate.plot.predicted", lang))
    return fig


def plot_residuals(y: np.ndarray, pred: np.ndarray, lang: str = "en") -> go.Figure:
    """Residual (actual − predicted) against the prediction."""
    fig = go.Figure(go.Scattergl(x=pred, y=np.asarray(y) - np.asarray(pred), mode="markers",
                                 marker={"color": ORANGE, "opacity": 0.5, "size": 5}))
    fig.add_hline(y=0, line={"color": GREY})
    fig.update_layout(title=t("evaluate.plot.residuals_title", lang), xaxis_title=t("evaluate.plot.predicted", lang),
                      yaxis_title=t("evaluate.plot.residual", lang), showlegend=False)
    return fig


def plot_histograms(y: np.ndarray, pred: np.ndarray, lang: str = "en") -> go.Figure:
    """Actual and predicted value distributions overlaid."""
    fig = go.Figure()
    fig.add_trace(go.Histogram(x=y, name=t("evaluate.plot.actual", lang), opacity=0.55, marker_color=BLUE))
    fig.add_trace(go.Histogram(x=pred, name=t("evaluate.plot.predicted", lang), opacity=0.55, marker_color=ORANGE))
    fig.update_layout(barmode="overlay", title=t("evaluate.plot.hist_title", lang),
                      xaxis_title=t("evaluate.plot.value", lang), yaxis_title=t("evaluate.plot.rows", lang))
    return fig


def plot_threshold(curve: pd.DataFrame, chosen: float, current: float | None = None, currency: str = "JPY",
                   lang: str = "en", budget: float | None = None) -> go.Figure:
    """Validation cost per case against the threshold, chosen value and the user's value marked."""
    fig = plot_threshold_cost(curve, chosen=chosen, currency=currency, lang=lang, target=budget)
    if current is not None and abs(current - chosen) > 1e-9:
        fig.add_vline(x=current, line={"color": ORANGE, "dash": "dot"},
                      annotation_text=t("evaluate.plot.your_threshold", lang, threshold=fmt_threshold(current, lang)),
                      annotation_position="bottom right")
    fig.update_layout(title=t("evaluate.plot.threshold_title", lang))
    return fig


def plot_cost_comparison(df: pd.DataFrame, currency: str = "JPY", lang: str = "en") -> go.Figure:
    """Test-set cost per case at the default and the chosen threshold, with the budget line."""
    names = [t(f"evaluate.threshold.{w}", lang, threshold=fmt_threshold(th, lang))
             for w, th in zip(df["which"], df["threshold"])]
    budget = df["budget"].iloc[0] if "budget" in df and len(df) else None
    colors = [GREEN if budget is None or pd.isna(budget) or c <= budget else RED for c in df["cost_per_case"]]
    fig = go.Figure(go.Bar(x=names, y=df["cost_per_case"], marker_color=colors,
                           text=[fmt_money(c, currency, lang) for c in df["cost_per_case"]], textposition="auto"))
    if budget is not None and not pd.isna(budget):
        fig.add_hline(y=budget, line={"color": GREY, "dash": "dash"},
                      annotation_text=t("value.plot.target", lang, amount=fmt_money(budget, currency, lang)))
    fig.update_layout(title=t("evaluate.plot.cost_title", lang),
                      yaxis_title=t("value.plot.cost_per_case_axis", lang, currency=currency))
    return fig


def plot_slices(df: pd.DataFrame, metric_name: str, lang: str = "en") -> go.Figure:
    """Metric per slice with the overall line; flagged slices in red."""
    colors = [RED if f else BLUE for f in df["flagged"]]
    fig = go.Figure(go.Bar(x=df["value"], y=df["group"], orientation="h", marker_color=colors,
                           text=[t("evaluate.plot.rows_n", lang, n=int(n)) for n in df["rows"]]))
    if len(df) and df["overall"].notna().any():
        fig.add_vline(x=float(df["overall"].dropna().iloc[0]), line={"color": GREY, "dash": "dash"},
                      annotation_text=t("evaluate.plot.overall", lang))
    fig.update_layout(title=t("evaluate.plot.slices_title", lang, metric=metric_name), xaxis_title=metric_name,
                      yaxis_autorange="reversed", height=max(300, 80 + 28 * len(df)))
    return fig


def plot_fairness(df: pd.DataFrame, lang: str = "en") -> go.Figure:
    """Share predicted positive and recall per group."""
    fig = go.Figure()
    for column, color in (("positive_rate", BLUE), ("recall", ORANGE)):
        fig.add_trace(go.Bar(x=df["group"], y=df[column], name=t(f"evaluate.fair.{column}", lang), marker_color=color))
    fig.update_layout(barmode="group", title=t("evaluate.plot.fairness_title", lang), yaxis_range=[0, 1])
    return fig


def plot_robustness(df: pd.DataFrame, metric_name: str, lang: str = "en") -> go.Figure:
    """The metric when each feature is missing, against the normal value."""
    fig = go.Figure(go.Bar(x=df["value"], y=df["column"], orientation="h", marker_color=ORANGE))
    if len(df):
        fig.add_vline(x=float(df["normal"].iloc[0]), line={"color": GREEN, "dash": "dash"},
                      annotation_text=t("evaluate.plot.normal", lang))
    fig.update_layout(title=t("evaluate.plot.robustness_title", lang, metric=metric_name), xaxis_title=metric_name,
                      yaxis_autorange="reversed", height=max(300, 80 + 28 * len(df)))
    return fig


def plot_baselines(df: pd.DataFrame, metric_name: str, lang: str = "en") -> go.Figure:
    """Test metric of every leaderboard model; baselines grey, the chosen model green."""
    colors = [GREEN if c else GREY if b else BLUE for c, b in zip(df["is_chosen"], df["is_baseline"])]
    fig = go.Figure(go.Bar(x=df["test"], y=df["model"], orientation="h", marker_color=colors))
    fig.update_layout(title=t("evaluate.plot.baselines_title", lang, metric=metric_name), xaxis_title=metric_name,
                      yaxis_autorange="reversed", height=max(260, 80 + 28 * len(df)))
    return fig


def plot_decision_costs(decision: DecisionResult, currency: str = "JPY", lang: str = "en",
                        budget: float | None = None) -> go.Figure:
    """Test cost per case of the model and of each decision without a model (red: one the model does not beat)."""
    names = [t("evaluate.money.model", lang)] + [policy_label(p.policy, lang) for p in decision.policies]
    costs = [decision.model_test_cost] + [p.test_cost for p in decision.policies]
    colors = [GREEN if decision.beats_all else ORANGE] + [GREY if p.beaten else RED for p in decision.policies]
    fig = go.Figure(go.Bar(x=names, y=costs, marker_color=colors, text=[fmt_cost(c, currency, lang) for c in costs],
                           textposition="auto"))
    # A far costlier policy (act on no one: every churner lost) would flatten the bars that decide the
    # verdict; the axis stops above those and the cut bar says its amount.
    near = max([decision.model_test_cost, decision.best_policy.test_cost, budget or 0.0])
    cap = 2.5 * near
    if near > 0 and max(costs) > 4 * near:
        fig.update_yaxes(range=[0, cap])
        for name, cost in zip(names, costs, strict=True):
            if cost > cap:
                fig.add_annotation(x=name, y=cap, text=f"↑ {fmt_money(cost, currency, lang)}", showarrow=False,
                                   yanchor="top", font={"color": "#ffffff"})
    if budget is not None:
        fig.add_hline(y=budget, line={"color": GREY, "dash": "dash"},
                      annotation_text=t("value.plot.target", lang, amount=fmt_money(budget, currency, lang)))
    fig.update_layout(title=t("evaluate.plot.decisions_title", lang),
                      yaxis_title=t("value.plot.cost_per_case_axis", lang, currency=currency), height=380)
    return fig


def plot_class_money(df: pd.DataFrame, currency: str = "JPY", lang: str = "en") -> go.Figure:
    """Multiclass actual × decided (from ``get_class_money_df``): counts, and each cell's money."""
    labels = list(dict.fromkeys(df["actual"]))
    z = df.pivot(index="actual", columns="decided", values="total_cost").reindex(index=labels, columns=labels)
    counts = df.pivot(index="actual", columns="decided", values="count").reindex(index=labels, columns=labels)
    text = [[f"{int(counts.iloc[i, j])}<br>{fmt_money(z.iloc[i, j], currency, lang)}" for j in range(len(labels))]
            for i in range(len(labels))]
    fig = go.Figure(go.Heatmap(z=z.to_numpy(), x=labels, y=labels, text=text, texttemplate="%{text}",
                               colorscale=[[0, "#f3f6fb"], [1, "#e6a08f"]], showscale=False,
                               textfont={"color": "#1f2328"}))
    fig.update_layout(title=t("evaluate.plot.class_money_title", lang), xaxis_title=t("evaluate.plot.decided", lang),
                      yaxis_title=t("evaluate.plot.actual", lang), yaxis_autorange="reversed")
    return fig
