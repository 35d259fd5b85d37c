"""Run the diagnosis and show the Analysis Report: overall verdict, findings, charts, downloads."""

from __future__ import annotations

import streamlit as st

from core.analyze import OK, PROBLEM, WARNING
from core.report.analysis_html import (VERDICT_COLORS, VERDICT_ICONS, analysis_html, findings_table, overall_summary,
                                       recommendation_text, report_figures)
from core.analyze.saved import AnalysisInfo, last_settings, latest_analysis, run_analysis
from core.store.datasets import DatasetInfo
from core.store.projects import ProjectInfo
from ui.context import attempt, get_store, lang, md, tr, tr_md

_ALERTS = {OK: st.success, PROBLEM: st.error}


def verdict_badge(verdict: str) -> str:
    """Markdown for a verdict: coloured Material icon and label."""
    color, icon = VERDICT_COLORS.get(verdict, "gray"), VERDICT_ICONS.get(verdict, "help")
    return f":{color}[:material/{icon}: {tr(f'analyze.verdict.{verdict}')}]"


def diagnosis(project: ProjectInfo, version: DatasetInfo) -> None:
    """Settings, the run button and the newest report of the current data."""
    settings = last_settings(get_store(), project.id)
    left, right = st.columns([2, 3], vertical_alignment="bottom")
    min_rows = left.number_input(tr("analyze_ui.run.min_rows"), min_value=1, max_value=10_000_000, step=50,
                                 value=int(settings["min_rows_per_class"]), key=f"ana_min_rows_{project.id}",
                                 help=tr("analyze_ui.run.min_rows_help"))
    if right.button(tr("analyze_ui.run.button"), type="primary", icon=":material/troubleshoot:",
                    key=f"ana_run_{project.id}"):
        with st.spinner(tr("analyze_ui.run.spinner", rows=f"{version.n_rows:,}")):
            attempt(lambda: run_analysis(get_store(), project.id, min_rows_per_class=int(min_rows)))
    info = latest_analysis(get_store(), project.id, version.id)
    if info is None:
        st.info(tr("analyze_ui.run.none"), icon=":material/troubleshoot:")
        return
    report_view(project, version, info)


def report_view(project: ProjectInfo, version: DatasetInfo, info: AnalysisInfo) -> None:
    """The saved report: when and with what it ran, verdict, findings table, charts, next steps."""
    report = info.report
    st.caption(tr_md("analyze_ui.run.when", when=info.created_at.strftime("%Y-%m-%d %H:%M"),
                     target=report.target or "—", min=info.settings.get("min_rows_per_class", "—")))
    if (report.target or None) != (project.target_column or None):
        st.warning(tr("analyze_ui.run.stale_target"), icon=":material/update:")
    _overall(info)
    st.markdown(f"#### {tr('analyze_ui.findings.title')}")
    _findings(info)
    _charts(info)
    _next_steps(project, version, info)


def _overall(info: AnalysisInfo) -> None:
    verdict, headline, listed = overall_summary(info.report, lang())
    body = f"**{tr('analyze_ui.overall.title')}: {tr(f'analyze.verdict.{verdict}')}** — {md(headline)}"
    if listed:
        body += "\n\n" + "\n".join(f"- {md(x)}" for x in listed[:8])
    _ALERTS.get(verdict, st.warning)(body, icon=f":material/{VERDICT_ICONS[verdict]}:")


def _findings(info: AnalysisInfo) -> None:
    """Findings grouped by verdict, worst first; the fine ones folded away."""
    table = findings_table(info.report, lang())
    for verdict in (PROBLEM, WARNING, OK):
        part = table[table["verdict"] == verdict]
        if part.empty:
            continue
        if verdict == OK:
            with st.expander(f"{tr('analyze.verdict.ok')} ({len(part)})", icon=":material/check_circle:"):
                st.markdown(_markdown_table(part))
        else:
            st.markdown(f"{verdict_badge(verdict)} ({len(part)})")
            st.markdown(_markdown_table(part))


def _markdown_table(part) -> str:  # noqa: ANN001 - a slice of findings_table()
    """Findings as a Markdown table: user text escaped, the verdict as a coloured Material icon."""
    head = [tr(f"analyze_ui.findings.{c}") for c in ("check", "finding", "recommendation")]
    lines = ["| " + " | ".join(head) + " |", "|---|---|---|"]
    for row in part.itertuples():
        color, icon = VERDICT_COLORS[row.verdict], VERDICT_ICONS[row.verdict]
        check = f":{color}[:material/{icon}:] {md(row.check)}"
        lines.append(f"| {check} | {md(row.finding)} | {md(row.recommendation) or '—'} |")
    return "\n".join(lines)


def _charts(info: AnalysisInfo) -> None:
    figures = report_figures(info.report, lang())
    if not figures:
        return
    st.markdown(f"#### {tr('analyze_ui.charts.title')}")
    tabs = st.tabs([tr(f"analyze_ui.charts.{key}") for key, _ in figures], key=f"ana_charts_{info.id}")
    for tab, (key, fig) in zip(tabs, figures, strict=True):
        with tab:
            st.plotly_chart(fig, key=f"ana_chart_{key}", config={"displaylogo": False})


def _next_steps(project: ProjectInfo, version: DatasetInfo, info: AnalysisInfo) -> None:
    recs = info.report.recommendations()
    st.markdown(f"#### {tr('analyze_ui.recs.title')}")
    if recs:
        st.caption(tr("analyze_ui.recs.help"))
        st.markdown("\n".join(f"- {md(recommendation_text(r, lang()))}" for r in recs))
    else:
        st.caption(tr("analyze_ui.recs.none"))
    left, right = st.columns(2)
    if info.questions:
        left.page_link("pages/prepare.py", label=tr("analyze_ui.questions.link", count=len(info.questions)),
                       icon=":material/forum:")
    ui_lang = lang()

    def build() -> bytes:  # runs on click, outside the script: no st.* calls
        return analysis_html(info.report, ui_lang, project=project.name, dataset=f"#{version.id} {version.label}",
                             created_at=info.created_at).encode("utf-8")

    right.download_button(tr("analyze_ui.download.html"), data=build,
                          file_name=f"analysis-report-{project.id}-{info.id}.html",
                          mime="text/html", on_click="ignore", icon=":material/download:", key=f"ana_html_{info.id}")
