"""Column-name clean-up shared by every importer."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

from core.data.limits import MAX_COLUMN_NAME

_PANDAS_BLANK = re.compile(r"Unnamed: \d+(_level_\d+)?")


def clean_column_names(names: Iterable[Any]) -> tuple[list[str], list[tuple[str, dict[str, Any]]]]:
    """Strip names, name blanks ``column_N``, shorten overlong ones and de-duplicate (``a``, ``a_2``).

    Returns the names and ``(message_key, params)`` warnings.
    """
    out: list[str] = []
    blanks: list[str] = []
    shortened: list[str] = []
    for position, name in enumerate(names, start=1):
        text = _text(name)
        if not text or _PANDAS_BLANK.fullmatch(text):
            text = f"column_{position}"
            blanks.append(text)
        elif len(text) > MAX_COLUMN_NAME:
            text = text[:MAX_COLUMN_NAME].rstrip()
            shortened.append(str(position))
        out.append(text)
    unique, renamed = _deduplicate(out)
    warnings: list[tuple[str, dict[str, Any]]] = []
    if blanks:
        warnings.append(("data.import.blank_column_names", {"count": len(blanks), "columns": ", ".join(blanks)}))
    if shortened:
        warnings.append(("data.import.long_column_names", {"count": len(shortened), "limit": MAX_COLUMN_NAME,
                                                           "positions": ", ".join(shortened[:20])}))
    if renamed:
        warnings.append(("data.import.duplicate_column_names", {"count": len(renamed), "columns": ", ".join(renamed)}))
    return unique, warnings


def default_names(n: int) -> list[str]:
    """``column_1`` … ``column_n`` for a table without a header row."""
    return [f"column_{i}" for i in range(1, n + 1)]


def _text(name: Any) -> str:
    """A name as stripped text without BOM or NUL characters; None and NaN become empty."""
    if name is None or (isinstance(name, float) and math.isnan(name)):
        return ""
    return str(name).replace("\ufeff", "").replace("\x00", "").strip()


def _deduplicate(names: list[str]) -> tuple[list[str], list[str]]:
    """Give repeated names a ``_2``, ``_3`` suffix not used elsewhere; returns (names, renamed)."""
    taken = set(names)
    seen: set[str] = set()
    out: list[str] = []
    renamed: list[str] = []
    for name in names:
        if name not in seen:
            seen.add(name)
            out.append(name)
            continue
        n = 2
        while _suffixed(name, n) in taken:
            n += 1
        new = _suffixed(name, n)
        taken.add(new)
        seen.add(new)
        out.append(new)
        renamed.append(new)
    return out, renamed


def _suffixed(name: str, n: int) -> str:
    """``name_n``, the name cut so the result stays within ``MAX_COLUMN_NAME``."""
    suffix = f"_{n}"
    return name[:MAX_COLUMN_NAME - len(suffix)] + suffix
