"""Join another table onto the project's data (left join on a key) with a match report.

The report tells, before anything is saved, how many rows found a partner, which keys did
not, and which keys repeat in the other table (each repeat would copy the left row, so the
join is refused unless the user chooses to keep the first match). Missing keys never match
(pandas would otherwise pair missing with missing). Keys of different kinds (numbers in one
table, text in the other) are compared as text, with ``12.0`` read as ``12``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from core.data.limits import check_columns
from core.errors import UserError

DUPLICATES = ("refuse", "first")
EXAMPLES = 5
SUFFIX = "_2"


@dataclass
class JoinReport:
    """What a left join did or would do."""

    left_rows: int
    right_rows: int
    matched_rows: int
    unmatched_left: int
    unmatched_right_keys: int
    duplicate_keys: int
    duplicate_rows: int
    missing_left_keys: int
    columns_added: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    unmatched_examples: list[str] = field(default_factory=list)
    duplicate_examples: list[str] = field(default_factory=list)
    keys_as_text: bool = False

    @property
    def match_share(self) -> float:
        """Share of left rows that found a partner."""
        return self.matched_rows / self.left_rows if self.left_rows else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (stored in the new version's source)."""
        from dataclasses import asdict

        return {**asdict(self), "match_share": round(self.match_share, 4)}


def _key_text(series: pd.Series) -> pd.Series:
    """Keys as text: whole floats without '.0', stripped strings, missing kept missing."""
    if pd.api.types.is_float_dtype(series):
        values = series.to_numpy(dtype=float, na_value=np.nan)
        whole = np.isfinite(values) & (values == np.round(values))
        text = series.astype(str)
        text[whole] = pd.Series(values[whole].astype(np.int64), index=series.index[whole]).astype(str)
        return text.where(series.notna())
    return series.astype(str).str.strip().where(series.notna())


def _stripped(series: pd.Series) -> pd.Series:
    """Text keys without surrounding spaces, missing kept missing."""
    return series.astype(str).str.strip().where(series.notna())


def _comparable(left: pd.Series, right: pd.Series) -> tuple[pd.Series, pd.Series, bool]:
    """Key series that compare equal when they mean the same value."""
    numeric = pd.api.types.is_numeric_dtype
    if numeric(left) and numeric(right) and not pd.api.types.is_bool_dtype(left):
        return left, right, False
    if left.dtype == right.dtype and not numeric(left):
        return _stripped(left), _stripped(right), False
    return _key_text(left), _key_text(right), True


def _check_keys(left: pd.DataFrame, right: pd.DataFrame, left_key: str, right_key: str) -> None:
    if left_key not in left.columns:
        raise UserError("prepare.join.no_key", column=left_key)
    if right_key not in right.columns:
        raise UserError("prepare.join.no_key", column=right_key)
    if right.shape[1] < 2:
        raise UserError("prepare.join.nothing_to_add")


def _examples(values: pd.Series) -> list[str]:
    return [str(v) for v in values.drop_duplicates().head(EXAMPLES)]


def left_join(left: pd.DataFrame, right: pd.DataFrame, left_key: str, right_key: str, *,
              duplicates: str = "refuse") -> tuple[pd.DataFrame, JoinReport]:
    """Left-join ``right`` onto ``left``; refuses repeated right keys unless ``duplicates="first"``."""
    if duplicates not in DUPLICATES:
        raise ValueError(f"duplicates must be one of {DUPLICATES}")
    report = match_report(left, right, left_key, right_key)
    if report.duplicate_keys and duplicates == "refuse":
        raise UserError("prepare.join.duplicate_keys_error", count=report.duplicate_keys,
                        examples=", ".join(report.duplicate_examples), column=right_key)
    lk, rk, _ = _comparable(left[left_key], right[right_key])
    extra = right.drop(columns=[right_key])
    extra = extra[rk.notna().to_numpy()]
    rk = rk[rk.notna()]
    keep = ~rk.duplicated(keep="first")
    extra, rk = extra[keep.to_numpy()], rk[keep]
    names = {c: (c if c not in left.columns else _free_name(c, left.columns, extra.columns)) for c in extra.columns}
    extra = extra.rename(columns=names)
    check_columns(left.shape[1] + extra.shape[1])
    lookup = pd.Series(np.arange(len(rk)), index=pd.Index(rk.to_numpy()))
    position = lk.map(lookup)
    matched = position.notna().to_numpy()
    rows = position.fillna(0).to_numpy(dtype=np.int64)
    added = extra.iloc[rows].reset_index(drop=True)
    if (~matched).any():
        added = added.astype({c: _nullable(added[c]) for c in added.columns})
        added.loc[~matched, :] = None
    out = pd.concat([left.reset_index(drop=True), added], axis=1)
    return out, report


def _nullable(series: pd.Series) -> Any:
    """A dtype that can hold missing values next to ``series``' values."""
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "Int64"
    return series.dtype


def _free_name(name: str, *taken_lists: Any) -> str:
    taken = {str(c) for cols in taken_lists for c in cols}
    n, candidate = 2, f"{name}{SUFFIX}"
    while candidate in taken:
        n += 1
        candidate = f"{name}_{n}"
    return candidate


def match_report(left: pd.DataFrame, right: pd.DataFrame, left_key: str, right_key: str) -> JoinReport:
    """How the keys of the two tables match (no join is made)."""
    _check_keys(left, right, left_key, right_key)
    lk, rk, as_text = _comparable(left[left_key], right[right_key])
    rk_present = rk.dropna()
    counts = rk_present.value_counts()
    repeated = counts[counts > 1]
    right_keys = set(counts.index)
    in_right = lk.isin(right_keys) & lk.notna()
    left_keys = set(lk.dropna())
    unmatched = lk[lk.notna() & ~in_right]
    extra = [c for c in right.columns if c != right_key]
    renamed = [c for c in extra if c in left.columns]
    return JoinReport(
        left_rows=len(left), right_rows=len(right), matched_rows=int(in_right.sum()),
        unmatched_left=int((~in_right).sum()), unmatched_right_keys=len(right_keys - left_keys),
        duplicate_keys=len(repeated), duplicate_rows=int(repeated.sum() - len(repeated)),
        missing_left_keys=int(lk.isna().sum()), columns_added=[str(c) for c in extra],
        renamed=[str(c) for c in renamed],
        unmatched_examples=_examples(unmatched), duplicate_examples=[str(v) for v in repeated.index[:EXAMPLES]],
        keys_as_text=as_text,
    )


def suggest_keys(left: pd.DataFrame, right: pd.DataFrame) -> tuple[str | None, str | None]:
    """A likely key pair: a column name both tables share whose right values are mostly unique."""
    shared = [c for c in right.columns if c in set(left.columns)]
    for col in shared:
        values = right[col].dropna()
        if len(values) and values.nunique() >= 0.95 * len(values):
            return col, col
    return (shared[0], shared[0]) if shared else (None, None)


def join_and_save(store: Any, project_id: int, right: pd.DataFrame, left_key: str, right_key: str, *,
                  duplicates: str = "refuse", right_source: dict[str, Any] | None = None, label: str = "",
                  created_by: str = "") -> tuple[Any, bool, JoinReport]:
    """Join ``right`` onto the project's current data and save the result as a new current version.

    Returns (version, created, report); ``created`` is False when the same content already
    existed. Nothing is saved when the join is refused.
    """
    from core.store.datasets import add_dataset_version, current_data, load_dataframe

    _project, base = current_data(store, project_id)
    joined, report = left_join(load_dataframe(store, base.id), right, left_key, right_key, duplicates=duplicates)
    source = {"kind": "join", "parent_id": base.id, "left_key": left_key, "right_key": right_key,
              "duplicates": duplicates, "right": right_source or {}, "report": report.to_dict()}
    info, created = add_dataset_version(store, project_id, joined, source=source, label=label,
                                        created_by=created_by, parent_id=base.id)
    return info, created, report
