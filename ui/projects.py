"""Project home components: create, manage (rename, duplicate, delete) and the step tracker."""

from __future__ import annotations

import streamlit as st

from core.i18n import DEFAULT_CURRENCY
from core.progress import DONE, IN_PROGRESS, StepStatus, project_progress
from core.store.datasets import origin
from core.store.duplicate import duplicate_project
from core.store.projects import (
    CURRENCIES,
    ProjectInfo,
    create_project,
    delete_project,
    unique_copy_name,
    update_project,
)
from core.store.users import OWNER, can_share, list_users, members, set_shared_with
from ui.context import (
    attempt,
    attempt_quiet,
    current_user,
    flash,
    get_store,
    lang,
    md,
    message_text,
    open_project,
    show_error,
    tr,
    tr_md,
)

STEP_PAGES = {
    "business": "pages/business.py", "analyze": "pages/analyze.py", "prepare": "pages/prepare.py",
    "preprocess": "pages/preprocess.py", "train": "pages/train.py", "test": "pages/evaluate.py",
}
_ICONS = {DONE: ":material/check_circle:", IN_PROGRESS: ":material/pending:", "not_started": ":material/radio_button_unchecked:"}


def _create_from_form() -> None:
    """Form callback: create the project, open it, and clear the form only on success."""
    values = {k: st.session_state.get(f"new_{k}", "") for k in ("name", "description", "owner")}
    project = attempt_quiet(lambda: create_project(get_store(), values["name"], values["description"],
                                                   values["owner"], language=lang(),
                                                   currency=st.session_state.get("new_currency"),
                                                   owned_by=_username()))
    if project:
        for key in values:
            st.session_state[f"new_{key}"] = ""
        open_project(project.id)
        flash(tr("home.created", name=md(project.name)))


def _username() -> str | None:
    user = current_user()
    return user.username if user else None


def create_form() -> None:
    """Form to create a project; on success the new project is opened."""
    user = current_user()
    if user is not None and not st.session_state.get("new_owner"):
        st.session_state["new_owner"] = user.label  # who is signed in owns what they create
    with st.form("create_project"):
        st.markdown(f"**{tr('home.create.title')}**")
        st.text_input(tr("home.create.name"), key="new_name", max_chars=200)
        st.text_area(tr("home.create.description"), key="new_description")
        st.text_input(tr("home.create.owner"), key="new_owner")
        st.selectbox(tr("home.create.currency"), CURRENCIES, key="new_currency",
                     index=CURRENCIES.index(DEFAULT_CURRENCY[lang()]))
        st.form_submit_button(tr("home.create.submit"), type="primary", on_click=_create_from_form)
        show_error()


def tracker(project: ProjectInfo) -> None:
    """The six steps with their state and what is missing, each linking to its page."""
    statuses = project_progress(get_store(), project.id)
    cols = st.columns(len(statuses))
    for col, status in zip(cols, statuses, strict=True):
        with col.container(border=True):
            _step_card(status)


def _step_card(status: StepStatus) -> None:
    st.page_link(STEP_PAGES[status.step], label=tr(f"nav.{status.step}"))
    st.markdown(f"{_ICONS[status.state]} {tr(f'progress.state.{status.state}')}")
    for key, params in status.missing:
        st.caption(tr(key, **params))


def project_header(project: ProjectInfo) -> None:
    """Name, owner and description of the open project, shown as plain text."""
    st.subheader(md(project.name))
    meta = tr("home.meta", owner=project.owner or "—", currency=project.currency)
    st.caption(md(meta))
    if project.description:
        st.markdown(md(project.description))
    elif (made := origin(get_store(), project.id)) is not None:
        st.caption(message_text(made))


def manage(project: ProjectInfo) -> None:
    """Rename, change settings, duplicate and delete the open project."""
    with st.expander(tr("home.manage.title")):
        _settings(project)
        st.divider()
        _duplicate(project)
        if current_user() is not None:
            st.divider()
            _sharing(project)
        if current_user() is None or can_share(get_store(), project.id, current_user()):
            st.divider()
            _delete(project)


_SETTINGS = ("name", "owner", "description", "currency")


def _settings(project: ProjectInfo) -> None:
    # The values the form was filled from, kept until a save: saving over someone else's change
    # to these fields is refused with a notice instead of silently undoing it.
    loaded_key = f"settings_loaded_{project.id}"
    widgets = {"name": f"rename_{project.id}", "owner": f"owner_{project.id}",
               "description": f"description_{project.id}", "currency": f"currency_{project.id}"}
    current = {k: getattr(project, k) for k in _SETTINGS}
    loaded = st.session_state.get(loaded_key)
    untouched = loaded is None or all(st.session_state.get(widgets[k], loaded[k]) == loaded[k] for k in _SETTINGS)
    if untouched and loaded != current:  # nothing typed yet: show the project as it is now
        loaded = st.session_state[loaded_key] = current
        for field, key in widgets.items():
            st.session_state[key] = current[field]
        if current["currency"] not in CURRENCIES:  # an old or hand-edited value: offer the first instead
            st.session_state[widgets["currency"]] = CURRENCIES[0]
    with st.form(f"settings_{project.id}"):
        name = st.text_input(tr("home.create.name"), key=widgets["name"])
        owner = st.text_input(tr("home.create.owner"), key=widgets["owner"])
        description = st.text_area(tr("home.create.description"), key=widgets["description"])
        currency = st.selectbox(tr("home.create.currency"), CURRENCIES, key=widgets["currency"])
        if st.form_submit_button(tr("home.manage.save")):
            def save() -> ProjectInfo:
                return update_project(get_store(), project.id, loaded=loaded, name=name, owner=owner,
                                      description=description, currency=currency)

            saved = attempt(save)
            if saved:
                st.session_state[loaded_key] = {k: getattr(saved, k) for k in _SETTINGS}
                flash(tr("home.saved"))
                st.rerun()
    if any(getattr(project, k) != v for k, v in loaded.items()):
        st.caption(tr("home.manage.changed_elsewhere"))
        if st.button(tr("home.manage.reload"), key=f"settings_reload_{project.id}", icon=":material/refresh:"):
            for key in (loaded_key, *widgets.values()):
                st.session_state.pop(key, None)
            st.rerun()


def _duplicate(project: ProjectInfo) -> None:
    st.caption(tr("home.manage.duplicate_help"))
    if st.button(tr("home.manage.duplicate"), key=f"duplicate_{project.id}"):
        store = get_store()
        copy = attempt(lambda: duplicate_project(store, project.id, unique_copy_name(store, project.name, lang()),
                                                 owned_by=_username()))
        if copy:
            open_project(copy.id)
            flash(tr("home.duplicated", name=md(copy.name)))
            st.rerun()


def _sharing(project: ProjectInfo) -> None:
    """Who may open the project (access control on): its owner and the people it is shared with."""
    store, user = get_store(), current_user()
    st.markdown(f"**{tr('auth.share.title')}**")
    current = members(store, project.id)
    owners = sorted(u for u, r in current.items() if r == OWNER)
    st.caption(tr_md("auth.share.owner", names=", ".join(owners) or "—"))
    if project.is_demo:
        st.caption(tr("auth.share.demo"))
        return
    if not can_share(store, project.id, user):
        st.caption(tr_md("auth.share.members", names=", ".join(sorted(u for u in current if u not in owners)) or "—"))
        return
    # disabled people stay listed, so saving does not drop them (they regain access if re-enabled)
    others = [u.username for u in list_users(store) if u.username not in owners]
    chosen = st.multiselect(tr("auth.share.with"), others, default=[u for u in current if u in others],
                            key=f"share_{project.id}", help=tr("auth.share.help"))
    if st.button(tr("auth.share.save"), key=f"share_save_{project.id}"):
        if attempt(lambda: set_shared_with(store, project.id, user, chosen)) is not None:
            flash(tr("auth.share.saved", count=len(chosen)))
            st.rerun()


def _delete(project: ProjectInfo) -> None:
    st.caption(tr("home.manage.delete_help"))
    st.markdown(tr_md("home.manage.delete_confirm", name=project.name))
    # The label stays plain: a widget label is also the field's accessible name, where escapes would be read out
    typed = st.text_input(tr("home.manage.delete_type_name"), key=f"delete_name_{project.id}")
    if st.button(tr("home.manage.delete"), key=f"delete_{project.id}", type="secondary"):
        if typed.strip() != project.name:
            st.error(tr("home.manage.delete_mismatch"), icon=":material/warning:")
            return
        delete_project(get_store(), project.id)
        open_project(None)
        flash(tr("home.deleted", name=md(project.name)))
        st.rerun()
