"""The language switch, shown in the sidebar and on the sign-in page."""

from __future__ import annotations

import streamlit as st

from core.i18n import LANGUAGES
from ui import state
from ui.context import keep_language_in_link, lang

_LANG_NAMES = {"en": "English", "ja": "日本語"}


def _on_lang_change() -> None:
    chosen = st.session_state[state.LANG_PICKER]
    st.session_state[state.LANG] = chosen
    st.query_params[state.QP_LANG] = chosen


def language_switch() -> None:
    """The language radio, kept in sync with the link."""
    current = lang()
    st.session_state[state.LANG] = current
    keep_language_in_link()
    st.session_state[state.LANG_PICKER] = current
    st.sidebar.radio(
        "Language / 言語", LANGUAGES, key=state.LANG_PICKER, horizontal=True,
        format_func=_LANG_NAMES.get, on_change=_on_lang_change,
    )
