"""An ended run: its message and log, the leaderboard, the verdict, the model to use."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.store import runs
from core.train import baseline_verdict, choose_model, get_leaderboard_df, run_log
from core.train.settings import greater_is_better
from ui.context import attempt, flash, get_store, lang, md, tr, tr_md
from ui.train.runs import elapsed_text, metric_label


def ended(run: runs.RunInfo) -> None:
    """Failed or cancelled: the translated reason and the log; succeeded: a one-line summary."""
    if run.status == runs.SUCCEEDED:
        st.success(tr("train_ui.result.done", run=run.id, elapsed=elapsed_text(run.elapsed_s),
                      models=len(run.leaderboard)), icon=":material/task_alt:")
        return
    error = run.error or {}
    message = tr(error["key"], **(error.get("params") or {})) if error.get("key") else tr(f"train.status.{run.status}")
    if run.status == runs.CANCELLED:
        st.info(message, icon=":material/stop_circle:")
    else:
        st.error(message, icon=":material/error:")
    log = run.log_tail or run_log(get_store(), run.id)
    with st.expander(tr("train_ui.result.log"), icon=":material/article:", expanded=run.status == runs.FAILED):
        st.code(log or tr("train_ui.result.no_log"), language=None)


def _higher(run: runs.RunInfo) -> bool:
    return greater_is_better(run.record.get("metric"))  # older runs stored greater_is_better True for RMSE too


def leaderboard(run: runs.RunInfo) -> None:
    """Every model: validation score, fit time, prediction time per 1,000 rows, family and note."""
    if not run.leaderboard:
        return
    chosen = run.chosen_model
    df = get_leaderboard_df(run.leaderboard, lang(), _higher(run))
    metric = metric_label(run.record.get("metric"))
    table = pd.DataFrame({
        tr("train_ui.board.use"): ["●" if m == chosen else "" for m in df["model"]],
        tr("train_ui.board.model"): df["model"],
        tr("train_ui.board.family"): [tr(f"train_ui.family.{f}") for f in df["family"]],
        metric: df["score"].round(4), tr("train_ui.board.fit_time"): df["fit_time_s"].round(1),
        tr("train_ui.board.predict_time"): df["predict_ms_per_1000"].round(1),
        tr("train_ui.board.baseline"): [tr("train_ui.board.is_baseline") if b else "" for b in df["is_baseline"]],
    })
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption(tr("train_ui.board.help", metric=tr(f"train.metric.name.{run.record.get('metric')}"),
                  rows=f"{run.metrics.get('validation_rows', 0):,}"))
    notes = dict(zip(df["family"], df["note"], strict=True))
    with st.expander(tr("train_ui.board.families"), icon=":material/help:"):
        st.markdown("\n".join(f"- **{tr(f'train_ui.family.{f}')}**: {md(note)}" for f, note in notes.items()))
    verdict = baseline_verdict(run.leaderboard, chosen, _higher(run))
    alert = st.success if verdict["key"] == "train.verdict.beat" else st.warning
    alert(f"**{tr('train_ui.board.verdict')}** {tr(verdict['key'], **verdict['params'])}", icon=":material/balance:")


def pick_model(run: runs.RunInfo) -> None:
    """The model to use from now on (default: the best); predict.py and Step 6 use it."""
    usable = [r["model"] for r in get_leaderboard_df(run.leaderboard, lang(), _higher(run)).to_dict("records")
              if r["can_infer"]]
    if not usable:
        return
    chosen = run.chosen_model or usable[0]
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    model = left.selectbox(tr("train_ui.pick.label"), usable, index=usable.index(chosen) if chosen in usable else 0,
                           key=f"trn_pick_{run.id}", help=tr("train_ui.pick.help"))
    if right.button(tr("train_ui.pick.button"), key=f"trn_pick_save_{run.id}", icon=":material/check:",
                    disabled=model == chosen):
        if attempt(lambda: choose_model(get_store(), run.id, model) or True):
            flash(tr("train_ui.pick.saved", model=model))
            st.rerun()
    threshold = run.metrics.get("decision_threshold")
    if threshold is not None:
        st.caption(tr_md("train_ui.pick.threshold", threshold=f"{threshold:.3f}"))
