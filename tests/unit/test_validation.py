"""Validation follows the split: time splits validate on later rows only, group splits keep groups apart.

The plans and folds are checked directly. Bad input (one group, one date, one class late in the
period) is refused before a run is stored. Two tiny runs through the real worker (a time split
and a group split) are in ``tests/integration/test_validation.py``.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from core.db import Store
from core.errors import UserError
from core.preprocess import Recipe, SplitSettings, TargetSpec, make_split
from core.store import runs
from core.store.paths import project_dir
from core.train import TrainSettings, start_training
from core.train.validation import group_folds, latest_cutoff, plan_validation, prepare_validation, split_keys
from core.train.settings import fit_arguments
from tests.helpers import TINY, project_with_recipe

_FIELD = re.compile(r"{\w+}")


def _split(strategy: str, **columns: str) -> dict:
    return {"strategy": strategy, "time_column": columns.get("time"), "group_column": columns.get("group")}


def _clear(error: UserError) -> None:
    """The refusal reads completely in both languages (no unfilled {field}, no raw key)."""
    for lang in ("en", "ja"):
        text = error.message(lang)
        assert text != error.key and not _FIELD.search(text), text


# ---------------------------------------------------------------- plans (no data)


def test_each_split_strategy_gets_its_own_validation():
    quick = fit_arguments(TrainSettings(), models=False)
    assert plan_validation(_split("stratified"), quick).kind == "oof_random"
    assert plan_validation(_split("random"), quick).folds == 5
    fast = fit_arguments(TrainSettings(fast_predictions=True), models=False)
    assert plan_validation(_split("random"), fast).kind == "holdout_random"

    grouped = plan_validation(_split("group", group="customer"), quick)
    assert (grouped.kind, grouped.column, grouped.folds) == ("oof_groups", "customer", 5)
    assert grouped.fit_updates == {"num_bag_folds": 5}
    best = plan_validation(_split("group", group="customer"), fit_arguments(TrainSettings(preset="best"), models=False))
    assert best.folds == 8  # AutoGluon's own best_quality folds, made of whole groups
    explainable = fit_arguments(TrainSettings(explainable_only=True), models=False)
    assert plan_validation(_split("group", group="customer"), explainable).kind == "holdout_groups"

    for settings in (TrainSettings(), TrainSettings(preset="best"), TrainSettings(fast_predictions=True)):
        timed = plan_validation(_split("time", time="day"), fit_arguments(settings, models=False))
        assert (timed.kind, timed.column, timed.refit) == ("holdout_latest", "day", True)
        assert timed.fit_updates["num_bag_folds"] == 0 and timed.fit_updates["num_stack_levels"] == 0
        assert timed.fit_updates["refit_full"] is True
    assert {"hyperparameters", "excluded_model_types"} <= set(fit_arguments(TrainSettings()))


def test_group_folds_put_every_group_in_one_fold_and_keep_both_classes():
    rng = np.random.default_rng(0)
    groups = pd.Series(rng.integers(0, 23, 400).astype(str))
    y = pd.Series(np.where(rng.random(400) < 0.3, "yes", "no"))
    folds = group_folds(groups, y, 5, seed=1)
    assert folds.nunique() == 5
    assert (pd.DataFrame({"g": groups, "f": folds}).groupby("g")["f"].nunique() == 1).all()
    assert all(set(y[folds == f]) == {"yes", "no"} for f in range(5))  # every fold can be scored
    rare = pd.Series(np.where(groups.isin(["1", "2", "3"]), "yes", "no"))  # positives in 3 groups only
    assert group_folds(groups, rare, 5).nunique() == 3
    assert group_folds(groups.head(20), None, 5).nunique() <= groups.head(20).nunique()


def test_a_group_holdout_keeps_whole_groups_apart_and_a_missing_group_is_its_own():
    rng = np.random.default_rng(2)
    raw = pd.DataFrame({"shop": rng.choice(["a", "b", "c", "d", "e", "f", "g", None], 300),
                        "y": rng.choice(["yes", "no"], 300)}, index=rng.permutation(300))
    split = _split("group", group="shop")
    keys = split_keys(split, raw, raw.index)
    assert keys[raw["shop"].isna()].is_unique and not keys.isna().any()
    explainable = fit_arguments(TrainSettings(explainable_only=True), models=False)
    prepared = prepare_validation(plan_validation(split, explainable), raw, keys, "y", "binary", seed=3)
    learned, held = set(keys[prepared.train_data.index]), set(keys[prepared.tuning_data.index])
    assert learned and held and not learned & held
    assert prepared.record["rows"] == len(prepared.tuning_data) and prepared.groups is None
    assert prepared.record["train_rows"] + prepared.record["rows"] == len(raw)


def test_the_latest_part_never_splits_a_date_and_is_about_a_fifth():
    days = pd.Series(pd.to_datetime("2024-01-01") + pd.to_timedelta(np.repeat(np.arange(50), 4), unit="D"))
    cutoff = latest_cutoff(days)
    assert cutoff == pd.Timestamp("2024-02-10")  # the last 10 of 50 days
    assert (days >= cutoff).mean() == pytest.approx(0.2)
    skewed = pd.Series(pd.to_datetime(["2024-01-01"] * 90 + ["2024-01-02"] * 10))
    assert latest_cutoff(skewed) == pd.Timestamp("2024-01-02")  # never every row


def _timed(n: int = 120) -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(1)
    times = pd.Series(pd.to_datetime("2024-01-01") + pd.to_timedelta(rng.integers(0, 60, n), unit="D"))
    return pd.DataFrame({"x": rng.normal(size=n), "y": rng.choice(["a", "b"], n)}), times


def test_bad_time_and_group_columns_are_refused_clearly():
    quick = fit_arguments(TrainSettings(), models=False)
    train, times = _timed()
    plan = plan_validation(_split("time", time="day"), quick)
    cases = {
        "train.error.time_constant": (plan, pd.Series([times.iloc[0]] * len(times))),
        "preprocess.error.time_unparsable": (plan, times.where(np.arange(len(times)) % 3 == 0)),
        "train.error.group_one": (plan_validation(_split("group", group="shop"), quick),
                                  pd.Series(["north"] * len(train))),
    }
    for key, (case_plan, keys) in cases.items():
        with pytest.raises(UserError) as err:
            prepare_validation(case_plan, train, keys, "y", "binary")
        assert err.value.key == key
        _clear(err.value)
    late_one_class = train.assign(y=np.where(times >= latest_cutoff(times), "a", train["y"]))
    with pytest.raises(UserError) as err:
        prepare_validation(plan, late_one_class, times, "y", "binary")
    assert err.value.key == "train.error.time_one_class" and err.value.params["value"] == "a"
    _clear(err.value)
    prepared = prepare_validation(plan, train, times, "y", "binary")  # the same rows, both classes late
    assert prepared.record["rows"] + prepared.record["train_rows"] == len(train)


def test_a_split_that_leaves_one_training_group_or_date_is_refused_in_step_4():
    df = pd.DataFrame({"shop": ["a"] * 30 + ["b"] * 10, "day": ["2024-01-01"] * 30 + ["2024-02-01"] * 10,
                       "x": range(40), "y": [0, 1] * 20})
    for strategy, column, key in (("group", "shop", "preprocess.error.group_train_one"),
                                  ("time", "day", "preprocess.error.time_train_constant")):
        with pytest.raises(UserError) as err:
            make_split(df, strategy, 0.25, target="y", problem_type="binary",
                       **{f"{strategy}_column": column})
        assert err.value.key == key
        _clear(err.value)


# ---------------------------------------------------------------- refused before the worker


def test_bad_validation_input_is_refused_before_a_run_is_stored(sqlite_store: Store):
    """A recipe filter leaves one shop (or one date) for training: a clear message, no run, no folder."""
    store = sqlite_store
    shops = pd.DataFrame({"shop": [f"s{i % 5}" for i in range(100)], "x": [float(i % 5) for i in range(100)],
                          "y": [i // 5 % 2 for i in range(100)]})
    kept = float(shops.loc[make_split(shops, "group", 0.2, 0, group_column="shop").train_index(), "x"].iloc[0])
    only = [{"kind": "range", "column": "x", "lower": kept, "upper": kept, "accepted": True}]
    by_shop = Recipe(target=TargetSpec("y", "binary"), split=SplitSettings("group", 0.2, 0, group_column="shop"),
                     row_filters=only)
    days = shops.assign(day=[f"2024-01-{1 + i % 5:02d}" for i in range(100)])  # x: the day's number
    by_day = Recipe(target=TargetSpec("y", "binary"), split=SplitSettings("time", 0.2, 0, "day"),
                    row_filters=[{"kind": "range", "column": "x", "upper": 0.0, "accepted": True}])
    for name, df, recipe, key in (("Shops", shops, by_shop, "train.error.group_one"),
                                  ("Days", days, by_day, "train.error.time_constant")):
        pid = project_with_recipe(store, name, df, recipe)
        with pytest.raises(UserError) as err:
            start_training(store, pid, TrainSettings(hyperparameters=TINY, time_limit=10), "ana")
        assert err.value.key == key, err.value.message("en")
        _clear(err.value)
        assert runs.list_runs(store, pid) == []
        assert not (project_dir(store, pid) / "runs").exists()
