"""Batch, step 2: the stored batches; live progress of one being scored; results and downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.i18n import fmt_threshold, t
from core.messages import Message
from core.predict import GuardReport, export_csv, export_excel, refresh_batch
from core.predict.exports import EXCEL_MAX_ROWS
from core.predict.plots import plot_probability
from core.store import predictions as store_p
from core.store.model_versions import ModelInfo
from core.store.projects import ProjectInfo
from ui.auth import still_allowed
from ui.context import attempt, flash, get_store, lang, md, message_text, show_message, tr
from ui.predict import feedback
from ui.predict.common import QP_BATCH, chart, db_key, operator_name
from ui.predict.upload import upload

POLL_S = 2


@st.cache_data(max_entries=4, show_spinner=False)
def batch_table(db: str, batch_id: int, n_done: int, language: str) -> pd.DataFrame:
    """A finished batch: row, ID (when the batch has one) and the model's outputs, reasons in words."""
    batch = store_p.require_batch(get_store(), batch_id)
    preds = store_p.load_predictions_df(get_store(), batch_id)
    model = batch.source.get("model") or {}
    fallback = f"v{model['version']}" if model.get("version") else t("predict_ui.batches.run", language,
                                                                      run=model.get("run_id"))
    table = pd.DataFrame({"row": preds["row_index"].astype(int), "prediction": preds["prediction"],
                          "probability": pd.to_numeric(preds["probability"], errors="coerce"),
                          "decision": preds["decision"],
                          "reasons": [reasons_line(r, language) for r in preds["reasons"]],
                          "model_version": [fallback if pd.isna(v) else f"v{int(v)}" for v in preds["model_version"]]})
    if batch.source.get("id_column"):
        table.insert(1, "id", preds["row_key"].astype(str))
    return table


def reasons_line(reasons: list[dict], language: str) -> str:
    """Up to three reasons in one line: ``Day Mins = 320.5 (typical 180.1); …``."""
    def shown(value: object) -> str:
        return "—" if value is None else f"{value:.6g}" if isinstance(value, float) else str(value)

    return "; ".join(t("predict_ui.table.reason", language, feature=r.get("feature"), value=shown(r.get("value")),
                       typical=shown(r.get("typical"))) for r in reasons or [])


def _label(batch: store_p.BatchInfo) -> str:
    return tr("predict_ui.batches.item", id=batch.id, file=batch.source.get("filename") or "—",
              rows=f"{batch.n_rows:,}", status=tr(f"predict.status.{batch.status}"),
              when=batch.created_at.strftime("%Y-%m-%d %H:%M"))


def _show(key: str) -> None:
    st.query_params[QP_BATCH] = str(st.session_state[key])


def pick_batch(project: ProjectInfo) -> store_p.BatchInfo | None:
    """The batch to show: the one in the link, else the newest (written back to the link)."""
    found = store_p.list_batches(get_store(), project.id)
    if not found:
        st.caption(tr("predict_ui.batches.none"))
        return None
    by_id = {b.id: b for b in found}
    raw = st.query_params.get(QP_BATCH)
    current = int(raw) if raw and raw.isdigit() and int(raw) in by_id else found[0].id
    if st.query_params.get(QP_BATCH) != str(current):
        st.query_params[QP_BATCH] = str(current)
    key = f"pb_pick_{project.id}_{lang()}"  # the labels are translated
    st.session_state[key] = current
    labels = {i: _label(b) for i, b in by_id.items()}  # translated now: format_func may run outside the script
    st.selectbox(tr("predict_ui.batches.pick"), list(by_id), key=key, format_func=labels.__getitem__,
                 on_change=_show, args=(key,))
    return refresh_batch(get_store(), current)


@st.fragment(run_every=POLL_S)
def live(batch_id: int) -> None:
    """Progress of a batch being scored in the background; the page reruns when it has ended."""
    batch = refresh_batch(get_store(), batch_id)
    if batch is None or batch.status not in store_p.ACTIVE or not still_allowed(batch.project_id):
        st.rerun()  # the whole page
    st.markdown(f"**:blue[:material/progress_activity: {tr(f'predict.status.{batch.status}')}]**")
    st.progress(min(max(batch.progress, 0.0), 1.0),
                text=tr("predict_ui.live.progress", done=f"{batch.n_done:,}", rows=f"{batch.n_rows:,}"))
    st.caption(tr("predict_ui.live.help"))


def summary(batch: store_p.BatchInfo) -> None:
    """Who scored what, with which model and threshold; the guard's warnings kept with the batch."""
    model = batch.source.get("model") or {}
    threshold = batch.source.get("threshold")
    version = f"v{model['version']}" if model.get("version") else tr("predict_ui.batches.run", run=model.get("run_id"))
    parts = [tr("predict_ui.batches.summary", id=batch.id, rows=f"{batch.n_rows:,}", by=batch.created_by or "—",
                version=version, model=model.get("name", "—"))]
    if threshold:
        parts.append(tr("predict_ui.model.threshold", value=fmt_threshold(threshold["value"], lang()),
                        source=tr(f"predict.threshold.source.{threshold['source']}")))
    st.caption(":material/receipt_long: " + md(" · ".join(parts)))
    warnings = GuardReport.from_dict(batch.source.get("guard")).warnings
    if warnings:
        with st.expander(tr("predict_ui.batches.warnings", n=len(warnings)), icon=":material/info:"):
            for issue in warnings:
                st.markdown(f"- {message_text(issue)}")


def downloads(batch: store_p.BatchInfo) -> None:
    """CSV and Excel of the batch (inputs and outputs; formulas neutralised by the core)."""
    store, bid, language = get_store(), batch.id, lang()  # the file is built later, outside this run
    row = st.container(horizontal=True)
    row.download_button(tr("predict_ui.batches.csv"), data=lambda: export_csv(store, bid, language),
                        file_name=f"batch-{bid}.csv",
                        mime="text/csv", on_click="ignore", icon=":material/download:", key=f"pb_csv_{bid}")
    too_big = batch.n_rows > EXCEL_MAX_ROWS
    excel = (lambda: b"") if too_big else (lambda: export_excel(store, bid, language))
    row.download_button(tr("predict_ui.batches.excel"), data=excel, file_name=f"batch-{bid}.xlsx", on_click="ignore",
                        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        icon=":material/download:", key=f"pb_xlsx_{bid}", disabled=too_big,
                        help=tr("predict_ui.batches.excel_too_big") if too_big else None)
    st.caption(tr("predict_ui.batches.download_help"))


def probability(batch: store_p.BatchInfo, table: pd.DataFrame) -> None:
    """How the batch's probabilities spread (around the threshold for a binary model)."""
    threshold = (batch.source.get("threshold") or {}).get("value")
    chart(plot_probability(table, threshold, lang()), f"pb_proba_{batch.id}")


def ended(batch: store_p.BatchInfo) -> bool:
    """A failed batch's message (True when the batch is done and can be shown)."""
    if batch.status == store_p.DONE:
        return True
    if batch.status == store_p.FAILED:
        show_message(batch.error or Message("predict.error.unexpected", {"detail": "—"}), "error", ":material/error:")
        st.caption(tr("predict_ui.batches.failed_help"))
    return False


def delete(batch: store_p.BatchInfo) -> None:
    """Delete a batch with its predictions and feedback (asked twice)."""
    with st.popover(tr("predict_ui.batches.delete"), icon=":material/delete:"):
        st.caption(tr("predict_ui.batches.delete_help", id=batch.id))
        if st.button(tr("predict_ui.batches.delete_confirm", id=batch.id), key=f"pb_delete_{batch.id}", type="primary"):
            if attempt(lambda: store_p.delete_batch(get_store(), batch.id)) is not None:
                st.query_params.pop(QP_BATCH, None)
                flash(tr("predict_ui.batches.deleted", id=batch.id), ":material/delete:")
            st.rerun()


def table_of(batch: store_p.BatchInfo) -> pd.DataFrame | None:
    """The finished batch's table (None with a message when its stored input is gone)."""
    return attempt(lambda: batch_table(db_key(), batch.id, batch.n_done, lang()))


def show(project: ProjectInfo, model: ModelInfo) -> None:
    """The batch tab: upload and score a file, then the chosen batch with downloads, feedback and outcomes."""
    by = operator_name(project, "batch")
    st.subheader(f":material/upload_file: {tr('predict_ui.batch.title')}")
    upload(project, model, by)
    st.divider()
    st.subheader(f":material/table_view: {tr('predict_ui.batches.title')}")
    batch = pick_batch(project)
    if batch is not None and batch.status in store_p.ACTIVE:
        live(batch.id)
    elif batch is not None and ended(batch) and (table := table_of(batch)) is not None:
        summary(batch)
        downloads(batch)
        if model.card["target"]["problem_type"] != "regression":
            with st.expander(tr("predict_ui.batches.distribution"), icon=":material/bar_chart:"):
                probability(batch, table)
        st.markdown(f"#### :material/thumbs_up_down: {tr('predict_ui.feedback.title')}")
        feedback.feedback_table(batch, table, by)
        st.markdown(f"#### :material/fact_check: {tr('predict_ui.outcomes.title')}")
        feedback.outcomes(batch, model.card["target"].get("column"), by)
    if batch is not None:
        delete(batch)
