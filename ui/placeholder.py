"""What a step page shows when no project is open."""

from __future__ import annotations

import streamlit as st

from ui.context import current_project, tr


def require_project() -> bool:
    """Show a hint and return False when no project is open."""
    if current_project() is None:
        st.info(tr("step.no_project"), icon=":material/arrow_back:")
        st.page_link("pages/home.py", label=tr("nav.home"), icon=":material/home:")
        return False
    return True
