"""Size limits for imported data; exceeding one raises a ``UserError``."""

from __future__ import annotations

from core.errors import UserError

MAX_BYTES = 200 * 1024 * 1024
"""Largest upload accepted (bytes)."""

MAX_COLUMNS = 2_000
"""Most columns a dataset may have."""

MAX_XLSX_UNCOMPRESSED = 1024 * 1024 * 1024
"""Largest total uncompressed size of the parts inside an .xlsx (zip-bomb guard)."""

MAX_REPLACED_SHARE = 0.01
"""Above this share of undecodable characters a text file is rejected instead of repaired."""

SNIFF_BYTES = 64 * 1024
"""Bytes looked at to guess delimiter and header."""

DETECT_BYTES = 1024 * 1024
"""Bytes handed to charset-normalizer to rank candidate encodings."""


def check_columns(n_cols: int) -> None:
    """Refuse tables wider than ``MAX_COLUMNS`` (called before parsing when possible)."""
    if n_cols > MAX_COLUMNS:
        raise UserError("data.import.too_many_columns", columns=n_cols, limit=MAX_COLUMNS)
