"""Page "2 Analyze" (AppTest): upload → preview → version → target → diagnosis; bad input; SQL import."""

from __future__ import annotations

import io
import sqlite3
import zipfile
from pathlib import Path

import pytest

from core.i18n import t
from core.analyze.saved import latest_analysis
from core.store.datasets import list_datasets
from core.store.projects import create_project, get_project
from tests.app.conftest import new_app, no_exception

ROOT = Path(__file__).resolve().parents[2]
CP932 = ROOT / "sample_data" / "telecom_churn_ja_cp932.csv"


def _texts(at) -> str:
    parts = (at.markdown, at.caption, at.success, at.error, at.warning, at.info, at.subheader)
    return " ".join(e.value for part in parts for e in part).replace("\\", "")


def _page(store, lang="ja", name="解約予測"):
    project = create_project(store, name, owner="営業部")
    at = new_app(lang, project.id).run()
    at.switch_page("pages/analyze.py").run()
    no_exception(at)
    return at, project


def _upload(at, project, filename: str, content: bytes):
    at.file_uploader(key=f"ana_upload_{project.id}").set_value((filename, content, "application/octet-stream")).run()
    no_exception(at)
    return at


def _save_buttons(at, project):
    return [b for b in at.button if b.key == f"ana_save_{project.id}"]


def test_cp932_upload_to_diagnosis(app_store):
    at, project = _page(app_store)
    _upload(at, project, CP932.name, CP932.read_bytes())
    # no encoding chosen: detected, and the Japanese column names are read correctly
    assert at.selectbox(key=f"ana_enc_{project.id}").value is None
    assert "cp932" in _texts(at)
    columns = at.dataframe[0].value.columns.tolist()
    assert {"電話番号", "昼間通話分数", "昼間通話料金", "解約"} <= set(columns)

    at.button(key=f"ana_save_{project.id}").click().run()
    no_exception(at)
    (version,) = list_datasets(app_store, project.id)
    assert version.n_rows == 5000 and version.source["encoding"] == "cp932" and version.created_by == "営業部"
    assert t("analyze_ui.save.created", "ja", id=version.id, label=CP932.name, rows=5000, columns=21) in _texts(at)
    assert get_project(app_store, project.id).current_dataset_id == version.id

    suffix = f"{project.id}_{version.id}"
    at.selectbox(key=f"ana_target_{suffix}").set_value("解約").run()
    assert at.radio(key=f"ana_ptype_{suffix}_解約").value == "binary"  # proposed from the data
    positive = at.selectbox(key=f"ana_positive_{suffix}_解約")
    assert positive.value == "True."  # proposed: a known positive word before "False."
    positive.set_value("True.").run()
    at.button(key=f"ana_confirm_{suffix}").click().run()
    no_exception(at)
    saved = get_project(app_store, project.id)
    assert (saved.target_column, saved.problem_type, saved.positive_class) == ("解約", "binary", "True.")

    at.button(key=f"ana_run_{project.id}").click().run()
    no_exception(at)
    info = latest_analysis(app_store, project.id)
    assert info is not None and info.report.target == "解約"
    shown = _texts(at)
    assert t("analyze_ui.overall.title", "ja") in shown
    assert "電話番号" in shown and "ID のような列" in shown  # the planted phone ID column
    assert "昼間通話分数" in shown and "昼間通話料金" in shown  # the minutes/charge pair
    assert len(at.get("plotly_chart")) >= 3  # missing values, target, relations, correlation
    assert any(b.label == t("analyze_ui.download.html", "ja") for b in at.get("download_button"))

    # re-importing the same content is recognised, not stored twice
    _upload(at, project, "copy.csv", CP932.read_bytes())
    at.button(key=f"ana_save_{project.id}").click().run()
    assert len(list_datasets(app_store, project.id)) == 1
    assert t("analyze_ui.save.exists", "ja", id=version.id, label=CP932.name, rows=5000, columns=21) in _texts(at)


def _corrupt_xlsx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", "<not really a workbook")
    return buf.getvalue()


BAD_FILES = [
    ("empty.csv", b"", "data.import.empty", {}),
    ("header.csv", "顧客ID,解約\n".encode("cp932"), "data.import.no_rows", {"columns": 2}),
    ("binary.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01", "data.import.binary", {}),
    ("broken.xlsx", b"PK\x03\x04 not a zip at all", "data.excel.corrupt", {}),
    ("fake.xlsx", _corrupt_xlsx(), "data.excel.corrupt", {}),
    ("wide.csv", (",".join(f"c{i}" for i in range(10_000)) + "\n" + ",".join("1" * 10_000) + "\n").encode(),
     "data.import.too_many_columns", {"columns": 10_000, "limit": 2000}),
]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_bad_files_show_a_translated_message_and_save_nothing(app_store, lang):
    at, project = _page(app_store, lang)
    for filename, content, key, params in BAD_FILES:
        _upload(at, project, filename, content)
        assert t(key, lang, **params) in [e.value for e in at.error], (filename, [e.value for e in at.error])
        assert not _save_buttons(at, project), filename
    assert list_datasets(app_store, project.id) == []
    assert not at.exception


def _sql(at, project, url: str, query: str):
    at.text_input(key=f"ana_sql_url_{project.id}").input(url)
    at.text_area(key=f"ana_sql_query_{project.id}").input(query)
    at.button(key=f"ana_sql_run_{project.id}").click().run()
    no_exception(at)
    return at


def test_sql_import_is_read_only_and_keeps_no_password(app_store, tmp_path):
    db = tmp_path / "sales.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER, plan TEXT, churn TEXT)")
        rows = [(i, "A" if i % 2 else "B", "yes") for i in range(30)]
        conn.executemany("INSERT INTO customers VALUES (?, ?, ?)", rows)
    at, project = _page(app_store, "ja")
    _sql(at, project, f"sqlite:///{db}", "DELETE FROM customers")
    assert t("data.sql.not_select", "ja", keyword="DELETE") in [e.value for e in at.error]
    _sql(at, project, f"sqlite:///{db}", "SELECT * FROM customers; DROP TABLE customers")
    assert t("data.sql.multiple_statements", "ja") in [e.value for e in at.error]
    _sql(at, project, "postgresql+psycopg://analyst:s3cret-pw@127.0.0.1:1/sales", "SELECT 1 AS x")
    assert at.error and all("s3cret-pw" not in e.value for e in at.error)
    assert list_datasets(app_store, project.id) == []
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM customers").fetchone() == (30,)

    _sql(at, project, f"sqlite:///{db}", "SELECT * FROM customers WHERE id < 25")
    (version,) = list_datasets(app_store, project.id)
    assert version.n_rows == 25 and version.source["kind"] == "sql"
    assert version.source["url"] == f"sqlite:///{db}" and "id < 25" in version.source["query"]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_demo_report_renders_in_both_languages(app_store, lang):
    from core.demo import open_or_create_demo
    from core.analyze.saved import run_analysis

    demo = open_or_create_demo(app_store, lang)
    run_analysis(app_store, demo.id)
    at = new_app(lang, demo.id).run()
    at.switch_page("pages/analyze.py").run()
    no_exception(at)
    shown = _texts(at)
    assert t("analyze_ui.findings.title", lang) in shown
    assert t("analyze_ui.target.confirmed", lang) in shown
    phone = "電話番号" if lang == "ja" else "Phone"
    assert phone in shown
    other = "en" if lang == "ja" else "ja"
    assert t("analyze_ui.findings.title", other) not in shown
