"""Explanation kernels without a trained run: exact tree SHAP against the shap package, LightGBM categorical splits.

Explanations of the session's tiny run (the ensemble, the cache, the fallback, the background
process) are in ``tests/integration/test_explain.py``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.explain import members, treeshap


def test_kernel_matches_shap_on_a_numeric_forest():
    import shap
    from sklearn.ensemble import RandomForestRegressor

    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 5))
    X[rng.random(X.shape) < 0.05] = np.nan
    Xf = np.nan_to_num(X)
    y = Xf[:, 0] * 2 + Xf[:, 1] * Xf[:, 2] + rng.normal(size=300)
    model = RandomForestRegressor(n_estimators=15, max_depth=6, random_state=0).fit(X, y)
    forest = treeshap.from_sklearn_forest(model, 0)
    np.testing.assert_allclose(treeshap.forest_margins(forest, X[:50]), model.predict(X[:50]), atol=1e-9)
    ours, _ = treeshap.forest_shap(forest, X[:30], X[100:140], logistic=False)
    theirs = shap.TreeExplainer(model, data=X[100:140], feature_perturbation="interventional").shap_values(X[:30])
    np.testing.assert_allclose(ours, theirs, atol=1e-8)


def test_lightgbm_categorical_splits_are_exact_in_probability_space():
    import lightgbm as lgb

    rng = np.random.default_rng(1)
    n = 400
    frame = pd.DataFrame({"plan": pd.Categorical(rng.choice(list("abcdef"), n)), "minutes": rng.uniform(0, 300, n)})
    logit = (frame["plan"].isin(["b", "e"]).to_numpy() * 2.0) + frame["minutes"].to_numpy() / 100 - 2
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    booster = lgb.train({"objective": "binary", "verbose": -1, "min_data_per_group": 5, "cat_smooth": 1},
                        lgb.Dataset(frame, y), num_boost_round=20)
    forest = treeshap.from_lightgbm(booster)
    X = members._category_codes(frame, booster.pandas_categorical)
    assert np.abs(treeshap.forest_margins(forest, X) - booster.predict(frame, raw_score=True)).max() < 1e-9
    phi, _ = treeshap.forest_shap(forest, X[:40], X[200:260], logistic=True)
    base = (1 / (1 + np.exp(-treeshap.forest_margins(forest, X[200:260])))).mean()
    np.testing.assert_allclose(base + phi.sum(axis=1), booster.predict(frame.iloc[:40]), atol=1e-9)
