"""The leaderboard in plain terms: score, fit time, prediction time per 1,000 rows, model family.

Rows are plain dicts (stored as JSON on the run): ``model``, ``family``, ``note_key``,
``score_val`` (AutoGluon's sign: higher is better; :func:`shown_score` turns it into the metric's own
sign, RMSE positive, for people), ``fit_time_s``, ``predict_ms_per_1000``
(measured on 1,000 rows after training when ``predict_measured``; while training, AutoGluon's
estimate from validation, which leaves out per-batch overhead), ``is_baseline``, ``is_best``,
``can_infer``, ``stack_level``; after a refit (time splits, see :mod:`core.train.validation`)
``refit_of``: the model that was validated, whose score the refit model carries.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

FAMILIES = ("baseline_constant", "baseline_linear", "decision_tree", "gradient_boosting", "random_forest",
            "extra_trees", "nearest_neighbors", "ensemble", "other")
_BY_TYPE = {
    "DummyModel": "baseline_constant", "LinearModel": "baseline_linear", "LGBModel": "gradient_boosting",
    "PrepLGBModel": "gradient_boosting", "CatBoostModel": "gradient_boosting", "XGBoostModel": "gradient_boosting",
    "RFModel": "random_forest", "XTModel": "extra_trees", "KNNModel": "nearest_neighbors",
    "GreedyWeightedEnsembleModel": "ensemble", "WeightedEnsembleModel": "ensemble",
    "SimpleWeightedEnsembleModel": "ensemble",
}
BASELINE_FAMILIES = ("baseline_constant", "baseline_linear")
COLUMNS = ["model", "family", "note_key", "score_val", "fit_time_s", "predict_ms_per_1000", "predict_measured",
           "is_baseline", "is_best", "can_infer", "stack_level"]


def family_of(model: str, model_type: str) -> str:
    """The family of a model from its name and inner model class (bagged models by their child)."""
    if model.startswith("DecisionTree"):
        return "decision_tree"
    return _BY_TYPE.get(model_type, "ensemble" if "Ensemble" in model_type else "other")


def _number(value: Any) -> float | None:
    """A finite float or None (JSON has no NaN)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def rows_from_leaderboard(board: pd.DataFrame, best: str | None, val_rows: int) -> list[dict[str, Any]]:
    """JSON-ready rows from an AutoGluon leaderboard plus a ``model_type`` (inner class name) column."""
    rows = []
    for rec in board.to_dict("records"):
        family = family_of(str(rec["model"]), str(rec.get("model_type", "")))
        pred = _number(rec.get("pred_time_val"))
        rows.append({
            "model": str(rec["model"]), "family": family, "note_key": f"train.family.{family}",
            "score_val": _number(rec.get("score_val")), "fit_time_s": _number(rec.get("fit_time")),
            "predict_ms_per_1000": None if pred is None or val_rows <= 0 else round(pred / val_rows * 1e6, 3),
            "predict_measured": False,
            "is_baseline": family in BASELINE_FAMILIES, "is_best": rec["model"] == best,
            "can_infer": bool(rec.get("can_infer", True)), "stack_level": int(rec.get("stack_level", 1) or 1),
        })
    return rows


def shown_score(score_val: float | None, greater_is_better: bool = True) -> float | None:
    """A score in the metric's own sign, as users read it (RMSE and MAE positive, lower is better)."""
    return None if score_val is None else (score_val if greater_is_better else -score_val)


def merge_refit(rows: list[dict[str, Any]], refit_map: dict[str, str]) -> list[dict[str, Any]]:
    """Rows after a refit: each refit model with its parent's validation score and both fit times; parents left out.

    ``refit_map`` is AutoGluon's ``model_refit_map()`` (validated model → refit model).
    """
    by_name = {r["model"]: r for r in rows}
    parent_of = {full: parent for parent, full in refit_map.items() if parent in by_name and full in by_name}
    out = []
    for row in rows:
        if row["model"] in refit_map and refit_map[row["model"]] in parent_of:
            continue
        parent = by_name.get(parent_of.get(row["model"], ""))
        if parent is not None:
            times = [t for t in (parent["fit_time_s"], row["fit_time_s"]) if t is not None]
            row = {**row, "score_val": parent["score_val"], "fit_time_s": sum(times) if times else None,
                   "refit_of": parent["model"]}
        out.append(row)
    return out


def get_leaderboard_df(rows: list[dict[str, Any]], lang: str = "en", greater_is_better: bool = True) -> pd.DataFrame:
    """Leaderboard rows as a table, best first; ``score`` in the metric's own sign (RMSE positive)."""
    from core.i18n import t

    df = pd.DataFrame(rows, columns=COLUMNS)
    df["score"] = shown_score(df["score_val"], greater_is_better)
    df["note"] = [t(k, lang) for k in df["note_key"]]
    return df.sort_values("score_val", ascending=False, na_position="last", kind="stable").reset_index(drop=True)


def baseline_verdict(rows: list[dict[str, Any]], chosen: str | None = None,
                     greater_is_better: bool = True) -> dict[str, Any]:
    """Did the chosen (or best) model beat the best baseline? Compared higher-is-better, shown in the metric's sign."""
    scored = [r for r in rows if r["score_val"] is not None]
    base = [r for r in scored if r["is_baseline"]]
    model = next((r for r in scored if r["model"] == chosen), None) or next((r for r in scored if r["is_best"]), None)
    if not base or model is None:
        return {"key": "train.verdict.unknown", "params": {}}
    top = max(base, key=lambda r: r["score_val"])
    params = {"model": model["model"], "score": round(shown_score(model["score_val"], greater_is_better), 4),
              "baseline": top["model"], "baseline_score": round(shown_score(top["score_val"], greater_is_better), 4)}
    if model["is_baseline"]:
        return {"key": "train.verdict.baseline_best", "params": params}
    key = "train.verdict.beat" if model["score_val"] > top["score_val"] else "train.verdict.not_beat"
    return {"key": key, "params": params}
