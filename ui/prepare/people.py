"""Shared widgets: who is answering or confirming (name and role)."""

from __future__ import annotations

import streamlit as st

from core.analyze.report import ROLES
from core.prepare import role_label
from core.prepare.questions import EXTRA_ROLES
from ui.context import lang, tr

ALL_ROLES = (*ROLES, *EXTRA_ROLES)


def who(key: str, role: str = "domain_expert") -> tuple[str, str]:
    """Name and role inputs side by side; returns (name, role id)."""
    left, right = st.columns(2)
    name = left.text_input(tr("prepare.who.name"), key=f"{key}_name", max_chars=100)
    index = ALL_ROLES.index(role) if role in ALL_ROLES else 0
    chosen = right.selectbox(tr("prepare.who.role"), ALL_ROLES, index=index, key=f"{key}_role",
                             format_func={r: role_label(r, lang()) for r in ALL_ROLES}.__getitem__)
    return name, chosen
