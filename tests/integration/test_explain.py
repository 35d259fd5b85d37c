"""Explanations of the session's tiny run: local accuracy of the ensemble with categorical features, cache, fallback."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.errors import UserError
from core.evaluate import load_eval_data
from core.explain import agnostic, members, service
from core.explain.engine import explain_predictor
from core.explain.summary import get_directions_df, get_importance_df, get_row_df
from core.store import runs
from tests.helpers import wait_until


def _best(run) -> str:  # noqa: ANN001
    """The ensemble AutoGluon chose (another test may pick a different model to use for the run)."""
    return runs.get_run(run.store, run.run_id).metrics["best_model"]


def _clear_cache(run) -> None:  # noqa: ANN001
    for path in (run.store.artefacts / "projects" / str(run.project_id) / "runs" / str(run.run_id)).glob("shap_*"):
        path.unlink()


def test_ensemble_local_accuracy_with_categorical_features(churn_run):
    _clear_cache(churn_run)
    data = load_eval_data(churn_run.store, churn_run.run_id, _best(churn_run))
    assert {"State", "Area Code", "Int'l Plan"} <= set(data.X_test.columns)
    expl = service.explain_run(churn_run.store, churn_run.run_id, data=data)
    # the weighted ensemble of bagged LightGBM (categorical splits) and logistic regression, all exact
    assert expl.method == "exact" and expl.exact_share == pytest.approx(1.0)
    assert {p["method"] for p in expl.parts} <= {"tree_shap", "linear_exact", "constant"}
    assert "tree_shap" in {p["method"] for p in expl.parts}
    rebuilt = expl.base + expl.values.sum(axis=1).to_numpy()
    actual = data.predictor.predict_proba(data.X_test, model=data.model)[data.positive].to_numpy()
    assert np.abs(rebuilt - actual).max() < 1e-6
    assert list(expl.values.index) == list(data.X_test.index)  # row ids are the snapshot's row numbers
    imp = get_importance_df(expl)
    assert imp["importance"].iloc[0] > 0 and imp["share"].sum() == pytest.approx(1.0)
    directions = get_directions_df(expl, data.X_test, lang="ja")
    assert len(directions) == 8 and directions["direction"].str.len().gt(5).all()
    row = get_row_df(expl, data.X_test, data.X_test.index[0], top=5)
    assert len(row) == 6 and row["contribution"].sum() == pytest.approx(expl.values.iloc[0].sum())


def test_cache_is_reused_and_missing_rows_are_clear(churn_run, monkeypatch):
    first = service.explain_run(churn_run.store, churn_run.run_id, _best(churn_run))
    monkeypatch.setattr(service, "compute", lambda *a, **k: pytest.fail("recomputed despite the cache"))
    again = service.explain_run(churn_run.store, churn_run.run_id, _best(churn_run))
    pd.testing.assert_frame_equal(first.values, again.values, check_dtype=False)
    assert again.base == pytest.approx(first.base) and again.method == first.method
    data = load_eval_data(churn_run.store, churn_run.run_id, _best(churn_run))
    with pytest.raises(UserError) as err:
        service.explain_row(data, 10_000_000, again)
    assert err.value.key == "explain.error.row_not_found"
    phone = data.raw_test["Phone"].iloc[3]
    assert service.find_row(data, "Phone", f" {phone} ") == data.raw_test.index[3]
    with pytest.raises(UserError):
        service.find_row(data, "Phone", "000-0000-does-not-exist")


def test_permutation_fallback_handles_text_columns_and_is_labelled(churn_run, monkeypatch):
    frame = pd.DataFrame({"plan": ["gold", "silver", None, "gold", "bronze"] * 8, "calls": np.arange(40.0)})
    enc = agnostic.Encoded(frame)
    back = enc.decode(enc.encode(frame))
    assert back["plan"].tolist() == frame["plan"].tolist() and back["calls"].tolist() == frame["calls"].tolist()

    def model(df: pd.DataFrame) -> np.ndarray:
        return (df["plan"] == "gold").to_numpy() * 0.5 + df["calls"].to_numpy() / 100

    values, base, pred = agnostic.permutation_shap(model, frame.iloc[:6], frame.iloc[10:30])
    np.testing.assert_allclose(pred, model(frame.iloc[:6]), atol=1e-9)
    np.testing.assert_allclose(base + values.sum(axis=1), model(frame.iloc[:6]), atol=1e-9)

    real = members.explain_unit
    monkeypatch.setattr(members, "explain_unit", lambda unit, *a, **k: None if unit.member.startswith("LightGBM")
                        else real(unit, *a, **k))
    data = load_eval_data(churn_run.store, churn_run.run_id, _best(churn_run))
    expl = explain_predictor(data.predictor, data.model, data.X_test.iloc[:2], data.X_train.iloc[:10], max_evals=40)
    assert expl.method == "mixed" and 0 < expl.exact_share < 1
    assert "permutation" in {p["method"] for p in expl.parts}
    actual = data.scores[:2]
    assert np.abs(expl.base + expl.values.sum(axis=1).to_numpy() - actual).max() < 1e-6


def test_explanations_in_a_background_process(churn_run):
    _clear_cache(churn_run)
    data = load_eval_data(churn_run.store, churn_run.run_id, _best(churn_run))
    pid = service.explain_in_background(churn_run.store, churn_run.run_id, _best(churn_run))
    assert pid > 0 and service.status(churn_run.store, churn_run.run_id, data.model)["state"] in (
        service.RUNNING, service.DONE)

    def ended() -> dict | None:
        state = service.status(churn_run.store, churn_run.run_id, data.model)
        return state if state.get("state") != service.RUNNING else None

    state = wait_until(ended, 90, "the background explanations to end", every=0.3)
    assert state["state"] == service.DONE, state
    cached = service.load_cached(churn_run.store, data.run, data.model)
    assert cached is not None and len(cached.values) == len(data.X_test)
