"""Cost matrix arithmetic, threshold search and regression error cost."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix

from core.errors import UserError
from core.value.costs import (CostMatrix, best_threshold, cost_per_case, regression_cost, threshold_cost_df)
from core.value.plots import plot_threshold_cost

CHURN = CostMatrix(tp=500, fp=500, fn=200_000, tn=0)


def error_key(func, *args, **kwargs) -> str:
    with pytest.raises(UserError) as info:
        func(*args, **kwargs)
    return info.value.key


# --------------------------------------------------------------------------- cost matrix


def test_churn_cost_per_case_is_exact() -> None:
    assert CHURN.cost_per_case(tp=50, fp=100, fn=20, tn=830) == 4075.0
    assert cost_per_case(CHURN, 50, 100, 20, 830) == 4075.0
    assert CHURN.total_cost(50, 100, 20, 830) == 4_075_000


def test_budget_of_500_per_customer() -> None:
    # Catching every churner with few false alarms meets the ≤ 500 yen target.
    assert CHURN.cost_per_case(tp=70, fp=30, fn=0, tn=900) == 50.0
    assert CHURN.cost_per_case(tp=68, fp=100, fn=2, tn=830) == (168 * 500 + 2 * 200_000) / 1000 == 484.0


def test_benefit_as_negative_cost() -> None:
    matrix = CostMatrix(tp=-3000, fp=500, fn=0, tn=0)
    assert matrix.cost_per_case(tp=10, fp=20, fn=5, tn=65) == (-30_000 + 10_000) / 100
    assert matrix.warnings() == []


def test_matrix_warnings() -> None:
    assert CostMatrix().warnings() == ["value.costs.all_zero"]
    assert CostMatrix(tp=100, fp=0, fn=0, tn=0).warnings() == ["value.costs.errors_not_costlier"]
    assert CHURN.warnings() == []


def test_matrix_bad_input() -> None:
    assert error_key(CostMatrix, tp=float("nan")) == "value.costs.bad_cost"
    assert error_key(CHURN.cost_per_case, 0, 0, 0, 0) == "value.costs.no_cases"
    assert error_key(CHURN.cost_per_case, -1, 0, 0, 5) == "value.costs.bad_counts"
    assert error_key(CHURN.cost_per_case, 1.5, 0, 0, 5) == "value.costs.bad_counts"


def test_matrix_round_trip() -> None:
    assert CostMatrix.from_dict(CHURN.to_dict()) == CHURN
    assert CostMatrix.from_dict({"fn": 10}) == CostMatrix(fn=10)


# --------------------------------------------------------------------------- thresholds


def test_threshold_counts_match_sklearn() -> None:
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 300)
    proba = np.clip(y * 0.3 + rng.random(300) * 0.7, 0, 1)
    df = threshold_cost_df(y, proba, CHURN, thresholds=[0.2, 0.5, 0.8])
    for _, row in df.iterrows():
        tn, fp, fn, tp = confusion_matrix(y, (proba >= row["threshold"]).astype(int), labels=[0, 1]).ravel()
        assert (row["tp"], row["fp"], row["fn"], row["tn"]) == (tp, fp, fn, tn)
        assert row["cost_per_case"] == pytest.approx(CHURN.cost_per_case(tp, fp, fn, tn))
        assert row["recall"] == pytest.approx(tp / (tp + fn))


def test_default_threshold_grid_and_edge_rows() -> None:
    y, proba = [0, 1, 1, 0], [0.1, 0.9, 0.6, 0.4]
    df = threshold_cost_df(y, proba, CHURN)
    assert len(df) == 101 and df["threshold"].iloc[0] == 0.0 and df["threshold"].iloc[-1] == 1.0
    first, last = df.iloc[0], df.iloc[-1]
    assert (first["tp"], first["fp"]) == (2, 2)       # threshold 0: everything positive
    assert (last["tp"], last["fp"]) == (0, 0) and np.isnan(last["precision"])  # nothing predicted positive


def test_best_threshold_known_optimum_and_tie_rule() -> None:
    y = [0, 0, 0, 1, 1, 1]
    proba = [0.1, 0.2, 0.35, 0.3, 0.6, 0.9]
    matrix = CostMatrix(tp=0, fp=1, fn=100, tn=0)
    # Every threshold in (0.2, 0.3] catches all positives with one false alarm (cost 1/6);
    # among those ties, 0.30 is closest to 0.5.
    threshold, cost = best_threshold(y, proba, matrix)
    assert threshold == 0.3 and cost == pytest.approx(1 / 6)


def test_all_zero_matrix_does_not_crash() -> None:
    threshold, cost = best_threshold([0, 1, 0, 1], [0.2, 0.7, 0.4, 0.9], CostMatrix())
    assert (threshold, cost) == (0.5, 0.0)


def test_lowering_the_threshold_cuts_churn_cost() -> None:
    """The workshop's lesson: at 0.5 the cost is far over budget; a lower threshold fixes it."""
    rng = np.random.default_rng(42)
    x = rng.normal(size=(4000, 3))
    y = (x @ [1.5, -1.0, 0.5] + rng.normal(scale=1.5, size=4000) > 2.5).astype(int)
    proba = LogisticRegression().fit(x[:2000], y[:2000]).predict_proba(x[2000:])[:, 1]
    df = threshold_cost_df(y[2000:], proba, CHURN).set_index("threshold")
    threshold, cost = best_threshold(y[2000:], proba, CHURN)
    assert threshold < 0.5
    assert cost < df.loc[0.5, "cost_per_case"] / 2
    assert cost <= df["cost_per_case"].min()  # the exact search is at least as good as the 0.01 grid
    assert best_threshold(y[2000:], proba, CHURN, df.index)[1] == df["cost_per_case"].min()


@pytest.mark.parametrize("y, proba, key", [
    ([0, 2], [0.1, 0.2], "value.costs.labels_not_binary"),
    ([0, 1], [0.1, 1.5], "value.costs.bad_proba"),
    ([0, 1], [0.1, float("nan")], "value.costs.bad_proba"),
    ([0, 1, 1], [0.1, 0.2], "value.costs.length_mismatch"),
    ([], [], "value.costs.no_cases"),
])
def test_threshold_bad_input(y, proba, key: str) -> None:
    assert error_key(threshold_cost_df, y, proba, CHURN) == key


def test_bad_thresholds() -> None:
    assert error_key(threshold_cost_df, [0, 1], [0.2, 0.8], CHURN, thresholds=[1.2]) == "value.costs.bad_thresholds"


def test_threshold_plot() -> None:
    df = threshold_cost_df([0, 1, 0, 1], [0.2, 0.7, 0.4, 0.9], CHURN)
    fig = plot_threshold_cost(df, chosen=0.3, currency="JPY", lang="ja", target=500)
    assert [trace.name for trace in fig.data] == ["1 件あたりのコスト", "適合率", "再現率"]
    assert fig.layout.xaxis.title.text == "しきい値"
    assert any("0.30" in (a.text or "") for a in fig.layout.annotations)


# --------------------------------------------------------------------------- regression


def test_regression_cost_per_unit_beyond_tolerance() -> None:
    result = regression_cost([100, 200, 300, 400], [110, 190, 330, 400], cost_per_unit=50, tolerance=10)
    # errors 10, 10, 30, 0 → beyond tolerance 0, 0, 20, 0 → 20 · 50 = 1000 in total
    assert result.total_cost == 1000 and result.cost_per_case == 250
    assert result.within_tolerance == 0.75 and result.mean_abs_error == 12.5


def test_regression_cost_variants() -> None:
    only_cost = regression_cost([1, 2], [2, 4], cost_per_unit=10)
    assert only_cost.cost_per_case == 15 and only_cost.within_tolerance is None
    only_tol = regression_cost([1, 2], [2, 4], tolerance=1)
    assert only_tol.cost_per_case is None and only_tol.within_tolerance == 0.5


def test_regression_cost_bad_input() -> None:
    assert error_key(regression_cost, [1], [1]) == "value.costs.regression_missing"
    assert error_key(regression_cost, [1], [1], cost_per_unit=-1) == "value.costs.regression_bad"
    assert error_key(regression_cost, [1, 2], [1], tolerance=1) == "value.costs.length_mismatch"
    assert error_key(regression_cost, [1, float("inf")], [1, 2], tolerance=1) == "value.costs.bad_values"


@pytest.mark.parametrize("bad", [None, "x", float("nan"), float("inf"), -1, 2.5])
def test_bad_confusion_counts_are_a_clear_error(bad):
    with pytest.raises(UserError) as info:
        CostMatrix(tp=0, fp=1, fn=5, tn=0).cost_per_case(bad, 1, 1, 1)
    assert info.value.key == "value.costs.bad_counts"
