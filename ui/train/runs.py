"""Which run the page shows: the one in the link, else the active one, else the newest."""

from __future__ import annotations

import streamlit as st

from core.store import runs
from core.store.projects import ProjectInfo
from core.train import refresh_stale_runs
from core.train.settings import greater_is_better
from ui import state
from ui.context import get_store, tr


def _from_link(project_id: int) -> runs.RunInfo | None:
    raw = st.query_params.get(state.QP_RUN)
    try:
        run = runs.get_run(get_store(), int(raw)) if raw else None
    except (TypeError, ValueError):
        return None
    return run if run is not None and run.project_id == project_id else None


def selected_run(project: ProjectInfo) -> runs.RunInfo | None:
    """The run to show, written back to the link so a refresh returns to it."""
    refresh_stale_runs(get_store(), project_id=project.id)  # a dead worker shows as failed, not running
    run = _from_link(project.id)
    if run is None:
        found = runs.active_runs(get_store(), project.id) or runs.list_runs(get_store(), project.id)
        run = found[0] if found else None
    show_run(run.id if run else None)
    return run


def show_run(run_id: int | None) -> None:
    """Put ``run_id`` in the link (or remove it)."""
    if run_id is None:
        st.query_params.pop(state.QP_RUN, None)
    elif st.query_params.get(state.QP_RUN) != str(run_id):
        st.query_params[state.QP_RUN] = str(run_id)


def elapsed_text(seconds: float | None) -> str:
    """Seconds as m:ss (or h:mm:ss); '—' when unknown."""
    if seconds is None:
        return "—"
    total = int(round(seconds))
    hours, rest = divmod(total, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def metric_label(metric: str | None) -> str:
    """The metric's name, marked 'lower is better' for errors and losses (RMSE, MAE, log loss)."""
    name = tr(f"train.metric.name.{metric}")
    return name if greater_is_better(metric) else tr("train_ui.metric.lower_better", name=name)
