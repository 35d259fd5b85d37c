"""Dataset versions: list, choose the current one, compare two (columns and rows added/removed)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.data import compare_versions
from core.store.datasets import DatasetInfo, list_datasets, set_current
from core.store.projects import ProjectInfo
from ui.analyze.data import load_version
from ui.context import attempt, flash, get_store, md, tr, tr_md

_COMPARE = "ana_compare_result"


def _source(v: DatasetInfo) -> str:
    """One line saying where a version came from (file name, redacted URL, or join)."""
    s = v.source or {}
    kind = s.get("kind", "")
    if kind == "sql":
        return f"SQL · {s.get('url', '')}"
    if kind == "join":
        return tr("analyze_ui.versions.joined", parent=s.get("parent_id", "?"), column=s.get("left_key", ""))
    detail = " · ".join(str(x) for x in (s.get("filename"), s.get("encoding"), s.get("sheet")) if x)
    return f"{kind} · {detail}" if detail else kind


def _table(versions: list[DatasetInfo], current: int | None) -> pd.DataFrame:
    return pd.DataFrame([{
        tr("analyze_ui.versions.current"): "●" if v.id == current else "",
        "#": v.id, tr("analyze_ui.versions.label"): v.label, tr("analyze_ui.versions.rows"): v.n_rows,
        tr("analyze_ui.versions.columns"): v.n_cols, tr("analyze_ui.versions.source"): _source(v),
        tr("analyze_ui.versions.by"): v.created_by, tr("analyze_ui.versions.when"): v.created_at,
    } for v in versions])


def versions(project: ProjectInfo) -> None:
    """The version list with 'use as current' and a comparison of two versions."""
    found = list_datasets(get_store(), project.id)
    if not found:
        st.info(tr("analyze_ui.versions.empty"), icon=":material/inbox:")
        return
    st.dataframe(_table(found, project.current_dataset_id), hide_index=True, width="stretch")
    names = {v.id: f"#{v.id} {v.label} ({v.n_rows:,} × {v.n_cols})" for v in found}
    ids = list(names)
    index = ids.index(project.current_dataset_id) if project.current_dataset_id in ids else 0
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    chosen = left.selectbox(tr("analyze_ui.versions.choose"), ids, index=index, format_func=names.get,
                            key=f"ana_version_{project.id}")
    if right.button(tr("analyze_ui.versions.make_current"), key=f"ana_make_current_{project.id}",
                    disabled=chosen == project.current_dataset_id, icon=":material/published_with_changes:"):
        if attempt(lambda: set_current(get_store(), project.id, chosen) or True):
            flash(tr("analyze_ui.versions.now_current", label=md(names[chosen])))
            st.rerun()
    if len(found) >= 2:
        _compare(project, found, names)


def _compare(project: ProjectInfo, found: list[DatasetInfo], names: dict[int, str]) -> None:
    st.markdown(f"**{tr('analyze_ui.compare.title')}**")
    ids = list(names)
    a_col, b_col, go_col = st.columns([2, 2, 1], vertical_alignment="bottom")
    a = a_col.selectbox(tr("analyze_ui.compare.a"), ids, index=1, format_func=names.get, key=f"ana_cmp_a_{project.id}")
    b = b_col.selectbox(tr("analyze_ui.compare.b"), ids, index=0, format_func=names.get, key=f"ana_cmp_b_{project.id}")
    if go_col.button(tr("analyze_ui.compare.button"), key=f"ana_cmp_go_{project.id}", icon=":material/compare:"):
        by_id = {v.id: v for v in found}
        df_a, df_b = load_version(by_id[a]), load_version(by_id[b])
        if df_a is not None and df_b is not None:
            st.session_state[_COMPARE] = (a, b, compare_versions(df_a, df_b))
    result = st.session_state.get(_COMPARE)
    if result and result[0] in names and result[1] in names:
        _show_diff(names[result[0]], names[result[1]], result[2])


def _show_diff(a: str, b: str, diff: dict) -> None:
    st.caption(tr_md("analyze_ui.compare.between", a=a, b=b))
    if diff["identical"]:
        st.success(tr("analyze_ui.compare.identical"), icon=":material/check_circle:")
        return
    c = st.columns(4)
    c[0].metric(tr("analyze_ui.compare.rows_added"), f"{diff['rows_added']:,}")
    c[1].metric(tr("analyze_ui.compare.rows_removed"), f"{diff['rows_removed']:,}")
    c[2].metric(tr("analyze_ui.compare.columns_added"), len(diff["columns_added"]))
    c[3].metric(tr("analyze_ui.compare.columns_removed"), len(diff["columns_removed"]))
    for key in ("columns_added", "columns_removed"):
        if diff[key]:
            st.markdown(md(f"{tr(f'analyze_ui.compare.{key}')}: {', '.join(diff[key])}"))
    if diff["dtype_changes"]:
        changes = ", ".join(f"{d['column']} ({d['from']} → {d['to']})" for d in diff["dtype_changes"])
        st.markdown(md(f"{tr('analyze_ui.compare.dtype_changes')}: {changes}"))
