"""Excel (.xlsx) reading with a zip-bomb guard and sheet choice."""

from __future__ import annotations

import io
import zipfile

import pandas as pd

from core.data.columns import clean_column_names, default_names
from core.data.delimited import detect_header
from core.data.limits import MAX_XLSX_UNCOMPRESSED, check_columns
from core.data.result import ImportResult
from core.errors import UserError

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_xlsx(content: bytes) -> None:
    """Refuse encrypted, corrupt or zip-bomb-like workbooks before openpyxl opens them."""
    if content.startswith(_OLE_MAGIC):
        raise UserError("data.excel.encrypted")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise UserError("data.excel.corrupt") from None
    if "xl/workbook.xml" not in {info.filename for info in infos}:
        raise UserError("data.excel.corrupt")
    total = sum(info.file_size for info in infos)
    if total > MAX_XLSX_UNCOMPRESSED:
        raise UserError("data.excel.too_large_unpacked", size_mb=total // 2**20,
                        limit_mb=MAX_XLSX_UNCOMPRESSED // 2**20)


def _sheet_dimensions(content: bytes) -> dict[str, int | None]:
    """Sheet names with their declared column counts (None when the file does not say)."""
    check_xlsx(content)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True)
        try:
            return {ws.title: getattr(ws, "max_column", None) for ws in workbook.worksheets}
        finally:
            workbook.close()
    except Exception:  # openpyxl raises many kinds for damaged files
        raise UserError("data.excel.corrupt") from None


def list_sheets(content: bytes) -> list[str]:
    """Names of the worksheets in an .xlsx file."""
    return list(_sheet_dimensions(content))


def read_excel(content: bytes, *, sheet: str | None = None, header: bool | None = None,
               max_rows: int | None = None) -> ImportResult:
    """Read one sheet (the first by default); the header row is detected unless given."""
    dims = _sheet_dimensions(content)
    sheets = list(dims)
    if not sheets:
        raise UserError("data.import.empty")
    name = sheets[0] if sheet is None else sheet
    if name not in dims:
        raise UserError("data.excel.no_such_sheet", sheet=name, sheets=", ".join(sheets))
    check_columns(dims[name] or 0)
    raw = _read_sheet(content, name, max_rows)
    raw = raw.dropna(how="all").dropna(axis=1, how="all")
    if raw.empty:
        raise UserError("data.import.empty")
    check_columns(raw.shape[1])
    head = raw.head(50)
    first_rows = head.astype(str).where(head.notna(), "").values.tolist()
    has_header = detect_header(first_rows) if header is None else bool(header)
    df, warnings = _apply_header(raw, has_header)
    if max_rows is not None:
        df = df.head(max_rows)
    return ImportResult(df=df, source_kind="excel", has_header=has_header, sheets=sheets, sheet=name,
                        truncated=max_rows is not None and len(df) >= max_rows, warnings=warnings)


def _read_sheet(content: bytes, name: str, max_rows: int | None) -> pd.DataFrame:
    """Read a sheet without header handling (pandas would rename duplicates itself)."""
    try:
        return pd.read_excel(io.BytesIO(content), sheet_name=name, header=None, engine="openpyxl",
                             nrows=None if max_rows is None else max_rows + 1)
    except Exception:  # openpyxl raises many kinds for damaged files
        raise UserError("data.excel.corrupt") from None


def _apply_header(raw: pd.DataFrame, has_header: bool) -> tuple[pd.DataFrame, list]:
    """Use the first row as column names (or ``column_N``) and re-infer dtypes."""
    if has_header:
        names, warnings = clean_column_names(raw.iloc[0].tolist())
        body = raw.iloc[1:]
    else:
        names, warnings, body = default_names(raw.shape[1]), [], raw
    df = body.reset_index(drop=True).infer_objects()
    df.columns = names
    return df, warnings
