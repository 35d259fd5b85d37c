"""Who must act on which number: the formulas' parameters and the costs, grouped by owner."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.report.goal_text import owners_df
from ui.business.editor import GoalEditor
from ui.context import md, tr

_PER_ROW = 3


def owners(ed: GoalEditor) -> None:
    """One card per owner listing the numbers they own, with value and confidence."""
    st.subheader(tr("business.section.owners"))
    st.caption(tr("business.owners.help"))
    df = owners_df(ed.goal, ed.lang)
    groups = list(df.groupby("owner", sort=False))
    for start in range(0, len(groups), _PER_ROW):
        cols = st.columns(_PER_ROW)
        for col, (owner, rows) in zip(cols, groups[start:start + _PER_ROW], strict=False):
            with col.container(border=True):
                st.markdown(f"**:material/person: {md(owner)}**")
                lines = []
                for row in rows.itertuples():
                    if row.unit == ed.currency:
                        value, unit = ed.money(None if pd.isna(row.value) else row.value), ""
                    else:
                        value = "—" if pd.isna(row.value) else ed.number(row.value, 4)
                        unit = row.unit
                    shown = f"{md(row.number)}: **{md(value)}** {md(unit)}"
                    lines.append(f"- {shown} · {md(row.confidence)}" if row.confidence else f"- {shown}")
                st.markdown("\n".join(lines))
