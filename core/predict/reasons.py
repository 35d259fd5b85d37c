"""Top reasons per row, fast: feature importance × how unusual the row's value is.

This is a cheap proxy, not a per-row attribution such as SHAP: it says which of the model's
important inputs are far from typical training values for this row, not in which direction
each one pushed the prediction. Every stored reason says so in its ``method`` field
(``METHOD``), and exports and pages label it.

Deviation of a value: numeric, ``|x − training median| / training IQR`` (capped at 10);
categorical, ``1 − share of this category in training`` (an unseen category counts 1).
Missing values get no deviation. Score = deviation × importance share of the feature. Only
values at least ``MIN_DEVIATION`` unusual are reasons (half an IQR from the median, or a
category held by at most half the training rows): a row whose important inputs are all typical
gets fewer than three reasons rather than misleading ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from core.predict.drift import as_categories, as_numbers

METHOD = "importance_x_deviation"
TOP_N = 3
MAX_DEVIATION = 10.0
MIN_DEVIATION = 0.5


@dataclass(frozen=True)
class ReasonContext:
    """What the proxy needs: feature profiles and normalised importance."""

    features: list[str]
    profiles: dict[str, dict[str, Any]]
    weights: dict[str, float]


def make_context(profiles: dict[str, dict[str, Any]], importance: dict[str, float] | None,
                 features: list[str]) -> ReasonContext:
    """Normalise importance to shares (negative permutation importance counts as 0)."""
    usable = [f for f in features if f in profiles]
    raw = {f: max(float((importance or {}).get(f, 0.0)), 0.0) for f in usable}
    total = sum(raw.values())
    weights = {f: (v / total if total > 0 else 1.0 / max(len(usable), 1)) for f, v in raw.items()}
    return ReasonContext(usable, profiles, weights)


def _deviation(series: pd.Series, profile: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, Any]:
    """(deviation per row, value per row as JSON-ready objects, typical value)."""
    if profile["kind"] == "numeric":
        values = as_numbers(series)
        median, scale = profile.get("median", 0.0), profile.get("scale", 1.0) or 1.0
        dev = np.minimum(np.abs(values - median) / scale, MAX_DEVIATION)
        return np.nan_to_num(dev, nan=0.0), values, median
    text = as_categories(series)
    freq = profile.get("frequency", {})
    share = text.map(freq).astype(float).fillna(0.0).to_numpy()
    dev = np.where(text.isna().to_numpy(), 0.0, 1.0 - share)
    return dev, text.to_numpy(dtype=object), profile.get("mode")


def _plain(value: Any) -> Any:
    """A JSON-ready scalar (NaN → None, numpy → Python)."""
    if value is None:
        return None
    if isinstance(value, (float, np.floating)):
        return None if np.isnan(value) else round(float(value), 6)
    if isinstance(value, np.integer):
        return int(value)
    return value if isinstance(value, (str, int, bool)) else str(value)


def _gather(values: list[np.ndarray], idx: np.ndarray) -> list[Any]:
    """``values[idx[i]][i]`` for every row ``i``, as JSON-ready scalars (one pass per feature)."""
    out = np.empty(len(idx), dtype=object)
    for j, column in enumerate(values):
        rows = np.flatnonzero(idx == j)
        if not rows.size:
            continue
        if column.dtype.kind == "f":  # numbers: rounded in one numpy call, NaN → None
            out[rows] = [v if v == v else None for v in np.round(column[rows], 6).tolist()]
        else:
            out[rows] = [_plain(v) for v in column[rows]]
    return out.tolist()


def top_reasons(features: pd.DataFrame, context: ReasonContext, top_n: int = TOP_N) -> list[list[dict[str, Any]]]:
    """For every row of ``features`` (after the recipe), up to ``top_n`` reasons, strongest first."""
    names = [f for f in context.features if f in features.columns]
    n = len(features)
    if not names or n == 0:
        return [[] for _ in range(n)]
    scores = np.zeros((n, len(names)))
    values, typical = [], []
    for j, name in enumerate(names):
        dev, vals, typ = _deviation(features[name], context.profiles[name])
        scores[:, j] = np.where(dev >= MIN_DEVIATION, dev, 0.0) * context.weights[name]
        values.append(vals if isinstance(vals, np.ndarray) and vals.dtype.kind == "f"
                      else np.asarray(vals, dtype=object))
        typical.append(_plain(typ))
    k = min(top_n, len(names))
    top = np.argpartition(-scores, k - 1, axis=1)[:, :k] if len(names) > k else np.tile(np.arange(len(names)), (n, 1))
    order = np.take_along_axis(scores, top, axis=1).argsort(axis=1, kind="stable")[:, ::-1]
    top = np.take_along_axis(top, order, axis=1)
    best = np.round(np.take_along_axis(scores, top, axis=1), 4)
    out: list[list[dict[str, Any]]] = [[] for _ in range(n)]
    for rank in range(k):  # column-wise: one gather per rank instead of a Python loop per cell
        idx, score = top[:, rank], best[:, rank]
        gathered, idx_list, score_list = _gather(values, idx), idx.tolist(), score.tolist()
        for i in np.flatnonzero(score > 0).tolist():
            j = idx_list[i]
            out[i].append({"feature": names[j], "value": gathered[i], "typical": typical[j],
                           "score": score_list[i], "method": METHOD})
    return out


def _shown(value: Any) -> str:
    """A value for a sentence: numbers without trailing zeros (3.0 → 3)."""
    if isinstance(value, float):
        return f"{value:.6g}"
    return "—" if value is None else str(value)


def reasons_text(reasons: list[dict[str, Any]], lang: str = "en") -> str:
    """Reasons as one line in ``lang``: ``Day Mins = 320.5 (typical 180.1); …``."""
    from core.i18n import t

    parts = []
    for r in reasons or []:
        typical = r.get("typical")
        shown = f"{r.get('feature')} = {_shown(r.get('value'))}"
        if typical is not None:
            shown += f" ({t('predict.reasons.typical', lang, value=_shown(typical))})"
        parts.append(shown)
    return "; ".join(parts)
