"""Test-set metrics of a model for the command line, from the Test step itself.

``evaluate_model`` runs ``core.evaluate.evaluate_run`` so the command line and the pages report
the same numbers. Keys are the usual lower-case names: ``accuracy``, ``f1``, ``roc_auc``,
``precision``, ``recall`` for classification (macro averages for several classes); ``r2``,
``rmse``, ``mae`` for regression.
"""

from __future__ import annotations

import math
from typing import Any

from core.db import Store
from core.evaluate import evaluate_run
from core.store.model_versions import ModelInfo

CLASSIFICATION_KEYS = ("accuracy", "f1", "roc_auc", "precision", "recall")
REGRESSION_KEYS = ("r2", "rmse", "mae")


def _number(value: float | None) -> float | None:
    """A finite float rounded for JSON, or None."""
    return round(float(value), 6) if value is not None and math.isfinite(value) else None


def evaluate_model(store: Store, info: ModelInfo) -> dict[str, Any]:
    """The Test step's evaluation of the model on its run's locked test rows, as JSON-ready numbers.

    ``evaluation`` holds the Test step's ``Evaluation`` itself (not JSON: for the report only).
    """
    evaluation = evaluate_run(store, info.run_id, info.model_name, with_speed=False)
    values = evaluation.performance.metrics
    problem = evaluation.data.problem_type
    keys = REGRESSION_KEYS if problem == "regression" else CLASSIFICATION_KEYS
    threshold = evaluation.threshold_in_use
    return {"rows": int(evaluation.performance.rows), "problem_type": problem, "source": "core.evaluate",
            "metrics": {k: _number(values.get(k, values.get(f"{k}_macro"))) for k in keys},
            "threshold": None if threshold is None else {"value": float(threshold), "source": "test_step"},
            "verdict": evaluation.verdict.overall, "evaluation": evaluation}
