"""Step 6 core on the session's tiny run: the threshold comes from validation rows only, the evaluation end to end."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from core.errors import UserError
from core.evaluate import check_classes, check_columns, evaluate_run, load_eval_data
from core.evaluate import threshold as th
from core.evaluate.checklist import get_checklist_df, get_reviews_df, record_comment, record_direction, record_item
from core.evaluate.performance import measure
from core.evaluate.slices import fairness_gaps, get_fairness_df, get_robustness_df, get_slices_df
from core.evaluate.validation import OOF, ValidationSet, validation_set
from core.evaluate.verdict import GO, INCOMPLETE, NO_GO
from core.value import CostMatrix


# ---------------------------------------------------------------- the threshold


def _validation(y: np.ndarray, p: np.ndarray) -> ValidationSet:
    """Validation rows with churn labels and P(True.) = ``p``."""
    labels = pd.Series(np.where(y == 1, "True.", "False."))
    return ValidationSet(labels, pd.DataFrame({"False.": 1 - p, "True.": p}), None, OOF)


def test_threshold_search_finds_the_known_optimum(churn_run, monkeypatch):
    data = load_eval_data(churn_run.store, churn_run.run_id)
    y = np.array([0] * 80 + [1] * 20)
    p = np.concatenate([np.linspace(0.0, 0.29, 80), np.linspace(0.30, 0.6, 20)])  # separable at 0.30
    monkeypatch.setattr(th, "validation_set", lambda _data: _validation(y, p))
    result = th.choose_threshold(data)
    # every threshold in (0.29, 0.30] has zero missed churners and no false alarm; ties go nearest 0.5
    assert result.chosen == pytest.approx(0.30) and result.chosen_validation_cost == pytest.approx(500 * 20 / 100)


def test_the_test_set_is_never_used_to_choose_the_threshold(churn_run):
    data = load_eval_data(churn_run.store, churn_run.run_id)
    val = validation_set(data)
    assert val.source == OOF and val.rows == 160  # every training row, predicted out of fold
    result = th.choose_threshold(data)
    flipped = replace(data, y_test=data.y_test.map({"True.": "False.", "False.": "True."}))
    flipped.__dict__.pop("scores", None)
    again = th.choose_threshold(flipped)
    assert again.chosen == result.chosen  # the test labels changed, the choice did not
    assert again.chosen_view["cost_per_case"] != result.chosen_view["cost_per_case"]  # …but the measured cost did
    # the workshop's story on this tiny run: far over budget at 0.5, much cheaper at the chosen threshold
    assert result.chosen < 0.5 and result.chosen_view["cost_per_case"] < result.default_view["cost_per_case"]
    view = result.threshold_view(0.2)
    assert {"cost_per_case", "precision", "recall", "tp", "fp", "fn", "tn"} <= set(view)
    assert view["tp"] + view["fp"] + view["fn"] + view["tn"] == len(data.y_test)


def test_bad_cost_matrices_and_inputs_give_clear_messages(churn_run):
    data = load_eval_data(churn_run.store, churn_run.run_id)
    zero = replace(data, goal=replace(data.goal, cost_matrix=CostMatrix()))
    with pytest.raises(UserError) as err:
        th.choose_threshold(zero)
    assert err.value.key == "evaluate.error.cost_all_zero"
    with pytest.raises(UserError) as err:
        th.choose_threshold(replace(data, goal=replace(data.goal, cost_matrix=None)))
    assert err.value.key == "evaluate.error.no_cost_matrix"
    with pytest.raises(UserError) as err:
        check_columns(list(data.X_test.columns), data.X_test.drop(columns=["Day Mins", "State"]))
    assert err.value.key == "evaluate.error.missing_columns" and "Day Mins" in err.value.message("en")
    with pytest.raises(UserError) as err:
        check_classes(pd.Series(["True.", "Maybe."]), data.class_labels)
    assert err.value.key == "evaluate.error.unseen_class" and "Maybe." in err.value.message("ja")
    assert "evaluate.warning.one_class_predictions" in measure(data, threshold=1.01).warnings


# ---------------------------------------------------------------- verdict


def test_evaluate_run_end_to_end(churn_run):
    ev = evaluate_run(churn_run.store, churn_run.run_id)
    assert ev.threshold is not None and ev.threshold_in_use == ev.threshold.chosen
    # measured value from measured quantities only: today's practice (act on no one) against the model, × cases
    assert ev.value.practice == "act_none" and ev.value.cases == 10_000
    assert ev.value.today_cost == pytest.approx(200_000 * 10 / 40)  # acting on nobody misses all 10 churners
    assert ev.value.model_cost == ev.cost_per_case == ev.decision.model_test_cost
    assert ev.value.measured_value == pytest.approx((ev.value.today_cost - ev.cost_per_case) * 10_000)
    assert ev.value.measured_roi.value_per_day == pytest.approx(ev.value.measured_value / (365 / 12))
    assert ev.speed.latency_ms > 0 and ev.speed.throughput > 0 and ev.speed.kind == "batch"
    kinds = [c.kind for c in ev.verdict.criteria]
    assert kinds == ["metric_min", "max_cost_per_case", "beats_no_model", "speed_batch", "break_even"]
    assert ev.verdict.overall in (GO, NO_GO, INCOMPLETE)
    assert ev.baselines["is_baseline"].sum() == 2 and ev.baselines["is_chosen"].sum() == 1


# ---------------------------------------------------------------- where it fails, reviews


def test_slices_fairness_and_robustness(churn_run):
    data = load_eval_data(churn_run.store, churn_run.run_id)
    df = get_slices_df(data, "Int'l Plan", "recall", 0.3)
    assert df["rows"].sum() == len(data.y_test) and set(df.columns) >= {"value", "overall", "flagged"}
    binned = get_slices_df(data, "Day Mins", "accuracy")
    assert len(binned) == 4  # quantile bins of a numeric column
    fair = get_fairness_df(data, "Area Code", 0.3)
    assert fair["rows"].sum() == len(data.y_test)
    assert set(fairness_gaps(fair)) == {"groups", "positive_rate_gap", "recall_gap", "positive_rate_ratio"}
    robust = get_robustness_df(data, ["Day Mins", "State"], "roc_auc")
    assert list(robust["column"]) == ["Day Mins", "State"] and robust["value"].notna().all()
    with pytest.raises(UserError):
        get_slices_df(data, "no such column", "recall")


def test_checklist_and_reviews_are_stored(churn_run):
    store, pid = churn_run.store, churn_run.project_id
    record_item(store, pid, "service.endpoint", "passed", reviewer="Dev", role="devops_engineer", comment="200 OK")
    record_direction(store, pid, "CustServ Calls", "agree", reviewer="Eri", role="domain_expert", comment="known")
    record_comment(store, pid, "Looks sensible", reviewer="Eri", role="domain_expert")
    check = get_checklist_df(store, pid, "ja").set_index("id")
    assert check.loc["service.endpoint", "status"] == "passed" and check.loc["service.endpoint", "reviewer"] == "Dev"
    assert check.loc["system.legal", "status"] == "open"
    recorded = get_reviews_df(store, pid, "en")
    assert {"direction:CustServ Calls", "model_comment", "service.endpoint"} <= set(recorded["subject"])
    with pytest.raises(UserError):
        record_item(store, pid, "service.endpoint", "passed", reviewer="")
