"""Step 3, Prepare: answers from other roles, the step's checklist, a 5W1H data request, joins."""

import streamlit as st

from core.analyze.saved import latest_analysis
from ui.analyze.data import current_version
from ui.context import get_store, tr, tr_md
from ui.page import step_page
from ui.prepare.checklist import checklist
from ui.prepare.join import join_tool
from ui.prepare.questions import questions, statuses
from ui.prepare.request import current_request, request_builder

project = step_page("prepare")

version = current_version(project)
info = latest_analysis(get_store(), project.id)
if info is None:
    st.info(tr("prepare.no_analysis"), icon=":material/troubleshoot:")
    st.page_link("pages/analyze.py", label=tr("nav.analyze"), icon=":material/query_stats:")
else:
    st.caption(tr_md("prepare.based_on", id=info.dataset_id, when=info.created_at.strftime("%Y-%m-%d %H:%M")))

q_tab, check_tab, request_tab, join_tab = st.tabs([
    f":material/forum: {tr('prepare.tab.questions')}", f":material/checklist: {tr('prepare.tab.checklist')}",
    f":material/outgoing_mail: {tr('prepare.tab.request')}", f":material/join_left: {tr('prepare.tab.join')}",
], key=f"prep_tabs_{project.id}")  # keyed: a message above the tabs must not reset the open one
request = current_request(project)
with q_tab:
    st.caption(tr("prepare.questions.help"))
    if info is not None:
        questions(project, info)
with check_tab:
    checklist(project, statuses(project, info) if info else None, request)
with request_tab:
    st.caption(tr("prepare.request.help"))
    if info is not None:
        request_builder(project, info, request)
with join_tab:
    st.caption(tr("prepare.join.help"))
    join_tool(project, version)
