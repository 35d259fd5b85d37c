"""The open project's business goal during one rerun: load, save as it is typed, stale edits.

Widgets are keyed ``biz_*`` and seeded from the saved goal the first time they are shown
(:func:`seed`); each component compares what the widgets hold with the goal and saves the
difference at once with the version this session last loaded. A save that finds a newer
version (another tab or person) shows the message and a reload button. Structural
changes (load an example, import, reload) drop the widget state with :func:`reset_widgets`
so that every widget re-reads the saved goal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import streamlit as st
from babel.numbers import get_currency_precision

from core.errors import UserError
from core.i18n import t
from core.report.goal_text import money_text, number_text
from core.store.goals import load_goal, save_goal
from core.store.projects import ProjectInfo
from core.store.reviews import ReviewInfo, list_reviews
from core.value import SIGNOFF_KIND, SIGNOFF_STEP, BusinessGoal, SignOff, signoffs_from_reviews
from ui.context import flash, get_store, lang, message_text, show_message, tr

PREFIX = "biz_"
KNOWN = "bizstate_known"
"""(project id, goal version) this session last loaded or saved."""
UNDO = "bizstate_undo"
"""(project id, goal document) before the last example load or import, until the next edit."""


@dataclass
class GoalEditor:
    """The goal being edited, its saved version and the project's sign-offs (from the review log)."""

    project: ProjectInfo
    goal: BusinessGoal
    version: int
    lang: str
    reviews: list[ReviewInfo] = field(default_factory=list)
    stale: bool = False
    banner_shown: bool = False

    def tr(self, key: str, **params: Any) -> str:
        """Translate into this rerun's language (safe in format functions called after the rerun)."""
        return t(key, self.lang, **params)

    @property
    def currency(self) -> str:
        """The project's currency."""
        return self.project.currency

    @property
    def signoffs(self) -> list[SignOff]:
        """Sign-offs of the value formula, oldest first."""
        return signoffs_from_reviews(self.reviews)

    @property
    def money_format(self) -> str:
        """printf format for money inputs: no decimals for currencies without minor units (yen)."""
        return "%.0f" if get_currency_precision(self.currency) == 0 else "%.2f"

    def money(self, amount: float | None, digits: int | None = None) -> str:
        """An amount in the project's currency and the UI language."""
        return money_text(amount, self.currency, self.lang, digits=digits)

    def number(self, value: float | None, digits: int = 4) -> str:
        """A number in the UI language ('—' when missing)."""
        return number_text(value, self.lang, digits)

    def save(self) -> bool:
        """Save the goal now; on failure show why (and offer a reload when it is stale)."""
        data = self.goal.to_dict()
        try:
            self.version = save_goal(get_store(), self.project.id, data, expected_version=self.version)
        except UserError as exc:
            if exc.key == "goal.error.stale":
                self.stale = True
                stale_banner(self)
            else:
                show_message(exc, "error", ":material/warning:")
            return False
        st.session_state[KNOWN] = (self.project.id, self.version)
        st.session_state.pop(UNDO, None)  # undo is offered only right after a replacement
        return True


def save_table(ed: GoalEditor) -> None:
    """Save an edit made in a table (st.data_editor) and show the table again from the saved goal.

    The table's identity follows its data, so the browser must get the saved table before
    the next edit; otherwise that edit would be sent for the old table and be dropped.
    """
    if ed.save():
        st.rerun()


def reset_widgets(*prefixes: str) -> None:
    """Forget widget state (all ``biz_*`` keys, or those starting with one of ``prefixes``)."""
    starts = prefixes or (PREFIX,)
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(starts)]:
        del st.session_state[key]


def seed(key: str, value: Any) -> None:
    """Give a widget its saved value the first time it is shown."""
    if key not in st.session_state:
        st.session_state[key] = value


def open_goal(project: ProjectInfo) -> GoalEditor | None:
    """Load the open project's goal (None after showing why it cannot be read)."""
    store = get_store()
    data, version = load_goal(store, project.id)
    known = st.session_state.get(KNOWN)
    if not known or known[0] != project.id:  # first visit in this session or another project
        reset_widgets()
        st.session_state[KNOWN] = known = (project.id, version)
    try:
        goal = BusinessGoal.from_dict(data)
    except UserError as exc:
        st.error(message_text(exc), icon=":material/warning:")
        return None
    if not data:
        goal.title = project.name
    goal.currency = project.currency
    reviews = list_reviews(store, project.id, step=SIGNOFF_STEP, kind=SIGNOFF_KIND)
    return GoalEditor(project, goal, known[1], lang(), reviews, stale=known[1] != version)


def _reload(project_id: int) -> None:
    """Drop this session's edits and re-read the saved goal."""
    reset_widgets()
    st.session_state[KNOWN] = (project_id, load_goal(get_store(), project_id)[1])
    flash(tr("business.stale.reloaded"), icon=":material/refresh:")


def stale_banner(ed: GoalEditor) -> None:
    """Say that someone else saved a newer version, with a reload button (once per rerun)."""
    if not ed.stale or ed.banner_shown:
        return
    ed.banner_shown = True
    st.error(tr("goal.error.stale"), icon=":material/sync_problem:")
    st.button(tr("business.stale.reload"), key=f"{PREFIX}reload", icon=":material/refresh:",
              on_click=_reload, args=(ed.project.id,))


def replace_goal(ed: GoalEditor, goal: BusinessGoal, message: str) -> None:
    """Save ``goal`` in place of the current one (undo kept), then re-read all widgets."""
    previous = ed.goal.to_dict()
    goal.currency = ed.currency
    ed.goal = goal
    if ed.save():
        st.session_state[UNDO] = (ed.project.id, previous)
        reset_widgets()
        flash(message)
        st.rerun()


def undo_button(ed: GoalEditor) -> None:
    """Offer to bring back the goal replaced by the last example load or import."""
    pending = st.session_state.get(UNDO)
    if not pending or pending[0] != ed.project.id:
        return
    if st.button(tr("business.undo"), key=f"{PREFIX}undo", icon=":material/undo:"):
        ed.goal = BusinessGoal.from_dict(pending[1])
        ed.goal.currency = ed.currency
        if ed.save():
            reset_widgets()
            flash(tr("business.undone"), icon=":material/undo:")
            st.rerun()
