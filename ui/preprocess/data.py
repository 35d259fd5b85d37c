"""Column candidates for the recipe widgets (date columns detected once per data version); rows a version trains on."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from core.preprocess import Recipe, SavedRecipe, columns, date_columns
from core.preprocess.removed import has_row_filters, saved_training_rows
from core.store.datasets import DatasetInfo
from ui.context import get_store


@st.cache_data(max_entries=8, show_spinner=False)
def _detected_dates(_df: pd.DataFrame, dataset_id: int, content_hash: str) -> list[str]:
    return date_columns(_df)


def date_candidates(df: pd.DataFrame, version: DatasetInfo, recipe: Recipe) -> list[str]:
    """Columns holding dates (detection cached per data version; the rule is ``core.preprocess.columns``)."""
    return columns.date_candidates(df.columns, _detected_dates(df, version.id, version.content_hash), recipe)


numeric_candidates = columns.numeric_candidates


@st.cache_data(max_entries=64, show_spinner=False)
def _training_rows(url: str, recipe_id: int) -> dict[str, Any] | None:
    return saved_training_rows(get_store(), recipe_id)


def training_rows_of(saved: SavedRecipe) -> dict[str, Any]:
    """Rows a saved version trains on and those its filters leave out (recomputed only when it has filters)."""
    counts = saved.split.counts()
    plain = {"split_train": counts["train"], "train_rows": counts["train"], "test_rows": counts["test"],
             "removed": 0, "reasons": []}
    if not has_row_filters(saved.recipe):
        return plain
    url = get_store().engine.url.render_as_string(hide_password=False)
    return _training_rows(url, saved.info.id) or plain
