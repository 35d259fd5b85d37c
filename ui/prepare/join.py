"""Join another table on a key (left join): match report first, then save as a new version."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from core.data import read_upload
from core.errors import UserError
from core.prepare import JoinReport, join_and_save, match_report, suggest_keys
from core.prepare.join import DUPLICATES
from core.analyze.saved import last_settings, run_analysis
from core.store.datasets import DatasetInfo, list_datasets
from core.store.projects import ProjectInfo
from ui.analyze.data import load_version
from ui.analyze.importer import UPLOAD_TYPES
from ui.context import attempt, flash, get_store, md, message_text, tr, tr_md

_RIGHT = "prep_join_memo"
SOURCES = ("file", "version")


def _uploaded_table(project: ProjectInfo) -> tuple[pd.DataFrame, dict[str, Any]] | None:
    file = st.file_uploader(tr("prepare.join.upload"), type=UPLOAD_TYPES, key=f"prep_join_file_{project.id}")
    if file is None:
        return None
    memo = st.session_state.get(_RIGHT)
    if not memo or memo[0] != file.file_id:
        try:
            outcome: Any = read_upload(file.getvalue(), file.name)
        except UserError as exc:
            outcome = exc
        memo = (file.file_id, outcome)
        st.session_state[_RIGHT] = memo
    if isinstance(memo[1], UserError):
        st.error(message_text(memo[1]), icon=":material/warning:")
        return None
    result = memo[1]
    return result.df, {"kind": result.source_kind, "filename": file.name, "encoding": result.encoding}


def _version_table(project: ProjectInfo, current: DatasetInfo) -> tuple[pd.DataFrame, dict[str, Any]] | None:
    others = [v for v in list_datasets(get_store(), project.id) if v.id != current.id]
    if not others:
        st.info(tr("prepare.join.no_other_version"), icon=":material/inbox:")
        return None
    names = {v.id: f"#{v.id} {v.label} ({v.n_rows:,} × {v.n_cols})" for v in others}
    chosen = st.selectbox(tr("prepare.join.version"), list(names), format_func=names.get,
                          key=f"prep_join_v_{project.id}")
    df = load_version(next(v for v in others if v.id == chosen))
    return (df, {"kind": "version", "dataset_id": chosen}) if df is not None else None


def join_tool(project: ProjectInfo, current: DatasetInfo | None) -> None:
    """Pick the other table and the keys, read the match report, save the joined data."""
    if current is None:
        st.info(tr("prepare.join.no_data"), icon=":material/inbox:")
        return
    left = load_version(current)
    if left is None:
        return
    st.caption(tr_md("prepare.join.base", id=current.id, label=current.label, rows=f"{current.n_rows:,}"))
    source = st.radio(tr("prepare.join.source"), SOURCES, horizontal=True, key=f"prep_join_source_{project.id}",
                      format_func={s: tr(f"prepare.join.source_{s}") for s in SOURCES}.__getitem__)
    picked = _uploaded_table(project) if source == "file" else _version_table(project, current)
    if picked is None:
        return
    right, right_source = picked
    lk_default, rk_default = suggest_keys(left, right)
    lcols, rcols = [str(c) for c in left.columns], [str(c) for c in right.columns]
    c1, c2, c3 = st.columns(3)
    lk = c1.selectbox(tr("prepare.join.left_key"), lcols, index=lcols.index(lk_default) if lk_default in lcols else 0,
                      key=f"prep_join_lk_{project.id}")
    rk = c2.selectbox(tr("prepare.join.right_key"), rcols, index=rcols.index(rk_default) if rk_default in rcols else 0,
                      key=f"prep_join_rk_{project.id}")
    dup = c3.radio(tr("prepare.join.duplicates"), DUPLICATES, key=f"prep_join_dup_{project.id}",
                   format_func={d: tr(f"prepare.join.duplicates_{d}") for d in DUPLICATES}.__getitem__)
    report = attempt(lambda: match_report(left, right, lk, rk))
    if report is None:
        return
    _show_report(report, rk, dup)
    if report.duplicate_keys and dup == "refuse":
        return
    label = st.text_input(tr("prepare.join.label"), value=tr("prepare.join.default_label", column=lk),
                          key=f"prep_join_label_{project.id}", max_chars=200)
    if st.button(tr("prepare.join.save"), type="primary", icon=":material/join_left:",
                 key=f"prep_join_save_{project.id}"):
        with st.spinner(tr("prepare.join.spinner")):
            _save(project, right, lk, rk, dup, right_source, label)


def _save(project: ProjectInfo, right: pd.DataFrame, lk: str, rk: str, dup: str, source: dict, label: str) -> None:
    store = get_store()
    outcome = attempt(lambda: join_and_save(store, project.id, right, lk, rk, duplicates=dup, right_source=source,
                                            label=label, created_by=project.owner))
    if not outcome:
        return
    info, created, _report = outcome
    min_rows = last_settings(store, project.id)["min_rows_per_class"]
    rediagnosed = attempt(lambda: run_analysis(store, project.id, min_rows_per_class=min_rows))
    key = "prepare.join.saved" if created else "prepare.join.exists"
    message = tr(key, id=info.id, rows=f"{info.n_rows:,}", columns=info.n_cols)
    if rediagnosed:
        message += " " + tr("prepare.join.rediagnosed")
    flash(message)
    st.rerun()


def _show_report(r: JoinReport, right_key: str, dup: str) -> None:
    c = st.columns(4)
    c[0].metric(tr("prepare.join.matched"), f"{r.match_share:.0%}", help=tr("prepare.join.matched_help"))
    c[1].metric(tr("prepare.join.unmatched_left"), f"{r.unmatched_left:,}")
    c[2].metric(tr("prepare.join.unmatched_right"), f"{r.unmatched_right_keys:,}")
    c[3].metric(tr("prepare.join.duplicate_keys"), f"{r.duplicate_keys:,}")
    if r.unmatched_examples:
        st.caption(tr_md("prepare.join.unmatched_examples", examples=", ".join(r.unmatched_examples)))
    if r.keys_as_text:
        st.caption(tr("prepare.join.keys_as_text"))
    if r.columns_added:
        st.caption(tr_md("prepare.join.columns_added", columns=", ".join(r.columns_added)))
    if r.renamed:
        st.warning(tr("prepare.join.renamed", columns=md(", ".join(r.renamed))), icon=":material/edit:")
    if r.duplicate_keys:
        alert = st.error if dup == "refuse" else st.warning
        alert(tr(f"prepare.join.duplicates_{dup}_found", count=r.duplicate_keys, rows=r.duplicate_rows,
                 column=md(right_key), examples=md(", ".join(r.duplicate_examples))), icon=":material/content_copy:")
    elif r.matched_rows == 0:
        st.warning(tr("prepare.join.no_match"), icon=":material/link_off:")
