"""Every run of the project, a way to open one, and runs compared side by side."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from core.store import runs
from core.store.projects import ProjectInfo
from core.train import compare_runs
from ui.context import get_store, tr
from ui.train.runs import elapsed_text, metric_label, show_run


def _table(found: list[runs.RunInfo]) -> pd.DataFrame:
    return pd.DataFrame([{
        "#": r.id, tr("train_ui.history.status"): tr(f"train.status.{r.status}"),
        tr("train_ui.history.preset"): tr(f"train.preset.{r.settings.get('preset', 'quick')}"),
        tr("train_ui.history.metric"): metric_label(r.record.get("metric")),
        tr("train_ui.history.best"): r.chosen_model or "—",
        tr("train_ui.history.score"): r.metrics.get("score"),
        tr("train_ui.history.elapsed"): elapsed_text(r.elapsed_s),
        tr("train_ui.history.by"): r.created_by, tr("train_ui.history.when"): r.created_at,
    } for r in found])


def history(project: ProjectInfo, shown: runs.RunInfo | None) -> None:
    """The run list, 'show this run' (kept in the link), and a side-by-side comparison."""
    found = runs.list_runs(get_store(), project.id)
    if not found:
        st.caption(tr("train_ui.history.empty"))
        return
    st.dataframe(_table(found), hide_index=True, width="stretch")
    ids = [r.id for r in found]
    left, right = st.columns(2)
    key = f"trn_show_{project.id}"
    st.session_state[key] = shown.id if shown and shown.id in ids else ids[0]
    left.selectbox(tr("train_ui.history.show"), ids, key=key, format_func=lambda i: f"#{i}",
                   on_change=lambda: show_run(st.session_state[key]))
    ended = [r.id for r in found if r.status == runs.SUCCEEDED]
    if len(found) < 2:
        return
    picked = right.multiselect(tr("train_ui.compare.label"), ids, default=ended[:2] or ids[:2],
                               format_func=lambda i: f"#{i}", key=f"trn_compare_{project.id}_{len(ended)}",
                               placeholder=tr("train_ui.compare.placeholder"))
    if picked:
        table = compare_runs(get_store(), picked)
        shown = pd.DataFrame({f"#{c}": [_value(name, v) for name, v in table[c].items()] for c in table.columns})
        shown.index = [tr(f"train_ui.compare.{name}") for name in table.index]
        st.dataframe(shown, width="stretch", height=min(35 * (len(shown) + 1) + 3, 800))


def _value(name: str, value: Any) -> str:
    """One compared fact in words (statuses, presets, metrics and strategies translated)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    names = {"status": "train.status.{}", "preset": "train.preset.{}", "split_strategy": "preprocess.strategy.{}"}
    if name == "metric":
        return metric_label(value)
    if name in names:
        return tr(names[name].format(value))
    if isinstance(value, bool):
        return "✓" if value else "—"
    if name == "test_share":
        return f"{float(value):.0%}"
    if name == "created_at":
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, float):
        return f"{value:,.4g}" if name.endswith("score") or name == "score_val" else f"{value:,.1f}"
    return str(value)
