"""Too good to be true: near-perfect scores, one feature carrying the model, a target that is a formula.

Target leakage rarely announces itself: the model simply looks excellent. After training, three
cheap checks name the features to look at:

* **near-perfect score**: R² above 0.995 or ROC AUC above 0.999, on the validation rows (the run's
  own metric, when it is one of those) or on the locked test rows;
* **one dominant feature**: permutation importance of the chosen model on (a sample of) the
  test rows, AutoGluon's ``feature_importance`` with one shuffle; one feature carrying more
  than half of the total;
* **a formula**: for regression, the target is almost exactly a straight-line formula of one to
  three of the most important numeric features (R² ≥ 0.999 of a least-squares fit on the test
  rows), as when two columns add up to the target.

Each finding is a message key with parameters naming the features (:func:`messages` renders
them). Importance costs about one prediction of ``IMPORTANCE_ROWS`` rows per feature, so
callers compute it once per run and model (the Test page caches it).
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pandas as pd

from core.db import Store
from core.evaluate.data import EvalData, load_eval_data
from core.evaluate.performance import measure
from core.i18n import fmt_percent, t

NEAR_PERFECT = {"r2": 0.995, "roc_auc": 0.999}
DOMINANT_SHARE = 0.5
MIN_SHARE = 0.01  # features below 1% of the importance are not named
FORMULA_R2 = 0.999
IMPORTANCE_ROWS = 500
TOP_FEATURES = 3
KEY = "evaluate_checks.suspicion"


def feature_importance(data: EvalData, rows: int = IMPORTANCE_ROWS) -> pd.Series:
    """Permutation importance of the chosen model on up to ``rows`` test rows (one shuffle), highest first."""
    frame = data.X_test.copy()
    frame[data.target] = data.y_test.to_numpy()
    found = data.predictor.feature_importance(frame, model=data.model, subsample_size=min(rows, len(frame)),
                                              num_shuffle_sets=1, include_confidence_band=False, silent=True)
    return found["importance"].astype(float).sort_values(ascending=False, kind="stable")


def shares(importance: pd.Series) -> pd.Series:
    """Each feature's share of the positive importance (empty when nothing matters)."""
    positive = importance.clip(lower=0)
    total = float(positive.sum())
    return positive / total if total > 0 else positive.iloc[:0]


def _near_perfect(data: EvalData, test: dict[str, Any]) -> list[tuple[str, str, float]]:
    """(metric, where, value) of every near-perfect validation or test score."""
    found = []
    metric = str(data.run.metrics.get("metric") or "")
    score = data.run.metrics.get("score")
    if metric in NEAR_PERFECT and score is not None and float(score) > NEAR_PERFECT[metric]:
        found.append((metric, "validation", float(score)))
    for name, limit in NEAR_PERFECT.items():
        value = test.get(name)
        if value is not None and float(value) > limit:
            found.append((name, "test", float(value)))
    return found


def _formula(data: EvalData, ranked: list[str]) -> tuple[list[str], float] | None:
    """The smallest set of top numeric features whose straight-line formula gives the target (R² ≥ FORMULA_R2)."""
    if data.problem_type != "regression":
        return None
    numeric = [c for c in ranked if pd.api.types.is_numeric_dtype(data.X_test[c])
               and not pd.api.types.is_bool_dtype(data.X_test[c])][:TOP_FEATURES]
    y = pd.to_numeric(data.y_test, errors="coerce").to_numpy(dtype=float)
    for size in range(1, len(numeric) + 1):
        for subset in itertools.combinations(numeric, size):
            x = data.X_test[list(subset)].to_numpy(dtype=float, na_value=np.nan)
            ok = np.isfinite(x).all(axis=1) & np.isfinite(y)
            if ok.sum() < 10 or np.var(y[ok]) == 0:
                continue
            design = np.column_stack([x[ok], np.ones(int(ok.sum()))])
            coef, *_ = np.linalg.lstsq(design, y[ok], rcond=None)
            r2 = 1 - float(np.mean((design @ coef - y[ok]) ** 2)) / float(np.var(y[ok]))
            if r2 >= FORMULA_R2:
                return list(subset), r2
    return None


def _named(features: list[str], share: dict[str, float] | None, lang: str) -> str:
    """'"A" (62%), "B" (30%)' (or 「A」（62%）、「B」（30%）) in ``lang``; without shares when None."""
    left, right, sep = ("「", "」", "、") if lang == "ja" else ('"', '"', ", ")
    parts = []
    for f in features:
        part = f"{left}{f}{right}"
        if share is not None:
            pct = fmt_percent(float(share.get(f, 0.0)), lang, 0)
            part += f"（{pct}）" if lang == "ja" else f" ({pct})"
        parts.append(part)
    return sep.join(parts) or "—"


def find_suspicions(data: EvalData, test_metrics: dict[str, Any] | None = None,
                    importance: pd.Series | None = None) -> list[dict[str, Any]]:
    """Warnings about a model that looks too good: ``[{"key", "params", "features"}]``, params JSON-ready.

    ``test_metrics`` defaults to the Test step's metrics at 0.5; ``importance`` to
    :func:`feature_importance` (pass one to reuse it).
    """
    test = test_metrics if test_metrics is not None else measure(data).metrics
    importance = feature_importance(data) if importance is None else importance
    share = shares(importance)
    ranked = list(share.index[share >= MIN_SHARE]) if len(share) else list(importance.index)
    top = ranked[:TOP_FEATURES]
    out: list[dict[str, Any]] = []
    for metric, where, value in _near_perfect(data, test):
        out.append({"key": f"{KEY}.too_good", "features": top, "shares": {f: float(share.get(f, 0)) for f in top},
                    "params": {"metric": metric, "where": where, "value": round(value, 6), "target": data.target}})
    if len(share) and float(share.iloc[0]) > DOMINANT_SHARE:
        feature = str(share.index[0])
        out.append({"key": f"{KEY}.dominant", "features": [feature], "shares": {feature: float(share.iloc[0])},
                    "params": {"feature": feature, "share": round(float(share.iloc[0]), 4), "target": data.target}})
    formula = _formula(data, ranked or list(data.X_test.columns))
    if formula is not None:
        features, r2 = formula
        out.append({"key": f"{KEY}.formula", "features": features,
                    "shares": {f: float(share.get(f, 0)) for f in features},
                    "params": {"r2": round(r2, 6), "target": data.target}})
    return out


def message(found: dict[str, Any], lang: str = "en") -> str:
    """One finding of :func:`find_suspicions` as a sentence in ``lang`` naming its features."""
    params = dict(found["params"])
    formula = found["key"].endswith(".formula")
    params["features"] = _named(found["features"], None if formula else found.get("shares") or {}, lang)
    if "metric" in params:
        params["metric"] = t(f"evaluate.metric.{params['metric']}", lang)
        params["where"] = t(f"evaluate_checks.where.{params['where']}", lang)
    for name in ("value", "r2"):
        if name in params:
            params[name] = f"{float(params[name]):.4f}"
    if "share" in params:
        params["share"] = fmt_percent(params["share"], lang, 0)
    return t(found["key"], lang, **params)


def messages(found: list[dict[str, Any]], lang: str = "en") -> list[str]:
    """Every finding as a sentence (for the command line's stderr and JSON summary)."""
    return [message(f, lang) for f in found]


def check_run(store: Store, run_id: int, model: str | None = None, *, data: EvalData | None = None,
              test_metrics: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """:func:`find_suspicions` for a run's model (loads its test set unless ``data`` is given)."""
    return find_suspicions(data or load_eval_data(store, run_id, model), test_metrics)
