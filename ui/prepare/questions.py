"""Questions from the diagnosis, grouped by role, with the answers recorded (who, role, answer, when)."""

from __future__ import annotations

import streamlit as st

from core.prepare import (ANSWER_KIND, ANSWER_STEP, QuestionStatus, open_count, question_statuses, question_text,
                          role_label)
from core.prepare.answers import CHOICES, choice_label, choices_for
from core.analyze.saved import AnalysisInfo
from core.store.projects import ProjectInfo
from core.store.reviews import add_review, delete_review, list_reviews
from ui.context import attempt, flash, get_store, lang, md, tr
from ui.prepare.people import who


def statuses(project: ProjectInfo, info: AnalysisInfo) -> list[QuestionStatus]:
    """The report's questions with their recorded answers."""
    answers = list_reviews(get_store(), project.id, step=ANSWER_STEP, kind=ANSWER_KIND)
    return question_statuses(info.questions, answers)


def questions(project: ProjectInfo, info: AnalysisInfo) -> None:
    """Every question with its answers and a form to record one."""
    found = statuses(project, info)
    if not found:
        st.success(tr("prepare.questions.none"), icon=":material/check_circle:")
        return
    left = open_count(found)
    st.caption(tr("prepare.questions.summary", open=left, total=len(found)))
    roles = list(dict.fromkeys(s.question.get("role", "") for s in found))
    for role in roles:
        st.markdown(f"##### :material/person: {md(role_label(role, lang()))}")
        for status in (s for s in found if s.question.get("role", "") == role):
            _question(project, status)


def _question(project: ProjectInfo, status: QuestionStatus) -> None:
    q = status.question
    with st.container(border=True):
        icon = ":green[:material/check_circle:]" if status.answered else ":orange[:material/help:]"
        st.markdown(f"{icon} {md(question_text(q, lang()))}")
        for a in status.answers:
            _answer_line(a)
        with st.expander(tr("prepare.answer.add"), expanded=False):
            with st.form(f"prep_answer_{q['id']}", clear_on_submit=True):
                name, role = who(f"prep_ans_{q['id']}", q.get("role", "domain_expert"))
                options = choices_for(q)  # the real alternatives (quantity / code / not sure …) where they exist
                labels = {d: choice_label(d, lang()) for d in options}
                decision = st.radio(tr("prepare.answer.decision"), options, horizontal=True,
                                    format_func=labels.__getitem__, key=f"prep_ans_{q['id']}_decision",
                                    help=tr("prepare.choice.help") if q.get("key") in CHOICES else None)
                text = st.text_area(tr("prepare.answer.text"), key=f"prep_ans_{q['id']}_text", max_chars=5000)
                if st.form_submit_button(tr("prepare.answer.save"), icon=":material/send:",
                                         key=f"prep_ans_{q['id']}_save"):
                    saved = attempt(lambda: add_review(get_store(), project.id, step=ANSWER_STEP, kind=ANSWER_KIND,
                                                       subject=q["id"], reviewer=name, role=role, decision=decision,
                                                       comment=text))
                    if saved:
                        flash(tr("prepare.answer.saved", name=md(saved.reviewer)))
                        st.rerun()


def _answer_line(a) -> None:  # noqa: ANN001 - ReviewInfo
    left, right = st.columns([12, 1], vertical_alignment="center")
    when = a.created_at.strftime("%Y-%m-%d") if a.created_at else ""
    head = tr("prepare.answer.line", name=a.reviewer, role=role_label(a.role, lang()), date=when,
              decision=choice_label(a.decision, lang()) if a.decision else "")
    left.markdown(f":material/chat: {md(head)}" + (f"  \n{md(a.comment)}" if a.comment else ""))
    if right.button("", icon=":material/delete:", key=f"prep_del_{a.id}", help=tr("prepare.answer.delete"),
                    type="tertiary"):
        delete_review(get_store(), a.id)
        flash(tr("prepare.answer.deleted"))
        st.rerun()
