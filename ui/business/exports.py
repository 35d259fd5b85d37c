"""Workshop examples in one click, the Business Goal sheet downloads and JSON import."""

from __future__ import annotations

import re
from datetime import date

import streamlit as st

from core.errors import UserError
from core.report.goal_sheet import goal_html, goal_json, goal_markdown, import_goal_json
from core.value import WORKSHOP_EXAMPLES, BusinessGoal, example_goal
from ui.business.editor import GoalEditor, replace_goal
from ui.context import md, show_message, tr

_ICONS = {"flea_market_break_even": ":material/storefront:", "bottle_inspection_qcd": ":material/liquor:",
          "road_crack_baseline": ":material/add_road:", "telecom_churn": ":material/cell_tower:"}


def _is_empty(goal: BusinessGoal) -> bool:
    return not (goal.formulas or goal.statement.as_a or goal.statement.i_want or goal.roi.development_cost)


def examples(ed: GoalEditor) -> None:
    """The workshop's worked examples, each loaded in one click (the replaced goal can be brought back)."""
    with st.expander(tr("business.examples.title"), icon=":material/school:", expanded=_is_empty(ed.goal)):
        st.caption(tr("business.examples.help"))
        cols = st.columns(2)
        for index, example_id in enumerate(WORKSHOP_EXAMPLES):
            col = cols[index % 2]
            title = tr(f"value.example.{example_id}.title")
            if col.button(title, key=f"biz_example_{example_id}", icon=_ICONS.get(example_id), width="stretch"):
                replace_goal(ed, example_goal(example_id, ed.lang), tr("business.examples.loaded", title=title))


def _file_stem(ed: GoalEditor) -> str:
    """A safe file name from the project name (letters of any script, digits, - and _)."""
    stem = re.sub(r"[^\w\-]+", "_", ed.project.name, flags=re.UNICODE).strip("_")[:60] or "project"
    return f"business_goal_{stem}_{date.today():%Y%m%d}"


def downloads(ed: GoalEditor) -> None:
    """HTML sheet (charts inline, opens offline), Markdown and JSON; each built when clicked."""
    st.subheader(tr("business.section.export"))
    st.caption(tr("business.export.help"))
    goal, name, language, signoffs = ed.goal, ed.project.name, ed.lang, ed.signoffs
    stem = _file_stem(ed)
    cols = st.columns(3)
    cols[0].download_button(tr("business.export.html"), lambda: goal_html(goal, name, language, signoffs),
                            file_name=f"{stem}.html", mime="text/html", key="biz_dl_html", on_click="ignore",
                            icon=":material/html:", width="stretch")
    cols[1].download_button(tr("business.export.markdown"), lambda: goal_markdown(goal, name, language, signoffs),
                            file_name=f"{stem}.md", mime="text/markdown", key="biz_dl_md", on_click="ignore",
                            icon=":material/description:", width="stretch")
    cols[2].download_button(tr("business.export.json"), lambda: goal_json(goal, signoffs),
                            file_name=f"{stem}.json", mime="application/json", key="biz_dl_json", on_click="ignore",
                            icon=":material/data_object:", width="stretch")


def importer(ed: GoalEditor) -> None:
    """Replace this project's goal with one exported from another project (as a template)."""
    st.subheader(tr("business.import.title"))
    st.caption(tr("business.import.help"))
    upload = st.file_uploader(tr("business.import.file"), type=["json"], key="biz_import_file")
    if st.button(tr("business.import.submit"), key="biz_import_go", icon=":material/upload_file:",
                 disabled=upload is None):
        try:
            goal = import_goal_json(upload.getvalue())
        except UserError as exc:
            show_message(exc, "error", ":material/error:")
            return
        replace_goal(ed, goal, tr("business.import.done", name=md(upload.name)))
