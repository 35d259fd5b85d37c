"""Where the business goal stands: what is still missing before Step 2 (same list as the home tracker)."""

from __future__ import annotations

import streamlit as st

from core.value import validate
from ui.business.editor import GoalEditor
from ui.context import tr


def status(ed: GoalEditor, where: st.delta_generator.DeltaGenerator) -> None:
    """Fill ``where`` (a placeholder near the top) once the page has saved this rerun's edits."""
    issues = validate(ed.goal, signoffs=ed.signoffs)
    with where.container():
        if not issues:
            st.success(tr("business.status.complete"), icon=":material/task_alt:")
            st.page_link("pages/analyze.py", label=tr("business.status.next"), icon=":material/arrow_forward:")
            return
        with st.expander(tr("business.status.missing", count=len(issues)), icon=":material/checklist:"):
            st.markdown("\n".join(f"- {tr(key)}" for key in issues))
