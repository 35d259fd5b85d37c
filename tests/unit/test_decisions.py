"""Decisions in money without a trained model: exact rules equal brute force, on binary, multiclass and quantities.

The verdict against the no-model policies, the stored decision across a restart, and multiclass and
regression decisions on real tiny runs are in ``tests/integration/test_decisions.py``.
"""

from __future__ import annotations

import numpy as np
import pytest

from core.errors import UserError
from core.value import CostMatrix
from core.value.costs import best_threshold_exact, threshold_costs
from core.value.decisions import (ClassCosts, QuantityCosts, best_constant, best_shift, binary_case_costs,
                                  class_case_costs, implied_threshold, least_cost_decisions, mean_interval)
from core.value.goal import Practice

WORKSHOP = CostMatrix(tp=500, fp=500, fn=200_000, tn=0)


def _brute_force_threshold(y: np.ndarray, p: np.ndarray, matrix: CostMatrix) -> float:
    """The lowest cost per case over every threshold that changes a decision, one loop per threshold."""
    best = np.inf
    for t in list(np.unique(p)) + [np.inf]:
        best = min(best, float(np.mean(binary_case_costs(y, p >= t, matrix))))
    return best


# ---------------------------------------------------------------- binary


@pytest.mark.parametrize("seed", range(5))
def test_exact_threshold_equals_brute_force(seed: int) -> None:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, 400)
    p = np.clip(y * rng.uniform(0, 0.6, 400) + rng.uniform(0, 0.5, 400), 0, 1).round(3)  # many ties
    for matrix in (WORKSHOP, CostMatrix(tp=0, fp=1, fn=5, tn=0), CostMatrix(tp=-3000, fp=500, fn=0, tn=0)):
        threshold, cost = best_threshold_exact(y, p, matrix)
        assert cost == pytest.approx(_brute_force_threshold(y, p, matrix))
        assert np.mean(binary_case_costs(y, p >= threshold, matrix)) == pytest.approx(cost)


def test_exact_search_finds_0_0025_where_the_grid_cannot() -> None:
    """Scores built so that acting from 0.0025 upwards is best: a 0.01 grid jumps over it."""
    p = np.array([0.001] * 50 + [0.0025] * 10 + [0.005] * 10 + [0.5] * 30)
    y = np.array([0] * 50 + [1] * 2 + [0] * 8 + [1] * 3 + [0] * 7 + [1] * 30)
    threshold, cost = best_threshold_exact(y, p, WORKSHOP)
    assert threshold == pytest.approx(0.0025)
    assert cost == pytest.approx(_brute_force_threshold(y, p, WORKSHOP))
    grid = threshold_costs(y, p, WORKSHOP).set_index("threshold")["cost_per_case"]
    assert cost < grid.loc[0.01]  # the old 0.01 grid's best reachable choice above zero is worse
    assert implied_threshold(WORKSHOP) == pytest.approx(0.0025)
    assert implied_threshold(CostMatrix(tp=0, fp=0, fn=1, tn=0)) is None  # acting is free: always act


def test_bootstrap_interval_covers_the_mean_and_says_how() -> None:
    rng = np.random.default_rng(1)
    d = rng.normal(5, 20, 2000)
    interval = mean_interval(d)
    assert interval.low < d.mean() < interval.high and interval.method == "bootstrap"
    assert interval.high - interval.low == pytest.approx(2 * 1.96 * d.std() / np.sqrt(len(d)), rel=0.15)
    assert mean_interval(np.zeros(50)).to_dict() == {"mean": 0.0, "low": 0.0, "high": 0.0, "method": "exact"}
    assert mean_interval(rng.normal(1, 1, 30_000)).method == "normal"


# ---------------------------------------------------------------- multiclass


def test_least_expected_cost_equals_brute_force_on_three_classes() -> None:
    rng = np.random.default_rng(3)
    classes = ["low", "mid", "high"]
    costs = ClassCosts(classes, [[0, 2, 10], [1, 0, 4], [8, 3, 0]])
    c = costs.array(classes)
    proba = rng.dirichlet(np.ones(3), 300)
    picks = least_cost_decisions(proba, c)
    for row, pick in zip(proba, picks, strict=True):
        expected = [sum(row[a] * c[a, d] for a in range(3)) for d in range(3)]
        assert expected[pick] == pytest.approx(min(expected))
    reordered = costs.array(["high", "low", "mid"])  # the model's class order may differ from the table's
    assert reordered[0, 1] == 8 and reordered[1, 0] == 10
    actual = rng.integers(0, 3, 300)
    assert class_case_costs(actual, picks, c).sum() == sum(c[a, d] for a, d in zip(actual, picks, strict=True))


@pytest.mark.parametrize("cells, key", [
    ([[0, None], [1, 0]], "value.costs.class_cell"),
    ([[0, -1], [1, 0]], "value.costs.class_cell"),
    ([[0, "ten"], [1, 0]], "value.costs.class_cell"),
    ([[0, float("nan")], [1, 0]], "value.costs.class_cell"),
    ([[0, 1]], "value.costs.class_shape"),
])
def test_class_costs_refuse_empty_negative_and_text_cells(cells, key: str) -> None:
    with pytest.raises(UserError) as err:
        ClassCosts(["a", "b"], cells)
    assert err.value.key == key and err.value.message("ja")
    with pytest.raises(UserError) as err:
        ClassCosts(["a", "b"], [[0, 1], [1, 0]]).array(["a", "c"])
    assert err.value.key == "value.costs.class_missing" and "c" in err.value.message("en")
    assert ClassCosts.default(["x", "y", "z"]).costs == [[0, 1, 1], [1, 0, 1], [1, 1, 0]]


# ---------------------------------------------------------------- regression


def test_quantile_shift_and_constant_equal_brute_force() -> None:
    rng = np.random.default_rng(4)
    y = rng.gamma(3, 40, 500)
    pred = y + rng.normal(0, 25, 500)
    costs = QuantityCosts(under=4.0, over=1.0)
    residuals = y - pred
    shift = best_shift(residuals, costs)
    brute = min(residuals, key=lambda s: costs.case_costs(y, pred + s).sum())
    assert costs.case_costs(y, pred + shift).sum() == pytest.approx(costs.case_costs(y, pred + brute).sum())
    assert costs.quantile == pytest.approx(0.8) and shift > 0  # a stock-out costs more: order more
    constant = best_constant(y, costs)
    assert costs.case_costs(y, np.full(500, constant)).sum() == pytest.approx(
        min(costs.case_costs(y, np.full(500, c)).sum() for c in y))
    symmetric = QuantityCosts(per_unit=10.0, tolerance=15.0)
    constant = best_constant(y, symmetric)
    candidates = np.concatenate([y - 15, y + 15])
    assert symmetric.case_costs(y, np.full(500, constant)).sum() == pytest.approx(
        min(symmetric.case_costs(y, np.full(500, c)).sum() for c in candidates))
    assert best_shift(residuals, symmetric) == 0.0


def test_regression_costs_bad_input() -> None:
    for bad, key in ((QuantityCosts(under=0.0, over=0.0), "value.costs.regression_both_zero"),
                     (QuantityCosts(under=-1.0, over=2.0), "value.costs.regression_bad"),
                     (QuantityCosts(per_unit=0.0), "value.costs.regression_missing")):
        with pytest.raises(UserError) as err:
            bad.check()
        assert err.value.key == key
    with pytest.raises(UserError) as err:
        Practice(cases=0)
    assert err.value.key == "value.practice.bad_cases"
