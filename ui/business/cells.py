"""Reading cells of edited tables (st.data_editor) into clean values."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Iterable

import pandas as pd

from core.i18n import LANGUAGES, t
from core.value import ROLES


def text(value: object) -> str:
    """A cell as trimmed text ('' for empty, NaN or NaT)."""
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return ""
    return str(value).strip()


def number(value: object) -> float | None:
    """A cell as a finite number, or None."""
    if text(value) == "":
        return None
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def iso_date(value: object) -> str:
    """A date cell as YYYY-MM-DD ('' when empty)."""
    if text(value) == "":
        return ""
    if isinstance(value, (datetime, date)):
        return value.strftime("%Y-%m-%d")
    return text(value)[:10]


def as_date(value: str) -> date | None:
    """A stored YYYY-MM-DD string as a date (None if empty or not a date)."""
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def key_for(value: object, keys: Iterable[str], prefix: str = "") -> str:
    """The catalog id whose label (in any language) is ``value``; else the text itself.

    Lets a table show translated labels of built-in roles or questions and still save ids.
    """
    shown = text(value)
    for key in keys:
        if shown == key or any(shown == t(prefix + key, lang) for lang in LANGUAGES):
            return key
    return shown


def role_id(value: object) -> str:
    """A role id when ``value`` is a role's label (or id); free text otherwise."""
    return key_for(value, ROLES, "value.role.")
