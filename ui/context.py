"""Per-rerun context for pages: the store, the UI language, the open project."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from core.db import Store, open_store
from core.errors import UserError
from core.i18n import DEFAULT_LANGUAGE, LANGUAGES, t, t_escaped
from core.messages import Message, escape_markdown
from core.store.projects import ProjectInfo, get_project, list_projects
from core.store.users import UserInfo, can_open, visible_project_ids
from ui import state

T = TypeVar("T")


@st.cache_resource(show_spinner=False)
def _store(url: str, home: str) -> Store:
    return open_store(url)


def get_store() -> Store:
    """The project store, opened and migrated once per server process and database."""
    from core import config

    return _store(config.database_url(), str(config.studio_home()))


def lang() -> str:
    """The UI language (from the session, else the link, else English)."""
    value = st.session_state.get(state.LANG) or st.query_params.get(state.QP_LANG)
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def keep_language_in_link() -> None:
    """Write the UI language into the link so that a refresh keeps it."""
    if st.query_params.get(state.QP_LANG) != lang():
        st.query_params[state.QP_LANG] = lang()


def tr(key: str, **params: Any) -> str:
    """Translate a catalog key into the UI language."""
    return t(key, lang(), **params)


def current_project_id() -> int | None:
    """The open project's id: from the link (``?project=ID``), else from this session.

    Page switches in the sidebar drop query parameters, so the id is also kept in the
    session and written back to the link, where a refresh or a shared link finds it.
    """
    raw = st.query_params.get(state.QP_PROJECT)
    try:
        pid = int(raw) if raw is not None else None
    except (TypeError, ValueError):
        pid = None
    if pid is None:
        pid = st.session_state.get(state.PROJECT_ID)
        if pid is not None:
            st.query_params[state.QP_PROJECT] = str(pid)
    st.session_state[state.PROJECT_ID] = pid
    return pid


def open_project(project_id: int | None) -> None:
    """Make a project the open one (kept in the link so a refresh reopens it)."""
    if project_id is None:
        st.query_params.pop(state.QP_PROJECT, None)
    else:
        st.query_params[state.QP_PROJECT] = str(project_id)
    st.session_state[state.PROJECT_ID] = project_id


def current_user() -> UserInfo | None:
    """The signed-in person, or None when access control is off (or nobody signed in yet)."""
    return st.session_state.get(state.USER)


def current_project() -> ProjectInfo | None:
    """The open project, or None (also when the link names a deleted project or one not shared with you)."""
    pid = current_project_id()
    if pid is None:
        return None
    store = get_store()
    if not can_open(store, pid, current_user()):
        return None
    return get_project(store, pid)


def visible_projects() -> list[ProjectInfo]:
    """The projects this visitor may open (all of them when access control is off)."""
    store, user = get_store(), current_user()
    return list_projects(store, None if user is None else visible_project_ids(store, user))


def md(text: str) -> str:
    """Escape user text for ``st.markdown`` so it shows as typed, never as markup or HTML."""
    return escape_markdown(text)


def tr_md(key: str, **params: Any) -> str:
    """Like :func:`tr`, for Markdown: text parameters (user text such as names) are escaped."""
    return t_escaped(key, lang(), md, **params)


def message_text(message: Any) -> str:
    """Any message (a ``Message``, ``UserError``, guard finding or stored ``{key, params}``) in the UI's
    language, for Markdown: its user text escaped, the catalog's own formatting kept."""
    return Message.of(message).markdown(lang())



def show_message(message: Any, kind: str = "error", icon: str | None = None) -> None:
    """The one way a page shows a message: ``st.error`` / ``warning`` / ``info`` / ``success`` / ``caption``."""
    getattr(st, kind)(message_text(message), **({"icon": icon} if icon and kind != "caption" else {}))


def attempt(action: Callable[[], T]) -> T | None:
    """Run an action; show a UserError as a translated message instead of a traceback."""
    try:
        return action()
    except UserError as exc:
        show_message(exc, "error", ":material/warning:")
        return None


def attempt_quiet(action: Callable[[], T]) -> T | None:
    """Like :func:`attempt` for widget callbacks: the message is shown by :func:`show_error`."""
    try:
        return action()
    except UserError as exc:
        st.session_state[state.ERROR] = message_text(exc)
        return None


def show_error(icon: str = ":material/warning:") -> None:
    """Display and clear an error left by a callback."""
    message = st.session_state.pop(state.ERROR, None)
    if message:
        st.error(message, icon=icon)


def flash(message: str, icon: str = ":material/check_circle:") -> None:
    """Show a message once after the next rerun (e.g. after a button that reruns)."""
    st.session_state[state.FLASH] = (message, icon)


def show_flash() -> None:
    """Display and clear a pending flash message."""
    pending = st.session_state.pop(state.FLASH, None)
    if pending:
        st.success(pending[0], icon=pending[1])
