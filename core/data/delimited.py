"""CSV / TSV / TXT reading: encoding, delimiter and header detection, then pandas."""

from __future__ import annotations

import csv
import io
import itertools
import re

import pandas as pd

from core.data.columns import clean_column_names, default_names
from core.data.encoding import Detected, ascii_compatible, canonical_encoding, resolve_encoding, strip_stray_nul
from core.data.limits import MAX_FIRST_LINE_BYTES, SNIFF_BYTES, check_columns
from core.data.result import ImportResult
from core.errors import UserError

DELIMITERS = (",", "\t", ";", "|")
_HEADER_ROWS = 50
_NEWLINE = re.compile(rb"[\r\n]")
_NOT_DELIMITERS = '\r\n"'

# The head (up to MAX_FIRST_LINE_BYTES) goes through the csv module, whose default field limit is
# 128 KiB; pandas, which parses the whole file, has none. Raising the process-wide limit only lets
# long header cells through; it never lowers another caller's limit.
csv.field_size_limit(max(csv.field_size_limit(), MAX_FIRST_LINE_BYTES + SNIFF_BYTES))


def read_delimited(
    content: bytes,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    header: bool | None = None,
    max_rows: int | None = None,
    default_delimiter: str = ",",
) -> ImportResult:
    """Parse delimited text; ``None`` options are detected."""
    _check_delimiter(delimiter)
    nul_removed = 0
    if not encoding or ascii_compatible(canonical_encoding(encoding)):
        content, nul_removed = strip_stray_nul(content)
    found = detected = resolve_encoding(content, encoding)
    if not ascii_compatible(found.encoding):  # UTF-16 etc.: pandas' C parser wants ASCII-compatible bytes
        content, detected = content.decode(found.encoding, errors="replace").encode("utf-8"), Detected("utf-8")
    head = _head_text(content, detected)
    if not head.strip():
        raise UserError("data.import.empty")
    delim = delimiter or sniff_delimiter(head, default=default_delimiter)
    rows = _first_rows(head, delim)
    has_header = detect_header(rows) if header is None else bool(header)
    n_cols = max(len(r) for r in rows)
    check_columns(n_cols)
    if has_header:
        names, warnings = clean_column_names(rows[0] + [""] * (n_cols - len(rows[0])))
    else:
        names, warnings = default_names(n_cols), []
    df = _parse(content, detected, delim, has_header, names, max_rows)
    result = ImportResult(df=df, source_kind="csv", encoding=found.encoding, delimiter=delim, has_header=has_header,
                          truncated=max_rows is not None and len(df) >= max_rows, warnings=warnings)
    if nul_removed:
        result.warn("data.import.nul_removed", count=nul_removed)
    if not found.exact:
        result.warn("data.import.mixed_encoding", encoding=found.encoding, count=found.replaced,
                    line=found.first_bad_line)
    if df.shape[1] == 1 and delimiter is None:
        result.warn("data.import.single_column")
    return result


def sniff_delimiter(text: str, default: str = ",") -> str:
    """Guess the delimiter among comma, tab, semicolon and pipe (csv.Sniffer, then counting)."""
    lines = [ln for ln in text.splitlines()[:_HEADER_ROWS] if ln.strip()]
    sample = "\n".join(lines)
    try:
        found = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
        if found in DELIMITERS and found in lines[0]:
            return found
    except csv.Error:
        pass
    return _consistent_delimiter(lines, default)


def detect_header(rows: list[list[str]]) -> bool:
    """Whether the first row is a header: False only when it looks like a numeric data row."""
    if len(rows) < 2:
        return True
    first, rest = rows[0], rows[1:]
    for j, cell in enumerate(first):
        values = [r[j].strip() for r in rest if j < len(r) and r[j].strip()]
        if values and _is_number(cell) and sum(map(_is_number, values)) >= 0.9 * len(values):
            return False
    return True


def _consistent_delimiter(lines: list[str], default: str) -> str:
    """The delimiter that appears the same non-zero number of times on most lines."""
    best, best_score = default, 0.0
    for delim in DELIMITERS:
        counts = [ln.count(delim) for ln in lines]
        if not counts or counts[0] == 0:
            continue
        score = sum(c == counts[0] for c in counts) / len(counts) + min(counts[0], 50) / 1000
        if score > best_score:
            best, best_score = delim, score
    return best


def _is_number(text: str) -> bool:
    """Whether ``text`` parses as a number."""
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return text.strip() != ""


def _check_delimiter(delimiter: str | None) -> None:
    """A chosen delimiter must be one character other than a quote or a line break."""
    if delimiter and (len(delimiter) != 1 or delimiter in _NOT_DELIMITERS):
        raise UserError("data.import.bad_delimiter", delimiter=repr(delimiter)[:20])


def _head_text(content: bytes, detected: Detected) -> str:
    """Decoded start of the file: whole lines, at least the first line, about SNIFF_BYTES.

    Lines may end in LF, CRLF or CR alone (old Mac exports); a first line longer than
    ``MAX_FIRST_LINE_BYTES`` means this is not a table.
    """
    first_end = _NEWLINE.search(content, 0, MAX_FIRST_LINE_BYTES + 1)
    if first_end is None and len(content) > MAX_FIRST_LINE_BYTES:
        raise UserError("data.import.line_too_long", limit_mb=MAX_FIRST_LINE_BYTES // 2**20)
    end = max(SNIFF_BYTES, first_end.end() if first_end else len(content))
    chunk = content[:end]
    if end < len(content):
        cut = max(chunk.rfind(b"\n"), chunk.rfind(b"\r"))
        chunk = chunk[:cut + 1] if cut > 0 else chunk
    return chunk.decode(detected.encoding, errors="replace")


def _first_rows(head: str, delim: str) -> list[list[str]]:
    """Up to 50 non-blank rows of the head, parsed with the csv module."""
    reader = csv.reader(io.StringIO(head, newline=""), delimiter=delim)
    rows = (r for r in reader if any(c.strip() for c in r))
    try:
        out = list(itertools.islice(rows, _HEADER_ROWS))
    except csv.Error as exc:
        raise UserError("data.import.parse_error", detail=str(exc)[:200]) from None
    if not out:
        raise UserError("data.import.empty")
    return out


def _parse(content: bytes, detected: Detected, delim: str, has_header: bool, names: list[str],
           max_rows: int | None) -> pd.DataFrame:
    """Run pandas' C parser with the detected options."""
    try:
        return pd.read_csv(
            io.BytesIO(content), sep=delim, header=0 if has_header else None, names=names,
            index_col=False, encoding=detected.encoding, nrows=max_rows, low_memory=False,
            encoding_errors="strict" if detected.exact else "replace",
        )
    except pd.errors.EmptyDataError:
        raise UserError("data.import.empty") from None
    except (UnicodeError, LookupError):
        raise UserError("data.import.undecodable", encoding=detected.encoding) from None
    except ValueError as exc:  # pandas.errors.ParserError and the C parser's other complaints
        detail = (str(exc).strip().splitlines() or [type(exc).__name__])[-1][:200]
        raise UserError("data.import.parse_error", detail=detail) from None
