"""The shared sidebar: language switch and project picker."""

from __future__ import annotations

import streamlit as st

from ui import state
from ui.auth import sign_out
from ui.context import current_project_id, current_user, open_project, tr, tr_md, visible_projects
from ui.language import language_switch

def _on_project_change() -> None:
    open_project(st.session_state[state.PROJECT_PICKER])


def render_sidebar() -> None:
    """Language switch, project picker and (when access control is on) who is signed in."""
    language_switch()
    projects = visible_projects()
    names = {p.id: p.name for p in projects}
    pid = current_project_id()
    if pid not in names:
        pid = None
    st.session_state[state.PROJECT_PICKER] = pid
    st.sidebar.selectbox(
        tr("sidebar.project"), [None, *names], key=state.PROJECT_PICKER,
        format_func=lambda i: tr("sidebar.no_project") if i is None else names[i],
        placeholder=tr("sidebar.no_project"),
        on_change=_on_project_change,
    )
    user = current_user()
    if user is not None:
        st.sidebar.caption(":material/person: " + tr_md("auth.signed_in_as", name=user.label))
        st.sidebar.button(tr("auth.sign_out"), key="auth_sign_out", on_click=sign_out, icon=":material/logout:")
