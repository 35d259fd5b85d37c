"""Parquet reading through pyarrow."""

from __future__ import annotations

import io

import pandas as pd

from core.data.columns import clean_column_names
from core.data.limits import check_columns
from core.data.result import ImportResult
from core.errors import UserError


def read_parquet(content: bytes, *, max_rows: int | None = None) -> ImportResult:
    """Read a Parquet file, at most ``max_rows`` rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        file = pq.ParquetFile(io.BytesIO(content))
        check_columns(len(file.schema_arrow.names))
        if max_rows is None:
            table = file.read()
        else:
            batches = file.iter_batches(batch_size=max(1, min(max_rows, 65_536)))
            table = pa.Table.from_batches(_take(batches, max_rows), schema=file.schema_arrow)
        df = table.to_pandas()
    except (pa.ArrowException, OSError, ValueError):
        raise UserError("data.parquet.corrupt") from None
    if not isinstance(df.index, pd.RangeIndex):
        df = df.reset_index()
    names, warnings = clean_column_names(df.columns)
    df.columns = names
    return ImportResult(df=df, source_kind="parquet", warnings=warnings,
                        truncated=max_rows is not None and len(df) >= max_rows)


def _take(batches, limit: int) -> list:
    """Record batches up to ``limit`` rows."""
    out, n = [], 0
    for batch in batches:
        out.append(batch.slice(0, limit - n))
        n += out[-1].num_rows
        if n >= limit:
            break
    return out
