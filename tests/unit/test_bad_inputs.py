"""The bad-input corpus (tests/data/bad): every case goes the way a user's input goes.

Uploads: sheet list (Excel) and preview, then the full import into a project
(``core.analyze.imports.import_upload``, what the Analyze page's Save button calls); batch files:
read, then the Predict column guard; queries: ``core.analyze.imports.import_sql``; form values: the
core function the form calls. Each case must end in either

* a ``UserError`` with the expected key whose English and Japanese messages are complete,
  and nothing stored (no dataset version row, no file under the artefact folder), or
* an accepted input stored safely: values kept verbatim as text, the expected warnings.

Any other exception (a traceback for the user) fails the test. The cases are data:
``files.toml``, ``sql_cases.toml`` and ``form_cases.toml``, listed in the folder's README.
All cases share one migrated SQLite store (built like ``conftest.sqlite_store``, once: migrating
per case would double the run time), each case in a project of its own.
"""

from __future__ import annotations

import io
import itertools
import math
import os
import pickle
import re
import sqlite3
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import core.data.columns
import core.data.delimited
import core.data.encoding
import core.data.excel
import core.data.limits
import core.data.parquet
import core.data.sql
import core.data.upload
from core.data import list_sheets, preview, read_upload, source_kind
from core.analyze.imports import import_sql, import_upload
from core.data.limits import MAX_COLUMNS, MAX_FIRST_LINE_BYTES
from core.data.result import ImportResult
from core.db import Store, open_store
from core.errors import UserError
from core.i18n import catalog, has, t
from core.predict import check_batch
from core.store.datasets import list_datasets, load_dataframe
from core.store.paths import project_dir
from core.store.projects import count_projects, create_project, get_project
from core.value import CostMatrix, Parameter, ValueFormula

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "bad"
FILE_CASES = tomllib.loads((CORPUS / "files.toml").read_text(encoding="utf-8"))["case"]
SQL_CASES = tomllib.loads((CORPUS / "sql_cases.toml").read_text(encoding="utf-8"))["sql"]
FORM_CASES = tomllib.loads((CORPUS / "form_cases.toml").read_text(encoding="utf-8"))["form"]
LIMIT_MODULES = (core.data.limits, core.data.upload, core.data.delimited, core.data.encoding, core.data.excel,
                 core.data.parquet, core.data.columns, core.data.sql)
BATCH_INPUTS = [{"name": "plan", "dtype": "object", "kind": "text"},
                {"name": "minutes", "dtype": "float64", "kind": "number"},
                {"name": "calls", "dtype": "int64", "kind": "integer"}]
BATCH_TARGET = "churn"
_FIELD = re.compile(r"{(\w+)}")
_TRIPWIRE = "ML_STUDIO_CORPUS_PICKLE_LOADED"
_PROJECT_NUMBERS = itertools.count(1)


def _pickle_tripwire() -> None:
    """Called only if something unpickles model.pkl / model.joblib from the corpus.

    The mark goes into the environment: the unpickler may import this file as a second module.
    """
    os.environ[_TRIPWIRE] = "1"
    raise AssertionError("a pickle from the corpus was loaded")


# ------------------------------------------------------------------------------- generated files

def _csv_rows(header: list[str], rows: list[list[Any]]) -> bytes:
    return ("\n".join(",".join(map(str, r)) for r in [header, *rows]) + "\n").encode()


def _exactly(size: int) -> bytes:
    """A valid two-column CSV of exactly ``size`` bytes (one long cell)."""
    head, tail = b"id,text\n1,", b"\n"
    return head + b"x" * (size - len(head) - len(tail)) + tail


def _mixed_types_xlsx() -> bytes:
    """10,000 numeric codes, then one text code: the column only turns mixed after row 10,000."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["code", "n"])
    for i in range(1, 10_001):
        sheet.append([i, i])
    sheet.append(["unknown", 42])
    buf = io.BytesIO()
    workbook.save(buf)
    return buf.getvalue()


GENERATORS = {
    "small_csv": lambda: b"id,name\n1,Tanaka\n2,Sato\n",
    "one_mb_cell": lambda: b"id,text\n1," + b"x" * 2**20 + b"\n2,short\n",
    "first_line_over_8mb": lambda: b"h" * (MAX_FIRST_LINE_BYTES + 1024) + b",b\n1,2\n",
    "forty_mb_long_rows": lambda: b"id,text\n" + b"".join(
        b"%d,%s\n" % (i, bytes([97 + i % 26]) * 2**20) for i in range(40)),
    "wide_2000": lambda: _csv_rows([f"c{i}" for i in range(MAX_COLUMNS)], [list(range(MAX_COLUMNS))] * 3),
    "wide_2001": lambda: _csv_rows([f"c{i}" for i in range(MAX_COLUMNS + 1)], [list(range(MAX_COLUMNS + 1))] * 3),
    "header_only_2500": lambda: _csv_rows([f"c{i}" for i in range(2_500)], []),
    "exactly_1_mib": lambda: _exactly(2**20),
    "one_byte_over_1_mib": lambda: _exactly(2**20 + 1),
    "mixed_types_after_row_10000": _mixed_types_xlsx,
}


def _content(case: dict[str, Any]) -> bytes:
    return GENERATORS[case["generate"]]() if "generate" in case else (CORPUS / case["file"]).read_bytes()


def _case_id(case: dict[str, Any]) -> str:
    options = "-".join(f"{k}={v!r}" for k, v in case.get("options", {}).items())
    return f"{case.get('path', 'upload')}:{case['file']}" + (f"[{options}]" if options else "")


# ------------------------------------------------------------------------------- shared checks

def _assert_clear(err: UserError) -> None:
    """A known key whose English and Japanese messages are complete (every placeholder filled)."""
    assert has(err.key), err.key
    for lang in ("en", "ja"):
        template, text = catalog()[err.key][lang], err.message(lang)
        assert text.strip() and text != err.key, (lang, text)
        missing = set(_FIELD.findall(template)) - set(err.params)
        assert not missing, (err.key, lang, missing)
        if "{" in text:  # only where a filled-in value (e.g. a parser's detail) contains a brace
            assert any("{" in str(v) for v in err.params.values()), (lang, text)


def _assert_warnings(warnings: list[tuple[str, dict[str, Any]]], expected: list[str]) -> None:
    assert sorted(key for key, _ in warnings) == sorted(expected)
    for key, params in warnings:
        for lang in ("en", "ja"):
            text = t(key, lang, **params)
            assert text != key and not set(_FIELD.findall(catalog()[key][lang])) - set(params), (key, lang)


def _files(store: Store, project_id: int) -> list[str]:
    """Files under the project's artefact folder (and no half-written ``.tmp`` file anywhere)."""
    assert list(store.artefacts.rglob("*.tmp")) == []
    return sorted(p.name for p in project_dir(store, project_id).rglob("*") if p.is_file())


def _assert_nothing_stored(store: Store, project_id: int) -> None:
    assert list_datasets(store, project_id) == []
    assert _files(store, project_id) == []


def _assert_stored_safely(df: pd.DataFrame, case: dict[str, Any]) -> None:
    """What was stored (or read): names, size and verbatim text cells as the case expects."""
    names = [str(c) for c in df.columns]
    if "columns" in case:
        assert names == case["columns"]
    if "rows" in case:
        assert len(df) == case["rows"]
    if "longest_name" in case:
        assert max(map(len, names)) == case["longest_name"]
    text_cells = {v for col in df.columns if df[col].dtype == object for v in df[col].dropna() if isinstance(v, str)}
    for cell in case.get("cells", []):
        assert cell in text_cells, cell
    for forbidden in case.get("absent", []):
        assert not any(forbidden in s for s in [*names, *text_cells]), repr(forbidden)


def _outcome(action) -> Any:
    """The action's result, or the UserError it raised (anything else propagates and fails)."""
    try:
        return action()
    except UserError as exc:
        return exc


def _new_project(store: Store) -> int:
    return create_project(store, f"Corpus {next(_PROJECT_NUMBERS)}").id


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """One migrated SQLite store with its own artefact folder for the whole module."""
    folder = tmp_path_factory.mktemp("corpus_store")
    shared = open_store(f"sqlite:///{folder / 'studio.db'}", artefacts=folder / "artefacts")
    yield shared
    shared.engine.dispose()


@pytest.fixture(autouse=True)
def _pickles_are_never_loaded(monkeypatch: pytest.MonkeyPatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("something tried to unpickle an upload")

    monkeypatch.setattr(pickle, "loads", refuse)
    monkeypatch.setattr(pickle, "load", refuse)
    yield
    assert _TRIPWIRE not in os.environ


@pytest.fixture(scope="module")
def shop_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite database with customers(id, name, spend), 250 rows."""
    path = tmp_path_factory.mktemp("sql") / "shop.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, spend REAL)")
        conn.executemany("INSERT INTO customers VALUES (?, ?, ?)", [(i, f"c{i}", i * 1.5) for i in range(250)])
    return f"sqlite:///{path}"


# ------------------------------------------------------------------------------- uploads and queries

def _preview_step(content: bytes, filename: str, options: dict[str, Any]) -> ImportResult:
    """The import form before Save: sheet list for Excel, then the 20-row preview."""
    if source_kind(filename) == "excel":
        list_sheets(content)
    return preview(content, filename, **options)


def _batch_step(content: bytes, filename: str, options: dict[str, Any]) -> ImportResult:
    """Predict's batch upload: read the whole file, then the column guard blocks or warns."""
    result = read_upload(content, filename, **options)
    report = check_batch(result.df, BATCH_INPUTS, None, target=BATCH_TARGET)
    report.raise_if_blocked()
    result.warnings = [(issue.key, {"column": issue.column or "", **issue.params}) for issue in report.warnings]
    return result


def _run_upload(store: Store, case: dict[str, Any], content: bytes) -> None:
    project_id = _new_project(store)
    filename, options, expect = case["file"], dict(case.get("options", {})), case["expect"]
    shown = _outcome(lambda: _preview_step(content, filename, options))
    saved = _outcome(lambda: import_upload(store, project_id, content, filename, options, label=filename,
                                           created_by="corpus"))
    if expect != "accepted":
        assert isinstance(saved, UserError), f"accepted, expected {expect}"
        assert saved.key == expect
        _assert_clear(saved)
        if case.get("preview") == "accepted":
            assert isinstance(shown, ImportResult)
        else:
            assert isinstance(shown, UserError) and shown.key == expect
        _assert_nothing_stored(store, project_id)
        return
    assert isinstance(shown, ImportResult), getattr(shown, "key", shown)
    assert not isinstance(saved, UserError), f"{saved.key}: {saved.message('en')}"
    info, created, warnings = saved
    assert created
    _assert_warnings(warnings, case["warnings"])
    stored = load_dataframe(store, info.id)
    _assert_stored_safely(stored, case)
    assert [d.id for d in list_datasets(store, project_id)] == [info.id]
    assert _files(store, project_id) == [f"{info.id}.parquet"]


def _run_batch(case: dict[str, Any], content: bytes) -> None:
    outcome = _outcome(lambda: _batch_step(content, case["file"], dict(case.get("options", {}))))
    if case["expect"] != "accepted":
        assert isinstance(outcome, UserError) and outcome.key == case["expect"], getattr(outcome, "key", outcome)
        _assert_clear(outcome)
        return
    assert isinstance(outcome, ImportResult), getattr(outcome, "key", outcome)
    _assert_warnings(outcome.warnings, case["warnings"])
    _assert_stored_safely(outcome.df, case)


def _run_query(store: Store, case: dict[str, Any], shop_db: str) -> None:
    project_id = _new_project(store)
    url = case["url"].replace("{db}", shop_db)
    row_limit = case.get("row_limit", 100_000)
    outcome = _outcome(lambda: import_sql(store, project_id, url, case["query"], row_limit,
                                          label=case["id"], created_by="corpus"))
    secret = case.get("secret")
    if case["expect"] != "accepted":
        assert isinstance(outcome, UserError), f"accepted, expected {case['expect']}"
        assert outcome.key == case["expect"], outcome.message("en")
        _assert_clear(outcome)
        if secret:
            texts = [outcome.message("en"), outcome.message("ja"), str(outcome), repr(outcome.params)]
            assert not any(secret in text for text in texts), texts
        _assert_nothing_stored(store, project_id)
        return
    assert not isinstance(outcome, UserError), outcome.message("en")
    info, created, warnings = outcome
    assert created
    _assert_warnings(warnings, case.get("warnings", []))
    _assert_stored_safely(load_dataframe(store, info.id), case)
    assert _files(store, project_id) == [f"{info.id}.parquet"]
    if secret:
        assert secret not in repr(info.source)


INPUT_CASES = [pytest.param(case, id=_case_id(case)) for case in FILE_CASES] \
    + [pytest.param({**case, "path": "sql"}, id=f"sql:{case['id']}") for case in SQL_CASES]


@pytest.mark.parametrize("case", INPUT_CASES)
def test_bad_input(case: dict[str, Any], corpus_store: Store, shop_db: str,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    """One upload, batch file or query from the corpus: refused clearly, or stored safely."""
    for name, value in case.get("limits", {}).items():
        for module in LIMIT_MODULES:
            if hasattr(module, name):
                monkeypatch.setattr(module, name, value)
    path = case.get("path", "upload")
    if path == "sql":
        _run_query(corpus_store, case, shop_db)
    elif path == "batch":
        _run_batch(case, _content(case))
    else:
        _run_upload(corpus_store, case, _content(case))


@pytest.mark.parametrize("failure", ["parquet_write", "after_write"])
def test_a_failed_store_leaves_no_row_and_no_file(failure: str, corpus_store: Store,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Storage failing half-way (writing the snapshot, or after it was written) leaves nothing behind."""
    import pyarrow as pa

    from core.store import datasets

    store = corpus_store
    project_id = _new_project(store)
    real_write = datasets._write_parquet

    def write_then_fail(df: pd.DataFrame, path: Any) -> None:
        real_write(df, path)
        if failure == "parquet_write":
            raise pa.ArrowInvalid("simulated conversion failure")

    def info_then_fail(row: Any) -> Any:
        raise RuntimeError("simulated database failure after the file was written")

    monkeypatch.setattr(datasets, "_write_parquet", write_then_fail)
    if failure == "after_write":
        monkeypatch.setattr(datasets, "_info", info_then_fail)
    content = b"id,name\n1,Tanaka\n2,Sato\n"
    if failure == "parquet_write":
        err = _outcome(lambda: import_upload(store, project_id, content, "ok.csv"))
        assert isinstance(err, UserError) and err.key == "data.import.not_storable"
        _assert_clear(err)
    else:
        with pytest.raises(RuntimeError):
            import_upload(store, project_id, content, "ok.csv")
    _assert_nothing_stored(store, project_id)


# ------------------------------------------------------------------------------- form values

def _form_value(case: dict[str, Any]) -> Any:
    value = case["value"]
    return value * case["repeat"] if "repeat" in case else value


def _submit(store: Store, case: dict[str, Any]) -> Any:
    """Call the core function behind the form with the case's value; returns what it returned."""
    value = _form_value(case)
    if case["form"] == "project_name":
        return create_project(store, value)
    if case["form"] == "formula":
        return ValueFormula("value", value, [Parameter("a", 3.0), Parameter("b", 4.0)]).evaluate()
    if case["form"] == "parameter":
        return ValueFormula("value", "a * 2", [Parameter("a", value)]).evaluate()
    if case["form"] == "cost_matrix":
        cell = case.get("cell", "tp")
        return getattr(CostMatrix(**{cell: value}), cell)
    raise AssertionError(f"unknown form {case['form']}")


def _form_params() -> list:
    out = []
    for case in FORM_CASES:
        marks = [pytest.mark.xfail(strict=True, raises=(ValueError, TypeError), reason=case["xfail"])] \
            if "xfail" in case else []
        out.append(pytest.param(case, id=case["id"], marks=marks))
    return out


@pytest.mark.parametrize("case", _form_params())
def test_bad_form_value(case: dict[str, Any], corpus_store: Store) -> None:
    """One form value from the corpus: refused clearly (no project created), or kept verbatim."""
    store = corpus_store
    before = count_projects(store)
    outcome = _outcome(lambda: _submit(store, case))
    if case["expect"] != "accepted":
        assert isinstance(outcome, UserError), f"accepted ({outcome!r}), expected {case['expect']}"
        assert outcome.key == case["expect"], outcome.message("en")
        _assert_clear(outcome)
        assert count_projects(store) == before
        return
    assert not isinstance(outcome, UserError), outcome.message("en")
    if case["form"] == "project_name":  # kept verbatim as text; escaping is the display's job
        assert get_project(store, outcome.id).name == _form_value(case)
    else:
        assert math.isfinite(outcome) and outcome == pytest.approx(case["result"])


def test_corpus_is_complete() -> None:
    """Every committed corpus file is a case, and the README names every file and query case."""
    data = {p.name for p in CORPUS.iterdir() if p.suffix not in (".toml", ".md", ".py")}
    used = {c["file"] for c in FILE_CASES if "generate" not in c}
    assert data == used
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    missing = sorted(name for name in {c["file"] for c in FILE_CASES} | {c["id"] for c in SQL_CASES + FORM_CASES}
                     if f"`{name}`" not in readme)
    assert missing == []
    assert len(FILE_CASES) + len(SQL_CASES) + len(FORM_CASES) >= 30
