"""Entry point for uploaded files: pick the reader by extension, enforce limits."""

from __future__ import annotations

import codecs
import re
from pathlib import PurePath

from core.data.delimited import read_delimited
from core.data.excel import read_excel
from core.data.limits import MAX_BYTES, check_columns
from core.data.parquet import read_parquet
from core.data.result import ImportResult
from core.errors import UserError

KINDS: dict[str, str] = {
    ".csv": "csv", ".tsv": "csv", ".txt": "csv",
    ".xlsx": "excel", ".xlsm": "excel",
    ".parquet": "parquet", ".pq": "parquet",
}
PREVIEW_ROWS = 20
_NON_BLANK = re.compile(rb"\S")


def source_kind(filename: str) -> str:
    """``"csv"``, ``"excel"`` or ``"parquet"`` from the file name; anything else → UserError."""
    ext = PurePath(filename or "").suffix.lower()
    if ext not in KINDS:
        raise UserError("data.import.unsupported_extension", extension=ext or "—",
                        supported=", ".join(sorted(KINDS)))
    return KINDS[ext]


def read_upload(
    content: bytes,
    filename: str,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    header: bool | None = None,
    sheet: str | None = None,
    max_rows: int | None = None,
) -> ImportResult:
    """Parse an uploaded file into an :class:`ImportResult`; bad input raises ``UserError``."""
    kind = source_kind(filename)
    _check_size(content)
    if kind == "csv":
        tsv = filename.lower().endswith(".tsv")
        result = read_delimited(content, encoding=encoding, delimiter=delimiter, header=header,
                                max_rows=max_rows, default_delimiter="\t" if tsv else ",")
    elif kind == "excel":
        result = read_excel(content, sheet=sheet, header=header, max_rows=max_rows)
    else:
        result = read_parquet(content, max_rows=max_rows)
    _check_shape(result)
    return result


def preview(content: bytes, filename: str, n: int = PREVIEW_ROWS, **options) -> ImportResult:
    """The first ``n`` rows with the same detection as a full import (for the options form)."""
    return read_upload(content, filename, max_rows=n, **options)


def _check_size(content: bytes) -> None:
    """Oversized and empty files are refused before any parsing (without copying the content)."""
    if len(content) > MAX_BYTES:
        raise UserError("data.import.too_large", size_mb=round(len(content) / 2**20, 1),
                        limit_mb=MAX_BYTES // 2**20)
    start = len(codecs.BOM_UTF8) if content.startswith(codecs.BOM_UTF8) else 0
    if not _NON_BLANK.search(content, start):
        raise UserError("data.import.empty")


def _check_shape(result: ImportResult) -> None:
    """Too many columns or no data rows are errors."""
    n_rows, n_cols = result.df.shape
    check_columns(n_cols)
    if n_cols == 0:
        raise UserError("data.import.empty")
    if n_rows == 0:
        raise UserError("data.import.no_rows", columns=n_cols)
