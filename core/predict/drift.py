"""Data drift: the population stability index (PSI) of each input of a batch against training.

Numeric inputs are binned at the training deciles (bin ``i`` holds values in
``(edge[i-1], edge[i]]``; the first bin is open below, the last open above; repeated deciles
collapse, so a column with few distinct values has fewer bins); categorical inputs use the
training categories (the most frequent ``MAX_CATEGORIES``), one bin for all other values and
one for missing values. Numeric columns also get a missing bin.

``PSI = Σ (actual − expected) × ln(actual / expected)`` over the bins, with shares floored at
``EPS`` (1e-4) so an empty bin does not make it infinite. Common reading: below 0.1 stable,
0.1–0.2 moderate shift, above 0.2 (``FLAG_ABOVE``) a major shift worth acting on.

Small batches are measured but not flagged: below ``MIN_ROWS_TO_FLAG`` rows the PSI of an
unchanged population is dominated by sampling noise (about ``(bins − 1) / rows`` on average,
more when bins stay empty), so a flag would cry wolf.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from core.preprocess.transform import convert_type

EPS = 1e-4
FLAG_ABOVE = 0.2
MODERATE_ABOVE = 0.1
MIN_ROWS_TO_FLAG = 200
MAX_CATEGORIES = 30
DECILES = tuple(q / 10 for q in range(1, 10))
OTHER, MISSING = "__other__", "__missing__"


def psi(expected: list[float] | np.ndarray, actual: list[float] | np.ndarray, eps: float = EPS) -> float:
    """Population stability index of two share vectors over the same bins."""
    e = np.maximum(np.asarray(expected, dtype=float), eps)
    a = np.maximum(np.asarray(actual, dtype=float), eps)
    return float(np.sum((a - e) * np.log(a / e)))


def as_numbers(series: pd.Series) -> np.ndarray:
    """A column as floats (text that is not a number becomes NaN; thousands commas allowed)."""
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        return series.to_numpy(dtype=float, na_value=np.nan)
    return convert_type(series, "numeric").to_numpy(dtype=float, na_value=np.nan)


def as_categories(series: pd.Series) -> pd.Series:
    """A column as category text (408.0 → '408'), missing kept as NaN."""
    if series.dtype == object and all(isinstance(v, str) for v in series.dropna().head(1000)):
        return series.where(series.notna(), np.nan).astype(object)
    return convert_type(series, "category")


def decile_edges(values: np.ndarray) -> list[float]:
    """Distinct training deciles (the inner bin edges)."""
    present = values[~np.isnan(values)]
    if present.size == 0:
        return []
    return [float(v) for v in np.unique(np.quantile(present, DECILES))]


def numeric_shares(values: np.ndarray, edges: list[float]) -> list[float]:
    """Shares per decile bin plus a last share for missing values."""
    n = len(values)
    if n == 0:
        return [0.0] * (len(edges) + 2)
    missing = np.isnan(values)
    bins = np.digitize(values[~missing], np.asarray(edges, dtype=float), right=True)
    counts = np.bincount(bins, minlength=len(edges) + 1).astype(float)
    return [*(counts / n).tolist(), float(missing.sum()) / n]


def category_shares(values: pd.Series, categories: list[str]) -> list[float]:
    """Shares per training category, then all other values, then missing values."""
    n = len(values)
    if n == 0:
        return [0.0] * (len(categories) + 2)
    text = as_categories(values)
    counts = text.value_counts()
    known = [float(counts.get(c, 0)) / n for c in categories]
    missing = float(text.isna().sum()) / n
    return [*known, max(0.0, 1.0 - sum(known) - missing), missing]


def profile_numeric(series: pd.Series) -> dict[str, Any]:
    """Training profile of a numeric column: decile edges, shares, median, spread, range."""
    values = as_numbers(series)
    edges = decile_edges(values)
    present = values[~np.isnan(values)]
    out: dict[str, Any] = {"kind": "numeric", "edges": edges, "shares": numeric_shares(values, edges)}
    if present.size:
        q1, median, q3 = np.quantile(present, [0.25, 0.5, 0.75])
        scale = float(q3 - q1) or float(np.std(present)) or 1.0
        out.update(median=float(median), scale=scale, min=float(present.min()), max=float(present.max()))
    return out


def profile_category(series: pd.Series, max_categories: int = MAX_CATEGORIES) -> dict[str, Any]:
    """Training profile of a categorical column: top categories, shares, mode, every value seen."""
    text = as_categories(series)
    counts = text.value_counts()
    top = [str(c) for c in counts.index[:max_categories]]
    n = max(len(text), 1)
    return {"kind": "category", "categories": top, "shares": category_shares(series, top),
            "mode": top[0] if top else None,
            "frequency": {str(k): float(v) / n for k, v in counts.head(1000).items()},
            "all_seen": len(counts) <= 1000}


def feature_drift(profile: dict[str, Any], series: pd.Series) -> dict[str, Any] | None:
    """PSI of one batch column against its training profile (None when not comparable)."""
    if profile.get("kind") == "numeric":
        actual = numeric_shares(as_numbers(series), profile["edges"])
    elif profile.get("kind") == "category":
        actual = category_shares(series, profile["categories"])
    else:
        return None
    value = psi(profile["shares"], actual)
    level = "major" if value > FLAG_ABOVE else "moderate" if value > MODERATE_ABOVE else "stable"
    return {"psi": round(value, 6), "level": level, "flagged": value > FLAG_ABOVE, "kind": profile["kind"],
            "expected": profile["shares"], "actual": actual}


def drift_report(profiles: dict[str, dict[str, Any]], df: pd.DataFrame,
                 min_rows: int = MIN_ROWS_TO_FLAG) -> dict[str, Any]:
    """PSI of every profiled input present in ``df``; JSON-ready (stored on the batch)."""
    reliable = len(df) >= min_rows
    features = []
    for column, profile in profiles.items():
        if column not in df.columns:
            continue
        found = feature_drift(profile, df[column])
        if found is not None:
            features.append({"feature": column, **found, "flagged": found["flagged"] and reliable})
    flagged = [f["feature"] for f in features if f["flagged"]]
    return {"threshold": FLAG_ABOVE, "rows": int(len(df)), "reliable": reliable, "min_rows": min_rows,
            "features": features, "flagged": flagged, "max_psi": max((f["psi"] for f in features), default=None)}


def get_drift_df(drift: dict[str, Any]) -> pd.DataFrame:
    """One row per input: feature, kind, psi, level, flagged (largest shift first)."""
    cols = ["feature", "kind", "psi", "level", "flagged"]
    df = pd.DataFrame([{c: f.get(c) for c in cols} for f in (drift or {}).get("features", [])], columns=cols)
    return df.sort_values("psi", ascending=False, kind="stable").reset_index(drop=True)


def get_bins_df(profile: dict[str, Any], feature: dict[str, Any]) -> pd.DataFrame:
    """Training vs batch share per bin of one input (for a side-by-side bar chart)."""
    if profile.get("kind") == "numeric" and profile["edges"]:
        edges = profile["edges"]
        labels = [f"≤ {edges[0]:g}", *(f"{a:g} – {b:g}" for a, b in zip(edges, edges[1:])), f"> {edges[-1]:g}"]
    elif profile.get("kind") == "numeric":
        labels = ["all"]
    else:
        labels = list(profile.get("categories", [])) + [OTHER]
    labels = [*labels, MISSING]
    return pd.DataFrame({"bin": labels, "training": feature.get("expected", []), "batch": feature.get("actual", [])})
