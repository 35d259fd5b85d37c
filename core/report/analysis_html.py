"""The Analysis Report (Step 2's deliverable) as one self-contained HTML page.

The page and the Analyze page say the same thing because both use :func:`findings_table`,
:func:`overall_summary` and the Plotly figures of :mod:`core.analyze.plots`. plotly.js is
inlined once (``include_plotlyjs=True`` on the first chart), so the file opens offline. Every
piece of user text (project name, column names inside messages) is HTML-escaped; Plotly
escapes ``<`` inside its JSON.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

import pandas as pd

from core.analyze import PROBLEM, WARNING, AnalysisReport
from core.analyze import plots
from core.i18n import fmt_number, has, t

VERDICT_ICONS = {"ok": "check_circle", "warning": "error", "problem": "cancel"}
VERDICT_COLORS = {"ok": "green", "warning": "orange", "problem": "red"}
_HTML_COLORS = {"ok": "#1b7f3b", "warning": "#b35c00", "problem": "#b3261e"}
_HTML_SYMBOLS = {"ok": "&#10003;", "warning": "!", "problem": "&#10007;"}


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


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _verdict_cell(verdict: str, lang: str) -> str:
    return (f'<span class="v v-{_e(verdict)}" style="color:{_HTML_COLORS.get(verdict, "#333")}">'
            f'{_HTML_SYMBOLS.get(verdict, "")} {_e(t(f"analyze.verdict.{verdict}", lang))}</span>')


def _meta(report: AnalysisReport, lang: str, project: str, dataset: str, created_at: datetime | None) -> str:
    items = [(t("analyze_ui.html.project", lang), project), (t("analyze_ui.html.dataset", lang), dataset),
             (t("analyze_ui.html.size", lang), t("analyze_ui.html.size_value", lang,
                                                  rows=fmt_number(report.n_rows, lang, 0),
                                                  columns=fmt_number(report.n_columns, lang, 0))),
             (t("analyze_ui.target.column", lang), report.target or "—"),
             (t("analyze_ui.target.problem_type", lang),
              t(f"analyze_ui.problem_type.{report.problem_type}", lang) if report.problem_type else "—"),
             (t("analyze_ui.target.positive_class", lang),
              "—" if report.positive_class is None else report.positive_class),
             (t("analyze_ui.html.created", lang), created_at.strftime("%Y-%m-%d %H:%M") if created_at else "—")]
    return "<dl>" + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in items if v) + "</dl>"


def _findings(report: AnalysisReport, lang: str) -> str:
    table = findings_table(report, lang)
    head = "".join(f"<th>{_e(t(f'analyze_ui.findings.{c}', lang))}</th>" for c in table.columns)
    body = "".join(
        f"<tr><td>{_verdict_cell(r.verdict, lang)}</td><td>{_e(r.check)}</td><td>{_e(r.finding)}</td>"
        f"<td>{_e(r.recommendation)}</td></tr>" for r in table.itertuples())
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _questions(report: AnalysisReport, lang: str) -> str:
    from core.prepare.questions import question_text, role_label

    rows = "".join(f"<tr><td>{_e(role_label(q.get('role', ''), lang))}</td><td>{_e(question_text(q, lang))}</td></tr>"
                   for q in report.questions())
    if not rows:
        return f"<p>{_e(t('analyze_ui.html.no_questions', lang))}</p>"
    return (f"<table><thead><tr><th>{_e(t('analyze_ui.html.role', lang))}</th>"
            f"<th>{_e(t('analyze_ui.html.question', lang))}</th></tr></thead><tbody>{rows}</tbody></table>")


def _charts(report: AnalysisReport, lang: str) -> str:
    parts = []
    for i, (_key, fig) in enumerate(report_figures(report, lang)):
        # A named template: inside the Streamlit server the default template is Streamlit's, whose colours
        # are filled in by the app's front end and would come out black in a stand-alone file.
        fig.update_layout(template="plotly_white")
        parts.append('<div class="chart">' + fig.to_html(full_html=False, include_plotlyjs=(i == 0),
                                                         config={"displaylogo": False}) + "</div>")
    return "".join(parts) or f"<p>{_e(t('analyze_ui.html.no_charts', lang))}</p>"


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Hiragino Sans","Noto Sans JP",sans-serif;margin:2rem auto;
max-width:1100px;padding:0 1rem;color:#222;line-height:1.5}
h1{margin-bottom:.2rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;color:#444}
dt{font-weight:600}dd{margin:0}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
th,td{border-bottom:1px solid #ddd;padding:.4rem .5rem;text-align:left;vertical-align:top}th{background:#f5f5f5}
.overall{border-left:6px solid;padding:.5rem 1rem;background:#fafafa}.v{font-weight:600;white-space:nowrap}
.chart{margin:1rem 0}footer{color:#777;font-size:.85rem;margin-top:2rem}
"""


def analysis_html(report: AnalysisReport, lang: str, *, project: str = "", dataset: str = "",
                  created_at: datetime | None = None) -> str:
    """The whole report as a self-contained HTML document (opens offline)."""
    verdict, headline, listed = overall_summary(report, lang)
    title = t("analyze_ui.html.title", lang)
    items = "".join(f"<li>{_e(x)}</li>" for x in listed)
    recs = "".join(f"<li>{_e(recommendation_text(r, lang))}</li>" for r in report.recommendations())
    color = _HTML_COLORS.get(verdict, "#333")
    return "".join([
        f'<!DOCTYPE html><html lang="{_e(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)} — {_e(project)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>", _meta(report, lang, project, dataset, created_at),
        f'<section class="overall" style="border-color:{color}"><h2>{_e(t("analyze_ui.overall.title", lang))}: ',
        f"{_verdict_cell(verdict, lang)}</h2><p>{_e(headline)}</p><ul>{items}</ul></section>",
        f"<h2>{_e(t('analyze_ui.findings.title', lang))}</h2>", _findings(report, lang),
        f"<h2>{_e(t('analyze_ui.charts.title', lang))}</h2>", _charts(report, lang),
        f"<h2>{_e(t('analyze_ui.recs.title', lang))}</h2>",
        f"<ul>{recs}</ul>" if recs else f"<p>{_e(t('analyze_ui.recs.none', lang))}</p>",
        f"<h2>{_e(t('analyze_ui.html.questions', lang))}</h2>", _questions(report, lang),
        f"<footer>{_e(t('analyze_ui.html.footer', lang))}</footer></body></html>",
    ])
