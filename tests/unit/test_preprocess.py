"""Step 4: the recipe (deterministic, leak-free), every split strategy, bad input, stored versions."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from core.errors import UserError
from core.preprocess import (
    Recipe,
    Split,
    TargetSpec,
    date_columns,
    get_counts_df,
    latest_recipe,
    make_split,
    recipe_from_analysis,
    save_recipe_version,
)
from core.preprocess.recipe import DropColumn
from core.store import datasets, projects


def customers(n: int = 200, seed: int = 0) -> pd.DataFrame:
    """Churn-like rows: an ID, a customer, an area code, a date, minutes, charges, the target."""
    rng = np.random.default_rng(seed)
    mins = rng.normal(180, 40, n).round(1)
    return pd.DataFrame({
        "Phone": [f"555-{i:04d}" for i in range(n)],
        "Customer": [f"C{i % 50:03d}" for i in range(n)],
        "Area Code": rng.choice([408, 415, 510], n),
        "Signed": pd.date_range("2023-01-01", periods=n, freq="D").strftime("%Y-%m-%d"),
        "Day Mins": mins,
        "Day Charge": (mins * 0.17).round(2),
        "Calls": rng.integers(0, 9, n),
        "Churn?": np.where(rng.random(n) < 0.3, "True.", "False."),
    })


def churn_recipe(**split) -> Recipe:
    recipe = Recipe(target=TargetSpec("Churn?", "binary", "True."))
    recipe.split.__dict__.update(split)
    return recipe


# ---------------------------------------------------------------- recipe


def test_recipe_round_trips_through_json():
    recipe = churn_recipe(strategy="time", time_column="Signed")
    recipe.drop_columns.append(DropColumn("Phone", "analyze.reason.id_like", True, "analysis"))
    recipe.type_overrides.append({"column": "Area Code", "to": "category"})
    recipe.derived.append({"kind": "ratio", "a": "Day Charge", "b": "Day Mins", "name": "price"})
    again = Recipe.from_dict(json.loads(json.dumps(recipe.to_dict())))
    assert again == recipe and again.to_dict()["schema_version"] == 1


def test_apply_drops_retypes_derives_and_filters():
    df = customers()
    recipe = churn_recipe()
    recipe.drop_columns += [DropColumn("Phone"), DropColumn("Calls", accepted=False)]
    recipe.type_overrides.append({"column": "Area Code", "to": "category"})
    recipe.derived += [{"kind": "ratio", "a": "Day Charge", "b": "Day Mins", "name": "price"},
                       {"kind": "difference", "a": "Day Mins", "b": "Calls"},
                       {"kind": "date_parts", "column": "Signed", "parts": ["year", "month", "dayofweek"]}]
    recipe.row_filters.append({"kind": "range", "column": "Day Mins", "upper": 200.0})
    out, report = recipe.apply_with_report(df)
    assert "Phone" not in out and "Calls" in out  # a rejected suggestion is not applied
    assert set(out["Area Code"]) <= {"408", "415", "510"}
    assert out["price"].round(2).eq(0.17).all()
    assert (out["Day Mins - Calls"] == out["Day Mins"] - out["Calls"]).all()
    assert out["Signed__year"].iloc[0] == 2023 and out["Day Mins"].max() <= 200
    assert report["filters"] == [{"kind": "range", "removed": int((df["Day Mins"] > 200).sum())}]
    assert report["dropped"] == ["Phone"] and "price" in report["added"]


def test_apply_learns_nothing_so_parts_equal_the_whole():
    df = customers()
    recipe = churn_recipe()
    recipe.type_overrides.append({"column": "Area Code", "to": "category"})
    recipe.derived.append({"kind": "ratio", "a": "Day Charge", "b": "Day Mins"})
    whole = recipe.apply(df)
    parts = pd.concat([recipe.apply(df.iloc[:37]), recipe.apply(df.iloc[37:])])
    pd.testing.assert_frame_equal(whole, parts)
    pd.testing.assert_frame_equal(whole, recipe.apply(df))  # deterministic


def test_target_mapping_and_outlier_filter_only_in_training():
    df = pd.DataFrame({"x": range(30), "price": [100.0] * 28 + [5_000.0, np.nan]})
    recipe = Recipe(target=TargetSpec("price", "regression"))
    recipe.row_filters.append({"kind": "target_range", "upper": 400.0})
    out, report = recipe.apply_with_report(df)
    assert len(out) == 28 and report["missing_target_removed"] == 1
    assert report["filters"] == [{"kind": "target_range", "removed": 1}]
    assert len(recipe.apply(df.drop(columns="price"), for_prediction=True)) == 30  # every new row is scored
    assert len(recipe.apply(df, for_test=True)) == 29  # the locked test set keeps its outliers
    labels = Recipe(target=TargetSpec("y", "binary", "yes", mapping={"1": "yes", "0": "no"}))
    assert labels.apply(pd.DataFrame({"a": [1, 2], "y": [1, 0]}))["y"].tolist() == ["yes", "no"]
    assert labels.apply(pd.DataFrame({"a": [1, 2], "y": [1, 0]}), for_test=True)["y"].tolist() == ["yes", "no"]


@pytest.mark.parametrize(("change", "key"), [
    (lambda r: r.drop_columns.extend(DropColumn(c) for c in ("a", "b")), "preprocess.error.no_features"),
    (lambda r: r.drop_columns.append(DropColumn("y")), "preprocess.error.drop_target"),
    (lambda r: r.type_overrides.append({"column": "zz", "to": "category"}), "preprocess.error.unknown_column"),
    (lambda r: r.type_overrides.append({"column": "a", "to": "colour"}), "preprocess.error.bad_type"),
    (lambda r: r.derived.append({"kind": "ratio", "a": "a", "b": "nope"}), "preprocess.error.unknown_column"),
    (lambda r: setattr(r.split, "test_share", 0.9), "preprocess.error.bad_share"),
    (lambda r: setattr(r.split, "strategy", "time"), "preprocess.error.time_column_needed"),
])
def test_bad_recipes_are_clear_errors(change, key):
    recipe = Recipe(target=TargetSpec("y", "binary"))
    change(recipe)
    with pytest.raises(UserError) as err:
        recipe.validate(["a", "b", "y"])
    assert err.value.key == key


def test_recipe_from_analysis_prefills_every_recommendation():
    recs = [{"action": "drop_column", "column": "Phone", "reason_key": "analyze.reason.id_like"},
            {"action": "as_category", "column": "Area Code"},
            {"action": "drop_column", "column": "Day Mins", "keep": "Day Charge",
             "reason_key": "analyze.reason.redundant"},
            {"action": "drop_column", "column": "Phone", "reason_key": "analyze.reason.leakage"},
            {"action": "drop_target_outliers", "column": "y", "upper": 340000.0, "lower": None},
            {"action": "time_split", "column": "Signed"}, {"action": "adjust_threshold", "column": "y"}]
    recipe = recipe_from_analysis(recs, target="y", problem_type="regression")
    assert [(d.column, d.reason_key, d.accepted) for d in recipe.drop_columns] == [
        ("Phone", "analyze.reason.id_like", True), ("Day Mins", "analyze.reason.redundant", True)]
    assert recipe.type_overrides == [{"column": "Area Code", "to": "category"}]
    assert recipe.row_filters[0]["kind"] == "target_range" and recipe.row_filters[0]["upper"] == 340000.0
    assert (recipe.split.strategy, recipe.split.time_column) == ("time", "Signed")


def test_recipe_from_a_real_analysis_report():
    from core.analyze import analyze

    report = analyze(customers(), "Churn?").to_dict()
    recipe = recipe_from_analysis(report)
    assert recipe.target.column == "Churn?" and recipe.split.strategy in ("stratified", "time")
    assert "Phone" in recipe.dropped()
    recipe.validate(list(customers().columns))


# ---------------------------------------------------------------- split


def _assert_disjoint(split: Split, df: pd.DataFrame) -> None:
    train, test = split.parts(df)
    assert not set(train.index) & set(test.index)
    assert len(train) + len(test) + len(split.excluded_index) == len(df)
    train_rows = set(map(tuple, train.astype(str).to_numpy()))
    assert not any(tuple(r) in train_rows for r in test.astype(str).to_numpy())  # no test row in training


@pytest.mark.parametrize("strategy", ["random", "stratified", "time", "group"])
def test_every_strategy_keeps_test_rows_out_of_training(strategy):
    df = customers()
    df = pd.concat([df, df.iloc[:10]], ignore_index=True)  # exact duplicates must not straddle the sets
    split = make_split(df, strategy, 0.2, 7, target="Churn?", problem_type="binary", time_column="Signed",
                       group_column="Customer")
    _assert_disjoint(split, df)
    assert 0.1 <= len(split.test_index) / len(df) <= 0.3
    assert make_split(df, strategy, 0.2, 7, target="Churn?", problem_type="binary", time_column="Signed",
                      group_column="Customer").test_index == split.test_index  # reproducible


def test_random_split_depends_on_the_seed_and_warns_about_dates():
    df = customers()
    a, b = make_split(df, "random", seed=1), make_split(df, "random", seed=2)
    assert a.test_index != b.test_index
    assert a.warnings == [{"key": "preprocess.warning.random_with_dates", "params": {"column": "Signed"}}]
    assert date_columns(df) == ["Signed"]


def test_stratified_split_keeps_class_shares():
    df = customers(400)
    split = make_split(df, "stratified", target="Churn?", problem_type="binary")
    train, test = split.parts(df)
    share = df["Churn?"].eq("True.").mean()
    assert abs(test["Churn?"].eq("True.").mean() - share) < 0.02
    assert abs(train["Churn?"].eq("True.").mean() - share) < 0.02


def test_time_split_puts_only_later_rows_in_test():
    df = customers().sample(frac=1, random_state=3).reset_index(drop=True)  # shuffled on purpose
    split = make_split(df, "time", target="Churn?", problem_type="binary", time_column="Signed")
    train, test = split.parts(df)
    assert pd.to_datetime(train["Signed"]).max() < pd.to_datetime(test["Signed"]).min()
    assert split.cutoff == pd.to_datetime(test["Signed"]).min().isoformat()
    assert split.warnings == []


def test_time_split_with_undated_rows_and_without_dates():
    df = customers()
    df.loc[:9, "Signed"] = "someday"
    split = make_split(df, "time", time_column="Signed")
    assert split.excluded_index == list(range(10))
    assert split.warnings[0]["key"] == "preprocess.warning.undated_rows"
    df["Signed"] = "not a date"
    with pytest.raises(UserError) as err:
        make_split(df, "time", time_column="Signed")
    assert err.value.key == "preprocess.error.time_unparsable"


def test_group_split_never_puts_a_customer_in_both_sets():
    df = customers()
    train, test = make_split(df, "group", group_column="Customer").parts(df)
    assert not set(train["Customer"]) & set(test["Customer"])


def test_rows_without_a_target_are_in_neither_set():
    df = customers()
    df.loc[[3, 5], "Churn?"] = None
    split = make_split(df, "stratified", target="Churn?", problem_type="binary")
    assert split.excluded_index == [3, 5]


@pytest.mark.parametrize(("frame", "key"), [
    (customers(19), "preprocess.error.too_few_rows"),
    (customers().assign(**{"Churn?": "False."}), "preprocess.error.single_class"),
    (customers().assign(**{"Churn?": None}), "preprocess.error.target_all_missing"),
    (customers().assign(**{"Churn?": ["True."] + ["False."] * 199}), "preprocess.error.single_example_class"),
])
def test_bad_targets_are_refused_with_a_clear_message(frame, key):
    with pytest.raises(UserError) as err:
        make_split(frame, "stratified", target="Churn?", problem_type="binary")
    assert err.value.key == key


def test_stratifying_a_regression_target_is_refused():
    df = customers().assign(price=range(200))
    with pytest.raises(UserError) as err:
        make_split(df, "stratified", target="price", problem_type="regression")
    assert err.value.key == "preprocess.error.stratify_needs_target"


def test_a_split_refuses_other_data():
    df = customers()
    split = make_split(df, "random")
    changed = df.assign(Calls=df["Calls"] + 1)
    with pytest.raises(UserError) as err:
        split.parts(changed)
    assert err.value.key == "preprocess.error.split_stale"


# ---------------------------------------------------------------- stored versions


def test_saved_versions_are_numbered_and_keep_their_test_rows(store):
    project = projects.create_project(store, "Churn")
    df = customers()
    datasets.add_dataset_version(store, project.id, df, source={"kind": "test"})
    recipe = churn_recipe()
    first = save_recipe_version(store, project.id, recipe, created_by="ana")
    recipe.drop("Phone", "analyze.reason.id_like")
    second = save_recipe_version(store, project.id, recipe, created_by="ana")
    assert (first.number, second.number) == (1, 2)
    assert second.split.test_index == first.split.test_index  # editing the recipe keeps the test set
    latest = latest_recipe(store, project.id)
    assert latest.number == 2 and latest.recipe.dropped() == ["Phone"]
    counts = get_counts_df(df, latest.recipe, latest.split).set_index("set")
    assert counts.loc["test", "before"] == len(first.split.test_index)
    recipe.split.seed = 99
    assert save_recipe_version(store, project.id, recipe).split.test_index != first.split.test_index


def test_saving_a_recipe_that_drops_every_feature_is_refused(store):
    project = projects.create_project(store, "Tiny")
    datasets.add_dataset_version(store, project.id, customers()[["Phone", "Churn?"]], source={"kind": "test"})
    recipe = churn_recipe()
    recipe.drop("Phone")
    with pytest.raises(UserError) as err:
        save_recipe_version(store, project.id, recipe)
    assert err.value.key == "preprocess.error.no_features"
    assert latest_recipe(store, project.id) is None
