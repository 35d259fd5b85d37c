"""A clear "comes next" page for steps not built yet: what it will do and what comes first."""

from __future__ import annotations

import streamlit as st

from core.progress import DONE, project_progress
from ui.context import current_project, get_store, md, tr

PREVIOUS = {"business": None, "analyze": "business", "prepare": "analyze", "preprocess": "prepare",
            "train": "preprocess", "test": "train", "predict": "test"}


def require_project() -> bool:
    """Show a hint and return False when no project is open."""
    if current_project() is None:
        st.info(tr("step.no_project"), icon=":material/arrow_back:")
        st.page_link("pages/home.py", label=tr("nav.home"), icon=":material/home:")
        return False
    return True


def coming_next(step: str) -> None:
    """Render the placeholder for ``step``."""
    st.title(tr(f"nav.{step}"))
    st.markdown(tr(f"step.{step}.what"))
    if not require_project():
        return
    project = current_project()
    st.caption(md(project.name))
    st.info(tr("step.coming_next"), icon=":material/construction:")
    before = PREVIOUS[step]
    if before:
        states = {s.step: s for s in project_progress(get_store(), project.id)}
        if before in states and states[before].state != DONE:
            st.warning(tr("step.do_first", step=tr(f"nav.{before}")), icon=":material/skip_previous:")
