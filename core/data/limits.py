"""Size limits for imported data; exceeding one raises a ``UserError`` (see docs/limits.md)."""

from __future__ import annotations

from core.errors import UserError

MAX_BYTES = 200 * 1024 * 1024
"""Largest upload accepted (bytes); matches ``server.maxUploadSize`` in .streamlit/config.toml."""

MAX_COLUMNS = 2_000
"""Most columns a dataset may have."""

MAX_COLUMN_NAME = 300
"""Longest column name kept (characters); longer names are shortened with a warning.

Equal to the width of ``projects.target_column``, so any column can become the target."""

MAX_PARQUET_CELLS = 100_000_000
"""Most cells (rows × columns) a Parquet file may declare (decompression-bomb guard)."""

MAX_XLSX_UNCOMPRESSED = 1024 * 1024 * 1024
"""Largest total uncompressed size of the parts inside an .xlsx (zip-bomb guard)."""

MAX_FIRST_LINE_BYTES = 8 * 1024 * 1024
"""Longest first line (header) of a text file; a longer one is not a table."""

MAX_REPLACED_SHARE = 0.01
"""Above this share of undecodable characters a text file is rejected instead of repaired."""

MAX_NUL_SHARE = 0.10
"""Stray NUL bytes in a text file are removed (with a warning) up to this share of the bytes."""

MAX_SQL_ROWS = 5_000_000
"""Largest row limit a database query may ask for."""

SQL_TIMEOUT_S = 30.0
"""Seconds a database query may run before it is stopped."""

SNIFF_BYTES = 64 * 1024
"""Bytes looked at to guess delimiter and header."""

DETECT_BYTES = 1024 * 1024
"""Bytes handed to charset-normalizer to rank candidate encodings."""


def check_columns(n_cols: int) -> None:
    """Refuse tables wider than ``MAX_COLUMNS`` (called before parsing when possible)."""
    if n_cols > MAX_COLUMNS:
        raise UserError("data.import.too_many_columns", columns=n_cols, limit=MAX_COLUMNS)
