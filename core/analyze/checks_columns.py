"""Column-quality checks: missing values, IDs, constants, duplicates, dates, mixed types (codes: checks_codes)."""

from __future__ import annotations

import re

import pandas as pd

from core.analyze.profile import BOOL, CATEGORICAL, DATETIME, NUMERIC, ColumnProfile, name_words, text_values
from core.analyze.report import OK, WARNING, Finding
from core.data.versions import row_hashes

MOSTLY_EMPTY = 0.5
ID_UNIQUE_SHARE = 0.99
MIN_ROWS_FOR_ID = 20
DATE_SHARE = 0.9
_ID_HINTS = {"id", "no", "number", "num", "key", "code", "uuid", "guid"}
_DATE_TEXT = re.compile(
    r"^(\d{4}[-/.年]\d{1,2}([-/.月]\d{1,2}日?)?|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})([ T]\d{1,2}:\d{2}(:\d{2})?.*)?$")


def _drop(column: str, reason: str) -> dict:
    """A drop-column recommendation."""
    return {"action": "drop_column", "column": column, "reason_key": f"analyze.reason.{reason}"}


def _ask(key: str, role: str = "domain_expert", **params) -> dict:
    """A question for another role."""
    return {"role": role, "key": f"analyze.question.{key}", "params": params}


def check_missing(profiles: dict[str, ColumnProfile], n_rows: int) -> list[Finding]:
    """Missing share per column (chart) and a drop recommendation for mostly-empty columns."""
    shares = {name: p.missing_share(n_rows) for name, p in profiles.items()}
    ordered = sorted(shares, key=lambda c: -shares[c])
    with_missing = [c for c in ordered if shares[c] > 0]
    chart = {"columns": ordered, "shares": [round(shares[c], 4) for c in ordered]}
    if with_missing:
        summary = Finding("missing", WARNING, "analyze.missing.some", chart=chart, params={
            "count": len(with_missing), "column": with_missing[0], "share": round(shares[with_missing[0]], 4)})
    else:
        summary = Finding("missing", OK, "analyze.missing.none", chart=chart)
    out = [summary]
    for col in (c for c in with_missing if shares[c] > MOSTLY_EMPTY):
        params = {"column": col, "share": round(shares[col], 4)}
        out.append(Finding("missing", WARNING, "analyze.missing.mostly_empty", params,
                           recommendation=_drop(col, "mostly_empty"), question=_ask("drop_empty", **params)))
    return out


def _is_id_like(df: pd.DataFrame, p: ColumnProfile, n_rows: int) -> bool:
    """Unique per row, text or whole numbers (numbers need an ID-ish name or consecutive values)."""
    present = n_rows - p.n_missing
    if n_rows < MIN_ROWS_FOR_ID or present < 0.9 * n_rows:
        return False
    if p.kind == CATEGORICAL:
        return p.n_unique >= ID_UNIQUE_SHARE * present
    if p.kind != NUMERIC or not p.integral or p.n_unique < present:
        return False
    values = df[p.name]
    consecutive = float(values.max()) - float(values.min()) + 1 <= 1.5 * present
    return bool(name_words(p.name) & _ID_HINTS) or "番号" in str(p.name) or consecutive


def check_id_like(df: pd.DataFrame, profiles: dict[str, ColumnProfile], skip: set[str]) -> tuple[list[Finding], set[str]]:
    """Columns with a different value in every row predict nothing: drop them."""
    n_rows = len(df)
    found = [p.name for p in profiles.values() if p.name not in skip and _is_id_like(df, p, n_rows)]
    findings = [Finding("id_like", WARNING, "analyze.id_like.column", {"column": c, "unique": profiles[c].n_unique},
                        recommendation=_drop(c, "id_like"), question=_ask("drop_id", column=c)) for c in found]
    return findings, set(found)


def check_constant(profiles: dict[str, ColumnProfile], n_rows: int, skip: set[str]) -> tuple[list[Finding], set[str]]:
    """Columns with a single value (ignoring mostly-empty ones, already reported)."""
    found = [p.name for p in profiles.values()
             if p.name not in skip and p.n_unique <= 1 and p.missing_share(n_rows) <= MOSTLY_EMPTY]
    findings = [Finding("constant", WARNING, "analyze.constant.column", {"column": c},
                        recommendation=_drop(c, "constant")) for c in found]
    return findings, set(found)


def check_duplicates(df: pd.DataFrame) -> list[Finding]:
    """Rows that repeat another row exactly."""
    count = int(pd.Series(row_hashes(df)).duplicated().sum())
    if not count:
        return [Finding("duplicates", OK, "analyze.duplicates.none")]
    params = {"count": count, "share": round(count / len(df), 4)}
    return [Finding("duplicates", WARNING, "analyze.duplicates.rows", params,
                    recommendation={"action": "drop_duplicates"},
                    question=_ask("duplicates", role="data_analyst", count=count))]


def _parse_dates(values: pd.Series) -> pd.Series:
    """Parse date-like text, accepting Japanese 年/月/日."""
    normalised = values.str.replace(r"[年月]", "-", regex=True).str.replace("日", "", regex=False)
    return pd.to_datetime(normalised, errors="coerce", format="mixed")


def check_dates(sample: pd.DataFrame, profiles: dict[str, ColumnProfile], skip: set[str]) -> tuple[list[Finding], list[str]]:
    """Text columns holding dates; returns findings and all date columns (typed or text)."""
    dates = [p.name for p in profiles.values() if p.kind == DATETIME and p.name not in skip]
    out = []
    for p in profiles.values():
        if p.kind != CATEGORICAL or p.name in skip:
            continue
        values = text_values(sample[p.name])
        if values.empty or values.str.match(_DATE_TEXT).mean() < DATE_SHARE:
            continue
        if _parse_dates(values).notna().mean() >= DATE_SHARE:
            dates.append(p.name)
            out.append(Finding("dates", WARNING, "analyze.dates.as_text", {"column": p.name, "example": values.iloc[0]},
                               recommendation={"action": "as_date", "column": p.name}))
    return out, dates


def check_mixed_types(sample: pd.DataFrame, profiles: dict[str, ColumnProfile], skip: set[str]) -> list[Finding]:
    """Text columns that are partly numbers ("12", "15", "n/a")."""
    out = []
    for p in profiles.values():
        if p.kind != CATEGORICAL or p.name in skip:
            continue
        values = text_values(sample[p.name])
        if values.empty:
            continue
        numeric = pd.to_numeric(values.str.replace(",", "", regex=False), errors="coerce").notna()
        share = float(numeric.mean())
        if not 0.05 <= share < 1:
            continue
        examples = ", ".join(values[~numeric].value_counts().index[:3])
        params = {"column": p.name, "share": round(share, 4), "examples": examples}
        rec = {"action": "to_numeric", "column": p.name} if share >= 0.8 else None
        out.append(Finding("mixed_types", WARNING, "analyze.mixed_types.column", params, recommendation=rec,
                           question=_ask("text_in_numbers", column=p.name, examples=examples)))
    return out


def feature_columns(profiles: dict[str, ColumnProfile], exclude: set[str]) -> tuple[list[str], list[str]]:
    """(numeric incl. bool, categorical) columns usable as features."""
    numeric = [p.name for p in profiles.values() if p.name not in exclude and p.kind in (NUMERIC, BOOL)]
    categorical = [p.name for p in profiles.values() if p.name not in exclude and p.kind == CATEGORICAL]
    return numeric, categorical

