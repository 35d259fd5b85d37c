"""Which columns a recipe widget may offer, once the recipe's type overrides are taken into account."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from core.preprocess.recipe import Recipe


def overridden_kinds(recipe: Recipe) -> dict[str, str]:
    """Column → the type the recipe reads it as (``numeric``, ``category``, ``text``, ``date``)."""
    return {o["column"]: o["to"] for o in recipe.type_overrides}


def date_candidates(columns: Iterable[str], detected: Iterable[str], recipe: Recipe) -> list[str]:
    """Columns holding dates: detected ones the recipe does not retype, and those it reads as dates (not the target)."""
    kinds, found = overridden_kinds(recipe), set(detected)
    return [c for c in columns if c != recipe.target.column
            and ((c in found and c not in kinds) or kinds.get(c) == "date")]


def numeric_candidates(df: pd.DataFrame, recipe: Recipe) -> list[str]:
    """Columns a ratio or difference can use: numbers as read or retyped as numbers, not the target."""
    kinds = overridden_kinds(recipe)
    out = []
    for c in df.columns:
        if c == recipe.target.column:
            continue
        is_number = pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
        if kinds.get(c, "numeric" if is_number else "") == "numeric":
            out.append(c)
    return out
