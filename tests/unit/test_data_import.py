"""Import of uploads and SQL: encodings, delimiters, headers, bad input, versions, target hints."""

from __future__ import annotations

import io
import re
import sqlite3
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

import core.data.excel as excel_mod
import core.data.upload as upload_mod
from core.data import (
    compare_versions, content_hash, list_sheets, positive_class_candidates, preview,
    propose_problem_type, read_sql, read_upload, redact_url,
)
from core.data.sql import _engine
from core.errors import UserError
from core.i18n import has, t

ROOT = Path(__file__).resolve().parents[2]
JA_ROWS = "氏名,年齢,都道府県\n山田太郎,30,東京都\n佐藤花子,25,大阪府\n"


def expect_error(key: str, func, *args, **kwargs) -> UserError:
    """Call and assert a UserError with ``key`` whose messages are complete in both languages."""
    with pytest.raises(UserError) as info:
        func(*args, **kwargs)
    err = info.value
    assert err.key == key
    assert has(key)
    for lang in ("en", "ja"):
        text = err.message(lang)
        assert text != key and "{" not in text, text
    return err


# --- encodings -----------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    JA_ROWS,
    "名前,電話\n田中,090-1234-5678\n",
    "商品,価格\nりんご,100\n",
    "顧客ID,解約\n1,はい\n2,いいえ\n",
    "ｶﾅ,半角\nｱｲｳ,1\n",
    "住所,メール\n東京都千代田区,a@b.jp\n",
    "区分,値\n髙橋①,1\n",  # characters only CP932 (not plain Shift-JIS) can encode
])
def test_cp932_short_japanese_file_decodes_without_hint(text):
    result = read_upload(text.encode("cp932"), "ja.csv")
    assert result.encoding == "cp932"
    assert list(result.df.columns) == text.splitlines()[0].split(",")
    assert str(result.df.iloc[0, 0]) == text.splitlines()[1].split(",")[0]


@pytest.mark.parametrize("text", [
    JA_ROWS,
    "名前,電話\n田中,090-1234-5678\n",
    "商品,価格\nりんご,100\n",
    "顧客ID,解約\n1,はい\n2,いいえ\n",
    "住所,メール\n東京都千代田区,a@b.jp\n",
])
def test_euc_jp_short_japanese_file_decodes_without_hint(text):
    result = read_upload(text.encode("euc_jp"), "ja.csv")
    assert result.encoding == "euc_jp"
    assert list(result.df.columns) == text.splitlines()[0].split(",")
    assert str(result.df.iloc[-1, 0]) == text.splitlines()[-1].split(",")[0]


def test_shift_jis_file_is_read_as_cp932():
    result = read_upload(JA_ROWS.encode("shift_jis"), "sjis.csv")
    assert result.encoding == "cp932"
    assert result.df["氏名"].tolist() == ["山田太郎", "佐藤花子"]


def test_utf8_bom_does_not_leak_into_first_column_name():
    result = read_upload("\ufeffid,名前\n1,山田\n2,佐藤\n".encode("utf-8"), "bom.csv")
    assert result.encoding == "utf-8-sig"
    assert list(result.df.columns) == ["id", "名前"]


def test_utf8_bom_with_user_choice_utf8_still_strips_bom():
    result = read_upload("\ufeffid,x\n1,2\n".encode("utf-8"), "bom.csv", encoding="utf-8")
    assert list(result.df.columns) == ["id", "x"]


def test_utf16_excel_unicode_text_export():
    result = read_upload("名前\t年齢\n山田\t30\n".encode("utf-16"), "export.txt")
    assert result.delimiter == "\t"
    assert result.df.to_dict("records") == [{"名前": "山田", "年齢": 30}]


def test_sample_cp932_churn_file_reads_with_japanese_headers():
    content = (ROOT / "sample_data" / "telecom_churn_ja_cp932.csv").read_bytes()
    result = read_upload(content, "telecom_churn_ja_cp932.csv")
    assert result.encoding == "cp932"
    assert result.df.shape == (5000, 21)
    assert "電話番号" in result.df.columns


def test_user_encoding_override_is_used():
    result = read_upload(JA_ROWS.encode("cp932"), "ja.csv", encoding="Shift-JIS")
    assert result.encoding == "cp932"
    assert result.df["都道府県"].tolist() == ["東京都", "大阪府"]


def test_wrong_user_encoding_is_refused():
    expect_error("data.import.wrong_encoding", read_upload, (JA_ROWS * 5).encode("cp932"), "ja.csv", encoding="utf-8")


def test_unknown_encoding_name_is_refused():
    expect_error("data.import.unknown_encoding", read_upload, b"a,b\n1,2\n", "x.csv", encoding="klingon-8")


def test_mixed_encodings_are_replaced_and_warned():
    good = "名前,値\n" + "".join(f"山田{i},{i}\n" for i in range(300))
    content = good.encode("utf-8") + "佐藤,999\n".encode("cp932")
    result = read_upload(content, "mixed.csv")
    assert result.encoding == "utf-8"
    assert result.df.shape == (301, 2)
    assert result.df["名前"].iloc[0] == "山田0"
    assert "\ufffd" in result.df["名前"].iloc[-1]
    key, params = result.warnings[-1]
    assert key == "data.import.mixed_encoding"
    assert params["line"] == 302 and params["count"] >= 1


# --- delimiters, headers, names -------------------------------------------------------------

@pytest.mark.parametrize("delim", [",", "\t", ";", "|"])
def test_delimiter_is_sniffed(delim):
    text = delim.join(["a", "b", "c"]) + "\n" + "\n".join(delim.join(["x", "1.5", "2"]) for _ in range(5)) + "\n"
    result = read_upload(text.encode(), "d.txt")
    assert result.delimiter == delim
    assert list(result.df.columns) == ["a", "b", "c"]
    assert result.df["b"].sum() == pytest.approx(7.5)


def test_quoted_commas_do_not_confuse_the_sniffer():
    text = 'name,comment,score\n"Smith, J","said ""hi"", left",3\n"Lee, K","ok",4\n'
    result = read_upload(text.encode(), "q.csv")
    assert result.delimiter == ","
    assert result.df["comment"].iloc[0] == 'said "hi", left'


def test_headerless_numeric_file_is_detected():
    result = read_upload(b"1,2.5,3\n4,5.5,6\n7,8.5,9\n", "n.csv")
    assert result.has_header is False
    assert list(result.df.columns) == ["column_1", "column_2", "column_3"]
    assert len(result.df) == 3


def test_header_can_be_forced():
    result = read_upload(b"1,2\n3,4\n", "n.csv", header=True)
    assert result.has_header is True
    assert list(result.df.columns) == ["1", "2"] and len(result.df) == 1


def test_blank_and_duplicate_names_are_repaired_with_warnings():
    result = read_upload(b" a ,,a,b,a\n1,2,3,4,5\n", "names.csv")
    assert list(result.df.columns) == ["a", "column_2", "a_2", "b", "a_3"]
    keys = [k for k, _ in result.warnings]
    assert keys == ["data.import.blank_column_names", "data.import.duplicate_column_names"]
    assert result.df["a_3"].iloc[0] == 5


def test_single_column_is_imported_but_flagged():
    result = read_upload(b"value\n1\n2\n3\n", "one.csv")
    assert result.df.shape == (3, 1)
    assert ("data.import.single_column", {}) in result.warnings


def test_preview_reads_only_the_first_rows():
    text = "a,b\n" + "".join(f"{i},{i * 2}\n" for i in range(1000))
    result = preview(text.encode(), "big.csv", n=10)
    assert len(result.df) == 10 and result.truncated
    assert result.df["b"].tolist()[-1] == 18


# --- bad input -----------------------------------------------------------------------------

@pytest.mark.parametrize("content", [b"", b"  \n\r\n", b"\xef\xbb\xbf"])
def test_empty_file(content):
    expect_error("data.import.empty", read_upload, content, "empty.csv")


def test_header_only_file_has_no_rows():
    err = expect_error("data.import.no_rows", read_upload, b"a,b,c\n", "head.csv")
    assert err.params["columns"] == 3


def test_binary_file_renamed_csv():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    expect_error("data.import.binary", read_upload, png, "photo.csv")


def test_undecodable_bytes_without_nul():
    junk = bytes([0x80, 0xFF, 0xFE, 0x81, 0x20]) * 200
    expect_error("data.import.undecodable", read_upload, junk, "junk.csv")


def test_too_many_columns(tmp_path):
    header = ",".join(f"c{i}" for i in range(10_000))
    content = (header + "\n" + ",".join("1" for _ in range(10_000)) + "\n").encode()
    err = expect_error("data.import.too_many_columns", read_upload, content, "wide.csv")
    assert err.params["columns"] == 10_000


def test_file_over_size_limit(monkeypatch):
    monkeypatch.setattr(upload_mod, "MAX_BYTES", 1_000)
    content = b"a,b\n" + b"1,2\n" * 500
    err = expect_error("data.import.too_large", read_upload, content, "big.csv")
    assert err.params["limit_mb"] == 0


@pytest.mark.parametrize("name", ["data.json", "old.xls", "noext", "report.pdf"])
def test_unsupported_extension(name):
    expect_error("data.import.unsupported_extension", read_upload, b"a,b\n1,2\n", name)


def test_ragged_rows_give_a_parse_error():
    expect_error("data.import.parse_error", read_upload, b"a,b\n1,2\n" + b"3,4\n" * 60 + b"5,6,7,8\n", "bad.csv")


# --- Excel ---------------------------------------------------------------------------------

def _xlsx(sheets: dict[str, list[list]]) -> bytes:
    """An .xlsx with the given sheets and rows."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        ws = workbook.create_sheet(name)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    workbook.save(buf)
    return buf.getvalue()


def test_xlsx_sheets_and_sheet_choice():
    content = _xlsx({"説明": [["このシートは説明です"]], "データ": [["氏名", "点数", "点数"], ["山田", 80, 1], ["佐藤", 90, 2]]})
    assert list_sheets(content) == ["説明", "データ"]
    result = read_upload(content, "book.xlsx", sheet="データ")
    assert result.source_kind == "excel" and result.sheet == "データ"
    assert result.sheets == ["説明", "データ"]
    assert list(result.df.columns) == ["氏名", "点数", "点数_2"]
    assert result.df["点数"].tolist() == [80, 90]
    assert pd.api.types.is_integer_dtype(result.df["点数"])


def test_xlsx_unknown_sheet():
    content = _xlsx({"A": [["x"], [1]]})
    err = expect_error("data.excel.no_such_sheet", read_upload, content, "b.xlsx", sheet="B")
    assert err.params["sheets"] == "A"


def test_xlsx_headerless_numbers():
    result = read_upload(_xlsx({"S": [[1, 2], [3, 4], [5, 6]]}), "n.xlsx")
    assert result.has_header is False and len(result.df) == 3


def test_too_wide_xlsx_is_refused_from_its_declared_size():
    content = _xlsx({"S": [[f"c{i}" for i in range(2_100)], list(range(2_100))]})
    err = expect_error("data.import.too_many_columns", read_upload, content, "wide.xlsx")
    assert err.params["columns"] == 2_100


def test_password_protected_xlsx():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048)
    expect_error("data.excel.encrypted", read_upload, ole, "secret.xlsx")


@pytest.mark.parametrize("content", [b"not a zip at all" * 10, None])
def test_corrupt_xlsx(content):
    if content is None:  # a real zip without a workbook inside
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as archive:
            archive.writestr("hello.txt", "hi")
        content = buf.getvalue()
    expect_error("data.excel.corrupt", read_upload, content, "broken.xlsx")


def test_truncated_xlsx_is_corrupt():
    content = _xlsx({"S": [["a"], [1]]})
    expect_error("data.excel.corrupt", read_upload, content[: len(content) // 2], "cut.xlsx")


def test_zip_bomb_like_xlsx_is_refused_before_reading(monkeypatch):
    monkeypatch.setattr(excel_mod, "MAX_XLSX_UNCOMPRESSED", 5 * 2**20)
    buf = io.BytesIO(_xlsx({"S": [["a"], [1]]}))
    with zipfile.ZipFile(buf, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", bytes(20 * 2**20))
    content = buf.getvalue()
    assert len(content) < 200_000  # 20 MB of zeros compress to almost nothing
    expect_error("data.excel.too_large_unpacked", read_upload, content, "bomb.xlsx")


# --- Parquet -------------------------------------------------------------------------------

def test_parquet_round_trip_and_limit():
    df = pd.DataFrame({"a": range(100), "b": [f"x{i}" for i in range(100)]})
    buf = io.BytesIO()
    df.to_parquet(buf, index=False)
    result = read_upload(buf.getvalue(), "d.parquet")
    assert result.source_kind == "parquet"
    pd.testing.assert_frame_equal(result.df, df)
    assert len(read_upload(buf.getvalue(), "d.parquet", max_rows=7).df) == 7


def test_corrupt_parquet():
    expect_error("data.parquet.corrupt", read_upload, b"PAR1 this is not parquet PAR1", "d.parquet")


# --- SQL -----------------------------------------------------------------------------------

@pytest.fixture()
def sqlite_db(tmp_path):
    path = tmp_path / "shop.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, spend REAL)")
        conn.executemany("INSERT INTO customers VALUES (?, ?, ?)", [(i, f"c{i}", i * 1.5) for i in range(250)])
    return path


def _count(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT COUNT(*) FROM customers").fetchone()[0]


def test_sql_select_works(sqlite_db):
    result = read_sql(f"sqlite:///{sqlite_db}", "SELECT id, name, spend FROM customers WHERE id < 10;")
    assert result.source_kind == "sql"
    assert result.df.shape == (10, 3)
    assert result.df["spend"].sum() == pytest.approx(sum(i * 1.5 for i in range(10)))
    assert not result.warnings


def test_sql_with_and_keywords_inside_strings_and_comments_are_fine(sqlite_db):
    query = ("WITH big AS (SELECT * FROM customers WHERE spend > 300) -- drop nothing\n"
             "SELECT name, 'DELETE me' AS note FROM big /* update */")
    result = read_sql(f"sqlite:///{sqlite_db}", query)
    assert len(result.df) == 49 and result.df["note"].iloc[0] == "DELETE me"


@pytest.mark.parametrize("query", ["SELECT COUNT(*) AS n FROM customers;;", "SELECT COUNT(*) AS n FROM customers; -- done"])
def test_sql_trailing_semicolons_and_comments_are_one_statement(sqlite_db, query):
    assert read_sql(f"sqlite:///{sqlite_db}", query).df["n"].tolist() == [250]


def test_sql_row_limit_truncates_and_warns(sqlite_db):
    result = read_sql(f"sqlite:///{sqlite_db}", "SELECT * FROM customers", row_limit=100)
    assert len(result.df) == 100 and result.truncated
    assert result.warnings == [("data.sql.truncated", {"limit": 100})]


@pytest.mark.parametrize(("query", "key"), [
    ("INSERT INTO customers VALUES (999, 'x', 1)", "data.sql.not_select"),
    ("DROP TABLE customers", "data.sql.not_select"),
    ("DELETE FROM customers", "data.sql.not_select"),
    ("UPDATE customers SET spend = 0", "data.sql.not_select"),
    ("PRAGMA writable_schema = ON", "data.sql.not_select"),
    ("ATTACH DATABASE '/tmp/x.db' AS x", "data.sql.not_select"),
    ("SELECT 1; DROP TABLE customers", "data.sql.multiple_statements"),
    ("SELECT * FROM customers; SELECT 1", "data.sql.multiple_statements"),
    ("WITH d AS (DELETE FROM customers RETURNING *) SELECT * FROM d", "data.sql.forbidden_keyword"),
    ("SELECT * INTO backup FROM customers", "data.sql.forbidden_keyword"),
    ("   ", "data.sql.empty_query"),
])
def test_sql_writes_and_multiple_statements_are_rejected(sqlite_db, query, key):
    expect_error(key, read_sql, f"sqlite:///{sqlite_db}", query)
    assert _count(sqlite_db) == 250


def test_sqlite_connection_itself_is_read_only(sqlite_db):
    engine, enforced = _engine(f"sqlite:///{sqlite_db}", "shown", 5)
    assert enforced
    with engine.connect() as conn, pytest.raises(Exception, match="readonly|read-only|query_only"):
        conn.exec_driver_sql("DELETE FROM customers")
    engine.dispose()
    assert _count(sqlite_db) == 250


def test_missing_sqlite_file_is_not_created(tmp_path):
    path = tmp_path / "nope.db"
    expect_error("data.sql.connect_failed", read_sql, f"sqlite:///{path}", "SELECT 1")
    assert not path.exists()


def test_sql_timeout_interrupts_long_query(sqlite_db):
    endless = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT max(i) FROM n"
    expect_error("data.sql.timeout", read_sql, f"sqlite:///{sqlite_db}", endless, timeout_s=0.3)


def test_sql_unknown_table_is_a_query_error(sqlite_db):
    err = expect_error("data.sql.query_failed", read_sql, f"sqlite:///{sqlite_db}", "SELECT * FROM orders")
    assert "orders" in err.params["reason"]


def test_postgresql_select_runs_read_only_with_timeout(fresh_postgres_url):
    from sqlalchemy import create_engine

    writer = create_engine(fresh_postgres_url)
    with writer.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE sales (id int, amount numeric(10,2))")
        conn.exec_driver_sql("INSERT INTO sales SELECT g, g * 1.5 FROM generate_series(1, 300) g")
        conn.exec_driver_sql("CREATE SEQUENCE ticket")
    result = read_sql(fresh_postgres_url, "SELECT id, amount::text::numeric AS amount FROM sales ORDER BY id",
                      row_limit=200)
    assert len(result.df) == 200 and result.truncated
    assert result.df["amount"].dtype == float and result.df["amount"].iloc[1] == 3.0
    # nextval() writes although the statement is a SELECT: the read-only transaction refuses it
    expect_error("data.sql.write_refused", read_sql, fresh_postgres_url, "SELECT nextval('ticket')")
    expect_error("data.sql.timeout", read_sql, fresh_postgres_url, "SELECT pg_sleep(5)", timeout_s=0.5)
    with writer.connect() as conn:
        assert conn.exec_driver_sql("SELECT last_value, is_called FROM ticket").one() == (1, False)
    writer.dispose()


def test_password_never_appears_in_connection_errors():
    url = "postgresql+psycopg://analyst:s3cr3t-PW@127.0.0.1:1/shop"
    err = expect_error("data.sql.connect_failed", read_sql, url, "SELECT 1", timeout_s=2)
    texts = [err.message("en"), err.message("ja"), str(err), repr(err.params)]
    assert all("s3cr3t-PW" not in text for text in texts)
    assert "analyst:***@127.0.0.1" in err.params["url"]


def test_bad_url_is_reported_without_password():
    err = expect_error("data.sql.bad_url", read_sql, "nosuchdb://u:hunter2@h/db", "SELECT 1")
    assert "hunter2" not in err.message("en")


def test_redact_url_masks_password():
    assert redact_url("postgresql://u:p%40ss@db.example:5432/x") == "postgresql://u:***@db.example:5432/x"
    assert redact_url("sqlite:///tmp/a.db") == "sqlite:///tmp/a.db"
    assert "pw" not in redact_url("not a url://u:pw@h")


# --- versions ------------------------------------------------------------------------------

def test_content_hash_is_stable_and_sensitive():
    df = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})
    same = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]}, index=[10, 11, 12])
    assert content_hash(df) == content_hash(same)
    assert re.fullmatch(r"[0-9a-f]{64}", content_hash(df))
    changed = df.copy()
    changed.loc[1, "b"] = "Y"
    assert content_hash(changed) != content_hash(df)
    assert content_hash(df.rename(columns={"a": "A"})) != content_hash(df)
    assert content_hash(df.astype({"a": float})) != content_hash(df)


def test_compare_versions_reports_columns_rows_and_dtypes():
    old = pd.DataFrame({"id": [1, 2, 3, 4], "v": [1, 2, 3, 4], "gone": list("abcd")})
    new = pd.DataFrame({"id": [1, 2, 3, 5, 6], "v": [1.0, 2.0, 3.0, 5.0, 6.0], "extra": list("vwxyz")})
    diff = compare_versions(old, new)
    assert diff["columns_added"] == ["extra"] and diff["columns_removed"] == ["gone"]
    assert diff["dtype_changes"] == [{"column": "v", "from": "int64", "to": "float64"}]
    assert (diff["rows_a"], diff["rows_b"]) == (4, 5)
    assert not diff["identical"]
    same = compare_versions(old, old.copy())
    assert same["identical"] and same["rows_added"] == same["rows_removed"] == 0


def test_compare_versions_counts_added_and_removed_rows():
    old = pd.DataFrame({"k": [1, 2, 3, 3]})
    new = pd.DataFrame({"k": [2, 3, 4, 5]})
    diff = compare_versions(old, new)
    assert (diff["rows_added"], diff["rows_removed"]) == (2, 2)


# --- target suggestions --------------------------------------------------------------------

@pytest.mark.parametrize(("values", "expected"), [
    (["True.", "False.", "False."], "binary"),
    ([1, 0, 0, 1], "binary"),
    (["a", "b", "c", "a"], "multiclass"),
    ([1, 2, 3, 4, 5, 1, 2], "multiclass"),
    ([1.5, 2.25, 3.0, 10.1], "regression"),
    (list(range(100)), "regression"),
])
def test_propose_problem_type(values, expected):
    assert propose_problem_type(pd.Series(values)) == expected


@pytest.mark.parametrize(("values", "first"), [
    (["False.", "True.", "False.", "False."], "True."),
    (["no", "yes", "no"], "yes"),
    (["No", "Yes", "Yes"], "Yes"),
    ([0, 1, 0, 0], 1),
    (["いいえ", "はい", "いいえ"], "はい"),
    (["common", "rare", "common", "common"], "rare"),
])
def test_positive_class_candidates(values, first):
    candidates = positive_class_candidates(pd.Series(values))
    assert candidates[0] == first
    assert set(candidates) == set(values)


# --- catalog completeness ------------------------------------------------------------------

def test_every_data_message_key_exists_in_both_languages():
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "core" / "data").glob("*.py"))
    keys = set(re.findall(r'"(data\.(?:import|excel|parquet|sql)\.[a-z_]+)"', source))
    assert len(keys) > 25
    for key in keys:
        assert has(key), key
        assert t(key, "ja") != t(key, "en"), key
