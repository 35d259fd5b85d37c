"""Parquet reading through pyarrow.

Guards: the declared size (rows × columns, a tiny file can declare billions of repeated
values) is checked before anything is decoded. Columns the analysis cannot use as such
(lists, records, maps, binary) become text, decimals become floats, with a warning.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pandas as pd

from core.data.columns import clean_column_names
from core.data.limits import MAX_PARQUET_CELLS, check_columns
from core.data.result import ImportResult
from core.errors import UserError


def read_parquet(content: bytes, *, max_rows: int | None = None) -> ImportResult:
    """Read a Parquet file, at most ``max_rows`` rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        file = pq.ParquetFile(io.BytesIO(content))
        n_cols = len(file.schema_arrow.names)
        check_columns(n_cols)
        n_rows = file.metadata.num_rows if max_rows is None else min(max_rows, file.metadata.num_rows)
        if n_rows * n_cols > MAX_PARQUET_CELLS:
            raise UserError("data.parquet.too_many_cells", rows=file.metadata.num_rows, columns=n_cols,
                            limit=MAX_PARQUET_CELLS)
        if max_rows is None:
            table = file.read()
        else:
            batches = file.iter_batches(batch_size=max(1, min(max_rows, 65_536)))
            table = pa.Table.from_batches(_take(batches, max_rows), schema=file.schema_arrow)
        table, as_text = _plain_columns(table)
        df = table.to_pandas()
    except (pa.ArrowException, OSError, ValueError, TypeError):
        raise UserError("data.parquet.corrupt") from None
    if not isinstance(df.index, pd.RangeIndex):
        df = df.reset_index(allow_duplicates=True)  # an index may share a column's name
    names, warnings = clean_column_names(df.columns)
    df.columns = names
    result = ImportResult(df=df, source_kind="parquet", warnings=warnings,
                          truncated=max_rows is not None and len(df) >= max_rows)
    if as_text:
        result.warn("data.import.stored_as_text", count=len(as_text), columns=", ".join(as_text[:20]))
    return result


def _take(batches, limit: int) -> list:
    """Record batches up to ``limit`` rows."""
    out, n = [], 0
    for batch in batches:
        out.append(batch.slice(0, limit - n))
        n += out[-1].num_rows
        if n >= limit:
            break
    return out


def _plain_columns(table):
    """Nested and binary columns as JSON/UTF-8 text, decimals as float64: (table, names turned to text)."""
    import pyarrow as pa
    import pyarrow.types as pt

    as_text: list[str] = []
    for i, field in enumerate(table.schema):
        kind = field.type.value_type if pt.is_dictionary(field.type) else field.type
        if pt.is_nested(kind) or pt.is_binary(kind) or pt.is_large_binary(kind) or pt.is_fixed_size_binary(kind):
            values = [_text(v) for v in table.column(i).to_pylist()]
            table = table.set_column(i, field.name, pa.array(values, type=pa.string()))
            as_text.append(field.name)
        elif pt.is_decimal(kind):
            table = table.set_column(i, field.name, table.column(i).cast(pa.float64(), safe=False))
    return table, as_text


def _text(value: Any) -> str | None:
    """One nested or binary value as readable text (None stays missing)."""
    if value is None:
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="backslashreplace").replace("\x00", "\\x00")
    return json.dumps(value, ensure_ascii=False, default=str)
