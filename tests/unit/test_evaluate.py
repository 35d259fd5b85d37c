"""Step 6 core without a trained run: metrics equal scikit-learn, the verdict logic.

The threshold, the end-to-end evaluation, slices and reviews on the session's tiny run are in
``tests/integration/test_evaluate.py``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn import metrics as skm

from core.evaluate import metrics as mt
from core.evaluate.speed import Speed, check
from core.evaluate.verdict import GO, INCOMPLETE, NO_GO, build_verdict, get_verdict_df, verdict_paragraph
from core.value import AcceptanceCriteria, CostMatrix, HumanBaseline, MetricTarget

RNG = np.random.default_rng(7)
Y = RNG.integers(0, 2, 200)
P = np.clip(Y * 0.35 + RNG.uniform(0, 0.65, 200), 0, 1)


# ---------------------------------------------------------------- metrics against scikit-learn


def test_binary_metrics_equal_sklearn():
    got = mt.binary_metrics(Y, P, threshold=0.4)
    pred = (P >= 0.4).astype(int)
    assert got["accuracy"] == pytest.approx(skm.accuracy_score(Y, pred))
    assert got["precision"] == pytest.approx(skm.precision_score(Y, pred))
    assert got["recall"] == pytest.approx(skm.recall_score(Y, pred))
    assert got["f1"] == pytest.approx(skm.f1_score(Y, pred))
    assert got["roc_auc"] == pytest.approx(skm.roc_auc_score(Y, P))
    assert got["pr_auc"] == pytest.approx(skm.average_precision_score(Y, P))
    assert got["log_loss"] == pytest.approx(skm.log_loss(Y, P))
    counts = mt.confusion_counts(Y, P, 0.4)
    assert [[counts["tn"], counts["fp"]], [counts["fn"], counts["tp"]]] == skm.confusion_matrix(Y, pred).tolist()
    conf = mt.get_confusion_df(counts, CostMatrix(tp=500, fp=500, fn=200_000, tn=0))
    assert conf.set_index("cell").loc["fn", "total_cost"] == 200_000 * counts["fn"]


def test_multiclass_and_regression_metrics_equal_sklearn():
    labels = ["a", "b", "c"]
    y = pd.Series(RNG.choice(labels, 90))
    raw = RNG.uniform(size=(90, 3)) + np.eye(3)[[labels.index(v) for v in y]] * 0.5
    proba = pd.DataFrame(raw / raw.sum(axis=1, keepdims=True), columns=labels)
    got = mt.multiclass_metrics(y, proba)
    pred = np.asarray(labels)[proba.to_numpy().argmax(axis=1)]
    assert got["accuracy"] == pytest.approx(skm.accuracy_score(y, pred))
    assert got["f1_macro"] == pytest.approx(skm.f1_score(y, pred, average="macro"))
    assert got["roc_auc"] == pytest.approx(skm.roc_auc_score(y, proba.to_numpy(), multi_class="ovr"))
    yr, pr = RNG.normal(100, 10, 50), RNG.normal(100, 10, 50)
    reg = mt.regression_metrics(yr, pr)
    assert reg["rmse"] == pytest.approx(skm.root_mean_squared_error(yr, pr))
    assert reg["mae"] == pytest.approx(skm.mean_absolute_error(yr, pr))
    assert reg["r2"] == pytest.approx(skm.r2_score(yr, pr))
    assert reg["mape"] == pytest.approx(skm.mean_absolute_percentage_error(yr, pr))
    assert mt.regression_metrics(np.array([0.0, 1.0]), np.array([0.5, 1.0]))["mape"] is None  # undefined, not inf
    assert mt.binary_metrics(np.ones(5, dtype=int), np.full(5, 0.9))["roc_auc"] is None
    assert set(mt.get_metrics_df(got, "multiclass", "ja")["meaning"].str.len().gt(5))  == {True}


# ---------------------------------------------------------------- verdict


def test_verdict_logic():
    criteria = AcceptanceCriteria(metrics=[MetricTarget("Recall", "min", 0.8), MetricTarget("RMSE", "max", None)],
                                  max_cost_per_case=500, human_baseline=HumanBaseline("f1", novice=0.3))
    good = build_verdict(criteria, {"recall": 0.9, "f1": 0.5}, cost_per_case=450.0)
    assert good.overall == GO and [c.passed for c in good.criteria] == [True, True, True]
    bad = build_verdict(criteria, {"recall": 0.9, "f1": 0.5}, cost_per_case=4253.0)
    assert bad.overall == NO_GO
    unknown = build_verdict(criteria, {"f1": 0.5}, cost_per_case=450.0)
    assert unknown.overall == INCOMPLETE
    assert build_verdict(AcceptanceCriteria(), {"recall": 1.0}).overall == INCOMPLETE
    slow = Speed(latency_ms=5, throughput=10, batch_rows=1000, kind="batch", required=100.0)
    slow.passed = check(slow)
    assert build_verdict(criteria, {"recall": 0.9, "f1": 0.5}, cost_per_case=1, speed=slow).overall == NO_GO
    for lang in ("en", "ja"):
        text = verdict_paragraph(bad, lang, "JPY")
        assert text and "evaluate." not in text
        assert set(get_verdict_df(bad, lang)["status"]) == {"passed", "failed"}
