"""The target column: problem type proposed from the data and the business goal, positive class, confirm."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.analyze.checks_target import PROBLEM_TYPES
from core.data import positive_class_candidates, propose_problem_type
from core.store.datasets import DatasetInfo
from core.store.goals import load_goal
from core.store.projects import ProjectInfo, update_project
from ui.context import attempt, flash, get_store, md, tr, tr_md


def _goal_problem_type(project_id: int) -> str:
    """The problem type written in the business goal's preconditions ('' when not decided)."""
    data, _version = load_goal(get_store(), project_id)
    value = ((data or {}).get("preconditions") or {}).get("problem_type") or ""
    return value if value in PROBLEM_TYPES else ""


def current_data(version: DatasetInfo, df: pd.DataFrame) -> None:
    """A line naming the current version, with its first rows on demand."""
    st.markdown(tr_md("analyze_ui.data.current", id=version.id, label=version.label, rows=f"{version.n_rows:,}",
                      columns=version.n_cols))
    with st.expander(tr("analyze_ui.data.show_rows")):
        st.dataframe(df.head(100), hide_index=True, width="stretch")


_TARGET_FIELDS = ("current_dataset_id", "target_column", "problem_type", "positive_class")


def target(project: ProjectInfo, version: DatasetInfo, df: pd.DataFrame) -> None:
    """Choose and confirm the target column, problem type and (binary) positive class."""
    columns = [str(c) for c in df.columns]
    saved = project.target_column if project.target_column in columns else None
    suffix = f"{project.id}_{version.id}"
    base = f"ana_target_base_{suffix}"  # the target fields the choice below started from
    if f"ana_target_{suffix}" not in st.session_state or base not in st.session_state:
        st.session_state[base] = {k: getattr(project, k) for k in _TARGET_FIELDS}
    none = tr("analyze_ui.target.none")  # labels are computed now: AppTest calls format_func outside the run
    chosen = st.selectbox(tr("analyze_ui.target.column"), [None, *columns],
                          index=columns.index(saved) + 1 if saved else 0,
                          format_func=lambda c: none if c is None else c,
                          key=f"ana_target_{suffix}", help=tr("analyze_ui.target.help"))
    if chosen is None:
        st.info(tr("analyze_ui.target.choose"), icon=":material/ads_click:")
        return
    proposed = propose_problem_type(df[chosen])
    from_goal = _goal_problem_type(project.id)
    default = project.problem_type if chosen == saved and project.problem_type in PROBLEM_TYPES else proposed
    kinds = {p: tr(f"analyze_ui.problem_type.{p}") for p in PROBLEM_TYPES}
    kind = st.radio(tr("analyze_ui.target.problem_type"), PROBLEM_TYPES, index=PROBLEM_TYPES.index(default),
                    horizontal=True, format_func=kinds.__getitem__,
                    key=f"ana_ptype_{suffix}_{chosen}")
    note = tr("analyze_ui.target.proposed", kind=tr(f"analyze_ui.problem_type.{proposed}"))
    if from_goal:
        note += " · " + tr("analyze_ui.target.goal_says", kind=tr(f"analyze_ui.problem_type.{from_goal}"))
    st.caption(note)
    if from_goal and from_goal != kind:
        st.warning(tr("analyze_ui.target.goal_differs", kind=tr(f"analyze_ui.problem_type.{from_goal}")),
                   icon=":material/rule:")
    positive = _positive(project, df[chosen], chosen, saved, suffix) if kind == "binary" else None
    chosen_now = (chosen, kind, positive)
    if chosen_now == (project.target_column, project.problem_type, project.positive_class):
        st.success(tr("analyze_ui.target.confirmed"), icon=":material/task_alt:")
    elif st.button(tr("analyze_ui.target.confirm"), type="primary", icon=":material/done:",
                   key=f"ana_confirm_{suffix}"):
        done = attempt(lambda: update_project(get_store(), project.id, loaded=st.session_state[base],
                                              target_column=chosen, problem_type=kind, positive_class=positive))
        st.session_state[base] = {k: getattr(done or project, k) for k in _TARGET_FIELDS}  # a retry sees theirs
        if done:
            flash(tr("analyze_ui.target.saved", column=md(chosen)))
            st.rerun()


def _positive(project: ProjectInfo, y: pd.Series, chosen: str, saved: str | None, suffix: str) -> str | None:
    """The positive class: the proposal first, the saved choice kept; counts shown."""
    labels = [str(c) for c in positive_class_candidates(y)]
    if not labels:
        st.warning(tr("analyze_ui.target.no_values"), icon=":material/warning:")
        return None
    keep = project.positive_class if chosen == saved and project.positive_class in labels else labels[0]
    positive = st.selectbox(tr("analyze_ui.target.positive_class"), labels, index=labels.index(keep),
                            key=f"ana_positive_{suffix}_{chosen}", help=tr("analyze_ui.target.positive_help"))
    counts = y.astype(str).where(y.notna()).value_counts()
    shown = " · ".join(f"{k}: {v:,}" for k, v in counts.head(10).items())
    st.caption(tr_md("analyze_ui.target.counts", counts=shown))
    return positive
