"""Issue 13: after training, a model too good to be true is named, and test rows beyond the training range counted.

The session's tiny regression run (``sums_run`` in ``tests/conftest.py``): the total price is the
list price plus fees, and the recipe removes the expensive houses from training.
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from core.evaluate import load_eval_data
from core.evaluate.extrapolation import get_extrapolation_df, measure_extrapolation
from core.evaluate.suspicion import check_run, feature_importance, find_suspicions, message, messages
from tests.helpers import UPPER


@pytest.fixture
def run(sums_run):  # noqa: ANN201 - (store, run id)
    return sums_run.store, sums_run.run_id


def test_two_columns_adding_up_to_the_target_are_named(run):
    store, run_id = run
    found = check_run(store, run_id)
    keys = [f["key"].rsplit(".", 1)[1] for f in found]
    assert "formula" in keys and "too_good" in keys  # the linear baseline repeats the sum: R² ≈ 1
    formula = next(f for f in found if f["key"].endswith(".formula"))
    assert set(formula["features"]) == {"List Price", "Fees"} and formula["params"]["r2"] > 0.999
    for lang in ("en", "ja"):
        text = message(formula, lang)
        assert "List Price" in text and "Fees" in text and "Total Price" in text and "{" not in text
    too_good = next(f for f in found if f["key"].endswith(".too_good"))
    assert too_good["features"][0] == "List Price" and "List Price" in messages([too_good])[0]


def test_an_honest_model_raises_nothing(run):
    store, run_id = run
    data = load_eval_data(store, run_id)
    rng = np.random.default_rng(1)
    noisy = replace(data, y_test=data.X_test["Living Area"] * 1_900 + rng.normal(0, 60_000, len(data.X_test)))
    balanced = pd.Series({"Living Area": 0.4, "List Price": 0.35, "Fees": 0.2, "Rooms": 0.05})
    assert find_suspicions(noisy, {"r2": 0.82, "rmse": 60_000.0}, balanced) == []
    dominant = find_suspicions(noisy, {"r2": 0.82}, pd.Series({"Living Area": 0.9, "Rooms": 0.1}))
    assert [f["params"]["feature"] for f in dominant] == ["Living Area"]
    assert "90%" in message(dominant[0], "en") and "Living Area" in message(dominant[0], "ja")


def test_importance_covers_every_input_and_is_cheap(run):
    store, run_id = run
    data = load_eval_data(store, run_id)
    started = time.perf_counter()
    importance = feature_importance(data)
    assert set(importance.index) == set(data.X_test.columns)
    assert importance.index[0] in ("List Price", "Fees")
    assert time.perf_counter() - started < 30  # one shuffle of at most 500 rows per feature


def test_test_rows_above_the_training_range_are_counted_with_their_error(run):
    store, run_id = run
    data = load_eval_data(store, run_id)
    ex = measure_extrapolation(data)
    y = data.y_test.to_numpy(dtype=float)
    assert ex.high <= UPPER and ex.filtered
    assert ex.above == int((y > ex.high).sum()) > 0 and ex.below == int((y < ex.low).sum())
    assert ex.rows == len(y)
    pred = np.asarray(data.scores)
    outside = (y > ex.high) | (y < ex.low)
    assert ex.outside["mae"] == pytest.approx(np.mean(np.abs(y[outside] - pred[outside])))
    assert ex.inside["rmse"] == pytest.approx(np.sqrt(np.mean((y[~outside] - pred[~outside]) ** 2)))
    table = get_extrapolation_df(ex, "ja")
    assert table["rows"].tolist() == [ex.n_outside, ex.rows - ex.n_outside]
    assert (table["rmse"] > 0).all()


def test_no_extrapolation_claim_without_a_recorded_training_range(run):
    store, run_id = run
    data = load_eval_data(store, run_id)
    assert measure_extrapolation(replace(data, run=replace(data.run, record={}))) is None
