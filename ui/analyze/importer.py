"""Import: upload a file (preview with detected options, overrides) or run a SQL query, save as a version."""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.data import list_sheets, preview, source_kind
from core.analyze.imports import import_sql, import_upload
from core.data.limits import MAX_SQL_ROWS
from core.data.sql import DEFAULT_ROW_LIMIT
from core.data.upload import KINDS
from core.errors import UserError
from core.store.datasets import DatasetInfo
from core.store.projects import ProjectInfo
from ui.analyze.data import created_by_default
from ui.context import attempt, flash, get_store, md, message_text, tr, tr_md

UPLOAD_TYPES = sorted(ext.lstrip(".") for ext in KINDS)
ENCODINGS = (None, "utf-8", "utf-8-sig", "cp932", "euc_jp", "utf-16", "cp1252")
DELIMITERS = (None, ",", "\t", ";", "|")
HEADERS = (None, True, False)
_PREVIEW = "ana_preview_memo"
_NOTES = "ana_import_notes"


def save_upload(project_id: int, content: bytes, filename: str, options: dict[str, Any], *, label: str = "",
                created_by: str = "") -> tuple[DatasetInfo, bool, list]:
    """Parse the whole file with ``options`` and store it as a version: (version, created, warnings)."""
    return import_upload(get_store(), project_id, content, filename, options, label=label, created_by=created_by)


def save_sql(project_id: int, url: str, query: str, row_limit: int, *, label: str = "",
             created_by: str = "") -> tuple[DatasetInfo, bool, list]:
    """Run a read-only query and store the rows as a version; only the redacted URL is kept."""
    return import_sql(get_store(), project_id, url, query, row_limit,
                      label=label or tr("analyze_ui.sql.default_label"), created_by=created_by)


def _saved_message(info: DatasetInfo, created: bool) -> None:
    """Flash what happened (new version, or the same content found) and keep import warnings."""
    key = "analyze_ui.save.created" if created else "analyze_ui.save.exists"
    flash(tr_md(key, id=info.id, label=info.label, rows=info.n_rows, columns=info.n_cols),
          ":material/check_circle:" if created else ":material/content_copy:")


def show_import_notes() -> None:
    """Warnings of the last import (e.g. renamed columns, truncated query), shown once."""
    for key, params in st.session_state.pop(_NOTES, []):
        st.warning(tr_md(key, **params), icon=":material/info:")


def _finish(outcome: tuple[DatasetInfo, bool, list] | None) -> None:
    if outcome:
        info, created, warnings = outcome
        _saved_message(info, created)
        st.session_state[_NOTES] = list(warnings)
        st.rerun()


def _options(project_id: int, filename: str, content: bytes) -> dict[str, Any] | None:
    """Override widgets for encoding, delimiter, header (text) or sheet and header (Excel)."""
    kind = source_kind(filename)
    if kind == "parquet":
        return {}
    auto = tr("analyze_ui.upload.auto")
    delimiters = {d: auto if d is None else tr(f"analyze_ui.delimiter.{_DELIM_NAMES[d]}") for d in DELIMITERS}
    headers = {None: auto, True: tr("analyze_ui.upload.header_yes"), False: tr("analyze_ui.upload.header_no")}
    cols = st.columns(3)
    options: dict[str, Any] = {}
    if kind == "csv":
        options["encoding"] = cols[0].selectbox(tr("analyze_ui.upload.encoding"), ENCODINGS,
                                                key=f"ana_enc_{project_id}",
                                                format_func=lambda e: auto if e is None else e)
        options["delimiter"] = cols[1].selectbox(
            tr("analyze_ui.upload.delimiter"), DELIMITERS, key=f"ana_delim_{project_id}",
            format_func=delimiters.__getitem__)
    else:
        sheets = attempt(lambda: list_sheets(content))
        if sheets is None:
            return None
        options["sheet"] = cols[0].selectbox(tr("analyze_ui.upload.sheet"), sheets, key=f"ana_sheet_{project_id}")
    options["header"] = cols[2].selectbox(
        tr("analyze_ui.upload.header"), HEADERS, key=f"ana_header_{project_id}",
        format_func=headers.__getitem__)
    return options


_DELIM_NAMES = {",": "comma", "\t": "tab", ";": "semicolon", "|": "pipe"}


def _preview(file_id: str, filename: str, content: bytes, options: dict[str, Any]):
    """The preview for this file and these options, parsed once (kept in the session)."""
    memo_key = (file_id, tuple(sorted(options.items(), key=lambda kv: kv[0])))
    memo = st.session_state.get(_PREVIEW)
    if not memo or memo[0] != memo_key:
        try:
            with st.spinner(tr("analyze_ui.upload.reading")):
                outcome: Any = preview(content, filename, **options)
        except UserError as exc:
            outcome = exc
        memo = (memo_key, outcome)
        st.session_state[_PREVIEW] = memo
    if isinstance(memo[1], UserError):
        st.error(message_text(memo[1]), icon=":material/warning:")
        return None
    return memo[1]


def _detected(result: Any) -> None:
    """What was detected: encoding, delimiter, header, sheet; and the reader's warnings."""
    parts = []
    if result.encoding:
        parts.append(tr("analyze_ui.upload.detected_encoding", encoding=result.encoding))
    if result.delimiter:
        parts.append(tr("analyze_ui.upload.detected_delimiter",
                        delimiter=tr(f"analyze_ui.delimiter.{_DELIM_NAMES.get(result.delimiter, 'other')}")))
    if result.sheet:
        parts.append(tr("analyze_ui.upload.detected_sheet", sheet=result.sheet))
    parts.append(tr("analyze_ui.upload.header_yes" if result.has_header else "analyze_ui.upload.header_no"))
    st.caption(":material/auto_awesome: " + md(" · ".join(parts)))
    for key, params in result.warnings:
        st.warning(tr_md(key, **params), icon=":material/info:")


def upload_import(project: ProjectInfo) -> None:
    """File uploader → options → preview → save as a dataset version."""
    file = st.file_uploader(tr("analyze_ui.upload.label"), type=UPLOAD_TYPES, key=f"ana_upload_{project.id}",
                            help=tr("analyze_ui.upload.help"))
    if file is None:
        st.caption(tr("analyze_ui.upload.hint"))
        return
    content = file.getvalue()
    options = attempt(lambda: _options(project.id, file.name, content))
    if options is None:
        return
    result = _preview(file.file_id, file.name, content, options)
    if result is None:
        return
    _detected(result)
    st.caption(tr("analyze_ui.upload.preview", rows=len(result.df), columns=result.df.shape[1]))
    st.dataframe(result.df, hide_index=True, width="stretch", height=260)
    left, right = st.columns(2)
    label = left.text_input(tr("analyze_ui.save.label"), value=file.name, key=f"ana_label_{project.id}", max_chars=200)
    by = right.text_input(tr("analyze_ui.save.by"), value=created_by_default(project), key=f"ana_by_{project.id}",
                          max_chars=100)
    if st.button(tr("analyze_ui.save.button"), type="primary", icon=":material/save:", key=f"ana_save_{project.id}"):
        with st.spinner(tr("analyze_ui.save.spinner")):
            _finish(attempt(lambda: save_upload(project.id, content, file.name, options, label=label, created_by=by)))


def sql_import(project: ProjectInfo) -> None:
    """A read-only SELECT against a database URL; the password is used once and never stored."""
    st.caption(tr("analyze_ui.sql.help"))
    with st.form(f"ana_sql_{project.id}"):
        url = st.text_input(tr("analyze_ui.sql.url"), type="password", key=f"ana_sql_url_{project.id}",
                            placeholder="postgresql+psycopg://user:password@host:5432/db",
                            help=tr("analyze_ui.sql.url_help"))
        query = st.text_area(tr("analyze_ui.sql.query"), key=f"ana_sql_query_{project.id}",
                             placeholder="SELECT * FROM customers")
        left, right = st.columns(2)
        limit = left.number_input(tr("analyze_ui.sql.limit"), min_value=1, max_value=MAX_SQL_ROWS,
                                  value=DEFAULT_ROW_LIMIT, step=10_000, key=f"ana_sql_limit_{project.id}")
        label = right.text_input(tr("analyze_ui.save.label"), key=f"ana_sql_label_{project.id}", max_chars=200)
        submitted = st.form_submit_button(tr("analyze_ui.sql.run"), type="primary", icon=":material/database:",
                                          key=f"ana_sql_run_{project.id}")
    if submitted:
        with st.spinner(tr("analyze_ui.sql.spinner")):
            _finish(attempt(lambda: save_sql(project.id, url, query, int(limit), label=label,
                                             created_by=created_by_default(project))))
