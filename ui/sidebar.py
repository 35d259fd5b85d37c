"""The shared sidebar: language switch and project picker."""

from __future__ import annotations

import streamlit as st

from core.i18n import LANGUAGES
from ui import state
from ui.auth import sign_out
from ui.context import (
    current_project_id,
    current_user,
    keep_language_in_link,
    lang,
    open_project,
    tr,
    tr_md,
    visible_projects,
)

_LANG_NAMES = {"en": "English", "ja": "日本語"}


def _on_lang_change() -> None:
    chosen = st.session_state[state.LANG_PICKER]
    st.session_state[state.LANG] = chosen
    st.query_params[state.QP_LANG] = chosen


def _on_project_change() -> None:
    open_project(st.session_state[state.PROJECT_PICKER])


def language_switch() -> None:
    """The language radio, kept in sync with the link (also shown on the sign-in page)."""
    current = lang()
    st.session_state[state.LANG] = current
    keep_language_in_link()
    st.session_state[state.LANG_PICKER] = current
    st.sidebar.radio(
        "Language / 言語", LANGUAGES, key=state.LANG_PICKER, horizontal=True,
        format_func=_LANG_NAMES.get, on_change=_on_lang_change,
    )


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
