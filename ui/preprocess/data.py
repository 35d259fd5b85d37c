"""Column candidates for the recipe widgets (date columns are detected once per data version)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.preprocess import Recipe, date_columns
from core.store.datasets import DatasetInfo


@st.cache_data(max_entries=8, show_spinner=False)
def _detected_dates(_df: pd.DataFrame, dataset_id: int, content_hash: str) -> list[str]:
    return date_columns(_df)


def date_candidates(df: pd.DataFrame, version: DatasetInfo, recipe: Recipe) -> list[str]:
    """Columns holding dates: detected ones and those the recipe reads as dates (not the target)."""
    forced = [o["column"] for o in recipe.type_overrides if o["to"] == "date"]
    found = _detected_dates(df, version.id, version.content_hash)
    retyped = {o["column"] for o in recipe.type_overrides if o["to"] != "date"}
    return [c for c in df.columns if c != recipe.target.column and ((c in found and c not in retyped) or c in forced)]


def numeric_candidates(df: pd.DataFrame, recipe: Recipe) -> list[str]:
    """Columns a ratio or difference can use: numbers as read or retyped as numbers, not the target."""
    kinds = {o["column"]: o["to"] for o in recipe.type_overrides}
    out = []
    for c in df.columns:
        if c == recipe.target.column:
            continue
        is_number = pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
        if kinds.get(c, "numeric" if is_number else "") == "numeric":
            out.append(c)
    return out
