"""Tab "Reviews & checklist": test levels with statuses, the domain expert's review of directions."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.evaluate import Evaluation
from core.evaluate import checklist as cl
from core.explain.engine import Explanation
from core.explain.summary import get_directions_df
from ui.context import attempt, flash, get_store, lang, md, tr
from ui.evaluate.common import table

MARKS = {"passed": ":green[:material/check_circle:]", "failed": ":red[:material/cancel:]",
         "in_progress": ":orange[:material/pending:]", "open": ":gray[:material/radio_button_unchecked:]"}


def show(ev: Evaluation, expl: Explanation | None) -> None:
    """Checklist, direction review, free comment, and everything recorded so far."""
    pid = ev.data.run.project_id
    st.markdown(f"#### {tr('evaluate.check.title')}")
    st.caption(tr("evaluate.check.help"))
    lines = [f"| {tr('evaluate.col.level')} | {tr('evaluate.col.item')} | {tr('evaluate.col.role')} | "
             f"{tr('evaluate.col.status')} | {tr('evaluate.col.reviewer')} |", "|---|---|---|---|---|"]
    df = cl.get_checklist_df(get_store(), pid, _lang())
    for r in df.itertuples():
        who = f"{md(r.reviewer)} ({r.date})" if r.reviewer else ""
        lines.append(f"| {r.level_text} | {md(r.item)} | {md(r.role)} | {MARKS[r.status]} {r.status_text} | {who} |")
    st.markdown("\n".join(lines))
    _checklist_form(pid, df)
    st.markdown(f"#### {tr('evaluate.review.title')}")
    st.caption(tr("evaluate.review.help"))
    _direction_form(ev, expl, pid)
    recorded = cl.get_reviews_df(get_store(), pid, _lang())
    if not recorded.empty:
        st.markdown(f"##### {tr('evaluate.review.recorded')}")
        columns = {"what": "item", "decision_text": "decision", "reviewer": "reviewer", "role": "role", "date": "date",
                   "comment": "comment"}
        table(pd.DataFrame({tr(f"evaluate.col.{label}"): recorded[name] for name, label in columns.items()}))


def _lang() -> str:
    return lang()


def _who(prefix: str) -> tuple[str, str]:
    left, right = st.columns(2)
    name = left.text_input(tr("evaluate.review.name"), key=f"{prefix}_name")
    role = right.text_input(tr("evaluate.review.role"), key=f"{prefix}_role")
    return name, role


def _checklist_form(pid: int, df: pd.DataFrame) -> None:
    with st.form(f"ev_check_form_{pid}", clear_on_submit=False):
        items = df["id"].tolist()
        names = dict(zip(df["id"], df["item"], strict=True))
        item = st.selectbox(tr("evaluate.check.item"), items, format_func=lambda i: names[i],
                            key=f"ev_check_item_{pid}")
        status = st.radio(tr("evaluate.check.status"), list(cl.STATUS_DECISIONS), horizontal=True,
                          format_func=lambda s: tr(f"evaluate.check_status.{s}"), key=f"ev_check_status_{pid}")
        name, role = _who(f"ev_check_{pid}")
        comment = st.text_area(tr("evaluate.review.comment"), key=f"ev_check_comment_{pid}")
        if st.form_submit_button(tr("evaluate.check.save"), icon=":material/save:"):
            if attempt(lambda: cl.record_item(get_store(), pid, item, status, reviewer=name, role=role,
                                              comment=comment)) is not None:
                flash(tr("evaluate.review.saved"))
                st.rerun()


def _direction_form(ev: Evaluation, expl: Explanation | None, pid: int) -> None:
    if expl is None:
        st.info(tr("evaluate.review.need_explanations"), icon=":material/science:")
    directions = get_directions_df(expl, ev.data.X_test, lang=_lang()) if expl is not None else pd.DataFrame()
    with st.form(f"ev_review_form_{pid}"):
        choices = {}
        for k, row in enumerate(directions.itertuples()):
            st.markdown(f"**{md(row.feature)}** — {md(row.direction)}")
            choices[row.feature] = (
                st.radio(tr("evaluate.review.makes_sense"), ["", *cl.DIRECTION_DECISIONS], horizontal=True,
                         format_func=lambda d: tr(f"evaluate.review.decision_{d or 'skip'}"), key=f"ev_dir_{pid}_{k}"),
                st.text_input(tr("evaluate.review.why"), key=f"ev_dir_comment_{pid}_{k}"))
        comment = st.text_area(tr("evaluate.review.model_comment"), key=f"ev_model_comment_{pid}")
        name, role = _who(f"ev_review_{pid}")
        if st.form_submit_button(tr("evaluate.review.save"), icon=":material/rate_review:"):
            _save_review(pid, choices, comment, name, role)


def _save_review(pid: int, choices: dict, comment: str, name: str, role: str) -> None:
    picked = {f: (d, c) for f, (d, c) in choices.items() if d}
    if not picked and not comment.strip():
        st.warning(tr("evaluate.review.nothing"), icon=":material/edit_note:")
        return

    def save() -> int:
        for feature, (decision, why) in picked.items():
            cl.record_direction(get_store(), pid, feature, decision, reviewer=name, role=role, comment=why)
        if comment.strip():
            cl.record_comment(get_store(), pid, comment, reviewer=name, role=role)
        return len(picked) + bool(comment.strip())

    if attempt(save) is not None:
        flash(tr("evaluate.review.saved"))
        st.rerun()
