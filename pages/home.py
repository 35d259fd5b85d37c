"""Project home: open the demo, create and manage projects, see the six steps' progress."""

from ui.router import ensure_router

ensure_router()

import pandas as pd
import streamlit as st

from core.demo import open_or_create_demo
from ui.context import attempt, current_project, flash, get_store, lang, open_project, show_flash, tr, visible_projects
from ui.projects import create_form, manage, project_header, tracker

st.title(tr("app.name"))
st.caption(tr("app.tagline"))
show_flash()

project = current_project()
if project:
    project_header(project)
    tracker(project)
    manage(project)
    st.divider()

left, right = st.columns([3, 2])
with left:
    st.subheader(tr("home.list.title"))
    projects = visible_projects()
    if not projects:
        st.info(tr("home.list.empty"))
    else:
        table = pd.DataFrame([{tr("home.list.name"): p.name, tr("home.list.owner"): p.owner,
                               tr("home.list.updated"): p.updated_at} for p in projects])
        st.dataframe(table, hide_index=True, width="stretch")
        names = {p.id: p.name for p in projects}
        chosen = st.selectbox(tr("home.list.pick"), list(names), format_func=names.get, key="home_pick")
        if st.button(tr("home.list.open"), key="home_open"):
            open_project(chosen)
            st.rerun()
with right:
    st.subheader(tr("home.demo.title"))
    st.caption(tr("home.demo.help"))
    if st.button(tr("home.demo.button"), key="open_demo", type="primary"):
        demo = attempt(lambda: open_or_create_demo(get_store(), lang()))
        if demo:
            open_project(demo.id)
            flash(tr("home.demo.opened", name=demo.name))
            st.rerun()
    create_form()
