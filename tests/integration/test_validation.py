"""Validation follows the split, through the real worker: a time split and a group split on tiny runs.

A time split: no validation row is earlier than a training row of the model that predicted it,
and Step 6's validation predictions come from that model. A group split: no group on both sides,
shown by a nearest-neighbour model that would recognise its group if it could. The plans, folds
and refusals without training are in ``tests/unit/test_validation.py``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.db import Store
from core.explain import members
from core.preprocess import Recipe, SplitSettings, TargetSpec
from core.preprocess.transform import parse_dates
from core.store import runs
from core.train import TrainSettings, start_training
from core.train.paths import MODEL_NAME, run_dir
from core.train.validation import FOLD_COLUMN
from tests.helpers import TINY, poll_run, project_with_recipe


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
    pid = project_with_recipe(store, "Daily", df, recipe)
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
    pid = project_with_recipe(store, "Shops", df, recipe)
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
