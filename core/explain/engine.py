"""SHAP values of the model actually used, over the original columns, in the model's output units.

:func:`explain_predictor` splits the model into exactly explainable fold models
(:mod:`core.explain.members`) and explains whatever is left with the permutation explainer
(:mod:`core.explain.agnostic`), all against the same background rows (training rows, never
test rows). The result says which share of the ensemble weight is exact, so the page can label
anything else as an approximation. Outputs: probability of the positive class (binary), of one
class (multiclass, always model-agnostic), or the predicted value (regression).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from core.explain import members
from core.explain.agnostic import permutation_shap

EXACT, MIXED, APPROXIMATE = "exact", "mixed", "approximate"
CHECK_TOL = 1e-3


@dataclass
class Explanation:
    """SHAP values per explained row (index: test-row id) and original column."""

    values: pd.DataFrame
    base: float
    prediction: pd.Series
    output: str
    class_label: str | None
    method: str
    exact_share: float
    model: str
    parts: list[dict[str, Any]] = field(default_factory=list)
    background_rows: int = 0
    seconds: float = 0.0

    def meta(self) -> dict[str, Any]:
        """JSON-ready description (everything but the values)."""
        return {"base": self.base, "output": self.output, "class_label": self.class_label, "method": self.method,
                "exact_share": self.exact_share, "model": self.model, "parts": self.parts,
                "background_rows": self.background_rows, "seconds": self.seconds}


def feature_groups(predictor: Any, columns: list[str], prepared: list[str]) -> dict[str, list[str]]:
    """Original column → the AutoGluon features made from it (from the feature generator's links)."""
    mapping = {c: [c] for c in columns}
    try:
        chain = predictor._learner.feature_generator.get_feature_links_chain()  # noqa: SLF001
    except AttributeError:
        chain = []
    for stage in chain:
        mapping = {c: [out for f in feats for out in stage.get(f, [])] for c, feats in mapping.items()}
    known = set(prepared)
    return {c: [f for f in feats if f in known] for c, feats in mapping.items()}


def model_output(predictor: Any, model: str, frame: pd.DataFrame, class_label: Any = None) -> np.ndarray:
    """What is explained: P(positive) or P(class_label), or the predicted value."""
    if predictor.problem_type == "regression":
        return np.asarray(predictor.predict(frame, model=model), dtype=float)
    proba = predictor.predict_proba(frame, model=model)
    label = predictor.positive_class if predictor.problem_type == "binary" else class_label
    return proba[label if label in proba.columns else proba.columns[-1]].to_numpy(dtype=float)


def _member_output(trainer: Any, member: str, prepared: pd.DataFrame, problem_type: str) -> np.ndarray:
    """A member's output on prepared rows (stacked members get their lower levels' outputs)."""
    if problem_type == "binary":
        return np.asarray(trainer.predict_proba(prepared, model=member), dtype=float).reshape(len(prepared), -1)[:, -1]
    return np.asarray(trainer.predict(prepared, model=member), dtype=float)


def _agnostic(fn: Any, X: pd.DataFrame, Z: pd.DataFrame,
              max_evals: int | None) -> tuple[pd.DataFrame, float, np.ndarray]:
    values, base, pred = permutation_shap(fn, X, Z, max_evals=max_evals)
    return pd.DataFrame(values, columns=X.columns, index=X.index), base, pred


def explain_predictor(predictor: Any, model: str, X: pd.DataFrame, Z: pd.DataFrame, *, class_label: Any = None,
                      max_evals: int | None = None, agnostic_background: int = 25) -> Explanation:
    """SHAP values of ``model`` for rows ``X`` (original columns) against background rows ``Z``."""
    t0 = time.perf_counter()
    columns = list(predictor.original_features)
    X, Z = X[columns], Z[columns]
    kind = predictor.problem_type
    output = "value" if kind == "regression" else "probability"
    label = None if kind == "regression" else str(predictor.positive_class if kind == "binary" else class_label)
    trainer = predictor._trainer  # noqa: SLF001
    Xt, Zt = predictor.transform_features(X), predictor.transform_features(Z)
    groups = feature_groups(predictor, columns, list(Xt.columns))
    plan = members.plan(trainer, model, kind)
    expected = model_output(predictor, model, X, class_label)
    small_z = Z.iloc[: max(1, min(len(Z), agnostic_background))]

    def whole(frame: pd.DataFrame) -> np.ndarray:
        return model_output(predictor, model, frame, class_label)

    values = pd.DataFrame(0.0, index=X.index, columns=columns)
    base, parts, exact_weight, residual_units = 0.0, [], 0.0, []
    if not plan.whole_model:
        for unit in plan.units:
            result = members.explain_unit(unit, Xt, Zt, kind, groups)
            if result is None:
                residual_units.append(unit)
                continue
            values += unit.weight * result.values.to_numpy()
            base += unit.weight * result.base
            exact_weight += unit.weight
            parts.append({"member": unit.member, "weight": unit.weight, "method": result.method})
        if residual_units or plan.residual:
            def rest(frame: pd.DataFrame) -> np.ndarray:
                prepared = predictor.transform_features(frame)
                out = np.zeros(len(frame))
                for unit in residual_units:
                    out += unit.weight * members.unit_output(unit.child, prepared, kind)
                for member, weight in plan.residual:
                    out += weight * _member_output(trainer, member, prepared, kind)
                return out

            rv, rb, _ = _agnostic(rest, X, small_z, max_evals)
            values += rv.to_numpy()
            base += rb
            parts += [{"member": u.member, "weight": u.weight, "method": "permutation"} for u in residual_units]
            parts += [{"member": m, "weight": w, "method": "permutation"} for m, w in plan.residual]
    rebuilt = base + values.sum(axis=1).to_numpy()
    if plan.whole_model or not np.allclose(rebuilt, expected, rtol=1e-5, atol=CHECK_TOL):
        values, base, rebuilt = _agnostic(whole, X, small_z, max_evals)
        exact_weight, parts = 0.0, [{"member": model, "weight": 1.0, "method": "permutation"}]
    share = float(min(1.0, exact_weight))
    method = EXACT if share >= 1 - 1e-9 else APPROXIMATE if share <= 1e-9 else MIXED
    background = len(Z) if share > 0 else len(small_z)
    return Explanation(values, float(base), pd.Series(rebuilt, index=X.index), output, label, method, share, model,
                       _merge_parts(parts), background, round(time.perf_counter() - t0, 3))


def _merge_parts(parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per member and method, weights summed over its fold models."""
    merged: dict[tuple[str, str], float] = {}
    for part in parts:
        key = (part["member"], part["method"])
        merged[key] = merged.get(key, 0.0) + float(part["weight"])
    return [{"member": m, "method": k, "weight": round(w, 6)} for (m, k), w in merged.items()]
