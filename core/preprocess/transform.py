"""Apply a preprocessing recipe (a plain dict) to a DataFrame, row by row, learning nothing.

This module is deliberately self-contained: it imports only the standard library, numpy and
pandas, because its source is copied verbatim into every generated ``predict.py`` so that
training and prediction run the very same code. Do not import from ``core`` here.

Every step is a fixed rule written in the recipe (drop these columns, read this column as a
category, divide a by b, keep rows whose target is below this number). No step computes a
statistic from the data it is given (no mean, no scaling, no category list), so applying it
to train and test separately gives the same result as applying it before splitting: it cannot
leak test information into training. Statistical preprocessing (imputation, encoding,
scaling) is left to AutoGluon, which fits it on the training rows only.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pandas as pd

DATE_PARTS = ("year", "month", "day", "dayofweek", "hour", "quarter", "dayofyear")
CATEGORY, NUMERIC, DATE, TEXT = "category", "numeric", "date", "text"
_JA_DATE = re.compile(r"[年月]")


def parse_dates(series: pd.Series) -> pd.Series:
    """Dates from datetime or text values (ISO, slashes, 2024年1月5日); unparsable → NaT."""
    if pd.api.types.is_datetime64_any_dtype(series):
        out = series
        if getattr(out.dt, "tz", None) is not None:
            out = out.dt.tz_convert("UTC").dt.tz_localize(None)
        return out
    text = series.astype("string").str.strip()
    text = text.str.replace(_JA_DATE, "-", regex=True).str.replace("日", "", regex=False)
    with np.errstate(all="ignore"):
        out = pd.to_datetime(text, errors="coerce", format="mixed", utc=True)
    return out.dt.tz_localize(None)


def _category_text(value: Any) -> Any:
    """One value as category text: whole floats lose their '.0' (408.0 → '408')."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return np.nan
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def convert_type(series: pd.Series, to: str) -> pd.Series:
    """Read a column as category (text labels), numeric, date or text; missing stays missing."""
    if to in (CATEGORY, TEXT):
        return series.map(_category_text).astype(object)
    if to == NUMERIC:
        if pd.api.types.is_bool_dtype(series):
            return series.astype(float)
        cleaned = series.astype("string").str.replace(",", "", regex=False).str.strip()
        return pd.to_numeric(cleaned, errors="coerce").astype(float)
    if to == DATE:
        return parse_dates(series)
    raise ValueError(f"unknown type {to!r}")


def _numbers(df: pd.DataFrame, column: str) -> pd.Series:
    """A column as floats (text that is not a number becomes NaN)."""
    series = df[column]
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        return series.astype(float)
    return pd.to_numeric(series, errors="coerce").astype(float)


def derive(df: pd.DataFrame, spec: dict[str, Any]) -> pd.DataFrame:
    """Add the derived column(s) one spec describes (date parts, ratio, difference)."""
    kind = spec["kind"]
    out = df.copy()
    if kind == "date_parts":
        dates = parse_dates(df[spec["column"]])
        for part in spec.get("parts") or DATE_PARTS[:4]:
            out[f"{spec['column']}__{part}"] = getattr(dates.dt, part).astype("Float64").astype(float)
        return out
    a, b = _numbers(df, spec["a"]), _numbers(df, spec["b"])
    if kind == "ratio":
        with np.errstate(divide="ignore", invalid="ignore"):
            values = a / b.where(b != 0)
    elif kind == "difference":
        values = a - b
    else:
        raise ValueError(f"unknown derived feature {kind!r}")
    out[spec.get("name") or derived_name(spec)] = values.replace([np.inf, -np.inf], np.nan)
    return out


def derived_name(spec: dict[str, Any]) -> str:
    """Default name of a ratio or difference column: 'a / b' or 'a - b'."""
    symbol = "/" if spec["kind"] == "ratio" else "-"
    return f"{spec['a']} {symbol} {spec['b']}"


def _target_filters(df: pd.DataFrame, recipe: dict[str, Any], report: dict[str, Any]) -> pd.DataFrame:
    """Training-only row filters; each records how many rows it removed."""
    target = (recipe.get("target") or {}).get("column")
    for spec in recipe.get("row_filters") or []:
        if not spec.get("accepted", True):
            continue
        before = len(df)
        kind = spec["kind"]
        if kind == "drop_duplicates":
            df = df[~df.duplicated(keep="first")]
        elif kind in ("target_range", "range"):
            column = target if kind == "target_range" else spec["column"]
            values = _numbers(df, column)
            keep = values.notna()
            if spec.get("upper") is not None:
                keep &= values <= float(spec["upper"])
            if spec.get("lower") is not None:
                keep &= values >= float(spec["lower"])
            df = df[keep]
        else:
            raise ValueError(f"unknown row filter {kind!r}")
        report["filters"].append({"kind": kind, "removed": before - len(df)})
    return df


def _target_step(df: pd.DataFrame, recipe: dict[str, Any], report: dict[str, Any],
                 filter_rows: bool = True) -> pd.DataFrame:
    """Map target labels, drop rows without a target, then (for training) apply the row filters."""
    target = recipe.get("target") or {}
    column = target.get("column")
    if not column or column not in df.columns:
        return df
    mapping = target.get("mapping") or {}
    if mapping:
        df = df.copy()
        df[column] = df[column].map(lambda v: mapping.get(_category_text(v), v))
    before = len(df)
    df = df[df[column].notna()]
    report["missing_target_removed"] = before - len(df)
    return _target_filters(df, recipe, report) if filter_rows else df


def apply_recipe(df: pd.DataFrame, recipe: dict[str, Any], *, for_prediction: bool = False,
                 for_test: bool = False, report: dict[str, Any] | None = None) -> pd.DataFrame:
    """Apply ``recipe`` to ``df`` (a copy; the index is kept so rows can be traced back).

    With ``for_prediction`` the target steps (label mapping, row filters) are skipped: new
    rows have no target and every row must get a prediction. With ``for_test`` the labels
    are mapped but no row filter runs: the locked test set is scored as production data
    would come, so removing (say) target outliers cannot flatter the test score.
    """
    report = {} if report is None else report
    report.update(rows_in=len(df), filters=[], missing_target_removed=0, dropped=[], added=[])
    out = df.copy()
    if not for_prediction:
        out = _target_step(out, recipe, report, filter_rows=not for_test)
    for spec in recipe.get("type_overrides") or []:
        if spec["column"] in out.columns:
            out[spec["column"]] = convert_type(out[spec["column"]], spec["to"])
    before_cols = list(out.columns)
    for spec in recipe.get("derived") or []:
        out = derive(out, spec)
    report["added"] = [c for c in out.columns if c not in before_cols]
    drop = [d["column"] for d in recipe.get("drop_columns") or [] if d.get("accepted", True)]
    report["dropped"] = [c for c in drop if c in out.columns]
    out = out.drop(columns=report["dropped"])
    report["rows_out"] = len(out)
    return out
