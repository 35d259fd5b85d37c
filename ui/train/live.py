"""Live progress of a running job: a fragment that re-reads the run row every 2 seconds."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.store import runs
from core.train import cancel_run, get_leaderboard_df, refresh_stale_runs
from core.train.settings import greater_is_better
from ui.auth import still_allowed
from ui.context import attempt_quiet, get_store, lang, show_error, tr
from ui.train.runs import elapsed_text, metric_label

POLL_S = 2


@st.fragment(run_every=POLL_S)
def live(run_id: int) -> None:
    """Status, models done/planned, current model, elapsed, ETA, live leaderboard and Cancel.

    Only this fragment reruns while the worker trains; when the run has ended the whole page
    reruns once to show the results.
    """
    store = get_store()
    run = runs.get_run(store, run_id)
    if run is not None:
        refresh_stale_runs(store, project_id=run.project_id)
        run = runs.get_run(store, run_id)
    if run is None or not run.is_active or not still_allowed(run.project_id):
        st.rerun()  # the whole page: it shows the results, or the sign-in form when access has ended
    _status(run)
    left, right = st.columns([4, 1], vertical_alignment="center")
    left.caption(tr("train_ui.live.help"))
    right.button(tr("train_ui.live.cancel"), icon=":material/stop_circle:", key=f"trn_cancel_{run.id}",
                 disabled=run.status == runs.CANCELLING, help=tr("train_ui.live.cancel_help"),
                 on_click=_cancel, args=(run.id,))
    show_error()
    _board(run)


def _cancel(run_id: int) -> None:
    """Raise the cancel flag; the worker stops after the current model (or is ended after a grace)."""
    run = runs.get_run(get_store(), run_id)
    if run is None or not still_allowed(run.project_id):
        return
    attempt_quiet(lambda: cancel_run(get_store(), run_id, wait=False))


def _status(run: runs.RunInfo) -> None:
    st.markdown(f"**:blue[:material/progress_activity: {tr(f'train.status.{run.status}')}]**")
    if run.models_planned:
        text = tr("train.status.eta", done=run.models_done, planned=run.models_planned,
                  seconds="—" if run.eta_seconds is None else f"{run.eta_seconds:,.0f}")
    else:
        text = tr("train_ui.live.preparing")
    st.progress(min(max(run.progress or 0.0, 0.0), 1.0), text=text)
    c = st.columns(3)
    c[0].metric(tr("train_ui.live.models"), f"{run.models_done} / {run.models_planned or '—'}")
    c[1].metric(tr("train_ui.live.elapsed"), elapsed_text(run.elapsed_s))
    c[2].metric(tr("train_ui.live.eta"), elapsed_text(run.eta_seconds))
    if run.current_model:
        st.markdown(f"{tr('train_ui.live.current')}: `{run.current_model}`")


def _board(run: runs.RunInfo) -> None:
    if not run.leaderboard:
        return
    st.markdown(f"**{tr('train_ui.live.board')}**")
    df = get_leaderboard_df(run.leaderboard, lang(), greater_is_better(run.record.get("metric")))
    metric = metric_label(run.record.get("metric"))
    table = pd.DataFrame({
        tr("train_ui.board.model"): df["model"], metric: df["score"].round(4),
        tr("train_ui.board.fit_time"): df["fit_time_s"].round(1),
        tr("train_ui.board.baseline"): [tr("train_ui.board.is_baseline") if b else "" for b in df["is_baseline"]]})
    st.dataframe(table, hide_index=True, width="stretch")
