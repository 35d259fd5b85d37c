"""Import into a project: parse an upload or run a query, then store it as one dataset version.

This is the path every upload and query takes (the Analyze page calls it through thin
wrappers). Bad input raises a ``UserError`` before anything is stored; storing itself is
all-or-nothing (:func:`core.store.datasets.add_dataset_version` writes the Parquet snapshot
and the version row together, or neither).

Cells are stored as they were read: formula-like text (``=cmd|…``, ``+1+1``, ``@SUM(A1)``)
and HTML stay plain text, nothing is evaluated. Columns whose values Parquet cannot hold
as such (lists, records, binary data, numbers mixed with text, integers beyond 64 bits)
are stored as text, with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from core.data.result import ImportResult, Warning_
from core.data.sql import DEFAULT_ROW_LIMIT, check_row_limit, read_sql, redact_url
from core.data.storable import storable_frame
from core.data.upload import read_upload
from core.db import Store
from core.errors import UserError
from core.store.datasets import DatasetInfo, add_dataset_version

SQL_LABEL = "SQL"
"""Label of a query's version when the caller gives none (the app passes a translated one)."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def import_upload(store: Store, project_id: int, content: bytes, filename: str,
                  options: Mapping[str, Any] | None = None, *, label: str = "",
                  created_by: str = "") -> tuple[DatasetInfo, bool, list[Warning_]]:
    """Parse the whole file with ``options`` and store it: (version, created, warnings).

    ``options`` are the reader's overrides (``encoding``, ``delimiter``, ``header``, ``sheet``).
    """
    result = read_upload(content, filename, **dict(options or {}))
    filename = _plain(filename)
    source = {"kind": result.source_kind, "filename": filename, "bytes": len(content), "encoding": result.encoding,
              "delimiter": result.delimiter, "header": result.has_header, "sheet": result.sheet}
    return _store(store, project_id, result, source, label=label or filename, created_by=created_by)


def import_sql(store: Store, project_id: int, url: str, query: str, row_limit: int = DEFAULT_ROW_LIMIT, *,
               label: str = "", created_by: str = "") -> tuple[DatasetInfo, bool, list[Warning_]]:
    """Run a read-only query and store its rows: (version, created, warnings); only the redacted URL is kept."""
    result = read_sql(url, query, row_limit=row_limit)
    source = {"kind": "sql", "url": redact_url(url), "query": _plain(query.strip()),
              "row_limit": check_row_limit(row_limit)}
    return _store(store, project_id, result, source, label=label or SQL_LABEL, created_by=created_by)


def _store(store: Store, project_id: int, result: ImportResult, source: dict[str, Any], *, label: str,
           created_by: str) -> tuple[DatasetInfo, bool, list[Warning_]]:
    """Make the table storable, then add it as a version (nothing is left behind on failure)."""
    import pyarrow as pa

    df, as_text = storable_frame(result.df)
    warnings = list(result.warnings)
    if as_text:
        warnings.append(("data.import.stored_as_text", {"count": len(as_text), "columns": ", ".join(as_text[:20])}))
    try:
        info, created = add_dataset_version(store, project_id, df, source=source, label=_plain(label),
                                            created_by=_plain(created_by), storable_checked=True)
    except (pa.ArrowException, UnicodeError, OverflowError) as exc:
        raise UserError("data.import.not_storable", detail=type(exc).__name__) from exc
    return info, created, warnings


def _plain(text: Any) -> str:
    """Free text for the database: control characters (NUL among them) removed, trimmed."""
    return _CONTROL.sub("", str(text or "")).strip()
