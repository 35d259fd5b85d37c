"""Loading dataset versions for pages (cached: a version's snapshot never changes)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core import config
from core.db import Store
from core.store.datasets import DatasetInfo, get_dataset, load_dataframe
from core.store.projects import ProjectInfo
from ui.context import attempt, get_store


@st.cache_data(max_entries=4, show_spinner=False)
def _frame(_store: Store, database: str, dataset_id: int, content_hash: str) -> pd.DataFrame:
    return load_dataframe(_store, dataset_id)


def load_version(version: DatasetInfo) -> pd.DataFrame | None:
    """A version's data (a copy); a missing snapshot shows its message and gives None."""
    return attempt(lambda: _frame(get_store(), config.database_url(), version.id, version.content_hash))


def current_version(project: ProjectInfo) -> DatasetInfo | None:
    """The project's current dataset version, or None."""
    return get_dataset(get_store(), project.current_dataset_id)


def created_by_default(project: ProjectInfo) -> str:
    """Who is recorded as having imported data when nobody typed a name: the project owner."""
    return project.owner or ""
