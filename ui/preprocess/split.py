"""Split settings: test share, strategy (random / stratified / time / group), its column, seed."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.preprocess import SplitSettings
from core.preprocess.split import is_classification
from ui.context import tr

STRATEGIES = ("random", "stratified", "time", "group")


def _index(options: list[str], value: str | None) -> int:
    return options.index(value) if value in options else 0


def split_settings(base: SplitSettings, df: pd.DataFrame, target: str, kind: str, dates: list[str],
                   sfx: str) -> SplitSettings:
    """The widgets; each strategy says in one line when to use it."""
    st.caption(":material/lock: " + tr("preprocess_ui.why.split_first"))
    strategies = [s for s in STRATEGIES if s != "stratified" or is_classification(kind)]
    names = {s: tr(f"preprocess.strategy.{s}") for s in strategies}
    left, right = st.columns([3, 2])
    strategy = left.radio(tr("preprocess_ui.split.strategy"), strategies, index=_index(strategies, base.strategy),
                          format_func=names.__getitem__, key=f"pre_strategy_{sfx}")
    left.caption(tr(f"preprocess_ui.split.when_{strategy}"))
    share = right.slider(tr("preprocess_ui.split.share"), min_value=5, max_value=50, step=5,
                         value=int(round(base.test_share * 100)), format="%d%%", key=f"pre_share_{sfx}",
                         help=tr("preprocess_ui.split.share_help"))
    seed = right.number_input(tr("preprocess_ui.split.seed"), min_value=0, max_value=2**31 - 1, step=1,
                              value=int(base.seed), key=f"pre_seed_{sfx}", help=tr("preprocess_ui.split.seed_help"))
    columns = [c for c in df.columns if c != target]
    time_column = group_column = None
    if strategy == "time":
        ordered = dates + [c for c in columns if c not in dates]  # dates first; any column can be tried
        time_column = left.selectbox(tr("preprocess_ui.split.time_column"), ordered,
                                     index=_index(ordered, base.time_column), key=f"pre_time_col_{sfx}",
                                     help=tr("preprocess_ui.split.time_column_help"))
    elif strategy == "group":
        group_column = left.selectbox(tr("preprocess_ui.split.group_column"), columns,
                                      index=_index(columns, base.group_column), key=f"pre_group_col_{sfx}",
                                      help=tr("preprocess_ui.split.group_column_help"))
    return SplitSettings(strategy, share / 100, int(seed), time_column, group_column)
