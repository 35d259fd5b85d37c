"""Which run the page tests (latest succeeded by default, kept in the link) and its cached evaluation."""

from __future__ import annotations

import hashlib
import json

import streamlit as st

from core.errors import UserError
from core.evaluate import Evaluation, evaluate_run
from core.evaluate.record import record_decision
from core.store import goals, runs
from core.store.projects import ProjectInfo
from ui import state
from ui.context import current_user, get_store, message_text, tr


def _label(run: runs.RunInfo) -> str:
    when = run.finished_at.strftime("%Y-%m-%d %H:%M") if run.finished_at else ""
    model = run.chosen_model
    return tr("evaluate.run.option", run=run.id, model=model, when=when)


def pick_run(project: ProjectInfo) -> runs.RunInfo | None:
    """A select box of the project's succeeded runs; None (with a hint) when there is none."""
    done = [r for r in runs.list_runs(get_store(), project.id) if r.status == runs.SUCCEEDED]
    if not done:
        st.info(tr("evaluate.run.none"), icon=":material/model_training:")
        st.page_link("pages/train.py", label=tr("nav.train"), icon=":material/model_training:")
        return None
    ids = [r.id for r in done]
    raw = st.query_params.get(state.QP_RUN)
    wanted = int(raw) if raw and raw.isdigit() and int(raw) in ids else ids[0]
    key = f"ev_run_{project.id}"
    if st.session_state.get(key) not in ids:
        st.session_state[key] = wanted
    by_id = {r.id: r for r in done}
    chosen = st.selectbox(tr("evaluate.run.pick"), ids, key=key, format_func=lambda i: _label(by_id[i]),
                          help=tr("evaluate.run.help"))
    if st.query_params.get(state.QP_RUN) != str(chosen):
        st.query_params[state.QP_RUN] = str(chosen)
    return by_id[chosen]


@st.cache_resource(max_entries=4, show_spinner=False)
def _evaluation(url: str, run_id: int, model: str, goal_key: str) -> Evaluation:
    return evaluate_run(get_store(), run_id, model)


def evaluation(run: runs.RunInfo) -> Evaluation | None:
    """The run's evaluation (computed once per run, model and goal version), its decision stored; None after an error."""
    goal, _ = goals.load_goal(get_store(), run.project_id)
    goal_key = hashlib.sha256(json.dumps(goal, sort_keys=True, default=str).encode()).hexdigest()[:16]
    model = run.chosen_model
    try:
        with st.spinner(tr("evaluate.run.spinner")):
            ev = _evaluation(get_store().engine.url.render_as_string(hide_password=False), run.id, model, goal_key)
        user = current_user()
        record_decision(get_store(), ev, by=(user.display_name or user.username) if user else "")
        return ev
    except UserError as exc:
        st.error(message_text(exc), icon=":material/warning:")
        return None
