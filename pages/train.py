"""Step 5, Train: settings from the business goal, AutoGluon in the background, live progress, results."""

import streamlit as st

from core.preprocess import latest_recipe
from core.store.goals import load_goal
from core.train import problem_type_of
from ui.context import get_store, tr
from ui.page import step_page
from ui.train.data import training_data
from ui.train.history import history
from ui.train.live import live
from ui.train.record import downloads, record
from ui.train.results import ended, leaderboard, pick_model
from ui.train.runs import selected_run
from ui.train.settings import choose_settings, preconditions, train_button
from ui.train.validation import planned, used

project = step_page("train")

saved = latest_recipe(get_store(), project.id)
if saved is None:
    st.info(tr("train.error.no_recipe"), icon=":material/cleaning_services:")
    st.page_link("pages/preprocess.py", label=tr("nav.preprocess"), icon=":material/cleaning_services:")
    st.stop()
training_data(saved)
if saved.info.dataset_id != project.current_dataset_id:
    st.warning(tr("train_ui.recipe_old_data", data=saved.info.dataset_id or "—"), icon=":material/update:")
problem_type = problem_type_of(get_store(), saved, project)  # the one rule training itself uses
goal, _ = load_goal(get_store(), project.id)

run = selected_run(project)
active = run is not None and run.is_active
if active:  # progress first: after a refresh or reopening the project it is the first thing seen
    st.subheader(f":material/model_training: {tr('train_ui.run.title', run=run.id)}")
    live(run.id)
    st.divider()

with st.expander(tr("train_ui.settings.next_run"), icon=":material/tune:") if active else st.container():
    st.subheader(f":material/savings: {tr('train_ui.pre.title')}")
    options = preconditions(goal, problem_type)
    st.subheader(f":material/tune: {tr('train_ui.settings.title')}")
    settings = choose_settings(project, problem_type, goal, options, saved.split.strategy)
    planned(saved.split, settings)
    train_button(project, settings, run.id if active else None)

if run is not None and not active:
    st.divider()
    st.subheader(f":material/model_training: {tr('train_ui.run.title', run=run.id)}")
    ended(run)
    used(run)
    if run.leaderboard:
        st.markdown(f"#### {tr('train_ui.board.title')}")
        leaderboard(run)
        pick_model(run)
    record(run)
    downloads(run)

st.divider()
st.subheader(f":material/history: {tr('train_ui.history.title')}")
history(project, run)
