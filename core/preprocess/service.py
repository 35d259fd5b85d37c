"""Step 4 as the pages use it: check a recipe on the project's data, split once, save a version."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from core.db import Store
from core.errors import UserError
from core.preprocess.recipe import Recipe
from core.preprocess.split import Split, check_target, make_split
from core.store import datasets, projects, recipes


@dataclass(frozen=True)
class SavedRecipe:
    """A stored recipe version with its parsed recipe and split."""

    info: recipes.RecipeInfo
    recipe: Recipe
    split: Split

    @property
    def number(self) -> int:
        """The version number shown to users."""
        return self.info.number


def _saved(info: recipes.RecipeInfo | None) -> SavedRecipe | None:
    if info is None:
        return None
    return SavedRecipe(info, Recipe.from_dict(info.data), Split.from_dict(info.split))


def split_for(df: pd.DataFrame, recipe: Recipe) -> Split:
    """Make the split the recipe's settings ask for, on the snapshot ``df``."""
    s = recipe.split
    return make_split(df, s.strategy, s.test_share, s.seed, target=recipe.target.column,
                      problem_type=recipe.target.problem_type or None, time_column=s.time_column,
                      group_column=s.group_column)


def check_ready(df: pd.DataFrame, recipe: Recipe, split: Split) -> dict[str, Any]:
    """Apply the recipe to both sets and check training can start; returns the preview counts."""
    train_raw, test_raw = split.parts(df, verify=False)
    train, report = recipe.apply_with_report(train_raw)
    test = recipe.apply(test_raw, for_test=True)
    check_target(train[recipe.target.column], recipe.target.problem_type or None, recipe.target.column)
    if train.shape[1] < 2:
        raise UserError("preprocess.error.no_features")
    return {"train_rows": len(train), "test_rows": len(test), "excluded_rows": len(split.excluded_index),
            "train_report": report, "columns_before": int(df.shape[1]), "columns_after": int(train.shape[1])}


def get_counts_df(df: pd.DataFrame, recipe: Recipe, split: Split) -> pd.DataFrame:
    """Rows per set before and after the recipe (the page's before/after table)."""
    train_raw, test_raw = split.parts(df, verify=False)
    rows = [{"set": "train", "before": len(train_raw), "after": len(recipe.apply(train_raw))},
            {"set": "test", "before": len(test_raw), "after": len(recipe.apply(test_raw, for_test=True))},
            {"set": "excluded", "before": len(split.excluded_index), "after": 0}]
    return pd.DataFrame(rows, columns=["set", "before", "after"])


def save_recipe_version(store: Store, project_id: int, recipe: Recipe, *, created_by: str = "",
                        dataset_id: int | None = None, keep_split: bool = True) -> SavedRecipe:
    """Validate ``recipe`` on the project's current data, split, and save it as a new version.

    With ``keep_split`` the previous version's test rows are reused when the data and the split
    settings did not change, so editing the recipe never reshuffles the test set.
    """
    project = projects.get_project(store, project_id)
    if project is None:
        raise UserError("project.error.not_found", id=project_id)
    dataset_id = dataset_id or project.current_dataset_id
    if dataset_id is None:
        raise UserError("preprocess.error.no_dataset")
    df = datasets.load_dataframe(store, dataset_id)
    recipe.validate(list(df.columns))
    split = _reuse_split(store, project_id, dataset_id, recipe) if keep_split else None
    split = split or split_for(df, recipe)
    check_ready(df, recipe, split)
    info = recipes.add_recipe(store, project_id, recipe.to_dict(), split.to_dict(), dataset_id=dataset_id,
                              created_by=created_by)
    return SavedRecipe(info, recipe, split)


def _reuse_split(store: Store, project_id: int, dataset_id: int, recipe: Recipe) -> Split | None:
    """The latest version's split when it was made on the same data with the same settings."""
    last = latest_recipe(store, project_id)
    if last is None or last.info.dataset_id != dataset_id or last.split.target != recipe.target.column:
        return None
    s, old = recipe.split, last.split
    same = (s.strategy, float(s.test_share), s.seed, s.time_column, s.group_column) == (
        old.strategy, float(old.test_share), old.seed, old.time_column, old.group_column)
    return old if same else None


def latest_recipe(store: Store, project_id: int) -> SavedRecipe | None:
    """The project's newest recipe version, parsed."""
    return _saved(recipes.latest_recipe(store, project_id))


def get_saved_recipe(store: Store, recipe_id: int | None) -> SavedRecipe | None:
    """One recipe version by id, parsed."""
    return _saved(recipes.get_recipe(store, recipe_id))
