"""Data import: uploads (CSV/TSV/TXT, Excel, Parquet), SQL, versions, target suggestions."""

from core.data.encoding import canonical_encoding, detect_encoding
from core.data.excel import list_sheets
from core.data.limits import MAX_BYTES, MAX_COLUMNS, MAX_XLSX_UNCOMPRESSED
from core.data.result import ImportResult
from core.data.sql import read_sql, redact_url, validate_select
from core.data.target import positive_class_candidates, propose_problem_type
from core.data.upload import preview, read_upload, source_kind
from core.data.versions import compare_versions, content_hash

__all__ = [
    "ImportResult", "MAX_BYTES", "MAX_COLUMNS", "MAX_XLSX_UNCOMPRESSED", "canonical_encoding",
    "compare_versions", "content_hash", "detect_encoding", "list_sheets", "positive_class_candidates",
    "preview", "propose_problem_type", "read_sql", "read_upload", "redact_url", "source_kind",
    "validate_select",
]
