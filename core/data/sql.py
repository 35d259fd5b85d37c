"""Import from a database with one read-only SELECT.

Defence in depth: the query text must be a single SELECT/WITH statement without
data-changing keywords, and it runs in a read-only session where the dialect allows it
(SQLite: ``mode=ro`` URI plus ``PRAGMA query_only``; PostgreSQL: read-only transaction and
``statement_timeout``; MySQL: read-only session and ``max_execution_time``). Passwords never
appear in results, warnings or errors: URLs are shown through :func:`redact_url`.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import pandas as pd
from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from core.data.columns import clean_column_names
from core.data.limits import MAX_SQL_ROWS, SQL_TIMEOUT_S, check_columns
from core.data.result import ImportResult
from core.errors import UserError

DEFAULT_ROW_LIMIT = 100_000
FORBIDDEN_KEYWORDS = frozenset({
    "INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT", "DROP", "CREATE", "ALTER", "TRUNCATE", "RENAME",
    "ATTACH", "DETACH", "PRAGMA", "VACUUM", "REINDEX", "GRANT", "REVOKE", "COPY", "CALL", "EXEC",
    "EXECUTE", "INTO", "LOCK", "LOAD", "INSTALL", "COMMIT", "ROLLBACK", "SAVEPOINT",
})
_SCRUB = re.compile(r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|`[^`]*`|\$\$.*?\$\$|--[^\n]*|/\*.*?\*/""", re.S)
_TIMEOUT_HINTS = ("interrupted", "statement timeout", "canceling statement", "max_execution_time")
_READONLY_HINTS = ("readonly", "read-only", "read only", "query_only")
_SECRET_PARAM = re.compile(r"pass|pwd|secret|token|key|credential|auth", re.IGNORECASE)
_SECRET_IN_TEXT = re.compile(r"(?i)(\b[\w.-]*(?:pass|pwd|secret|token|key|credential|auth)[\w.-]*=)[^&\s]*")


def redact_url(url: str | URL) -> str:
    """The URL with its password, and query parameters that look like secrets, masked as ``***``.

    A URL that cannot be parsed keeps only its scheme and what follows the last ``@``.
    """
    try:
        parsed = make_url(url)
        secret = {k: "***" for k in parsed.query if _SECRET_PARAM.search(k)}
        if secret:
            parsed = parsed.update_query_dict(secret)
        return parsed.render_as_string(hide_password=True)
    except (ArgumentError, ValueError, TypeError, AttributeError):
        return _redact_unparsed(str(url))


def _redact_unparsed(text: str) -> str:
    """Mask a malformed URL: anything before the last ``@`` may be a password."""
    text = _SECRET_IN_TEXT.sub(r"\1***", text)
    head, at, tail = text.rpartition("@")
    if not at:
        return text
    scheme, sep, _ = head.partition("://")
    return f"{scheme}://***@{tail}" if sep else f"***@{tail}"


def _secrets(url: URL) -> list[str]:
    """The password and secret-looking query values of a URL (to scrub from driver messages)."""
    values = [str(url.password)] if url.password else []
    for key, value in url.query.items():
        if _SECRET_PARAM.search(key):
            values.extend([value] if isinstance(value, str) else list(value))
    return [v for v in values if v]


def validate_select(query: str) -> str:
    """Return the stripped query if it is a single SELECT/WITH statement; else UserError."""
    body = (query or "").strip()
    scrubbed = _SCRUB.sub(lambda m: " " if m.group(0)[:2] in ("--", "/*") else " x ", body).strip()
    scrubbed = scrubbed.rstrip("; \t\r\n")  # trailing semicolons, even before a final comment
    words = re.findall(r"[A-Za-z_]+", scrubbed)
    if not words:
        raise UserError("data.sql.empty_query")
    if ";" in scrubbed:
        raise UserError("data.sql.multiple_statements")
    if words[0].upper() not in ("SELECT", "WITH"):
        raise UserError("data.sql.not_select", keyword=words[0].upper())
    bad = sorted({w.upper() for w in words} & FORBIDDEN_KEYWORDS)
    if bad:
        raise UserError("data.sql.forbidden_keyword", keyword=bad[0])
    return body.rstrip("; \t\r\n")


def check_row_limit(row_limit: Any) -> int:
    """The row limit as a whole number from 1 to ``MAX_SQL_ROWS``; anything else is a UserError."""
    value = None
    if not isinstance(row_limit, bool):
        try:
            number = float(row_limit)
            value = int(number) if number.is_integer() else None
        except (TypeError, ValueError, OverflowError):
            value = None
    if value is None or not 1 <= value <= MAX_SQL_ROWS:
        raise UserError("data.sql.bad_row_limit", value=str(row_limit)[:40], limit=MAX_SQL_ROWS)
    return value


def read_sql(url: str, query: str, *, row_limit: int = DEFAULT_ROW_LIMIT,
             timeout_s: float = SQL_TIMEOUT_S) -> ImportResult:
    """Run one read-only SELECT and return at most ``row_limit`` rows."""
    statement = validate_select(query)
    row_limit = check_row_limit(row_limit)
    if not isinstance(url, str) or not url.strip():
        raise UserError("data.sql.bad_url", url="—")
    shown = redact_url(url)
    engine, enforced = _engine(url, shown, timeout_s)
    try:
        result = _fetch(engine, statement, shown, row_limit, timeout_s)
    finally:
        engine.dispose()
    if not enforced:
        result.warn("data.sql.readonly_not_enforced", dialect=engine.dialect.name)
    return result


def _engine(url: str, shown: str, timeout_s: float) -> tuple[Engine, bool]:
    """An engine whose connections are read-only where the dialect supports it."""
    try:
        parsed = make_url(url)
        backend = parsed.get_backend_name()
        if backend == "sqlite":
            parsed = _sqlite_read_only(parsed)
        args = _connect_args(backend, parsed.get_driver_name(), timeout_s)
        engine = create_engine(parsed, poolclass=NullPool, connect_args=args)
    except (ArgumentError, NoSuchModuleError, ValueError):
        raise UserError("data.sql.bad_url", url=shown) from None
    except ImportError as exc:
        raise UserError("data.sql.driver_missing", url=shown, driver=getattr(exc, "name", "") or "") from None
    if backend == "sqlite":
        event.listen(engine, "connect", _sqlite_guard(timeout_s))
    elif backend in ("mysql", "mariadb"):
        event.listen(engine, "connect", _mysql_guard(timeout_s))
    return engine, backend in ("sqlite", "postgresql", "mysql", "mariadb")


def _sqlite_read_only(url: URL) -> URL:
    """Open a SQLite file through a ``mode=ro`` URI so it cannot be written or created."""
    db = url.database or ""
    if db in ("", ":memory:"):
        return url
    path = db if db.startswith("file:") else "file:" + quote(db, safe="/:")
    return url.set(database=path, query={**url.query, "mode": "ro", "uri": "true"})


def _connect_args(backend: str, driver: str, timeout_s: float) -> dict[str, Any]:
    """libpq drivers: PostgreSQL sessions start read-only with a statement timeout."""
    if backend != "postgresql" or driver not in ("psycopg", "psycopg2"):
        return {}
    ms = int(timeout_s * 1000)
    return {"options": f"-c default_transaction_read_only=on -c statement_timeout={ms}",
            "connect_timeout": max(1, int(timeout_s))}


def _sqlite_guard(timeout_s: float) -> Callable[[Any, Any], None]:
    """Connect hook: ``PRAGMA query_only`` and an interrupt after ``timeout_s``."""
    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        deadline = time.monotonic() + timeout_s
        dbapi_conn.execute("PRAGMA query_only = ON")
        dbapi_conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
    return on_connect


def _mysql_guard(timeout_s: float) -> Callable[[Any, Any], None]:
    """Connect hook: read-only session and a statement time limit."""
    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute("SET SESSION TRANSACTION READ ONLY")
        cursor.execute(f"SET SESSION MAX_EXECUTION_TIME = {int(timeout_s * 1000)}")
        cursor.close()
    return on_connect


def _fetch(engine: Engine, statement: str, shown: str, row_limit: int, timeout_s: float) -> ImportResult:
    """Connect, run the statement inside a read-only transaction, fetch ``row_limit + 1`` rows."""
    try:
        conn = engine.connect()
    except ImportError as exc:
        raise UserError("data.sql.driver_missing", url=shown, driver=getattr(exc, "name", "") or "") from None
    except SQLAlchemyError as exc:
        raise UserError("data.sql.connect_failed", url=shown, reason=_reason(exc, engine)) from None
    try:
        _begin_read_only(conn, timeout_s)
        result = conn.execution_options(no_parameters=True, stream_results=True).exec_driver_sql(statement)
        if not result.returns_rows:
            raise UserError("data.sql.no_result_set")
        columns = list(result.keys())
        check_columns(len(columns))
        rows = result.fetchmany(row_limit + 1)
    except SQLAlchemyError as exc:
        raise _query_error(exc, engine) from None
    finally:
        conn.rollback()
        conn.close()
    return _to_result(rows, columns, row_limit)


def _begin_read_only(conn: Connection, timeout_s: float) -> None:
    """PostgreSQL: first statements of the transaction make it read-only and time-limited."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET TRANSACTION READ ONLY")
        conn.exec_driver_sql(f"SET LOCAL statement_timeout = {int(timeout_s * 1000)}")


def _to_result(rows: list, columns: list[str], row_limit: int) -> ImportResult:
    """Rows to a DataFrame with clean column names; warn when the limit cut rows off."""
    truncated = len(rows) > row_limit
    names, warnings = clean_column_names(columns)
    df = pd.DataFrame.from_records(rows[:row_limit], columns=names)
    if df.empty:
        raise UserError("data.sql.no_rows", columns=len(names))
    df = _decimals_to_float(df)
    result = ImportResult(df=df, source_kind="sql", truncated=truncated, warnings=warnings)
    if truncated:
        result.warn("data.sql.truncated", limit=row_limit)
    return result


def _decimals_to_float(df: pd.DataFrame) -> pd.DataFrame:
    """NUMERIC columns arrive as Decimal objects; analysis needs floats."""
    for col in df.columns[df.dtypes == object]:
        first = df[col].dropna().head(1)
        if len(first) and isinstance(first.iloc[0], Decimal):
            df[col] = pd.to_numeric(df[col], errors="coerce")
    return df


def _query_error(exc: SQLAlchemyError, engine: Engine) -> UserError:
    """Translate a driver error into timeout / write refused / query failed."""
    reason = _reason(exc, engine)
    low = reason.lower()
    if any(hint in low for hint in _TIMEOUT_HINTS):
        return UserError("data.sql.timeout", reason=reason)
    if any(hint in low for hint in _READONLY_HINTS):
        return UserError("data.sql.write_refused", reason=reason)
    return UserError("data.sql.query_failed", reason=reason)


def _reason(exc: Exception, engine: Engine) -> str:
    """First line of the driver's message with any password scrubbed out."""
    orig = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    text = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    for secret in _secrets(engine.url):
        text = text.replace(secret, "***")
    return text[:300]
