"""The recipe the editor starts from: the last saved version, else the analysis's suggestions; answers decide."""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.prepare import ANSWER_KIND, ANSWER_STEP
from core.prepare.answers import column_answers, newer_than
from core.preprocess import Recipe, SavedRecipe, TargetSpec, latest_recipe, recipe_from_analysis
from core.preprocess.prefill import apply_answers
from core.preprocess.split import default_strategy
from core.analyze.saved import AnalysisInfo, latest_analysis
from core.store.datasets import DatasetInfo
from core.store.projects import ProjectInfo
from core.store.reviews import list_reviews
from ui.context import get_store, tr, tr_md


def answers(project: ProjectInfo, info: AnalysisInfo | None) -> list[dict[str, Any]]:
    """The stakeholders' deciding answers (step 3) to this analysis's column questions."""
    if info is None:
        return []
    return column_answers(info.questions, list_reviews(get_store(), project.id, step=ANSWER_STEP, kind=ANSWER_KIND))


def _from_analysis(project: ProjectInfo, info: AnalysisInfo | None, found: list[dict[str, Any]]) -> Recipe:
    target = TargetSpec(project.target_column or "", project.problem_type or "", project.positive_class)
    if info is None:
        recipe = Recipe(target=target)
        recipe.split.strategy = default_strategy(project.problem_type)
        return recipe
    return recipe_from_analysis(info.report.recommendations(), target=target.column, answers=found,
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
    found = answers(project, info)
    suggested = _from_analysis(project, info, found)
    saved = latest_recipe(get_store(), project.id)
    if saved and saved.info.dataset_id == version.id and saved.recipe.target.column == project.target_column:
        recipe = Recipe.from_dict(saved.recipe.to_dict())
        recipe.target.problem_type = project.problem_type or recipe.target.problem_type
        recipe = _merge_new_suggestions(recipe, suggested)
        return apply_answers(recipe, newer_than(found, saved.info.created_at)), saved, recs  # newer answers decide
    _origin_note(info)
    return suggested, None, recs


def _origin_note(info: AnalysisInfo | None) -> None:
    if info is None:
        st.info(tr("preprocess_ui.origin.no_analysis"), icon=":material/troubleshoot:")
        st.page_link("pages/analyze.py", label=tr("nav.analyze"), icon=":material/query_stats:")
    else:
        st.caption(tr_md("preprocess_ui.origin.analysis", when=info.created_at.strftime("%Y-%m-%d %H:%M")))
