"""Tables from an explanation: global importance, direction of each feature's effect, one row's story."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from core.errors import UserError
from core.explain.engine import Explanation
from core.i18n import fmt_number, t


def get_importance_df(explanation: Explanation) -> pd.DataFrame:
    """Mean |SHAP| per column (global importance), largest first, with its share of the total."""
    mean_abs = explanation.values.abs().mean(axis=0)
    total = float(mean_abs.sum()) or 1.0
    df = pd.DataFrame({"feature": [str(c) for c in mean_abs.index], "importance": mean_abs.to_numpy(),
                       "share": mean_abs.to_numpy() / total})
    return df.sort_values("importance", ascending=False, kind="stable").reset_index(drop=True)


def _numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series) and series.nunique() > 2


def direction(values: pd.Series, shap: pd.Series) -> tuple[str, dict[str, Any]]:
    """How a feature moves the prediction: (catalog key, params) — up, down, a category, or mixed."""
    ok = values.notna()
    if _numeric(values) and ok.sum() >= 3:
        x = pd.to_numeric(values[ok], errors="coerce")
        if x.std() > 0 and shap[ok].std() > 0:
            rho = float(np.corrcoef(x.rank(), shap[ok].rank())[0, 1])
            if abs(rho) >= 0.3:
                return ("explain.direction.up" if rho > 0 else "explain.direction.down"), {"rho": round(rho, 2)}
        return "explain.direction.mixed", {}
    means = shap.groupby(values.astype(str).where(ok, "NaN")).mean()
    if means.empty or means.abs().max() == 0:
        return "explain.direction.none", {}
    return "explain.direction.category", {"value": str(means.idxmax()), "low": str(means.idxmin())}


def get_directions_df(explanation: Explanation, X: pd.DataFrame, top: int = 8, lang: str = "en") -> pd.DataFrame:
    """The top features: importance and the direction of their effect in words."""
    imp = get_importance_df(explanation).head(top)
    rows = []
    for feature, importance in zip(imp["feature"], imp["importance"]):
        key, params = direction(X.loc[explanation.values.index, feature], explanation.values[feature])
        rows.append({"feature": feature, "importance": importance, "direction_key": key,
                     "direction": t(key, lang, feature=feature, **params)})
    return pd.DataFrame(rows, columns=["feature", "importance", "direction_key", "direction"])


def get_row_df(explanation: Explanation, X: pd.DataFrame, row_id: Any, top: int = 12, lang: str = "en") -> pd.DataFrame:
    """One row: each feature's value and contribution, largest |contribution| first; the rest summed."""
    if row_id not in explanation.values.index:
        raise UserError("explain.error.row_not_found", row=row_id)
    contrib = explanation.values.loc[row_id]
    order = contrib.abs().sort_values(ascending=False, kind="stable").index
    rows = [{"feature": str(f), "value": _show(X.loc[row_id, f], lang), "contribution": float(contrib[f])}
            for f in order[:top]]
    rest = order[top:]
    if len(rest):
        rows.append({"feature": t("explain.other_features", lang, n=len(rest)), "value": "",
                     "contribution": float(contrib[rest].sum())})
    return pd.DataFrame(rows, columns=["feature", "value", "contribution"])


def _show(value: Any, lang: str) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return "—"
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return fmt_number(float(value), lang, 4)
    return str(value)


def get_dependence_df(explanation: Explanation, X: pd.DataFrame, feature: str) -> pd.DataFrame:
    """A feature's values against its SHAP values (one point per explained row)."""
    if feature not in explanation.values.columns:
        raise UserError("explain.error.no_column", column=feature)
    return pd.DataFrame({"value": X.loc[explanation.values.index, feature].to_numpy(),
                         "shap": explanation.values[feature].to_numpy()}, index=explanation.values.index)
