"""The shared sidebar: language switch and project picker."""

from __future__ import annotations

import streamlit as st

from core.i18n import LANGUAGES
from core.store.projects import list_projects
from ui import state
from ui.context import current_project_id, get_store, keep_language_in_link, lang, open_project, tr

_LANG_NAMES = {"en": "English", "ja": "日本語"}


def _on_lang_change() -> None:
    chosen = st.session_state[state.LANG_PICKER]
    st.session_state[state.LANG] = chosen
    st.query_params[state.QP_LANG] = chosen


def _on_project_change() -> None:
    open_project(st.session_state[state.PROJECT_PICKER])


def render_sidebar() -> None:
    """Language switch and project picker, kept in sync with the link."""
    current = lang()
    st.session_state[state.LANG] = current
    keep_language_in_link()
    st.session_state[state.LANG_PICKER] = current
    st.sidebar.radio(
        "Language / 言語", LANGUAGES, key=state.LANG_PICKER, horizontal=True,
        format_func=_LANG_NAMES.get, on_change=_on_lang_change,
    )
    projects = list_projects(get_store())
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
