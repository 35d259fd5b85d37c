"""Tab "Report": generate the test report (HTML and Markdown) and download it."""

from __future__ import annotations

import streamlit as st

from core.evaluate import Evaluation
from core.i18n import LANGUAGES
from core.report.test_report import report_paths, save_test_report
from core.store.test_reports import latest_test_report
from ui.context import attempt, get_store, lang, tr


def show(ev: Evaluation) -> None:
    """Generate button, the latest report's verdict and date, downloads."""
    run = ev.data.run
    st.caption(tr("evaluate.report.help"))
    project_lang = ev.data.project.language if ev.data.project and ev.data.project.language in LANGUAGES else lang()
    left, right = st.columns([1, 2], vertical_alignment="bottom")
    report_lang = left.selectbox(tr("evaluate.report.language"), LANGUAGES, index=LANGUAGES.index(project_lang),
                                 format_func=lambda code: tr(f"evaluate.report.lang_{code}"),
                                 key=f"ev_report_lang_{run.id}")
    if right.button(tr("evaluate.report.generate"), type="primary", icon=":material/description:",
                    key=f"ev_report_{run.id}"):
        with st.spinner(tr("evaluate.report.generating")):
            saved = attempt(lambda: save_test_report(get_store(), ev, report_lang))
        if saved is not None:  # shown here, in its tab, with the new report below: no rerun, the tab stays open
            st.success(tr("evaluate.report.saved", id=saved.id), icon=":material/check_circle:")
    latest = latest_test_report(get_store(), run.project_id, run.id)
    if latest is None:
        st.info(tr("evaluate.report.none"), icon=":material/description:")
        return
    st.markdown(tr("evaluate.report.latest", id=latest.id, when=latest.created_at.strftime("%Y-%m-%d %H:%M"),
                   verdict=tr(f"evaluate.overall.{latest.verdict}")))
    html_path, md_path = report_paths(get_store(), latest)
    left, right = st.columns(2)
    if html_path.exists():
        left.download_button(tr("evaluate.report.download_html"), data=html_path.read_bytes(),
                             file_name=html_path.name, mime="text/html", icon=":material/download:",
                             key=f"ev_dl_html_{latest.id}", on_click="ignore")
    if md_path.exists():
        right.download_button(tr("evaluate.report.download_md"), data=md_path.read_bytes(), file_name=md_path.name,
                              mime="text/markdown", icon=":material/download:", key=f"ev_dl_md_{latest.id}",
                              on_click="ignore")
