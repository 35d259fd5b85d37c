"""Whole numbers that are really codes (area codes, type codes), proposed only with evidence.

A few distinct values are never enough on their own: counts (calls 0–9), round amounts (steps of
100), years and areas that are mostly zero stay numbers. Evidence for a code, in this order:

* **name**: a whole word of the column name says so ("code", "zip", "type", "class", "status";
  「コード」「区分」…);
* **fixed width**: every value has the same number of digits (at least two) and the values are
  spread irregularly, far from a regular grid (408, 415, 510);
* **scattered**: at most ten values, far apart with no common step (1, 40, 700).

Counter-evidence, checked before the values: a quantity-like word in the name ("area", "calls",
"price", "year" …), negative values, mostly zeros (an amount that is usually none), values on a
regular grid (every step of 100 from 0 to 2,000), years (all within 1800–2100) and levels seen only
a few times each (a code is shared by many rows).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.analyze.profile import NUMERIC, ColumnProfile, name_words
from core.analyze.report import WARNING, Finding

CODE_MAX_LEVELS = 20
CODE_HINT_MAX_LEVELS = 50
SCATTERED_MAX_LEVELS = 10
MIN_ROWS_PER_LEVEL = 5
MOSTLY_ZERO = 0.5
IRREGULAR = 5  # grid points per distinct value above which values are "spread irregularly"
SCATTERED = 20
YEARS = (1800, 2100)
CODE_WORDS = {"code", "cd", "zip", "zipcode", "postal", "postcode", "type", "category", "cat", "class", "kind",
              "status", "segment", "sic", "naics"}
CODE_WORDS_JA = ("コード", "番号", "局番", "区分", "種別", "郵便", "分類")
QUANTITY_WORDS = {
    "amount", "amt", "area", "age", "balance", "bal", "bill", "calls", "cars", "charge", "cost", "count", "cnt",
    "day", "days", "deck", "distance", "duration", "fee", "height", "hours", "income", "length", "limit", "mins",
    "minutes", "message", "messages", "month", "months", "pay", "payment", "pct", "percent", "points", "porch",
    "price", "qty", "quantity", "rate", "revenue", "rooms", "sales", "salary", "score", "sf", "size", "spend",
    "sqft", "tenure", "total", "units", "val", "value", "weight", "year", "years", "yr",
}
QUANTITY_WORDS_JA = ("時間", "回数", "件数", "料金", "金額", "面積", "日数", "年齢", "価格", "数量", "通話数", "売上")


def _name_evidence(name: str) -> str | None:
    """``code`` or ``quantity`` when a whole word of the name says so, else None."""
    words, text = name_words(name), str(name)
    if words & CODE_WORDS or any(h in text for h in CODE_WORDS_JA):
        return "code"
    if words & QUANTITY_WORDS or any(h in text for h in QUANTITY_WORDS_JA):
        return "quantity"
    return None


def _grid_points(levels: np.ndarray) -> float:
    """How many points a regular grid through the values needs (span / common step + 1)."""
    steps = np.diff(levels).astype(np.int64)
    step = int(np.gcd.reduce(steps)) if steps.size else 1
    return (float(levels[-1]) - float(levels[0])) / max(step, 1) + 1


def _value_evidence(values: pd.Series, n_unique: int) -> str | None:
    """``fixed_width`` or ``scattered`` when the values themselves look like labels, else None."""
    present = values.dropna()
    if n_unique > CODE_MAX_LEVELS or len(present) < MIN_ROWS_PER_LEVEL * n_unique:
        return None
    if (present < 0).any() or (present == 0).mean() >= MOSTLY_ZERO:
        return None
    levels = np.sort(present.unique().astype(np.int64))
    if YEARS[0] <= levels[0] and levels[-1] <= YEARS[1]:
        return None
    points = _grid_points(levels)
    widths = {len(str(v)) for v in levels}
    if len(widths) == 1 and min(widths) >= 2 and points > IRREGULAR * n_unique:
        return "fixed_width"
    if n_unique <= SCATTERED_MAX_LEVELS and points > SCATTERED * n_unique:
        return "scattered"
    return None


def code_evidence(name: str, values: pd.Series, n_unique: int) -> str | None:
    """Why a whole-number column is a code (``name``, ``fixed_width``, ``scattered``), or None."""
    if n_unique < 2:
        return None
    by_name = _name_evidence(name)
    if by_name == "code":
        return "name" if n_unique <= CODE_HINT_MAX_LEVELS else None
    if by_name == "quantity":
        return None
    return _value_evidence(values, n_unique)


def _num(value: float) -> str:
    """A whole number without '.0'."""
    return str(int(value)) if float(value).is_integer() else str(value)


def check_numeric_codes(df: pd.DataFrame, profiles: dict[str, ColumnProfile], skip: set[str]) -> list[Finding]:
    """Whole-number columns that are really categories, each with the evidence named in its message."""
    out = []
    for p in profiles.values():
        if p.name in skip or p.kind != NUMERIC or not p.integral:
            continue
        evidence = code_evidence(p.name, df[p.name], p.n_unique)
        if evidence is None:
            continue
        values = sorted(df[p.name].dropna().unique().tolist())
        params = {"column": p.name, "count": p.n_unique, "values": ", ".join(map(_num, values[:5])),
                  "evidence": evidence, "digits": len(_num(values[0]))}
        out.append(Finding("numeric_codes", WARNING, f"analyze.numeric_codes.{evidence}", params,
                           recommendation={"action": "as_category", "column": p.name},
                           question={"role": "domain_expert", "key": "analyze.question.code_or_quantity",
                                     "params": {"column": p.name}}))
    return out
