"""Page "6 Test" (AppTest) on a tiny trained run: both languages, threshold slider, review, report."""

from __future__ import annotations

import re

import pytest

from core.i18n import t
from core.store import reviews
from core.store.test_reports import latest_test_report
from tests.app.conftest import copy_store, new_app, no_exception


@pytest.fixture
def page_store(churn_run, studio_env, app_store):
    """The app's own store, holding a copy of the session's trained churn run."""
    app_store.engine.dispose()
    copy_store(churn_run, studio_env)
    from core.db import open_store

    store = open_store()
    yield store
    store.engine.dispose()


def _texts(at) -> str:
    parts = (at.markdown, at.caption, at.success, at.error, at.warning, at.info, at.subheader, at.metric)
    return " ".join(str(getattr(e, "value", "")) + " " + str(getattr(e, "label", "")) for part in parts
                    for e in part).replace("\\", "")


def _open(lang: str, project_id: int):
    at = new_app(lang, project_id).run()
    at.switch_page("pages/evaluate.py").run(timeout=120)
    no_exception(at)
    return at


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_page_renders_every_tab(page_store, churn_run, lang):
    at = _open(lang, churn_run.project_id)
    shown = _texts(at)
    assert t("evaluate.tab.verdict", lang) in [tab.label.split(": ", 1)[-1] for tab in at.tabs]
    assert t("evaluate.metric.roc_auc", lang) in " ".join(str(df.value.to_string()) for df in at.dataframe)
    assert t("evaluate.threshold.chosen", lang, threshold="").split("{")[0].strip()[:8] in shown
    assert any(t(f"evaluate.overall.{v}", lang) in shown for v in ("go", "no_go", "incomplete"))
    assert not re.search(r"\b(evaluate|explain)\.[a-z_]+\.[a-z_.]+", shown), "an untranslated key is shown"
    assert len(at.get("plotly_chart")) >= 6


def test_threshold_slider_changes_the_cost(page_store, churn_run):
    at = _open("en", churn_run.project_id)
    slider = at.select_slider(key=f"ev_threshold_{churn_run.run_id}")
    label = t("evaluate.threshold.cost", "en")
    before = next(m.value for m in at.metric if m.label == label)
    slider.set_value(0.9).run(timeout=120)
    no_exception(at)
    after = next(m.value for m in at.metric if m.label == label)
    assert before != after


def test_a_review_is_stored_and_a_report_generated(page_store, churn_run):
    at = _open("en", churn_run.project_id)
    pid = churn_run.project_id
    at.selectbox(key=f"ev_check_item_{pid}").set_value("system.legal")
    at.radio(key=f"ev_check_status_{pid}").set_value("passed")
    at.text_input(key=f"ev_check_{pid}_name").set_value("Ida Auditor")
    at.text_input(key=f"ev_check_{pid}_role").set_value("it_auditor")
    at.text_area(key=f"ev_check_comment_{pid}").set_value("Terms of use allow it")
    next(b for b in at.button if b.label == t("evaluate.check.save", "en")).click().run(timeout=120)
    no_exception(at)
    stored = reviews.list_reviews(page_store, pid, "test", "review")
    assert any(r.subject == "system.legal" and r.reviewer == "Ida Auditor" and r.decision == "approve" for r in stored)
    at.button(key=f"ev_report_{churn_run.run_id}").click().run(timeout=180)
    no_exception(at)
    report = latest_test_report(page_store, pid, churn_run.run_id)
    assert report is not None and report.verdict in ("go", "no_go", "incomplete")
    assert (page_store.artefacts / report.html_path).exists()
