"""The rows the next run trains on: the latest recipe's training rows, and those its filters leave out and why."""

from __future__ import annotations

import streamlit as st

from core.preprocess import SavedRecipe
from core.preprocess.removed import reason_text
from ui.context import lang, md, tr_md
from ui.preprocess.data import training_rows_of


def training_data(saved: SavedRecipe) -> None:
    """One line with the training and test rows; a warning listing rows removed by the recipe, with the reason."""
    rows = training_rows_of(saved)
    st.caption(tr_md("train_ui.recipe_line", number=saved.number, train=f"{rows['train_rows']:,}",
                     test=f"{rows['test_rows']:,}"))
    if rows["removed"]:
        reasons = "\n".join(f"- {md(reason_text(r, lang()))}" for r in rows["reasons"])
        st.warning(tr_md("train_ui.rows.removed", removed=f"{rows['removed']:,}", split=f"{rows['split_train']:,}",
                         number=saved.number) + "\n" + reasons, icon=":material/filter_alt:")
