"""Step 1, Business Understanding: the value in money, when it pays back, what the model must achieve."""

from ui.router import ensure_router

ensure_router()

import streamlit as st

from ui.business.agreement import checklist, signoffs
from ui.business.costs import costs
from ui.business.criteria import acceptance, preconditions
from ui.business.editor import open_goal, stale_banner, undo_button
from ui.business.exports import downloads, examples, importer
from ui.business.formulas import formulas
from ui.business.owners import owners
from ui.business.roi import roi
from ui.business.scenarios import scenarios, sensitivity, solver
from ui.business.statement import statement
from ui.business.status import status
from ui.context import current_project, md, show_error, show_flash, tr
from ui.placeholder import require_project

st.title(tr("nav.business"))
st.caption(tr("step.business.what"))
if not require_project():
    st.stop()

project = current_project()
st.caption(f":material/folder_open: {md(project.name)}")
messages = st.container()  # a fixed place for messages keeps the tabs below from resetting
with messages:
    show_flash()
    show_error()
    editor = open_goal(project)
    if editor is None:
        st.stop()
    stale_banner(editor)
    undo_button(editor)
summary = st.empty()
examples(editor)

value_tab, roi_tab, model_tab, people_tab, share_tab = st.tabs([
    f":material/lightbulb: {tr('business.tab.value')}", f":material/savings: {tr('business.tab.roi')}",
    f":material/rule: {tr('business.tab.model')}", f":material/groups: {tr('business.tab.people')}",
    f":material/ios_share: {tr('business.tab.share')}",
], key="biz_tabs")
with value_tab:
    statement(editor)
    st.divider()
    formulas(editor)
    st.divider()
    owners(editor)
with roi_tab:
    roi(editor)
    st.divider()
    scenarios(editor)
    st.divider()
    sensitivity(editor)
    st.divider()
    solver(editor)
with model_tab:
    preconditions(editor)
    st.divider()
    costs(editor)
    st.divider()
    acceptance(editor)
with people_tab:
    checklist(editor)
    st.divider()
    signoffs(editor)
with share_tab:
    downloads(editor)
    st.divider()
    importer(editor)

status(editor, summary)  # last: reflects what this rerun saved
