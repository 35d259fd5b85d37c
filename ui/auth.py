"""Sign-in for a team server (``ML_STUDIO_AUTH=users``); nothing to do when access control is off."""

from __future__ import annotations

import streamlit as st

from core.auth import auth_enabled
from core.store.users import UserInfo, authenticate, can_open, get_user, list_users
from ui import state
from ui.context import attempt_quiet, current_user, get_store, show_error, tr
from ui.language import language_switch


def signed_in() -> bool:
    """True when the visitor may go on: access control is off, or a still-active user signed in.

    The signed-in user is re-read on every run, so disabling someone takes effect at their next click.
    """
    if not auth_enabled():
        st.session_state.pop(state.USER, None)
        return True
    user = current_user()
    if user is not None:
        fresh = get_user(get_store(), user.username)
        if fresh is not None and fresh.is_active and fresh.stamp == user.stamp:  # not disabled, same password
            st.session_state[state.USER] = fresh
            return True
        st.session_state.pop(state.USER, None)
    return False


def still_allowed(project_id: int | None) -> bool:
    """For code that runs without the main script (fragments, widget callbacks): the visitor is
    still signed in and may still open this project. Always True when access control is off."""
    if not signed_in():
        return False
    return project_id is not None and can_open(get_store(), project_id, current_user())


def _sign_in(username: str, password: str) -> None:
    user: UserInfo | None = attempt_quiet(lambda: authenticate(get_store(), username, password))
    if user is not None:
        st.session_state[state.USER] = user


def sign_in_page() -> None:
    """The only page a visitor who has not signed in can reach (widgets live in a page, so that
    their state survives the form's submit run)."""
    language_switch()
    st.title(tr("app.name"))
    st.caption(tr("auth.sign_in.why"))
    if not list_users(get_store()):  # switched on before anyone was given an account
        st.warning(tr("auth.sign_in.no_users"), icon=":material/person_add:")
    with st.form("sign_in"):
        username = st.text_input(tr("auth.sign_in.username"), key="auth_username", autocomplete="username")
        password = st.text_input(tr("auth.sign_in.password"), type="password", key="auth_password",
                                 autocomplete="current-password")
        submitted = st.form_submit_button(tr("auth.sign_in.submit"), type="primary")
    if submitted:
        _sign_in(username, password)
        st.session_state.pop("auth_password", None)
        if st.session_state.get(state.USER) is not None:
            st.rerun()
    show_error(":material/lock:")
    st.caption(tr("auth.sign_in.help"))


def sign_out() -> None:
    """Forget everything of this session but its language (button callback): the next person starts clean."""
    for key in list(st.session_state.keys()):
        if key not in (state.LANG, state.LANG_PICKER):
            del st.session_state[key]
    st.query_params.pop(state.QP_PROJECT, None)
