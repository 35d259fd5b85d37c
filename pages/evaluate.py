"""Step 6, Test: performance on the locked test set, value and threshold, verdict, explanations, report."""

import streamlit as st

from core.evaluate import current_data_issues
from ui.context import get_store, tr, tr_md
from ui.evaluate import explanations, failures, performance, report, reviews, value, verdict
from ui.evaluate.run import evaluation, pick_run
from ui.page import step_page

project = step_page("test")

run = pick_run(project)
if run is None:
    st.stop()
for key, params in current_data_issues(get_store(), run):
    st.warning(tr("evaluate.run.current_data", detail=tr_md(key, **params)), icon=":material/update:")
ev = evaluation(run)
if ev is None:
    st.stop()

tabs = st.tabs([
    f":material/monitoring: {tr('evaluate.tab.performance')}", f":material/savings: {tr('evaluate.tab.value')}",
    f":material/gavel: {tr('evaluate.tab.verdict')}", f":material/science: {tr('evaluate.tab.explanations')}",
    f":material/troubleshoot: {tr('evaluate.tab.failures')}", f":material/rate_review: {tr('evaluate.tab.reviews')}",
    f":material/description: {tr('evaluate.tab.report')}",
], key=f"ev_tabs_{project.id}")  # a key keeps the open tab when a message appears above the tabs (flash)
with tabs[0]:
    performance.show(ev)
with tabs[1]:
    value.show(ev)
with tabs[2]:
    verdict.show(ev)
with tabs[3]:
    expl = explanations.show(ev)
with tabs[4]:
    failures.show(ev, expl)
with tabs[5]:
    reviews.show(ev, expl)
with tabs[6]:
    report.show(ev)
