"""Make a table storable as Parquet without losing anything: odd object columns become text.

Used for every dataset version (``core.store.datasets.add_dataset_version``), whatever made it:
an upload, a query, a join, the demo or the command line.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pandas as pd

_TEXT_KINDS = frozenset({"string", "empty"})
_ARROW_KINDS = frozenset({"integer", "floating", "mixed-integer-float", "boolean", "decimal", "datetime",
                          "datetime64", "date", "time", "timedelta", "timedelta64"})


def storable_frame(df: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """``df`` with every column Parquet cannot store as such turned into text: (frame, those columns).

    Text columns (the common case) are recognised without looking at each value in Python.
    """
    out, as_text = df, []
    for position, col in enumerate(df.columns):
        series = df.iloc[:, position]
        if series.dtype != object:
            continue
        kind = pd.api.types.infer_dtype(series, skipna=True)
        if kind in _TEXT_KINDS or (kind in _ARROW_KINDS and _arrow_ok(series)):
            continue
        if out is df:
            out = df.copy()
        out.isetitem(position, series.map(_cell_text).astype(object))
        as_text.append(str(col))
    return out, as_text


def _arrow_ok(series: pd.Series) -> bool:
    """Whether pyarrow converts the column as it is (e.g. fails for integers beyond 64 bits)."""
    import pyarrow as pa

    try:
        array = pa.array(series, from_pandas=True)
    except (pa.ArrowException, OverflowError, ValueError, TypeError):
        return False
    return not pa.types.is_nested(array.type) and not pa.types.is_binary(array.type)


def _cell_text(value: Any) -> str | None:
    """One cell as text: containers as JSON, bytes as UTF-8 (invalid bytes and NUL escaped); missing stays None."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", errors="backslashreplace").replace("\x00", "\\x00")
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (set, frozenset)):
        value = list(value)
    if isinstance(value, (list, tuple, dict)):
        try:
            return json.dumps(value, ensure_ascii=False, default=str)
        except (TypeError, ValueError):
            return str(value)
    return str(value)
