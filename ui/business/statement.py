"""The value statement: who benefits and how, before and after, whose problem it is."""

from __future__ import annotations

import streamlit as st

from core.value import ValueStatement
from ui.business.editor import GoalEditor, seed
from ui.context import md, tr

_FIELDS = ("as_a", "i_want", "so_that", "before", "after", "problem_owner")
_LONG = {"before", "after"}


def guide() -> None:
    """A short What / Why / How guide for this step."""
    with st.expander(tr("business.guide.title"), icon=":material/lightbulb:"):
        for part in ("what", "why", "how"):
            st.markdown(f"**{tr(f'business.guide.{part}_title')}** {tr(f'business.guide.{part}')}")


def _field(name: str, value: str) -> str:
    key = f"biz_st_{name}"
    seed(key, value)
    widget = st.text_area if name in _LONG else st.text_input
    return widget(tr(f"business.statement.{name}"), key=key, placeholder=tr(f"business.statement.{name}_hint"))


def statement(ed: GoalEditor) -> None:
    """Title and value statement inputs, saved as typed, with the sentence they make."""
    st.subheader(tr("business.section.statement"))
    guide()
    seed("biz_title", ed.goal.title)
    title = st.text_input(tr("business.goal_title"), key="biz_title")
    cols = st.columns(3)
    values = {}
    for col, name in zip(cols, _FIELDS[:3], strict=True):
        with col:
            values[name] = _field(name, getattr(ed.goal.statement, name))
    left, right = st.columns(2)
    for col, name in ((left, "before"), (right, "after")):
        with col:
            values[name] = _field(name, getattr(ed.goal.statement, name))
    values["problem_owner"] = _field("problem_owner", ed.goal.statement.problem_owner)
    new = ValueStatement(**values)
    if new != ed.goal.statement or title != ed.goal.title:
        ed.goal.statement, ed.goal.title = new, title
        ed.save()
    if new.as_a.strip() and new.i_want.strip():
        sentence = tr("business.statement.sentence", as_a=new.as_a.strip(), i_want=new.i_want.strip(),
                      so_that=new.so_that.strip() or "…")
        st.info(md(sentence), icon=":material/format_quote:")
