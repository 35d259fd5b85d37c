"""Issue 13, item 1: proposals that remove rows are off by default and come with their consequence."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from core.analyze import analyze
from core.i18n import t
from core.preprocess import recipe_from_analysis, save_recipe_version, split_for
from core.preprocess.removed import bounds_text, filter_effects, reason_text, saved_training_rows, training_rows
from core.store import datasets, projects

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def houses() -> pd.DataFrame:
    """The sample house sales with a long tail of expensive houses."""
    return pd.read_csv(ROOT / "sample_data" / "house_prices.csv")


def _proposed(df: pd.DataFrame):
    report = analyze(df, "sale_price", problem_type="regression").to_dict()
    return recipe_from_analysis(report)


def test_the_outlier_filter_is_proposed_but_off(houses):
    recipe = _proposed(houses)
    (spec,) = [s for s in recipe.row_filters if s["kind"] == "target_range"]
    assert spec["source"] == "analysis" and spec["upper"] > houses["sale_price"].median()
    assert spec["accepted"] is False
    split = split_for(houses, recipe)
    train, _ = split.parts(houses)
    assert len(recipe.apply(train)) == len(train)  # nothing is removed until the user accepts it


def test_effects_say_what_a_filter_would_remove_on_or_off(houses):
    recipe = _proposed(houses)
    split = split_for(houses, recipe)
    spec = next(s for s in recipe.row_filters if s["kind"] == "target_range")
    train, test = split.parts(houses)
    (effect,) = [e for e in filter_effects(houses, recipe, split) if e["kind"] == "target_range"]
    expected = int((train["sale_price"] > spec["upper"]).sum())
    assert expected > 0
    assert (effect["accepted"], effect["removed"], effect["train_rows"]) == (False, expected, len(train))
    assert effect["test_outside"] == int((test["sale_price"] > spec["upper"]).sum()) > 0
    spec["accepted"] = True
    (on,) = [e for e in filter_effects(houses, recipe, split) if e["kind"] == "target_range"]
    assert (on["accepted"], on["removed"]) == (True, expected)


def test_training_rows_list_the_removed_rows_and_why(houses):
    recipe = _proposed(houses)
    split = split_for(houses, recipe)
    for spec in recipe.row_filters:
        spec["accepted"] = spec["kind"] == "target_range"
    train, _ = split.parts(houses)
    rows = training_rows(houses, recipe, split)
    removed = int((train["sale_price"] > recipe.row_filters[0]["upper"]).sum())
    assert rows["split_train"] == len(train) and rows["train_rows"] == len(train) - removed
    assert rows["removed"] == removed and [r["kind"] for r in rows["reasons"]] == ["target_range"]
    assert rows["train_rows"] == len(recipe.apply(train))  # the count the model is fitted on
    upper = f"{recipe.row_filters[0]['upper']:,.0f}"
    assert reason_text(rows["reasons"][0], "en").startswith(f'{removed:,} rows whose "sale_price" is above {upper}')
    assert upper in reason_text(rows["reasons"][0], "ja") and "sale_price" in reason_text(rows["reasons"][0], "ja")


def test_saved_version_rows_and_a_missing_dataset(sqlite_store, houses):
    project = projects.create_project(sqlite_store, "Houses")
    datasets.add_dataset_version(sqlite_store, project.id, houses, source={"kind": "test"})
    recipe = _proposed(houses)
    recipe.row_filters[0]["accepted"] = True
    saved = save_recipe_version(sqlite_store, project.id, recipe)
    rows = saved_training_rows(sqlite_store, saved.info.id)
    assert rows["removed"] > 0 and rows["train_rows"] + rows["removed"] == saved.split.counts()["train"]
    assert saved_training_rows(sqlite_store, 999) is None


@pytest.mark.parametrize(("lower", "upper", "en"), [
    (None, 340038.4, "above 340,038"), (10.5, None, "below 10.5"), (0.25, 120.0, "outside 0.25–120"),
])
def test_bounds_read_as_users_say_them(lower, upper, en):
    assert bounds_text(lower, upper, "en") == en
    assert bounds_text(lower, upper, "ja") != en and t("preprocess.bounds.none", "ja") != t("preprocess.bounds.none")
