"""Suggestions for the prediction target: problem type and positive class."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

MAX_CLASSES_FOR_INTEGERS = 20
_POSITIVE = {
    "true", "t", "yes", "y", "1", "positive", "pos", "churn", "churned", "fraud", "default",
    "ok", "pass", "success", "はい", "有", "あり", "陽性", "解約", "○", "◯",
}
_NEGATIVE = {"false", "f", "no", "n", "0", "negative", "neg", "いいえ", "無", "なし", "陰性", "×"}


def _numeric(series: pd.Series) -> pd.Series | None:
    """The series as numbers if (nearly) every value is one, else None."""
    if pd.api.types.is_bool_dtype(series):
        return None
    if pd.api.types.is_numeric_dtype(series):
        return series
    converted = pd.to_numeric(series, errors="coerce")
    return converted if converted.notna().sum() == series.notna().sum() else None


def propose_problem_type(series: pd.Series) -> str:
    """``"binary"``, ``"multiclass"`` or ``"regression"`` from the target's values."""
    values = series.dropna()
    n_unique = values.nunique()
    if n_unique <= 2:
        return "binary"
    numbers = _numeric(values)
    if numbers is None:
        return "multiclass"
    values = numbers.to_numpy(dtype=float, na_value=np.nan)
    values = values[np.isfinite(values)]
    integral = bool(np.all(values == np.round(values)))
    return "multiclass" if integral and n_unique <= MAX_CLASSES_FOR_INTEGERS else "regression"


def _label(value: Any) -> str:
    """A class label normalised for matching: ``" True. "`` → ``"true"``."""
    text = str(value).strip().lower().rstrip(".").strip()
    return "1" if text in ("1.0",) else "0" if text in ("0.0",) else text


def positive_class_candidates(series: pd.Series, limit: int = 50) -> list[Any]:
    """Class values ordered by how likely each is the positive class (first = proposal).

    Known words win (``True.`` over ``False.``, yes over no, 1 over 0); otherwise the rarer
    class comes first, since the event worth predicting is usually the rarer one.
    """
    counts = series.dropna().value_counts()
    if counts.empty:
        return []

    def rank(item: tuple[Any, int]) -> tuple[int, int, str]:
        value, count = item
        label = _label(value)
        known = 0 if label in _POSITIVE else 2 if label in _NEGATIVE else 1
        return known, int(count), str(value)

    ordered = sorted(counts.items(), key=rank)[:limit]
    return [value.item() if isinstance(value, np.generic) else value for value, _ in ordered]
