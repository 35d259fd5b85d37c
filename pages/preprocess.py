"""Step 4, Preprocess: split off the test data first, then a versioned recipe of fixed rules."""

import streamlit as st

from core.preprocess import Recipe
from ui.analyze.data import current_version, load_version
from ui.context import md, tr, tr_md
from ui.page import step_page
from ui.preprocess.base import base_recipe
from ui.preprocess.columns import drops, target, type_overrides
from ui.preprocess.data import date_candidates, numeric_candidates
from ui.preprocess.preview import history, preview, save
from ui.preprocess.rows import derived, row_filters, show_effects
from ui.preprocess.split import split_settings

project = step_page("preprocess")

version = current_version(project)
if version is None or not project.target_column:
    st.info(tr("preprocess_ui.need_target"), icon=":material/ads_click:")
    st.page_link("pages/analyze.py", label=tr("nav.analyze"), icon=":material/query_stats:")
    st.stop()
df = load_version(version)
if df is None:
    st.stop()
if project.target_column not in df.columns:
    st.warning(tr("preprocess_ui.target_missing", column=md(project.target_column)), icon=":material/warning:")
    st.page_link("pages/analyze.py", label=tr("nav.analyze"), icon=":material/query_stats:")
    st.stop()

base, saved, suggested = base_recipe(project, version)
if saved is not None:
    st.caption(tr_md("preprocess_ui.origin.saved", number=saved.number,
                     when=saved.info.created_at.strftime("%Y-%m-%d %H:%M")))
sfx = f"{project.id}_{version.id}"
st.caption(tr_md("preprocess_ui.data_line", id=version.id, label=version.label, rows=f"{version.n_rows:,}",
                 columns=version.n_cols))

st.subheader(f":material/ads_click: {tr('preprocess_ui.target.title')}")
recipe = Recipe(target=target(project, base, df, sfx))
column, kind = recipe.target.column, recipe.target.problem_type

st.subheader(f":material/view_column: {tr('preprocess_ui.drops.title')}")
recipe.drop_columns = drops(base, df, column, suggested, sfx)
with st.expander(tr("preprocess_ui.types.title"), icon=":material/category:",
                 expanded=bool(base.type_overrides)):
    recipe.type_overrides = type_overrides(base, df, column, sfx)

dates = date_candidates(df, version, recipe)
st.subheader(f":material/filter_alt: {tr('preprocess_ui.filters.title')}")
recipe.row_filters, slots = row_filters(base, kind, sfx)
with st.expander(tr("preprocess_ui.derived.title"), icon=":material/functions:", expanded=bool(base.derived)):
    recipe.derived = derived(base, dates, numeric_candidates(df, recipe), sfx)

st.subheader(f":material/call_split: {tr('preprocess_ui.split.title')}")
recipe.split = split_settings(base.split, df, column, kind, dates, sfx)

st.divider()
st.subheader(f":material/compare: {tr('preprocess_ui.preview.title')}")
result = preview(recipe, version, df)
show_effects(slots, result["effects"] if result else None)
save(project, recipe, result, sfx)
if saved is not None:
    st.page_link("pages/train.py", label=tr("preprocess_ui.next"), icon=":material/model_training:")

st.divider()
st.subheader(f":material/history: {tr('preprocess_ui.history.title')}")
history(project)
