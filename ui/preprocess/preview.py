"""Before/after preview and row counts per set, "Save recipe and split", and the version history."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import streamlit as st

from core.errors import UserError
from core.preprocess import Recipe, SavedRecipe, Split, check_ready, get_counts_df, save_recipe_version, split_for
from core.preprocess.removed import filter_effects
from core.store.datasets import DatasetInfo
from core.store.projects import ProjectInfo
from core.store.recipes import list_recipes
from ui.context import attempt, flash, get_store, show_message, tr, tr_md
from ui.preprocess.data import training_rows_of

PREVIEW_ROWS = 8


@st.cache_data(max_entries=16, show_spinner=False)
def _compute(_df: pd.DataFrame, dataset_id: int, content_hash: str, recipe_json: str) -> dict[str, Any]:
    """Split, check and preview a recipe (cached per data version and recipe)."""
    recipe = Recipe.from_dict(json.loads(recipe_json))
    try:
        recipe.validate(list(_df.columns))
        split = split_for(_df, recipe)
        ready = check_ready(_df, recipe, split)
        counts = get_counts_df(_df, recipe, split)
        effects = filter_effects(_df, recipe, split)
    except UserError as exc:
        return {"error": exc.msg}
    before = split.parts(_df, verify=False)[0].head(PREVIEW_ROWS)
    return {"split": split.to_dict(), "ready": ready, "counts": counts, "before": before,
            "after": recipe.apply(before), "effects": effects}


def preview(recipe: Recipe, version: DatasetInfo, df: pd.DataFrame) -> dict[str, Any] | None:
    """Show counts, warnings and the before/after rows; None (with the message) when the recipe is refused."""
    with st.spinner(tr("preprocess_ui.preview.spinner")):
        result = _compute(df, version.id, version.content_hash, json.dumps(recipe.to_dict(), sort_keys=True))
    if "error" in result:
        show_message(result["error"], "error", ":material/block:")
        return None
    split, ready = Split.from_dict(result["split"]), result["ready"]
    for warning in split.warnings:
        st.warning(tr_md(warning["key"], **warning["params"]), icon=":material/warning:")
    c = st.columns(4)
    c[0].metric(tr("preprocess_ui.preview.train"), f"{ready['train_rows']:,}")
    c[1].metric(tr("preprocess_ui.preview.test"), f"{ready['test_rows']:,}", help=tr("preprocess_ui.why.locked"))
    c[2].metric(tr("preprocess_ui.preview.excluded"), f"{ready['excluded_rows']:,}",
                help=tr("preprocess_ui.preview.excluded_help"))
    c[3].metric(tr("preprocess_ui.preview.columns"), f"{ready['columns_before']} → {ready['columns_after']}")
    st.caption(":material/lock: " + tr("preprocess.test_locked", test=f"{ready['test_rows']:,}") + " "
               + tr("preprocess_ui.why.locked"))
    _counts_table(result["counts"])
    before_tab, after_tab = st.tabs([tr("preprocess_ui.preview.before"), tr("preprocess_ui.preview.after")],
                                    key=f"pre_preview_tabs_{version.id}")
    before_tab.dataframe(result["before"], width="stretch")
    after_tab.dataframe(result["after"], width="stretch")
    st.caption(tr("preprocess.no_leak"))
    return result


def _counts_table(counts: pd.DataFrame) -> None:
    table = counts.assign(set=[tr(f"preprocess_ui.set.{s}") for s in counts["set"]])
    table.columns = [tr(f"preprocess_ui.counts.{c}") for c in ("set", "before", "after")]
    st.dataframe(table, hide_index=True)


def save(project: ProjectInfo, recipe: Recipe, result: dict[str, Any] | None, sfx: str) -> None:
    """Save the recipe and its split as a new version (refused recipes cannot be saved)."""
    if st.button(tr("preprocess_ui.save.button"), type="primary", icon=":material/save:", key=f"pre_save_{sfx}",
                 disabled=result is None, help=tr("preprocess_ui.save.help")):
        with st.spinner(tr("preprocess_ui.save.spinner")):
            saved = attempt(lambda: save_recipe_version(get_store(), project.id, recipe,
                                                        created_by=project.owner or ""))
        if saved:
            counts = saved.split.counts()  # training rows as the model gets them (after the recipe's filters)
            flash(tr("preprocess_ui.save.done", number=saved.number, train=f"{result['ready']['train_rows']:,}",
                     test=f"{counts['test']:,}"))
            st.rerun()


def history(project: ProjectInfo) -> None:
    """Every saved version, newest first, with its split."""
    versions = list_recipes(get_store(), project.id)
    if not versions:
        st.caption(tr("preprocess_ui.history.empty"))
        return
    rows = []
    for v in versions:
        split = Split.from_dict(v.split)
        counts = split.counts()
        counts["train"] = training_rows_of(SavedRecipe(v, Recipe.from_dict(v.data), split))["train_rows"]
        rows.append({
            tr("preprocess_ui.history.number"): v.number, tr("preprocess_ui.history.when"): v.created_at,
            tr("preprocess_ui.history.by"): v.created_by, tr("preprocess_ui.history.dataset"): v.dataset_id,
            tr("preprocess_ui.history.strategy"): tr(f"preprocess.strategy.{split.strategy}"),
            tr("preprocess_ui.history.train"): counts["train"], tr("preprocess_ui.history.test"): counts["test"],
            tr("preprocess_ui.history.dropped"): ", ".join(Recipe.from_dict(v.data).dropped()) or "—",
        })
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(tr("preprocess_ui.history.help"))
