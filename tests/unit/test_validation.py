"""Validation follows the split: time splits validate on later rows only, group splits keep groups apart.

The plans and folds are checked directly; two tiny runs go through the real worker: a time split
(no validation row is earlier than a training row of the model that predicted it, and Step 6's
validation predictions come from that model) and a group split (no group on both sides, shown
by a nearest-neighbour model that would recognise its group if it could). Bad input (one
group, one date, one class late in the period) is refused before a run is stored.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.db import Store
from core.errors import UserError
from core.explain import members
from core.i18n import t
from core.preprocess import Recipe, SplitSettings, TargetSpec, make_split, save_recipe_version
from core.preprocess.transform import parse_dates
from core.store import datasets, projects, runs
from core.store.paths import project_dir
from core.train import TrainSettings, start_training
from core.train.paths import MODEL_NAME, run_dir
from core.train.validation import (
    FOLD_COLUMN,
    group_folds,
    latest_cutoff,
    plan_validation,
    prepare_validation,
    split_keys,
)
from core.train.settings import fit_arguments
from tests.helpers import poll_run

TINY = {"GBM": {"num_boost_round": 20}}
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


# ---------------------------------------------------------------- through the worker


def _project(store: Store, name: str, df: pd.DataFrame, recipe: Recipe) -> int:
    project = projects.create_project(store, name)
    datasets.add_dataset_version(store, project.id, df, source={"kind": "test"})
    save_recipe_version(store, project.id, recipe)
    return project.id


def _daily(n: int = 240) -> pd.DataFrame:
    """Dated rows in shuffled order; the label follows ``x`` with noise, both classes every month."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=n)
    return pd.DataFrame({
        "day": (pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 120, n), unit="D")).strftime("%Y-%m-%d"),
        "x": x, "noise": rng.normal(size=n), "churn": np.where(x + rng.normal(scale=0.7, size=n) > 0.3, "yes", "no"),
    })


def _load(store: Store, run: runs.RunInfo):
    from autogluon.tabular import TabularPredictor

    return TabularPredictor.load(str(run_dir(store, run.project_id, run.id) / MODEL_NAME),
                                 require_py_version_match=False)


def test_a_time_split_validates_only_on_rows_later_than_what_each_model_learned(sqlite_store: Store):
    from core.evaluate.data import load_eval_data
    from core.evaluate.validation import validation_set

    store, df = sqlite_store, _daily()
    recipe = Recipe(target=TargetSpec("churn", "binary", "yes"), split=SplitSettings("time", 0.2, 42, "day"))
    pid = _project(store, "Daily", df, recipe)
    run_id = start_training(store, pid, TrainSettings(hyperparameters=TINY, time_limit=30), "ana")
    run = poll_run(store, run_id, timeout=120)[-1]
    assert run.status == runs.SUCCEEDED, run.error
    info = run.record["validation"]
    assert (info["kind"], info["column"], info["reason_key"]) == ("holdout_latest", "day", "train.validation.why.time")

    times = parse_dates(df["day"])
    predictor = _load(store, run)
    learned, _ = predictor.load_data_internal("train", return_y=True)
    validated, _ = predictor.load_data_internal("val", return_y=True)
    test_rows = set(store_split(store, pid).test_index)
    assert not (set(learned.index) | set(validated.index)) & test_rows
    assert times[validated.index].min() > times[learned.index].max()  # no validation row earlier than a training row
    assert times[validated.index].min() == pd.Timestamp(info["cutoff"])
    assert len(validated) == info["rows"] == run.metrics["validation_rows"]
    assert info["train_rows"] == len(learned)

    best = run.metrics["best_model"]  # retrained on every training row after validation …
    assert best.endswith("_FULL") and info["refit_parents"][best] == predictor._trainer.get_refit_full_parent(best)
    parent = info["refit_parents"][best]
    board = {r["model"]: r for r in run.leaderboard}
    assert parent not in board and board[best]["refit_of"] == parent
    assert board[best]["score_val"] == pytest.approx(predictor.leaderboard(silent=True)
                                                     .set_index("model").loc[parent, "score_val"])
    # … so Step 6's validation predictions come from the model that never saw those rows
    val = validation_set(load_eval_data(store, run_id))
    proba, source = val.proba["yes"].to_numpy(), val.source
    from_parent = predictor._trainer.predict_proba(validated, model=parent)
    from_refit = predictor._trainer.predict_proba(validated, model=best)
    assert source == "validation" and list(val.y.index) == list(validated.index)
    assert np.allclose(proba, np.asarray(from_parent).reshape(len(validated), -1)[:, -1])
    assert not np.allclose(proba, np.asarray(from_refit).reshape(len(validated), -1)[:, -1])
    # explanations take apart the refit ensemble into the refit members it predicts with
    ensemble = next(r["model"] for r in run.leaderboard if r["family"] == "ensemble")
    units = {u.member for u in members.plan(predictor._trainer, ensemble, "binary").units}
    assert units and all(u.endswith("_FULL") for u in units)


def store_split(store: Store, project_id: int):
    from core.preprocess import latest_recipe

    return latest_recipe(store, project_id).split


def _clustered(n_groups: int = 30, per_group: int = 8) -> pd.DataFrame:
    """Each shop's rows sit close together and share one random label: only its own rows predict it."""
    rng = np.random.default_rng(4)
    centre = rng.normal(scale=10, size=(n_groups, 2))
    label = rng.permutation(np.arange(n_groups) % 2)
    g = np.repeat(np.arange(n_groups), per_group)
    return pd.DataFrame({"shop": [f"s{i:02d}" for i in g], "a": centre[g, 0] + rng.normal(scale=0.1, size=g.size),
                         "b": centre[g, 1] + rng.normal(scale=0.1, size=g.size),
                         "bought": np.where(label[g] == 1, "yes", "no")}).sample(frac=1, random_state=0)


def test_a_group_split_keeps_every_group_on_one_side_of_each_fold(sqlite_store: Store):
    store, df = sqlite_store, _clustered().reset_index(drop=True)
    recipe = Recipe(target=TargetSpec("bought", "binary", "yes"),
                    split=SplitSettings("group", 0.2, 42, group_column="shop"))
    recipe.drop("shop")
    pid = _project(store, "Shops", df, recipe)
    models = {"KNN": {"weights": "uniform", "n_neighbors": 3}}
    run_id = start_training(store, pid, TrainSettings(hyperparameters=models, time_limit=30), "ana")
    run = poll_run(store, run_id, timeout=120)[-1]
    assert run.status == runs.SUCCEEDED, run.error
    info = run.record["validation"]
    assert (info["kind"], info["column"], info["folds"]) == ("oof_groups", "shop", 5)
    assert info["groups"] == df.loc[store_split(store, pid).train_index(), "shop"].nunique()

    predictor = _load(store, run)
    assert predictor._learner.groups == FOLD_COLUMN and FOLD_COLUMN not in predictor.features()
    knn = next(r["model"] for r in run.leaderboard if r["family"] == "nearest_neighbors")
    assert len(predictor._trainer.load_model(knn).models) == 5
    learned, y = predictor.load_data_internal("train", return_y=True)
    oof = predictor.predict_proba_oof(model=knn)["yes"]
    truth = df.loc[learned.index, "bought"] == "yes"
    # Random folds would leave each row's own shop among its neighbours (accuracy near 1.0);
    # group folds leave only other shops, whose labels are random: about a coin toss.
    assert ((oof >= 0.5) == truth).mean() < 0.75
    in_sample = predictor.predict(learned, model=knn) == df.loc[learned.index, "bought"]
    assert in_sample.mean() > 0.9  # the model does recognise a shop it has seen


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
        pid = _project(store, name, df, recipe)
        with pytest.raises(UserError) as err:
            start_training(store, pid, TrainSettings(hyperparameters=TINY, time_limit=10), "ana")
        assert err.value.key == key, err.value.message("en")
        _clear(err.value)
        assert runs.list_runs(store, pid) == []
        assert not (project_dir(store, pid) / "runs").exists()
