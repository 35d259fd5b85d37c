"""Decisions in money on real tiny runs: the verdict compares the model with no-model policies.

The exact rules against brute force, without a model, are in ``tests/unit/test_decisions.py``.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from itertools import product

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import delete

from core import models as m
from core.db import open_store
from core.errors import UserError
from core.evaluate import evaluate_run, load_eval_data
from core.evaluate.decision import decided_test_labels
from core.evaluate.money import get_class_money_df
from core.evaluate.record import current_decision, ensure_decision, record_decision
from core.evaluate.validation import validation_set
from core.evaluate.verdict import GO, NO_GO, verdict_paragraph
from core.preprocess import Recipe, TargetSpec, save_recipe_version
from core.predict import decision_rule, promote_run, score_batch, score_rows
from core.predict.model import load_model, resolve_model
from core.predict.scoring import features_for
from core.store import datasets, decisions, goals, projects
from core.store import predictions as store_p
from core.store.test_reports import list_test_reports
from core.train import TrainSettings, start_training
from core.train.paths import MODEL_NAME, run_dir
from core.value import AcceptanceCriteria, BusinessGoal, CostMatrix, Preconditions, RegressionCostSpec
from core.value.decisions import ClassCosts, QuantityCosts
from core.value.goal import Practice
from tests.helpers import TINY, wait_for_run

WORKSHOP = CostMatrix(tp=500, fp=500, fn=200_000, tn=0)


# ---------------------------------------------------------------- the verdict on a half-churn dataset


def half_churn_rows(n: int = 1200, seed: int = 7) -> pd.DataFrame:
    """Customers of whom about half churn, none with a churn risk below 2% (the audit's situation).

    With the workshop's costs a missed churner costs 400 times the incentive, so every customer
    is worth the incentive: acting on everyone is the best decision and no model can beat it.
    With misses at 2,000 yen the low-risk customers are worth skipping, which a model can find.
    """
    rng = np.random.default_rng(seed)
    usage = rng.normal(0, 1, n)
    risk = 0.02 + 0.96 / (1 + np.exp(-5 * usage))
    return pd.DataFrame({"usage_drop": usage.round(3), "tenure": rng.integers(1, 72, n),
                         "plan": rng.choice(["basic", "plus", "pro"], n),
                         "churn": np.where(rng.uniform(size=n) < risk, "yes", "no")})


@pytest.fixture(scope="session")
def half_churn(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201 - (store, project id, run id)
    """A tiny model trained on :func:`half_churn_rows`."""
    root = tmp_path_factory.mktemp("half_churn")
    store = open_store(f"sqlite:///{root / 'studio.db'}", artefacts=root / "artefacts")
    df = half_churn_rows()
    project = projects.create_project(store, "Half churn")
    datasets.add_dataset_version(store, project.id, df, source={"kind": "test"})
    save_recipe_version(store, project.id, Recipe(target=TargetSpec("churn", "binary", "yes")), created_by="ana")
    run_id = start_training(store, project.id, TrainSettings(hyperparameters=TINY, time_limit=30), "ana")
    wait_for_run(store, run_id)
    return store, project.id, run_id


def _goal(matrix: CostMatrix, budget: float) -> BusinessGoal:
    return BusinessGoal(cost_matrix=matrix, acceptance=AcceptanceCriteria(max_cost_per_case=budget),
                        preconditions=Preconditions("binary"), practice=Practice("act_none", 10_000, "month"))


def test_half_churners_with_the_workshop_costs_need_no_model(half_churn) -> None:
    store, project_id, run_id = half_churn
    goals.save_goal(store, project_id, _goal(WORKSHOP, 500).to_dict())
    ev = evaluate_run(store, run_id, with_speed=False)
    assert ev.verdict.overall == NO_GO
    assert ev.verdict.reasons[0].key == "evaluate.reason.no_model"
    assert ev.verdict.reasons[0].params["policy"] == "act_all"
    act_all = ev.decision.policy("act_all")
    assert act_all.test_cost == pytest.approx(500.0) and not act_all.beaten
    for lang in ("en", "ja"):
        text = verdict_paragraph(ev.verdict, lang, "JPY")
        assert "¥500" in text.replace("￥", "¥") and "evaluate." not in text
    assert "act on everyone" in verdict_paragraph(ev.verdict, "en", "JPY")


def test_the_same_data_with_milder_misses_is_a_go(half_churn) -> None:
    store, project_id, run_id = half_churn
    goals.save_goal(store, project_id, _goal(CostMatrix(tp=500, fp=500, fn=2_000, tn=0), 400).to_dict())
    ev = evaluate_run(store, run_id, with_speed=False)
    assert ev.decision.beats_all, ev.decision.to_dict()
    assert ev.verdict.overall == GO, ev.verdict.to_dict()
    assert ev.cost_per_case <= 400 and ev.decision.value_added > 0
    assert ev.value.measured_value == pytest.approx((ev.value.today_cost - ev.cost_per_case) * 10_000)
    assert ev.value.today_cost == pytest.approx(2_000 * (ev.data.y01() == 1).mean())  # act on no one: every churner missed


def test_the_threshold_is_chosen_on_validation_rows_only(half_churn) -> None:
    store, _project_id, run_id = half_churn
    data = load_eval_data(store, run_id)
    data = replace(data, goal=_goal(CostMatrix(tp=500, fp=500, fn=2_000, tn=0), 400))
    first = evaluate_run(store, run_id, data=data, with_speed=False)
    flipped = replace(data, y_test=data.y_test.map({"yes": "no", "no": "yes"}))
    for cached in ("scores", "proba", "predicted"):
        flipped.__dict__.pop(cached, None)
    again = evaluate_run(store, run_id, data=flipped, with_speed=False)
    assert again.decision.rule["threshold"] == first.decision.rule["threshold"]
    assert again.decision.model_test_cost != first.decision.model_test_cost


def test_every_cell_combination_of_a_small_matrix_prices_policies(half_churn) -> None:
    """Act on everyone and on no one are priced exactly from the counts, for any matrix."""
    store, _project_id, run_id = half_churn
    data = load_eval_data(store, run_id)
    y = data.y01()
    for tp, fp, fn in product((0, 100), (500,), (1_000, 3_000)):
        matrix = CostMatrix(tp=tp, fp=fp, fn=fn, tn=0)
        ev = evaluate_run(store, run_id, data=replace(data, goal=_goal(matrix, 10_000)), with_speed=False)
        assert ev.decision.policy("act_all").test_cost == pytest.approx(tp * y.mean() + fp * (1 - y.mean()))
        assert ev.decision.policy("act_none").test_cost == pytest.approx(fn * y.mean())


def test_predict_uses_the_stored_decision_without_a_report_across_a_restart_until_the_goal_changes(half_churn):
    store, project_id, run_id = half_churn
    goals.save_goal(store, project_id, _goal(CostMatrix(tp=500, fp=500, fn=2_000, tn=0), 400).to_dict())
    stored = record_decision(store, evaluate_run(store, run_id, with_speed=False), by="Test page")
    assert list_test_reports(store, project_id, run_id) == []  # nobody generated a report
    restarted = open_store(store.engine.url.render_as_string(hide_password=False), artefacts=store.artefacts)
    try:
        rule = decision_rule(restarted, project_id)
        assert (rule.source, rule.decision_id, rule.stale) == ("test_step", stored.id, False)
        assert rule.value == pytest.approx(stored.threshold) and stored.threshold != 0.5
        rows = half_churn_rows(60, seed=99).drop(columns=["churn"])
        batch = store_p.get_batch(restarted, score_batch(restarted, project_id, rows, created_by="op"))
        preds = store_p.load_predictions_df(restarted, batch.id)
        assert (preds["decision"] == np.where(preds["probability"] >= stored.threshold, "yes", "no")).all()
        assert batch.source["decision"]["decision_id"] == stored.id
        edited = _goal(CostMatrix(tp=500, fp=500, fn=2_000, tn=0), 350)  # the sponsor tightens the budget
        goals.save_goal(restarted, project_id, edited.to_dict())
        state = current_decision(restarted, run_id)
        assert state.info.id == stored.id and state.stale and decision_rule(restarted, project_id).stale
        fresh = ensure_decision(restarted, run_id, refresh_stale=True)
        assert fresh.info.id != stored.id and not fresh.stale
    finally:
        restarted.engine.dispose()


def test_a_run_that_cannot_be_evaluated_is_never_promoted_silently(half_churn, tmp_path):
    store, project_id, run_id = half_churn
    folder = run_dir(store, project_id, run_id) / MODEL_NAME
    backup = tmp_path / "model"
    shutil.copytree(folder, backup)
    with store.sessions.begin() as session:  # forget the run's decisions, then lose its model files
        session.execute(delete(m.Decision).where(m.Decision.run_id == run_id))
    shutil.rmtree(folder)
    try:
        with pytest.raises(UserError) as err:
            promote_run(store, run_id, by="pm")
        assert err.value.key == "train.error.model_files_missing" and decisions.latest_decision(store, run_id) is None
    finally:
        shutil.copytree(backup, folder)


# ---------------------------------------------------------------- multiclass and regression end to end


def _trained(tmp_path_factory: pytest.TempPathFactory, name: str, df: pd.DataFrame, target: TargetSpec):
    root = tmp_path_factory.mktemp(name)
    store = open_store(f"sqlite:///{root / 'studio.db'}", artefacts=root / "artefacts")
    project = projects.create_project(store, name)
    datasets.add_dataset_version(store, project.id, df, source={"kind": "test"})
    recipe = Recipe(target=target)
    recipe.split.strategy = "random" if target.problem_type == "regression" else "stratified"
    save_recipe_version(store, project.id, recipe, created_by="ana")
    run_id = start_training(store, project.id, TrainSettings(hyperparameters=TINY, time_limit=30), "ana")
    wait_for_run(store, run_id)
    return store, project.id, run_id


def tiers(n: int = 600, seed: int = 5) -> pd.DataFrame:
    """Support tickets routed to three tiers by a noisy severity score."""
    rng = np.random.default_rng(seed)
    severity = rng.normal(0, 1, n)
    noisy = severity + rng.normal(0, 0.7, n)
    tier = np.select([noisy < -0.5, noisy < 0.7], ["low", "mid"], default="high")
    return pd.DataFrame({"severity": severity.round(3), "channel": rng.choice(["mail", "phone"], n), "tier": tier})


def demand(n: int = 600, seed: int = 6) -> pd.DataFrame:
    """Daily units sold: a price effect plus skewed noise."""
    rng = np.random.default_rng(seed)
    price = rng.uniform(80, 120, n)
    units = np.maximum(0, 300 - 2 * price + rng.gamma(2, 10, n)).round()
    return pd.DataFrame({"price": price.round(1), "weekday": rng.integers(0, 7, n), "units": units})


@pytest.fixture(scope="session")
def multiclass_run(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    return _trained(tmp_path_factory, "tiers", tiers(), TargetSpec("tier", "multiclass"))


@pytest.fixture(scope="session")
def regression_run(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    return _trained(tmp_path_factory, "demand", demand(), TargetSpec("units", "regression"))


TIER_COSTS = ClassCosts(["low", "mid", "high"], [[0, 2, 10], [1, 0, 4], [8, 3, 0]])


def test_multiclass_decisions_are_least_expected_cost_and_priced_against_always_one_class(multiclass_run):
    store, project_id, run_id = multiclass_run
    goal = BusinessGoal(class_costs=TIER_COSTS, preconditions=Preconditions("multiclass"),
                        acceptance=AcceptanceCriteria(max_cost_per_case=5.0), practice=Practice("always:mid", 300, "day"))
    goals.save_goal(store, project_id, goal.to_dict())
    ev = evaluate_run(store, run_id, with_speed=False)
    decision = ev.decision
    assert decision.rule["kind"] == "expected_cost"
    assert {p.policy for p in decision.policies} == {"always:low", "always:mid", "always:high"}
    labels = [str(c) for c in ev.data.class_labels]
    costs = TIER_COSTS.array(labels)
    proba = ev.data.proba[ev.data.class_labels].to_numpy()
    brute = [labels[int(np.argmin([sum(row[a] * costs[a, d] for a in range(3)) for d in range(3)]))] for row in proba]
    assert decided_test_labels(ev.data, decision).astype(str).tolist() == brute
    money = get_class_money_df(ev.data, decision)
    assert money["count"].sum() == len(ev.data.y_test)
    assert money["total_cost"].sum() / len(ev.data.y_test) == pytest.approx(decision.model_test_cost)
    budget = next(c for c in ev.verdict.criteria if c.kind == "max_cost_per_case")
    assert budget.passed is not None and budget.actual == pytest.approx(decision.model_test_cost)  # it is measured
    assert ev.value.today_cost == pytest.approx(decision.policy("always:mid").test_cost)
    rows = tiers(20, seed=50).drop(columns=["tier"])
    scored = score_rows_for(store, project_id, rows)
    model = load_model(store, resolve_model(store, project_id))
    proba = model.predictor().predict_proba(features_for(model, rows), model=model.info.model_name)
    expected = np.asarray(proba.columns)[np.argmin(proba.to_numpy() @ TIER_COSTS.array(list(proba.columns)), axis=1)]
    assert scored["decision"].tolist() == [str(v) for v in expected]


def score_rows_for(store, project_id: int, rows: pd.DataFrame) -> pd.DataFrame:  # noqa: ANN001
    """What the what-if and a batch decide for ``rows`` (the stored decision's rule)."""
    return score_rows(store, project_id, rows, reasons=False)


def test_multiclass_without_a_cost_table_says_what_is_missing(multiclass_run):
    store, project_id, run_id = multiclass_run
    goal = BusinessGoal(preconditions=Preconditions("multiclass"), acceptance=AcceptanceCriteria(max_cost_per_case=5.0))
    goals.save_goal(store, project_id, goal.to_dict())
    ev = evaluate_run(store, run_id, with_speed=False)
    assert ev.decision is None and ev.decision_error.key == "evaluate.decision.no_costs_multiclass"
    assert ev.verdict.overall != GO


def test_regression_decides_the_cost_minimising_quantile_against_a_constant(regression_run):
    store, project_id, run_id = regression_run
    goal = BusinessGoal(preconditions=Preconditions("regression"), practice=Practice("", 50, "day"),
                        regression_cost=RegressionCostSpec(under_cost=4.0, over_cost=1.0, unit="units"),
                        acceptance=AcceptanceCriteria(max_cost_per_case=100.0))
    goals.save_goal(store, project_id, goal.to_dict())
    ev = evaluate_run(store, run_id, with_speed=False)
    decision = ev.decision
    val = validation_set(ev.data)
    residuals = val.y.to_numpy(dtype=float) - val.pred
    costs = QuantityCosts(under=4.0, over=1.0)
    brute = min(residuals, key=lambda s: costs.case_costs(val.y.to_numpy(dtype=float), val.pred + s).sum())
    assert decision.rule["kind"] == "quantile_shift" and decision.rule["quantile"] == pytest.approx(0.8)
    assert costs.case_costs(val.y.to_numpy(dtype=float), val.pred + decision.rule["shift"]).sum() == \
        pytest.approx(costs.case_costs(val.y.to_numpy(dtype=float), val.pred + brute).sum())
    constant = decision.policy("constant")
    assert constant.quantity == pytest.approx(np.quantile(ev.data.y_train, 0.8, method="inverted_cdf"))
    assert ev.value.practice == "constant" and ev.value.measured_value is not None
    rows = demand(10, seed=60).drop(columns=["units"])
    scored = score_rows_for(store, project_id, rows)
    shifted = scored["prediction"].astype(float) + decision.rule["shift"]
    assert np.allclose(scored["decision"].astype(float), shifted)
