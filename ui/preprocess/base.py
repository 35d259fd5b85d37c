"""The recipe the editor starts from: the last saved version, else the analysis's suggestions."""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.preprocess import Recipe, SavedRecipe, TargetSpec, latest_recipe, recipe_from_analysis
from core.preprocess.split import default_strategy
from core.store.analyses import AnalysisInfo, latest_analysis
from core.store.datasets import DatasetInfo
from core.store.projects import ProjectInfo
from ui.context import get_store, md, tr


def _from_analysis(project: ProjectInfo, info: AnalysisInfo | None) -> Recipe:
    target = TargetSpec(project.target_column or "", project.problem_type or "", project.positive_class)
    if info is None:
        recipe = Recipe(target=target)
        recipe.split.strategy = default_strategy(project.problem_type)
        return recipe
    return recipe_from_analysis(info.report.recommendations(), target=target.column,
                                problem_type=target.problem_type or None, positive_class=target.positive_class)


def _merge_new_suggestions(recipe: Recipe, suggested: Recipe) -> Recipe:
    """Suggested drops the saved recipe does not mention yet (a newer analysis) are added."""
    known = {d.column for d in recipe.drop_columns}
    recipe.drop_columns += [d for d in suggested.drop_columns if d.column not in known]
    return recipe


def base_recipe(project: ProjectInfo, version: DatasetInfo) -> tuple[Recipe, SavedRecipe | None, dict[str, Any]]:
    """(starting recipe, the saved version it came from or None, suggested drops by column)."""
    info = latest_analysis(get_store(), project.id, version.id)
    recs = {r["column"]: r for r in (info.report.recommendations() if info else [])
            if r.get("action") == "drop_column"}
    suggested = _from_analysis(project, info)
    saved = latest_recipe(get_store(), project.id)
    if saved and saved.info.dataset_id == version.id and saved.recipe.target.column == project.target_column:
        recipe = Recipe.from_dict(saved.recipe.to_dict())
        recipe.target.problem_type = project.problem_type or recipe.target.problem_type
        return _merge_new_suggestions(recipe, suggested), saved, recs
    _origin_note(info)
    return suggested, None, recs


def _origin_note(info: AnalysisInfo | None) -> None:
    if info is None:
        st.info(tr("preprocess_ui.origin.no_analysis"), icon=":material/troubleshoot:")
        st.page_link("pages/analyze.py", label=tr("nav.analyze"), icon=":material/query_stats:")
    else:
        st.caption(md(tr("preprocess_ui.origin.analysis", when=info.created_at.strftime("%Y-%m-%d %H:%M"))))
