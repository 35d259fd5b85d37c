"""Test-set metrics of a model on its run's locked test rows (for the command line).

``evaluate_model`` asks the Test step (``core.evaluate.evaluate_run``) so the command line and
the pages report the same numbers; ``own_test_metrics`` is a small scikit-learn stand-in used
when that module is absent (or its interface changed). Keys are the usual lower-case names: ``accuracy``, ``f1``,
``roc_auc``, ``precision``, ``recall`` for classification (macro averages for several
classes); ``r2``, ``rmse``, ``mae`` for regression.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd

from core.db import Store
from core.errors import UserError
from core.predict.model import LoadedModel, decision_threshold, load_model
from core.preprocess import get_saved_recipe
from core.store import datasets, runs
from core.store.model_versions import ModelInfo

log = logging.getLogger(__name__)
CLASSIFICATION_KEYS = ("accuracy", "f1", "roc_auc", "precision", "recall")
REGRESSION_KEYS = ("r2", "rmse", "mae")


def locked_test_rows(store: Store, model: LoadedModel) -> pd.DataFrame:
    """The run's locked test rows with the recipe applied (rows without a target left out)."""
    run = runs.get_run(store, model.info.run_id)
    saved = get_saved_recipe(store, run.recipe_id if run else None)
    if run is None or saved is None or run.dataset_id is None:
        raise UserError("predict.error.no_training_data")
    _train, test = saved.split.parts(datasets.load_dataframe(store, run.dataset_id), verify=False)
    applied = model.recipe.apply(test, for_test=True)
    if applied.empty:
        raise UserError("predict.error.no_test_rows")
    return applied


def _number(value: float) -> float | None:
    """A finite float rounded for reports, or None."""
    return round(float(value), 6) if np.isfinite(value) else None


def classification_metrics(y: np.ndarray, pred: np.ndarray, proba: pd.DataFrame,
                           positive: str | None) -> dict[str, float | None]:
    """Accuracy, F1, ROC AUC, precision, recall (binary on ``positive``; macro averages otherwise)."""
    from sklearn import metrics as skm

    out: dict[str, float | None] = {"accuracy": _number(skm.accuracy_score(y, pred))}
    if positive is not None:
        kw: dict[str, Any] = {"pos_label": positive, "zero_division": 0}
        out.update(f1=skm.f1_score(y, pred, **kw), precision=skm.precision_score(y, pred, **kw),
                   recall=skm.recall_score(y, pred, **kw))
        both = len(set(y)) == 2
        out["roc_auc"] = skm.roc_auc_score(y == positive, proba[positive]) if both else None
    else:
        kw = {"average": "macro", "zero_division": 0}
        out.update(f1=skm.f1_score(y, pred, **kw), precision=skm.precision_score(y, pred, **kw),
                   recall=skm.recall_score(y, pred, **kw))
        try:
            out["roc_auc"] = skm.roc_auc_score(y, proba[list(proba.columns)], multi_class="ovr",
                                               labels=list(proba.columns))
        except ValueError:
            out["roc_auc"] = None
    return {k: None if v is None else _number(v) for k, v in out.items()}


def regression_metrics(y: np.ndarray, pred: np.ndarray) -> dict[str, float | None]:
    """R², RMSE and MAE."""
    from sklearn import metrics as skm

    return {"r2": _number(skm.r2_score(y, pred)), "rmse": _number(np.sqrt(skm.mean_squared_error(y, pred))),
            "mae": _number(skm.mean_absolute_error(y, pred))}


def own_test_metrics(store: Store, info: ModelInfo) -> dict[str, Any]:
    """Score the locked test rows with the model and compute the metrics with scikit-learn."""
    model = load_model(store, info)
    rows = locked_test_rows(store, model)
    target = model.recipe.target.column
    features = rows[[c for c in model.features if c in rows.columns]]
    predictor, name = model.predictor(), info.model_name
    out: dict[str, Any] = {"rows": int(len(rows)), "problem_type": model.problem_type, "source": "core.predict.testset"}
    if model.problem_type == "regression":
        y = pd.to_numeric(rows[target], errors="coerce").to_numpy(dtype=float)
        out["metrics"] = regression_metrics(y, predictor.predict(features, model=name).to_numpy(dtype=float))
        return out
    proba = predictor.predict_proba(features, model=name)
    proba.columns = [str(c) for c in proba.columns]
    y = rows[target].astype(str).to_numpy()
    if model.problem_type == "binary":
        chosen = decision_threshold(store, info.project_id, info.id)
        positive = str(predictor.positive_class)
        negative = next(c for c in proba.columns if c != positive)
        pred = np.where(proba[positive].to_numpy() >= chosen.value, positive, negative)
        out["threshold"] = {"value": chosen.value, "source": chosen.source}
        out["metrics"] = classification_metrics(y, pred, proba, positive)
    else:
        pred = proba.idxmax(axis=1).to_numpy()
        out["metrics"] = classification_metrics(y, pred, proba, None)
    return out


def _from_test_step(store: Store, info: ModelInfo) -> dict[str, Any] | None:
    """The Test step's own evaluation (``core.evaluate.evaluate_run``), or None when it is unavailable."""
    try:
        from core.evaluate import evaluate_run
    except ImportError:
        return None
    evaluation = evaluate_run(store, info.run_id, info.model_name, with_speed=False)
    values = evaluation.performance.metrics
    problem = evaluation.data.problem_type
    keys = REGRESSION_KEYS if problem == "regression" else CLASSIFICATION_KEYS
    picked = {k: values.get(k, values.get(f"{k}_macro")) for k in keys}
    threshold = evaluation.threshold_in_use
    return {"rows": int(evaluation.performance.rows), "problem_type": problem, "source": "core.evaluate",
            "metrics": {k: None if v is None else _number(v) for k, v in picked.items()},
            "threshold": None if threshold is None else {"value": float(threshold), "source": "test_step"},
            "verdict": evaluation.verdict.overall, "evaluation": evaluation}


def evaluate_model(store: Store, info: ModelInfo) -> dict[str, Any]:
    """Test-set metrics from the Test step (``core.evaluate``) when present, else our own.

    With the Test step, ``evaluation`` holds its ``Evaluation`` (not JSON: for the report only).
    """
    try:
        found = _from_test_step(store, info)
    except (AttributeError, TypeError) as exc:  # the Test step's API changed: our own numbers still stand
        log.warning("core.evaluate unavailable (%s); using core.predict.testset", exc)
        found = None
    return found if found is not None else own_test_metrics(store, info)
