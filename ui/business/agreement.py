"""Stakeholder checklist (status, answer, date) and sign-offs recorded in the shared review log."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.store.reviews import add_review, delete_review
from core.value import (CHECK_STATUSES, DECISIONS, ROLES, SIGNOFF_KIND, SIGNOFF_STEP, SIGNOFF_SUBJECT, ChecklistItem,
                        current_signoffs, label, owner_checklist, signed_off)
from ui.business.cells import as_date, iso_date, key_for, role_id, text
from ui.business.editor import GoalEditor, save_table
from ui.context import attempt_quiet, flash, get_store, md, show_error, tr, tr_md

_QUESTIONS = ("value.check.qcd_priority", "value.check.workflow_change", "value.check.sponsor_agreement",
              "value.check.past_investment")


def _checklist_df(ed: GoalEditor) -> pd.DataFrame:
    rows = [{"role": label(c.role, ed.lang), "question": label(c.question, ed.lang), "status": c.status,
             "answer": c.answer, "date": as_date(c.date)} for c in ed.goal.checklist]
    df = pd.DataFrame(rows, columns=["role", "question", "status", "answer", "date"])
    df["date"] = pd.to_datetime(df["date"]).dt.date
    return df.astype({"role": "object", "question": "object", "status": "object", "answer": "object"})


def _rows_to_items(df: pd.DataFrame) -> list[ChecklistItem]:
    out = []
    for row in df.to_dict("records"):
        question = key_for(row.get("question"), _QUESTIONS)
        if not question and not text(row.get("role")):
            continue
        status = text(row.get("status"))
        out.append(ChecklistItem(role_id(row.get("role")), question, status if status in CHECK_STATUSES else "open",
                                 text(row.get("answer")), iso_date(row.get("date"))))
    return out


def checklist(ed: GoalEditor) -> None:
    """Questions for stakeholders, each with status, answer and date; one click adds owners' questions."""
    st.subheader(tr("business.section.checklist"))
    st.caption(tr("business.check.help"))
    config = {
        "role": st.column_config.TextColumn(tr("business.check.role"), required=True),
        "question": st.column_config.TextColumn(tr("business.check.question"), width="medium", required=True),
        "status": st.column_config.SelectboxColumn(tr("business.check.status"), options=list(CHECK_STATUSES),
                                                   default="open", required=True,
                                                   format_func=lambda s: ed.tr(f"value.status.{s}")),
        "answer": st.column_config.TextColumn(tr("business.check.answer"), width="medium"),
        "date": st.column_config.DateColumn(tr("business.check.date"), format="YYYY-MM-DD"),
    }
    edited = st.data_editor(_checklist_df(ed), key="biz_checklist", num_rows="dynamic", hide_index=True,
                            column_config=config, width="stretch", placeholder="")
    items = _rows_to_items(edited)
    if st.button(tr("business.check.add_owners"), key="biz_check_owners", icon=":material/group_add:"):
        asked = {(c.role, c.question) for c in items}
        items += [c for c in owner_checklist(ed.goal.formulas, ed.lang) if (c.role, c.question) not in asked]
    if items != ed.goal.checklist:
        ed.goal.checklist = items
        save_table(ed)
    done = sum(c.status == "answered" for c in items)
    st.progress(done / len(items) if items else 0.0, text=tr("business.check.progress", done=done, total=len(items)))


def _record(project_id: int) -> None:
    """Form callback: record the sign-off in the review log; clear the form only on success."""
    values = {k: st.session_state.get(f"biz_so_{k}") or "" for k in ("name", "role", "decision", "comment")}
    info = attempt_quiet(lambda: add_review(
        get_store(), project_id, step=SIGNOFF_STEP, kind=SIGNOFF_KIND, subject=SIGNOFF_SUBJECT,
        reviewer=values["name"], role=role_id(values["role"]), decision=values["decision"], comment=values["comment"]))
    if info:
        st.session_state["biz_so_name"] = st.session_state["biz_so_comment"] = ""
        flash(tr("business.signoff.recorded", name=md(info.reviewer), decision=tr(f"value.decision.{info.decision}")))


def _status(ed: GoalEditor) -> None:
    current = current_signoffs(ed.signoffs)
    rejected = [s for s in current if s.decision == "reject"]
    if rejected:
        names = ", ".join(f"{s.name} ({label(s.role, ed.lang)})" for s in rejected)
        st.error(tr_md("business.signoff.rejected_by", names=names), icon=":material/block:")
    elif signed_off(current):
        st.success(tr("business.signoff.done"), icon=":material/verified:")
    else:
        st.info(tr("value.issue.not_signed_off"), icon=":material/pending:")


def _log(ed: GoalEditor) -> None:
    if not ed.reviews:
        return
    rows = [{tr("business.signoff.name"): r.reviewer, tr("business.signoff.role"): label(r.role, ed.lang),
             tr("business.signoff.decision"): tr(f"value.decision.{r.decision}") if r.decision in DECISIONS
             else r.decision, tr("business.signoff.comment"): r.comment,
             tr("business.signoff.when"): r.created_at.strftime("%Y-%m-%d %H:%M")}
            for r in ed.reviews]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    with st.expander(tr("business.signoff.withdraw_title"), icon=":material/undo:"):
        names = {r.id: f"{r.reviewer} · {label(r.role, ed.lang)} · {r.created_at:%Y-%m-%d %H:%M}" for r in ed.reviews}
        chosen = st.selectbox(tr("business.signoff.withdraw_pick"), list(names), format_func=names.get,
                              key="biz_so_withdraw_pick")
        if st.button(tr("business.signoff.withdraw"), key="biz_so_withdraw", icon=":material/delete:"):
            delete_review(get_store(), chosen)
            flash(tr("business.signoff.withdrawn"), icon=":material/undo:")
            st.rerun()


def signoffs(ed: GoalEditor) -> None:
    """Sign-off of the value formula by named people in roles (one shared review log for all steps)."""
    st.subheader(tr("business.section.signoffs"))
    st.caption(tr("business.signoff.help"))
    _status(ed)
    with st.form("biz_signoff_form", clear_on_submit=False):
        cols = st.columns([2, 2, 1])
        cols[0].text_input(tr("business.signoff.name"), key="biz_so_name", max_chars=100)
        cols[1].selectbox(tr("business.signoff.role"), ROLES, index=ROLES.index("sponsor"), key="biz_so_role",
                          format_func=lambda r: label(r, ed.lang), accept_new_options=True)
        cols[2].radio(tr("business.signoff.decision"), DECISIONS, key="biz_so_decision",
                      format_func=lambda d: ed.tr(f"value.decision.{d}"))
        st.text_area(tr("business.signoff.comment"), key="biz_so_comment", max_chars=5000)
        st.form_submit_button(tr("business.signoff.submit"), key="biz_so_submit", type="primary",
                              icon=":material/how_to_reg:", on_click=_record, args=(ed.project.id,))
    show_error()
    _log(ed)
