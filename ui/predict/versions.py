"""Tab "Model versions": promote a tested run to production, roll back in one click, the history."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.evaluate.record import ensure_decision
from core.predict import get_history_df, get_versions_df, promote_run, rollback
from core.predict.versions import NO_GO, tested_verdict
from core.store import runs
from core.store.model_versions import ModelInfo
from core.store.projects import ProjectInfo
from ui.context import attempt, flash, get_store, lang, tr, tr_md
from ui.predict.common import operator_name, verdict_label


def _when(value: object) -> str:
    stamp = pd.to_datetime(value, errors="coerce", utc=True)
    return "—" if pd.isna(stamp) else stamp.strftime("%Y-%m-%d %H:%M")


def versions_table(project: ProjectInfo) -> pd.DataFrame:
    """Promoted versions, newest first (empty when nothing was promoted)."""
    df = get_versions_df(get_store(), project.id)
    if df.empty:
        return df
    shown = pd.DataFrame({
        tr("predict_ui.versions.version"): [f"v{v}" for v in df["version"]],
        tr("predict_ui.versions.production"): ["●" if p else "" for p in df["production"]],
        tr("predict_ui.versions.run"): [f"#{r}" for r in df["run_id"]],
        tr("predict_ui.versions.model"): df["model"],
        tr("predict_ui.versions.verdict"): [verdict_label(v) for v in df["verdict"]],
        tr("predict_ui.versions.by"): df["promoted_by"], tr("predict_ui.versions.when"): df["promoted_at"].map(_when)})
    st.dataframe(shown, hide_index=True, width="stretch")
    return df


def _candidates(project: ProjectInfo) -> tuple[list[runs.RunInfo], dict[int, str]]:
    """Succeeded runs (newest first) with their latest Test step verdict ('' when untested)."""
    done = [r for r in runs.list_runs(get_store(), project.id) if r.status == runs.SUCCEEDED]
    return done, {r.id: tested_verdict(get_store(), r.id) for r in done}


def promote(project: ProjectInfo, model: ModelInfo, by: str) -> None:
    """Choose a run (the newest first; the chosen one is evaluated) and make it the production model."""
    done, verdicts = _candidates(project)
    if not done:
        return
    ids = [r.id for r in done]
    chosen = st.selectbox(tr("predict_ui.promote.run"), ids, index=0,
                          key=f"pv_run_{project.id}_{lang()}",
                          format_func={i: tr("predict_ui.promote.run_item", run=i,
                                             verdict=verdict_label(verdicts[i])) for i in ids}.get,
                          help=tr("predict_ui.promote.run_help"))
    with st.spinner(tr("predict_ui.model.deciding")):  # the verdict shown is the one promotion will check
        state = attempt(lambda: ensure_decision(get_store(), chosen, refresh_stale=True))
    verdict = state.verdict if state is not None else verdicts[chosen]
    if not verdict:
        st.caption(":material/fact_check: " + tr("predict_ui.promote.untested"))
    force = False
    if verdict.strip().lower() in NO_GO:
        st.warning(tr("predict_ui.promote.no_go", run=chosen), icon=":material/gavel:")
        force = st.checkbox(tr("predict_ui.promote.force"), key=f"pv_force_{project.id}")
    note = st.text_input(tr("predict_ui.promote.note"), key=f"pv_note_{project.id}", max_chars=300)
    current = model.is_production and model.run_id == chosen
    if current:
        st.caption(tr("predict_ui.promote.already", run=chosen))
    if st.button(tr("predict_ui.promote.button"), type="primary", icon=":material/publish:",
                 key=f"pv_promote_{project.id}", disabled=current):
        info = attempt(lambda: promote_run(get_store(), chosen, by=by, force=force, note=note))
        if info is not None:
            flash(tr("predict_ui.promote.done", run=chosen, version=info.version_number), ":material/publish:")
            st.rerun()


def roll_back(project: ProjectInfo, by: str) -> None:
    """Return production to the previous version (recorded with who and why)."""
    st.caption(tr("predict_ui.rollback.help"))
    reason = st.text_input(tr("predict_ui.rollback.reason"), key=f"pv_reason_{project.id}", max_chars=300)
    if st.button(tr("predict_ui.rollback.button"), icon=":material/undo:", key=f"pv_rollback_{project.id}"):
        info = attempt(lambda: rollback(get_store(), project.id, by=by, reason=reason))
        if info is not None:
            flash(tr("predict_ui.rollback.done", version=info.version_number), ":material/undo:")
            st.rerun()


def history(project: ProjectInfo) -> None:
    """Every promotion and rollback, newest first."""
    df = get_history_df(get_store(), project.id, lang())
    if df.empty:
        st.caption(tr("predict_ui.history.none"))
        return
    df = df.iloc[::-1]
    st.dataframe(pd.DataFrame({
        tr("predict_ui.history.action"): [tr(f"predict_ui.history.{a}") for a in df["action"]],
        tr("predict_ui.history.change"): [f"{'v' + str(int(f)) if pd.notna(f) else '—'} → v{int(t)}"
                                          for f, t in zip(df["from_version"], df["to_version"])],
        tr("predict_ui.versions.by"): df["by"], tr("predict_ui.versions.when"): df["at"].map(_when),
        tr("predict_ui.history.note"): df["note"]}), hide_index=True, width="stretch")


def show(project: ProjectInfo, model: ModelInfo) -> None:
    """Versions, promote, roll back, history."""
    st.subheader(f":material/inventory: {tr('predict_ui.versions.title')}")
    if versions_table(project).empty:
        st.info(tr("predict_ui.versions.none", run=model.run_id), icon=":material/info:")
    by = operator_name(project, "versions")
    left, right = st.columns(2, gap="large")
    with left:
        st.markdown(f"#### :material/publish: {tr_md('predict_ui.promote.title')}")
        promote(project, model, by)
    with right:
        st.markdown(f"#### :material/undo: {tr_md('predict_ui.rollback.title')}")
        roll_back(project, by)
    st.markdown(f"#### :material/history: {tr_md('predict_ui.history.title')}")
    history(project)
