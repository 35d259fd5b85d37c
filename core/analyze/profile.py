"""Per-column facts computed once on the full data and shared by the checks."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

NUMERIC, BOOL, DATETIME, CATEGORICAL = "numeric", "bool", "datetime", "categorical"


@dataclass(frozen=True)
class ColumnProfile:
    """Kind, missing count, distinct count and whether numbers are whole."""

    name: str
    kind: str
    n_missing: int
    n_unique: int
    integral: bool = False
    hashable: bool = True

    def missing_share(self, n_rows: int) -> float:
        """Share of rows where the column is empty."""
        return self.n_missing / n_rows if n_rows else 0.0


def column_kind(series: pd.Series) -> str:
    """numeric, bool, datetime or categorical (text and everything else)."""
    if pd.api.types.is_bool_dtype(series):
        return BOOL
    if pd.api.types.is_datetime64_any_dtype(series):
        return DATETIME
    if pd.api.types.is_numeric_dtype(series):
        return NUMERIC
    return CATEGORICAL


def _integral(series: pd.Series) -> bool:
    """Whether every present value of a numeric column is a whole number."""
    if pd.api.types.is_integer_dtype(series):
        return True
    values = series.to_numpy(dtype=float, na_value=np.nan)
    values = values[np.isfinite(values)]
    return bool(values.size) and bool(np.all(values == np.round(values)))


def profile_columns(df: pd.DataFrame) -> dict[str, ColumnProfile]:
    """Profiles of every column, keyed by name."""
    missing = df.isna().sum()
    out: dict[str, ColumnProfile] = {}
    for name in df.columns:
        series = df[name]
        kind = column_kind(series)
        hashable = True
        try:
            n_unique = int(series.nunique(dropna=True))
        except TypeError:  # unhashable cells such as lists
            hashable, n_unique = False, int(series.astype(str).nunique(dropna=True))
        out[name] = ColumnProfile(name=name, kind=kind, n_missing=int(missing[name]), n_unique=n_unique,
                                  integral=kind == NUMERIC and _integral(series), hashable=hashable)
    return out


def with_hashable_cells(df: pd.DataFrame, profiles: dict[str, ColumnProfile]) -> pd.DataFrame:
    """``df`` with columns holding unhashable cells (lists, dicts) turned into text."""
    bad = [name for name, p in profiles.items() if not p.hashable]
    if not bad:
        return df
    df = df.copy()
    for name in bad:
        df[name] = df[name].astype(str).where(df[name].notna())
    return df


def name_tokens(name: str) -> list[str]:
    """Lower-case words of a column name: ``"CustomerID"`` → ``["customer", "id"]``.

    Words are split at separators and where a lower-case letter meets a capital; a leading
    number stays part of its word (``"3SsnPorch"`` → ``["3ssn", "porch"]``: a three-season
    porch, not "SSN").
    """
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", str(name))
    return [tok for tok in re.split(r"[^0-9A-Za-z]+", spaced.lower()) if tok]


def name_words(name: str) -> set[str]:
    """Whole words of a column name, each also without a trailing number (``"Phone2"`` → phone2, phone)."""
    out: set[str] = set()
    for tok in name_tokens(name):
        out.add(tok)
        stripped = tok.rstrip("0123456789")
        if stripped and stripped != tok and not stripped[0].isdigit():
            out.add(stripped)
    return out


def text_values(series: pd.Series, limit: int = 1000) -> pd.Series:
    """Up to ``limit`` present values as stripped strings."""
    values = series.dropna()
    if len(values) > limit:
        values = values.sample(limit, random_state=0)
    return values.astype(str).str.strip()
