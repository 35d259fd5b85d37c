"""The Analysis Report (Step 2's deliverable) as one self-contained HTML page.

The report and the Analyze page say the same thing because both use :func:`findings_table`,
:func:`overall_summary` and the Plotly figures of :mod:`core.analyze.plots`.
:func:`analysis_document` builds the report as a :class:`~core.report.document.Document`,
rendered by :mod:`core.report.html` like every report (user text escaped, plotly.js inline
once, so the file opens offline); column names and class values drawn inside the charts are
escaped too, because Plotly renders a subset of HTML in labels.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from core.analyze import PROBLEM, WARNING, AnalysisReport
from core.analyze import plots
from core.analyze.questions import question_text, role_label
from core.i18n import fmt_number, has
from core.report.document import Badge, Block, Document, Section, chart_text, t
from core.report.html import render_html

VERDICT_ICONS = {"ok": "check_circle", "warning": "error", "problem": "cancel"}
VERDICT_COLORS = {"ok": "green", "warning": "orange", "problem": "red"}
_TONES = {"ok": "ok", "warning": "warn", "problem": "bad"}
_SYMBOLS = {"ok": "✓", "warning": "!", "problem": "✗"}


def recommendation_text(rec: dict[str, Any] | None, lang: str) -> str:
    """A recommendation as one line: action, column, reason (empty when there is none)."""
    if not rec:
        return ""
    action = rec.get("action", "")
    text = t(f"analyze.action.{action}", lang) if has(f"analyze.action.{action}") else str(action)
    if rec.get("column"):
        text = t("analyze_ui.rec.with_column", lang, action=text, column=rec["column"])
    if rec.get("reason_key"):
        text += " " + t(rec["reason_key"], lang)
    return text


def findings_table(report: AnalysisReport, lang: str) -> pd.DataFrame:
    """One row per finding: verdict id, check label, message and recommendation, in ``lang``."""
    rows = [{"verdict": f.verdict, "check": t(f"analyze.check.{f.check}", lang),
             "finding": t(f.message_key, lang, **f.params),
             "recommendation": recommendation_text(f.recommendation, lang)} for f in report.findings]
    return pd.DataFrame(rows, columns=["verdict", "check", "finding", "recommendation"])


def overall_summary(report: AnalysisReport, lang: str) -> tuple[str, str, list[str]]:
    """(verdict, headline, lines): the blockers' messages, or which checks need a look."""
    blockers = [t(f.message_key, lang, **f.params) for f in report.blockers]
    warnings = [f for f in report.findings if f.verdict == WARNING]
    headline = t(f"analyze_ui.overall.{report.overall}", lang, count=len(warnings), blockers=len(blockers))
    if report.overall == PROBLEM:
        return report.overall, headline, blockers
    checks = dict.fromkeys(t(f"analyze.check.{f.check}", lang) for f in warnings)
    listed = [t("analyze_ui.overall.to_check", lang, checks=", ".join(checks))] if checks else []
    return report.overall, headline, listed


def report_figures(report: AnalysisReport, lang: str) -> list[tuple[str, Any]]:
    """(key, figure) for each chart that has data: missing values, target, relations, correlation."""
    out = []
    if not report.get_missing_df().query("missing_share > 0").empty:
        out.append(("missing", plots.plot_missing(report, lang)))
    if not report.get_target_df().empty:
        out.append(("target", plots.plot_target(report, lang)))
    if not report.get_relations_df().empty:
        out.append(("relations", plots.plot_relations(report, lang)))
    if len(report.get_correlation_df()) >= 2:
        out.append(("correlation", plots.plot_correlation(report, lang)))
    for _key, fig in out:
        fig.update_yaxes(automargin=True)  # long (Japanese) column names stay readable
    return out


def _badge(verdict: str, lang: str) -> Badge:
    return Badge(f"{_SYMBOLS.get(verdict, '')} {t(f'analyze.verdict.{verdict}', lang)}".strip(),
                 _TONES.get(verdict, "info"))


def _escape_labels(fig: go.Figure) -> go.Figure:
    """Column names and class values on the axes shown as typed (Plotly draws some HTML in labels)."""
    for trace in fig.data:
        for axis in ("x", "y"):
            values = getattr(trace, axis, None)
            if values is not None and len(values) and all(isinstance(v, str) for v in values):
                trace[axis] = [chart_text(v) for v in values]
    for axis in ("xaxis", "yaxis"):
        order = fig.layout[axis].categoryarray
        if order is not None:
            fig.layout[axis].categoryarray = [chart_text(v) for v in order]
    return fig


def _facts(report: AnalysisReport, lang: str, project: str, dataset: str,
           created_at: datetime | None) -> list[tuple[str, str]]:
    items = [(t("analyze_ui.html.project", lang), project), (t("analyze_ui.html.dataset", lang), dataset),
             (t("analyze_ui.html.size", lang), t("analyze_ui.html.size_value", lang,
                                                  rows=fmt_number(report.n_rows, lang, 0),
                                                  columns=fmt_number(report.n_columns, lang, 0))),
             (t("analyze_ui.target.column", lang), report.target or "—"),
             (t("analyze_ui.target.problem_type", lang),
              t(f"analyze_ui.problem_type.{report.problem_type}", lang) if report.problem_type else "—"),
             (t("analyze_ui.target.positive_class", lang),
              "—" if report.positive_class is None else str(report.positive_class)),
             (t("analyze_ui.html.created", lang), created_at.strftime("%Y-%m-%d %H:%M") if created_at else "—")]
    return [(k, v) for k, v in items if v]


def _overall(report: AnalysisReport, lang: str) -> Section:
    verdict, headline, listed = overall_summary(report, lang)
    title = f"{t('analyze_ui.overall.title', lang)}: {_badge(verdict, lang)}"
    blocks = [Block("alert", headline, tone=_TONES.get(verdict, "info"))]
    return Section("overall", title, blocks + ([Block("list", rows=listed)] if listed else []))


def _findings(report: AnalysisReport, lang: str) -> list[Block]:
    table = findings_table(report, lang)
    header = [t(f"analyze_ui.findings.{c}", lang) for c in table.columns]
    rows = [(_badge(r.verdict, lang), r.check, r.finding, r.recommendation) for r in table.itertuples()]
    return [Block("table", rows=rows, header=header)]


def _questions(report: AnalysisReport, lang: str) -> list[Block]:

    rows = [(role_label(q.get("role", ""), lang), question_text(q, lang)) for q in report.questions()]
    if not rows:
        return [Block("text", t("analyze_ui.html.no_questions", lang))]
    return [Block("table", rows=rows, header=[t("analyze_ui.html.role", lang), t("analyze_ui.html.question", lang)])]


def analysis_document(report: AnalysisReport, lang: str, *, project: str = "", dataset: str = "",
                      created_at: datetime | None = None) -> Document:
    """The report as one document: the facts, the overall verdict, findings, charts, recommendations, questions."""
    charts = [Block("figure", figure=_escape_labels(fig)) for _key, fig in report_figures(report, lang)]
    recs = [recommendation_text(r, lang) for r in report.recommendations()]
    sections = [_overall(report, lang),
                Section("findings", t("analyze_ui.findings.title", lang), _findings(report, lang)),
                Section("charts", t("analyze_ui.charts.title", lang),
                        charts or [Block("text", t("analyze_ui.html.no_charts", lang))]),
                Section("recommendations", t("analyze_ui.recs.title", lang),
                        [Block("list", rows=recs)] if recs else [Block("text", t("analyze_ui.recs.none", lang))]),
                Section("questions", t("analyze_ui.html.questions", lang), _questions(report, lang))]
    title = t("analyze_ui.html.title", lang)
    return Document(f"{title} — {project}" if project else title, lang, sections,
                    facts=_facts(report, lang, project, dataset, created_at), footer=t("analyze_ui.html.footer", lang))


def analysis_html(report: AnalysisReport, lang: str, *, project: str = "", dataset: str = "",
                  created_at: datetime | None = None) -> str:
    """The whole report as a self-contained HTML document (opens offline)."""
    return render_html(analysis_document(report, lang, project=project, dataset=dataset, created_at=created_at))
