"""Batch, step 3: the predictions as a table where operators mark rows correct or wrong, and outcomes files.

Feedback is edited in the table (columns "Feedback" and "True value") and saved with one
button; each row is stored on its own, so a row the core refuses (e.g. a true value that
contradicts the mark) is reported while the others are kept. An outcomes file is matched to
the batch by an ID column; IDs that match no row are listed.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from core.errors import UserError
from core.predict import OutcomeMatch, add_feedback, get_feedback_df, match_outcomes
from core.store import predictions as store_p
from core.store.model_versions import ModelInfo, get_model
from ui import state
from ui.analyze.importer import UPLOAD_TYPES
from ui.context import attempt, flash, get_store, lang, message_text, tr, tr_md
from ui.predict.upload import read_file

PAGE_ROWS = 500
MARKS = ("correct", "wrong")
_RESULT = "pb_outcomes_result"


def _with_feedback(batch: store_p.BatchInfo, table: pd.DataFrame) -> pd.DataFrame:
    """The table with the latest feedback per row (mark and true value)."""
    fb = get_feedback_df(get_store(), batch.project_id, batch.id)
    view = table.copy()
    view["feedback"], view["true_value"] = None, None
    if not fb.empty:
        latest = fb.set_index("row_index")
        marks = latest["correct"].map(lambda c: None if c is None or pd.isna(c) else MARKS[0] if c else MARKS[1])
        view["feedback"] = view["row"].map(marks).astype(object)
        view["true_value"] = view["row"].map(latest["true_value"].replace("", None)).astype(object)
    view = view.where(view.notna(), None)
    view["row"] = view["row"] + 1  # rows are numbered from 1 on the page, as in a spreadsheet
    return view


def _columns(kind: str, classes: list[str], has_id: bool) -> tuple[list[str], dict[str, Any]]:
    """Shown columns and their configuration (only feedback and true value are editable)."""
    order = ["row", *(["id"] if has_id else []), "prediction"]
    order += {"binary": ["probability", "decision"], "multiclass": ["probability"]}.get(kind, [])
    order += ["reasons", "model_version", *([] if kind == "regression" else ["feedback"]), "true_value"]
    true_value = (st.column_config.NumberColumn(tr("predict_ui.table.true_value")) if kind == "regression" else
                  st.column_config.SelectboxColumn(tr("predict_ui.table.true_value"), options=classes))
    config = {
        "row": st.column_config.NumberColumn(tr("predict_ui.table.row"), format="%d"),
        "id": st.column_config.TextColumn(tr("predict_ui.table.id")),
        "prediction": st.column_config.TextColumn(tr("predict_ui.table.prediction")),
        "probability": st.column_config.NumberColumn(tr("predict_ui.table.probability"), format="%.3f"),
        "decision": st.column_config.TextColumn(tr("predict_ui.table.decision")),
        "reasons": st.column_config.TextColumn(tr("predict_ui.table.reasons"), width="large",
                                               help=tr("predict.reasons.method.importance_x_deviation")),
        "model_version": st.column_config.TextColumn(tr("predict_ui.table.version")),
        "feedback": st.column_config.SelectboxColumn(tr("predict_ui.table.feedback"), options=list(MARKS),
                                                     width="medium",
                                                     format_func={m: tr(f"predict_ui.feedback.{m}") for m in MARKS}.get,
                                                     help=tr("predict_ui.table.feedback_help")),
        "true_value": true_value,
    }
    return order, config


def _save(batch_id: int, rows: list[int], key: str, nonce_key: str, by: str) -> None:
    """Store every edited row's feedback; report refused rows; a deleted batch stops with its message."""
    edits = (st.session_state.get(key) or {}).get("edited_rows") or {}
    saved, refused = 0, []
    for pos, change in sorted(edits.items(), key=lambda kv: int(kv[0])):
        row = rows[int(pos)]
        mark, true_value = change.get("feedback"), change.get("true_value")
        if mark is None and (true_value is None or str(true_value).strip() == ""):
            continue  # a cleared cell: nothing to record
        try:
            add_feedback(get_store(), batch_id, row, correct=None if mark is None else mark == MARKS[0],
                         true_value=true_value, given_by=by)
            saved += 1
        except UserError as exc:
            if exc.key == "predict.error.batch_missing":
                st.session_state[state.ERROR] = message_text(exc)
                return
            refused.append(tr("predict_ui.feedback.refused_row", row=row + 1, message=message_text(exc)))
    st.session_state[nonce_key] = st.session_state.get(nonce_key, 0) + 1
    st.session_state["pb_feedback_notes"] = refused
    if saved:
        flash(tr("predict_ui.feedback.saved", n=saved), ":material/thumb_up:")


def feedback_table(batch: store_p.BatchInfo, table: pd.DataFrame, by: str) -> None:
    """The predictions with editable feedback, a page at a time, and Save."""
    info: ModelInfo | None = get_model(get_store(), batch.model_id)
    kind = (batch.source.get("model") or {}).get("problem_type") or "binary"
    classes = list(info.card["target"].get("classes") or []) if info else []
    view = _with_feedback(batch, table)
    if kind == "regression":  # true values are numbers there
        view["true_value"] = pd.to_numeric(view["true_value"], errors="coerce")
    start = 0
    if len(view) > PAGE_ROWS:
        pages = list(range(0, len(view), PAGE_ROWS))
        labels = {s: tr("predict_ui.table.page_item", first=f"{s + 1:,}", last=f"{min(s + PAGE_ROWS, len(view)):,}",
                        rows=f"{len(view):,}") for s in pages}
        start = st.selectbox(tr("predict_ui.table.page"), pages, key=f"pb_page_{batch.id}_{lang()}",
                             format_func=labels.get)
    shown = view.iloc[start:start + PAGE_ROWS]
    order, config = _columns(kind, classes, "id" in view.columns)
    nonce_key = f"pb_fb_nonce_{batch.id}"
    key = f"pb_fb_{batch.id}_{start}_{st.session_state.get(nonce_key, 0)}"
    st.data_editor(shown, key=key, hide_index=True, width="stretch", column_order=order, column_config=config,
                   disabled=[c for c in shown.columns if c not in ("feedback", "true_value")], height=420,
                   placeholder="")
    for note in st.session_state.pop("pb_feedback_notes", []):
        st.warning(note, icon=":material/rule:")
    edits = len((st.session_state.get(key) or {}).get("edited_rows") or {})
    left, right = st.columns([1, 3], vertical_alignment="center")
    left.button(tr("predict_ui.feedback.save"), type="primary", icon=":material/save:", key=f"pb_fb_save_{batch.id}",
                on_click=_save, args=(batch.id, [int(r) - 1 for r in shown["row"]], key, nonce_key, by))
    right.caption(tr("predict_ui.feedback.pending", n=edits) if edits else tr("predict_ui.feedback.help"))


def _match_note(found: OutcomeMatch) -> None:
    """What matching did: matched rows, IDs that matched nothing, duplicates, empty outcomes."""
    (st.success if found.matched else st.warning)(tr("predict_ui.outcomes.matched", n=found.matched),
                                                  icon=":material/link:")
    if found.n_unmatched:
        st.warning(tr_md("predict.feedback.unmatched", count=found.n_unmatched, ids=", ".join(found.unmatched_ids)),
                   icon=":material/link_off:")
    notes = [("duplicates", found.duplicate_ids and {"ids": ", ".join(found.duplicate_ids)}),
             ("empty", found.missing_outcomes and {"n": found.missing_outcomes}),
             ("unknown", found.unknown_labels and {"values": ", ".join(found.unknown_labels)}),
             ("without", found.rows_without_outcome and {"n": found.rows_without_outcome})]
    for name, params in notes:
        if params:
            st.caption(":material/info: " + tr_md(f"predict_ui.outcomes.{name}", **params))


def outcomes(batch: store_p.BatchInfo, target: str | None, by: str) -> None:
    """Upload actual outcomes later and match them to the batch's rows by ID."""
    result = st.session_state.pop(_RESULT, None)
    if result is not None and result.batch_id == batch.id:
        _match_note(result)
    id_column = batch.source.get("id_column")
    st.caption(tr_md("predict_ui.outcomes.help", column=id_column) if id_column
               else tr("predict_ui.outcomes.help_no_id"))
    n = st.session_state.get(f"pb_out_nonce_{batch.id}", 0)
    file = st.file_uploader(tr("predict_ui.outcomes.upload"), type=UPLOAD_TYPES, key=f"pb_out_{batch.id}_{n}")
    if file is None:
        return
    read = read_file(file, {}, memo_key="pb_out_memo")
    if read is None:
        return
    columns = [str(c) for c in read.df.columns]
    left, right = st.columns(2)
    ids = left.selectbox(tr("predict_ui.outcomes.id_column"), columns, key=f"pb_out_id_{batch.id}_{n}",
                         index=columns.index(id_column) if id_column in columns else 0)
    default = columns.index(target) if target in columns else len(columns) - 1
    values = right.selectbox(tr("predict_ui.outcomes.outcome_column"), columns, index=default,
                             key=f"pb_out_value_{batch.id}_{n}")
    if st.button(tr("predict_ui.outcomes.match"), icon=":material/link:", key=f"pb_out_match_{batch.id}"):
        found = attempt(lambda: match_outcomes(get_store(), batch.id, read.df, id_column=ids, outcome_column=values,
                                               given_by=by))
        if found is not None:
            st.session_state[_RESULT] = found
            st.session_state[f"pb_out_nonce_{batch.id}"] = n + 1
            st.session_state.pop("pb_out_memo", None)
            st.rerun()
