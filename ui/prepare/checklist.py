"""Step 3's checklist: items decided by the data, and items a person confirms (who, role, when)."""

from __future__ import annotations

import streamlit as st

from core.prepare import ANSWER_STEP, DataRequest, checklist_status, open_count, role_label
from core.prepare.checklist import CONFIRM_KIND, CONFIRM_PREFIX
from core.store.projects import ProjectInfo
from core.store.reviews import add_review, list_reviews
from ui.context import attempt, flash, get_store, lang, tr, tr_md
from ui.prepare.people import who

_DEFAULT_ROLE = {"privacy": "it_auditor", "not_just_once": "product_manager", "request": "data_analyst"}


def checklist(project: ProjectInfo, found: list | None, request: DataRequest | None) -> None:
    """The items with their state; confirmable items get a small form."""
    confirmations = list_reviews(get_store(), project.id, step=ANSWER_STEP, kind=CONFIRM_KIND)
    states = checklist_status(open_count(found) if found is not None else None, request, confirmations)
    st.caption(tr("prepare.check.summary", done=sum(s.done for s in states), total=len(states)))
    for s in states:
        with st.container(border=True):
            icon = ":green[:material/check_box:]" if s.done else ":gray[:material/check_box_outline_blank:]"
            st.markdown(f"{icon} **{tr(f'prepare.check.{s.item}.title')}**")
            st.caption(tr(f"prepare.check.{s.item}.help"))
            if s.by:
                when = s.at.strftime("%Y-%m-%d") if s.at else ""
                st.caption(tr_md("prepare.check.confirmed_by", name=s.by, role=role_label(s.role, lang()), date=when))
            elif not s.done and s.confirmable:
                _confirm(project, s.item)


def _confirm(project: ProjectInfo, item: str) -> None:
    with st.expander(tr("prepare.check.confirm")):
        with st.form(f"prep_check_{item}", clear_on_submit=True):
            name, role = who(f"prep_check_{item}", _DEFAULT_ROLE.get(item, "domain_expert"))
            note = st.text_input(tr("prepare.check.note"), key=f"prep_check_{item}_note", max_chars=1000)
            if st.form_submit_button(tr("prepare.check.confirm_button"), icon=":material/done_all:",
                                     key=f"prep_check_{item}_save"):
                saved = attempt(lambda: add_review(get_store(), project.id, step=ANSWER_STEP, kind=CONFIRM_KIND,
                                                   subject=CONFIRM_PREFIX + item, reviewer=name, role=role,
                                                   decision="agree", comment=note))
                if saved:
                    flash(tr("prepare.check.saved"))
                    st.rerun()
