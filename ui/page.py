"""The common top of every step page: routing, title, what the step is for, the open project."""

from __future__ import annotations

import streamlit as st

from core.store.projects import ProjectInfo
from ui.context import current_project, md, show_error, show_flash, tr
from ui.placeholder import require_project
from ui.router import ensure_router


def step_page(step: str) -> ProjectInfo:
    """Render a step page's header and return the open project (stops the page when none is open)."""
    ensure_router()
    st.title(tr(f"nav.{step}"))
    st.caption(tr(f"step.{step}.what"))
    if not require_project():
        st.stop()
    project = current_project()
    st.caption(f":material/folder_open: {md(project.name)}")
    show_flash()
    show_error()
    return project
