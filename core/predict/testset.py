"""Test-set metrics and the decision of a model for the command line, from the Test step itself.

``evaluate_model`` runs ``core.evaluate.evaluate_run`` and stores its decision
(``core.evaluate.record``), so the command line, the pages and Predict use the same numbers and
the same rule. Metric keys are the usual lower-case names: ``accuracy``, ``f1``, ``roc_auc``,
``precision``, ``recall`` for classification (macro averages for several classes); ``r2``,
``rmse``, ``mae`` for regression. ``decision`` carries the verdict, its reasons (key and
English text) and the cost per case of the model and of every policy without a model.
"""

from __future__ import annotations

import math
from typing import Any

from core.db import Store
from core.evaluate import Evaluation, evaluate_run
from core.evaluate.record import record_decision
from core.evaluate.verdict import reason_text
from core.store.model_versions import ModelInfo

CLASSIFICATION_KEYS = ("accuracy", "f1", "roc_auc", "precision", "recall")
REGRESSION_KEYS = ("r2", "rmse", "mae")


def _number(value: float | None) -> float | None:
    """A finite float rounded for JSON, or None."""
    return round(float(value), 6) if value is not None and math.isfinite(value) else None


def decision_summary(ev: Evaluation, decision_id: int | None = None) -> dict[str, Any]:
    """The verdict, its reasons and the costs of the model and of the policies without one, as JSON."""
    currency = ev.data.goal.currency
    out: dict[str, Any] = {"id": decision_id, "verdict": ev.verdict.overall,
                           "reasons": [{"key": r.key, "text": reason_text(r, "en", currency)}
                                       for r in ev.verdict.reasons], "currency": currency}
    decision = ev.decision
    if decision is None:
        out["costs"] = None
        return out
    out["rule"] = decision.rule
    out["costs"] = {"model": _number(decision.model_test_cost), "value_added": _number(decision.value_added),
                    "best_policy": decision.best_policy.policy,
                    "policies": {p.policy: {"test": _number(p.test_cost), "validation": _number(p.validation_cost),
                                            "saving": {k: _number(v) for k, v in p.saving.to_dict().items()
                                                       if k != "method"}, "beaten": p.beaten}
                                 for p in decision.policies}}
    return out


def model_warnings(ev: Evaluation) -> list[dict[str, Any]]:
    """Too-good-to-be-true findings (near-perfect scores, a dominant feature, a formula) with their English text."""
    from core.evaluate.suspicion import find_suspicions, message

    try:
        found = find_suspicions(ev.data, ev.performance.metrics)
    except Exception as exc:  # noqa: BLE001 - an optional check never stops the command
        return [{"key": "evaluate_checks.suspicion.failed", "features": [], "message": str(exc)[:300]}]
    return [{"key": f["key"], "features": f.get("features", []), "message": message(f, "en")} for f in found]


def evaluate_model(store: Store, info: ModelInfo, by: str = "cli") -> dict[str, Any]:
    """The Test step's evaluation of the model on its run's locked test rows, as JSON-ready numbers.

    The decision is stored (or the stored one reused) so later ``predict`` and ``report`` calls
    use it. ``evaluation`` holds the Test step's ``Evaluation`` itself (not JSON: for the report only).
    """
    evaluation = evaluate_run(store, info.run_id, info.model_name)
    stored = record_decision(store, evaluation, by)
    values = evaluation.performance.metrics
    problem = evaluation.data.problem_type
    keys = REGRESSION_KEYS if problem == "regression" else CLASSIFICATION_KEYS
    threshold = evaluation.threshold_in_use
    return {"rows": int(evaluation.performance.rows), "problem_type": problem, "source": "core.evaluate",
            "metrics": {k: _number(values.get(k, values.get(f"{k}_macro"))) for k in keys},
            "threshold": None if threshold is None else {"value": float(threshold), "source": "test_step"},
            "verdict": evaluation.verdict.overall, "decision": decision_summary(evaluation, stored.id),
            "model_warnings": model_warnings(evaluation), "evaluation": evaluation}
