"""Step 4, Preprocess: a versioned recipe of fixed rules and a stored, leak-free test split.

Why nothing here can leak the test set into training: the split is made first, on the dataset
snapshot, and stored as row positions; the recipe only holds fixed rules (drop, retype,
derive, filter by a written bound) and computes no statistic from the rows it is given.
Imputation, category encoding and scaling are statistical, so they are left to AutoGluon,
which fits them on the training rows only (the test rows are never passed to it).

- ``Recipe`` (``recipe.py``): ``apply(df)``, ``apply_with_report(df)``, ``to_dict``/``from_dict``.
- ``recipe_from_analysis(recommendations, answers=...)`` (``prefill.py``): a recipe pre-filled from Step 2
  (row filters proposed but off), then decided column by column by the answers of Step 3.
- ``filter_effects`` / ``training_rows`` (``removed.py``): what a row filter would remove, and the rows a
  saved version leaves out of training, with the reason.
- ``make_split(df, strategy, test_share, seed, ...) -> Split`` (``split.py``).
- ``columns.date_candidates`` / ``columns.numeric_candidates``: columns a widget may offer, after overrides.
- ``save_recipe_version(store, project_id, recipe)`` / ``latest_recipe`` (``service.py``).
"""

from core.preprocess import columns
from core.preprocess.prefill import recipe_from_analysis
from core.preprocess.recipe import DropColumn, Recipe, SplitSettings, TargetSpec
from core.preprocess.service import (
    SavedRecipe,
    check_ready,
    get_counts_df,
    get_saved_recipe,
    latest_recipe,
    save_recipe_version,
    split_for,
)
from core.preprocess.split import Split, check_target, date_columns, default_strategy, make_split

__all__ = [
    "DropColumn", "Recipe", "SavedRecipe", "Split", "SplitSettings", "TargetSpec", "check_ready", "check_target",
    "columns",
    "date_columns", "default_strategy", "get_counts_df", "get_saved_recipe", "latest_recipe", "make_split",
    "recipe_from_analysis", "save_recipe_version", "split_for",
]
