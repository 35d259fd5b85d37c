"""Batch, step 1: upload a file (the Analyze import), check its columns against the model, score it.

The column guard runs before anything is stored: blocking issues (missing columns, text
where numbers are expected, an empty file) disable the Score button; warnings (extra
columns, unseen categories, values outside the training range) are shown and kept with the
batch. Small files are scored inline; large ones by a background worker (see ``batches``).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from core.data import read_upload
from core.errors import UserError
from core.predict import GuardReport, check_for_model, score_batch
from core.predict.model import load_model
from core.predict.scoring import BACKGROUND_ROWS, guess_id_column
from core.store import predictions as store_p
from core.store.model_versions import ModelInfo
from core.store.projects import ProjectInfo
from ui.analyze.importer import UPLOAD_TYPES, _detected, _options
from ui.context import attempt, flash, get_store, lang, message_text, tr, tr_md
from ui.predict.common import QP_BATCH

_READ = "pb_read_memo"


def nonce(project_id: int) -> int:
    """Bumped after a batch is stored, so the uploader starts empty again."""
    return int(st.session_state.get(f"pb_nonce_{project_id}", 0))


def read_file(file: Any, options: dict[str, Any], memo_key: str = _READ) -> Any:
    """The whole uploaded file parsed once per file and options (an ImportResult), or None after an error."""
    content = file.getvalue()
    key = (file.file_id, tuple(sorted(options.items(), key=lambda kv: kv[0])))
    memo = st.session_state.get(memo_key)
    if not memo or memo[0] != key:
        try:
            with st.spinner(tr("predict_ui.batch.reading")):
                outcome: Any = read_upload(content, file.name, **options)
        except UserError as exc:
            outcome = exc
        memo = (key, outcome)
        st.session_state[memo_key] = memo
    if isinstance(memo[1], UserError):
        st.error(message_text(memo[1]), icon=":material/warning:")
        return None
    return memo[1]


def show_report(report: GuardReport) -> None:
    """The guard's findings: blocking ones as errors, the rest as warnings; or 'ready'."""
    for issue in report.blocking:
        st.error(message_text(issue), icon=":material/block:")
    for issue in report.warnings:
        st.warning(message_text(issue), icon=":material/info:")
    if report.ok and not report.warnings:
        st.success(tr("predict_ui.batch.guard_clean", rows=f"{report.n_rows:,}"), icon=":material/verified:")
    elif report.ok:
        st.info(tr("predict_ui.batch.guard_ok", rows=f"{report.n_rows:,}"), icon=":material/rule:")
    else:
        st.caption(tr("predict_ui.batch.guard_blocked"))


def _id_column(project: ProjectInfo, model: ModelInfo, df: pd.DataFrame, key: str) -> str | None:
    """Which column identifies a row (to match outcomes later); proposed from the recipe's dropped IDs."""
    guess = guess_id_column(df, load_model(get_store(), model)) if len(df) else None
    options = [None, *[str(c) for c in df.columns]]
    none = tr("predict_ui.batch.no_id")  # translated now: format_func may run outside the script
    chosen = st.selectbox(tr("predict_ui.batch.id_column"), options, index=options.index(guess) if guess else 0,
                          key=key, format_func=lambda c: none if c is None else c, help=tr("predict_ui.batch.id_help"))
    if chosen is not None and not df[chosen].is_unique:
        st.warning(tr_md("predict_ui.batch.id_not_unique", column=chosen), icon=":material/fingerprint:")
    return chosen


def upload(project: ProjectInfo, model: ModelInfo, by: str) -> None:
    """File → read → column guard → Score (stored as a batch)."""
    n = nonce(project.id)
    file = st.file_uploader(tr("predict_ui.batch.upload"), type=UPLOAD_TYPES, key=f"pb_upload_{project.id}_{n}",
                            help=tr("predict_ui.batch.upload_help"))
    if file is None:
        st.caption(tr("predict_ui.batch.upload_hint"))
        return
    content = file.getvalue()
    with st.expander(tr("predict_ui.batch.options"), icon=":material/settings:"):
        options = attempt(lambda: _options(project.id, file.name, content))
    if options is None:
        return
    result = read_file(file, options)
    if result is None:
        return
    df = result.df
    _detected(result)
    st.caption(tr("predict_ui.batch.read", rows=f"{len(df):,}", columns=df.shape[1]))
    id_column = _id_column(project, model, df, f"pb_id_{project.id}_{n}_{lang()}")  # labels are translated
    report = attempt(lambda: check_for_model(get_store(), project.id, df, model.id, id_column))
    if report is None:
        return
    show_report(report)
    if len(df) > BACKGROUND_ROWS:
        st.caption(tr("predict_ui.batch.background_note", rows=f"{BACKGROUND_ROWS:,}"))
    if st.button(tr("predict_ui.batch.score"), type="primary", icon=":material/play_arrow:",
                 key=f"pb_score_{project.id}", disabled=not report.ok,
                 help=None if report.ok else tr("predict_ui.batch.score_disabled")):
        with st.spinner(tr("predict_ui.batch.scoring", rows=f"{len(df):,}")):
            batch_id = attempt(lambda: score_batch(get_store(), project.id, df, model_id=model.id, id_column=id_column,
                                                   filename=file.name, created_by=by))
        if batch_id is not None:
            st.session_state[f"pb_nonce_{project.id}"] = n + 1
            st.session_state.pop(_READ, None)
            st.query_params[QP_BATCH] = str(batch_id)
            done = getattr(store_p.get_batch(get_store(), batch_id), "status", "") == store_p.DONE
            key = "predict_ui.batch.stored" if done else "predict_ui.batch.started"
            flash(tr(key, id=batch_id, rows=f"{len(df):,}"), ":material/task_alt:")
            st.rerun()
