"""The Test Report: every section in HTML and Markdown, user text escaped, no external scripts, a saved row."""

from __future__ import annotations

import re

import pytest

from core.evaluate import evaluate_run
from core.evaluate.checklist import record_comment, record_item
from core.explain import service
from core.i18n import t
from core.report.test_report import SECTIONS, report_html, report_markdown, report_paths, report_sections, \
    save_test_report
from core.store import projects
from core.store.test_reports import latest_test_report


EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def evaluation(churn_run):
    store, pid = churn_run.store, churn_run.project_id
    record_item(store, pid, "system.legal", "failed", reviewer=EVIL, role="it_auditor", comment=EVIL)
    record_comment(store, pid, f"Fine by me {EVIL}", reviewer="Eri", role="domain_expert")
    service.explain_run(store, churn_run.run_id)
    return evaluate_run(store, churn_run.run_id)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_section_is_in_the_html_and_markdown(churn_run, evaluation, lang):
    sections = report_sections(churn_run.store, evaluation, lang)
    assert [s.key for s in sections] == list(SECTIONS)
    html = report_html(sections, "Report", lang)
    for section in sections:
        assert f'id="{section.key}"' in html and section.title in html
    assert html.count("<div class=\"figure\">") >= 6  # confusion, ROC, calibration, threshold, importance, …
    markdown = report_markdown(report_sections(churn_run.store, evaluation, lang), "Report")
    assert all(f"## {s.title}" in markdown for s in sections)
    assert t(f"evaluate.overall.{evaluation.verdict.overall}", lang) in markdown
    assert "evaluate." not in re.sub(r"<script.*?</script>", "", html, flags=re.S)  # no untranslated keys


def test_user_text_is_escaped_and_nothing_loads_from_outside(churn_run, evaluation):
    original = projects.get_project(churn_run.store, churn_run.project_id)
    projects.rename_project(churn_run.store, churn_run.project_id, 'Churn <b onmouseover="x">')
    evaluation.data.project = projects.get_project(churn_run.store, churn_run.project_id)
    try:
        info = save_test_report(churn_run.store, evaluation, "en")
    finally:
        projects.rename_project(churn_run.store, churn_run.project_id, original.name)
    html_path, md_path = report_paths(churn_run.store, info)
    html = html_path.read_text(encoding="utf-8")
    assert EVIL not in html and "<img src=x" not in html and '<b onmouseover' not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html  # shown as typed, not run
    assert not re.search(r"<script[^>]+src=", html)  # plotly.js is inline: the file opens offline
    assert html.count("plotly.js v") <= 2 and "Plotly.newPlot" in html
    markdown = md_path.read_text(encoding="utf-8")
    assert "\\<script\\>" in markdown and "<script>" not in markdown
    saved = latest_test_report(churn_run.store, churn_run.project_id, churn_run.run_id)
    assert saved.id == info.id and saved.verdict == evaluation.verdict.overall
    assert saved.html_path.endswith(".html") and saved.data["verdict"]["overall"] == evaluation.verdict.overall
