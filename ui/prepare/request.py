"""The 5W1H data request: drafted from the findings, edited, saved with the project, downloaded."""

from __future__ import annotations

from datetime import date

import streamlit as st

from core.prepare import DataRequest, draft_request, request_markdown, request_text
from core.prepare.request import FIELDS
from core.errors import UserError
from core.analyze.saved import AnalysisInfo
from core.prepare.requests import load_data_request, save_data_request
from core.store.projects import ProjectInfo
from ui.context import current_user, flash, get_store, lang, message_text, tr

_TEXT_FIELDS = ("title", "requester", "recipient", "date")


def current_request(project: ProjectInfo) -> DataRequest | None:
    """The saved request, or None."""
    saved = load_data_request(get_store(), project.id)
    return DataRequest.from_dict(saved) if saved else None


def _draft(project: ProjectInfo, info: AnalysisInfo) -> DataRequest:
    return draft_request(info.report, lang(), project=project.name, requester=project.owner,
                         date=date.today().isoformat())


def _forget_widgets(project: ProjectInfo) -> None:
    for name in (*_TEXT_FIELDS, *FIELDS, "columns", "base", "stale"):
        st.session_state.pop(f"prep_req_{project.id}_{name}", None)


def _save(project: ProjectInfo, request: DataRequest) -> bool:
    """Save unless someone else saved another request since this form was filled (then say so)."""
    key = f"prep_req_{project.id}"
    try:
        user = current_user()
        save_data_request(get_store(), project.id, request.to_dict(), based_on=st.session_state.get(f"{key}_base"),
                          by=(user.display_name or user.username) if user else "")
    except UserError as exc:
        if exc.key == "prepare.error.request_stale":
            st.session_state[f"{key}_stale"] = True
            st.rerun()
        st.error(message_text(exc), icon=":material/warning:")
        return False
    st.session_state[f"{key}_base"] = request.to_dict()
    st.session_state.pop(f"{key}_stale", None)
    return True


def _stale_banner(project: ProjectInfo) -> None:
    """Another save won: the typed values stay in the form until the saved request is reloaded."""
    if st.session_state.get(f"prep_req_{project.id}_stale"):
        st.error(tr("prepare.error.request_stale"), icon=":material/sync_problem:")
        st.button(tr("prepare.request.reload"), key=f"prep_req_{project.id}_reload", icon=":material/refresh:",
                  on_click=_forget_widgets, args=(project,))


def request_builder(project: ProjectInfo, info: AnalysisInfo, saved: DataRequest | None) -> None:
    """Form over the request (saved one, else a draft), then the rendered text and downloads."""
    req = saved or _draft(project, info)
    if saved is None:
        st.info(tr("prepare.request.drafted"), icon=":material/edit_note:")
    key = f"prep_req_{project.id}"
    if f"{key}_title" not in st.session_state:  # the form starts from what is saved now
        st.session_state[f"{key}_base"] = saved.to_dict() if saved else None
    _stale_banner(project)
    with st.form(key):
        st.text_input(tr("prepare.request.field.title"), value=req.title, key=f"{key}_title", max_chars=300)
        cols = st.columns(3)
        for col, name in zip(cols, ("requester", "recipient", "date"), strict=True):
            col.text_input(tr(f"prepare.request.field.{name}"), value=getattr(req, name), key=f"{key}_{name}",
                           max_chars=300, help=tr(f"prepare.request.hint.{name}"))
        for name in FIELDS:
            st.text_area(tr(f"prepare.request.field.{name}"), value=getattr(req, name), key=f"{key}_{name}",
                         help=tr(f"prepare.request.hint.{name}"), height=110)
        st.text_area(tr("prepare.request.field.columns"), value="\n".join(req.columns), key=f"{key}_columns",
                     help=tr("prepare.request.hint.columns"))
        submitted = st.form_submit_button(tr("prepare.request.save"), type="primary", icon=":material/save:",
                                          key=f"{key}_save")
    if submitted:
        values = {n: st.session_state.get(f"{key}_{n}", "") for n in (*_TEXT_FIELDS, *FIELDS)}
        columns = st.session_state.get(f"{key}_columns", "").splitlines()
        new = DataRequest(**values, columns=columns)
        if _save(project, new):
            flash(tr("prepare.request.saved"))
            st.rerun()
    if saved is not None and st.button(tr("prepare.request.redraft"), icon=":material/restart_alt:",
                                       key=f"{key}_redraft", help=tr("prepare.request.redraft_help")):
        if _save(project, _draft(project, info)):
            _forget_widgets(project)
            st.rerun()
    _output(project, req)


def _output(project: ProjectInfo, req: DataRequest) -> None:
    missing = req.missing()
    if missing:
        names = ", ".join(tr(f"prepare.request.field.{m}") for m in missing)
        st.warning(tr("prepare.request.missing", fields=names), icon=":material/edit:")
    st.markdown(f"##### {tr('prepare.request.preview')}")
    st.code(request_text(req, lang()), language=None, wrap_lines=True)
    left, right = st.columns(2)
    left.download_button(tr("prepare.request.download_md"), data=request_markdown(req, lang()).encode("utf-8"),
                         file_name=f"data-request-{project.id}.md", mime="text/markdown", on_click="ignore",
                         icon=":material/download:", key=f"prep_req_md_{project.id}")
    right.download_button(tr("prepare.request.download_txt"), data=request_text(req, lang()).encode("utf-8"),
                          file_name=f"data-request-{project.id}.txt", mime="text/plain", on_click="ignore",
                          icon=":material/download:", key=f"prep_req_txt_{project.id}")
