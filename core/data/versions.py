"""Content fingerprints and differences between two versions of a dataset."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import numpy as np
import pandas as pd


def row_hashes(df: pd.DataFrame) -> np.ndarray:
    """One uint64 per row, computed from the values only (not the index)."""
    if df.shape[1] == 0:
        return np.zeros(len(df), dtype=np.uint64)
    try:
        return pd.util.hash_pandas_object(df, index=False).to_numpy()
    except TypeError:  # unhashable cells such as lists
        return pd.util.hash_pandas_object(df.astype(str), index=False).to_numpy()


def content_hash(df: pd.DataFrame) -> str:
    """Stable sha256 of column names, dtypes and values (row order counts, index does not)."""
    digest = hashlib.sha256()
    schema = [[str(c), str(t)] for c, t in zip(df.columns, df.dtypes)]
    digest.update(json.dumps(schema, ensure_ascii=False).encode("utf-8"))
    digest.update(len(df).to_bytes(8, "little"))
    digest.update(row_hashes(df).tobytes())
    return digest.hexdigest()


def compare_versions(df_a: pd.DataFrame, df_b: pd.DataFrame) -> dict[str, Any]:
    """What changed from ``df_a`` to ``df_b``: columns, dtypes and rows (as multisets of rows).

    Rows are compared on the columns both versions share, so a new column alone does not
    count every row as changed.
    """
    cols_a, cols_b = [str(c) for c in df_a.columns], [str(c) for c in df_b.columns]
    common = [c for c in df_a.columns if c in set(df_b.columns)]
    dtype_changes = [
        {"column": str(c), "from": str(df_a[c].dtype), "to": str(df_b[c].dtype)}
        for c in common if str(df_a[c].dtype) != str(df_b[c].dtype)
    ]
    added, removed = _row_difference(df_a[common], df_b[common])
    return {
        "columns_added": [c for c in cols_b if c not in set(cols_a)],
        "columns_removed": [c for c in cols_a if c not in set(cols_b)],
        "dtype_changes": dtype_changes,
        "rows_a": len(df_a),
        "rows_b": len(df_b),
        "rows_added": added,
        "rows_removed": removed,
        "identical": content_hash(df_a) == content_hash(df_b),
    }


def _row_difference(a: pd.DataFrame, b: pd.DataFrame) -> tuple[int, int]:
    """(rows only in b, rows only in a), counting repeated rows."""
    counts_a = pd.Series(row_hashes(a)).value_counts()
    counts_b = pd.Series(row_hashes(b)).value_counts()
    diff = counts_b.sub(counts_a, fill_value=0)
    return int(diff.clip(lower=0).sum()), int((-diff).clip(lower=0).sum())
