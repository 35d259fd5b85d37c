"""Step 2, Analyze: import the data as versions, choose the target, diagnose quantity and quality."""

import streamlit as st

from ui.analyze.data import current_version, load_version
from ui.analyze.diagnosis import diagnosis
from ui.analyze.importer import show_import_notes, sql_import, upload_import
from ui.analyze.target import current_data, target
from ui.analyze.versions import versions
from ui.context import tr
from ui.page import step_page

project = step_page("analyze")
show_import_notes()

st.subheader(f":material/upload_file: {tr('analyze_ui.data.title')}")
file_tab, sql_tab, versions_tab = st.tabs([
    f":material/upload: {tr('analyze_ui.tab.file')}", f":material/database: {tr('analyze_ui.tab.sql')}",
    f":material/history: {tr('analyze_ui.tab.versions')}",
], key=f"ana_tabs_{project.id}")  # keyed: a message above the tabs must not reset the open one
with file_tab:
    upload_import(project)
with sql_tab:
    sql_import(project)
with versions_tab:
    versions(project)

version = current_version(project)
if version is None:
    st.info(tr("analyze_ui.data.none"), icon=":material/arrow_upward:")
    st.stop()
df = load_version(version)
if df is None:
    st.stop()
current_data(version, df)

st.divider()
st.subheader(f":material/ads_click: {tr('analyze_ui.target.title')}")
target(project, version, df)

st.divider()
st.subheader(f":material/troubleshoot: {tr('analyze_ui.run.title')}")
st.caption(tr("analyze_ui.run.help"))
diagnosis(project, version)
