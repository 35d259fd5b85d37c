"""Small helpers shared by the Step 6 components: numbers, money, charts, tables."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from core.evaluate import Evaluation
from core.i18n import fmt_cost, fmt_number
from ui.context import lang

CONFIG = {"displaylogo": False}


def num(value: Any, digits: int = 3) -> str:
    """A number for display ('—' when missing)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    return fmt_number(value, lang(), digits)


def money(ev: Evaluation, value: float | None) -> str:
    """An amount in the goal's currency (cents below 10 units, where a cost per case would round away)."""
    return "—" if value is None else fmt_cost(value, ev.data.goal.currency, lang())


def chart(fig: Any, key: str) -> None:
    """A Plotly figure, full width."""
    st.plotly_chart(fig, key=key, config=CONFIG, width="stretch")


def table(df: pd.DataFrame) -> None:
    """A read-only table without the index."""
    st.dataframe(df, hide_index=True, width="stretch")
