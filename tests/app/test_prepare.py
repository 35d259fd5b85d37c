"""Page "3 Prepare" (AppTest): answers counted by the tracker, the 5W1H request, the join tool."""

from __future__ import annotations

import pandas as pd
import pytest

from core.demo import open_or_create_demo
from core.i18n import t
from core.progress import project_progress
from core.analyze.saved import latest_analysis, run_analysis
from core.prepare.requests import load_data_request
from core.store.datasets import list_datasets, load_dataframe
from core.store.projects import get_project
from tests.app.conftest import new_app, no_exception


def _texts(at) -> str:
    parts = (at.markdown, at.caption, at.success, at.error, at.warning, at.info)
    return " ".join(e.value for part in parts for e in part).replace("\\", "")


def _prepare(store, lang="ja"):
    demo = open_or_create_demo(store, lang)
    info = run_analysis(store, demo.id)
    at = new_app(lang, demo.id).run()
    at.switch_page("pages/prepare.py").run()
    no_exception(at)
    return at, demo, info


def _open_questions(store, project_id) -> str:
    prepare = {s.step: s for s in project_progress(store, project_id)}["prepare"]
    return prepare.state, prepare.missing


def test_a_recorded_answer_is_shown_and_counted_by_the_tracker(app_store):
    at, demo, info = _prepare(app_store)
    total = len(info.questions)
    assert total >= 4
    assert _open_questions(app_store, demo.id) == ("not_started", [("progress.missing.questions", {"count": total})])
    question = next(q for q in info.questions if q["key"] == "analyze.question.drop_id")
    qid = question["id"]
    assert "電話番号" in _texts(at)  # the question about the phone column is asked
    at.text_input(key=f"prep_ans_{qid}_name").input("佐藤")
    at.radio(key=f"prep_ans_{qid}_decision").set_value("drop")  # issue 13: "may we drop it?" offers drop / keep
    at.text_area(key=f"prep_ans_{qid}_text").input("電話番号は削除して構いません")
    at.button(key=f"prep_ans_{qid}_save").click().run()
    no_exception(at)
    shown = _texts(at)
    assert "佐藤" in shown and "電話番号は削除して構いません" in shown
    assert t("prepare.questions.summary", "ja", open=total - 1, total=total) in shown
    assert _open_questions(app_store, demo.id) == ("in_progress",
                                                   [("progress.missing.questions", {"count": total - 1})])
    at.switch_page("pages/home.py").run()  # the home tracker says the same
    assert t("progress.missing.questions", "ja", count=total - 1) in _texts(at)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_an_answer_offers_the_real_alternatives_and_changes_the_recipe(app_store, lang):
    at, demo, info = _prepare(app_store, lang)
    area = "Area Code" if lang == "en" else "市外局番"
    question = next(q for q in info.questions
                    if q["key"] == "analyze.question.code_or_quantity" and q["params"]["column"] == area)
    qid = question["id"]
    radio = at.radio(key=f"prep_ans_{qid}_decision")
    assert list(radio.options) == [t(f"prepare.choice.{c}", lang) for c in ("quantity", "code", "not_sure")]
    at.text_input(key=f"prep_ans_{qid}_name").input("Aiko")
    radio.set_value("quantity")
    at.button(key=f"prep_ans_{qid}_save").click().run()
    no_exception(at)
    assert t("prepare.choice.quantity", lang) in _texts(at)  # the answer line says what was answered
    at.switch_page("pages/preprocess.py").run()
    no_exception(at)
    sfx = f"{demo.id}_{demo.current_dataset_id}"
    assert area in at.multiselect(key=f"pre_type_numeric_{sfx}").value  # no longer proposed as a category
    assert area not in at.multiselect(key=f"pre_type_category_{sfx}").value
    assert "Aiko" in _texts(at) and t("preprocess.type.numeric", lang) in _texts(at)  # the answer is the reason


def test_an_answer_without_a_name_is_refused(app_store):
    at, demo, info = _prepare(app_store, "en")
    qid = info.questions[0]["id"]
    at.text_area(key=f"prep_ans_{qid}_text").input("fine")
    at.button(key=f"prep_ans_{qid}_save").click().run()
    no_exception(at)
    assert t("review.error.no_reviewer", "en") in [e.value for e in at.error]
    assert _open_questions(app_store, demo.id)[1][0][1]["count"] == len(info.questions)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_data_request_is_drafted_saved_and_rendered(app_store, lang):
    at, demo, _info = _prepare(app_store, lang)
    text = at.code[0].value
    for field in ("why", "when", "where", "who", "what", "how"):
        assert t(f"prepare.request.field.{field}", lang) in text
    assert t("prepare.request.drafted", lang) in _texts(at)
    assert load_data_request(app_store, demo.id) is None  # a draft is not saved until asked
    key = f"prep_req_{demo.id}"
    at.text_input(key=f"{key}_recipient").input("Billing <team>")
    at.button(key=f"{key}_save").click().run()
    no_exception(at)
    saved = load_data_request(app_store, demo.id)
    assert saved["recipient"] == "Billing <team>" and saved["why"]
    assert "Billing <team>" in at.code[0].value
    labels = [b.label for b in at.get("download_button")]
    assert t("prepare.request.download_md", lang) in labels
    # the checklist item "requested in 5W1H" is now done
    assert t("prepare.check.summary", lang, done=1, total=4) in _texts(at)


def _right_table(left: pd.DataFrame) -> pd.DataFrame:
    keys = left["電話番号"].iloc[:4000]
    return pd.DataFrame({"電話番号": keys, "契約プラン": ["A", "B"] * 2000})


def test_join_creates_a_new_version_and_refuses_repeated_keys(app_store):
    at, demo, _info = _prepare(app_store)
    base = get_project(app_store, demo.id).current_dataset_id
    left = load_dataframe(app_store, base)
    right = _right_table(left)
    doubled = pd.concat([right, right.head(3)])
    at.file_uploader(key=f"prep_join_file_{demo.id}").set_value(
        ("plans.csv", doubled.to_csv(index=False).encode("cp932"), "text/csv")).run()
    no_exception(at)
    assert at.selectbox(key=f"prep_join_lk_{demo.id}").value == "電話番号"
    assert t("prepare.join.duplicates_refuse_found", "ja", count=3, rows=3, column="電話番号",
             examples=", ".join(doubled["電話番号"].head(3)))[:20] in _texts(at)
    assert not [b for b in at.button if b.key == f"prep_join_save_{demo.id}"]
    assert len(list_datasets(app_store, demo.id)) == 1

    at.file_uploader(key=f"prep_join_file_{demo.id}").set_value(
        ("plans.csv", right.to_csv(index=False).encode("utf-8"), "text/csv")).run()
    no_exception(at)
    assert "80%" in [m.value for m in at.metric]  # 4,000 of 5,000 rows matched
    at.button(key=f"prep_join_save_{demo.id}").click().run()
    no_exception(at)
    versions = list_datasets(app_store, demo.id)
    assert len(versions) == 2
    new = versions[0]
    assert new.parent_id == base and new.n_rows == 5000 and new.n_cols == 22
    assert new.source["kind"] == "join" and new.source["report"]["unmatched_left"] == 1000
    assert get_project(app_store, demo.id).current_dataset_id == new.id
    assert latest_analysis(app_store, demo.id).dataset_id == new.id  # diagnosed again
    assert t("prepare.join.rediagnosed", "ja") in _texts(at)

    # page 2 lists both versions and compares them: one column added, no rows added or removed
    at.switch_page("pages/analyze.py").run()
    no_exception(at)
    assert t("analyze_ui.versions.joined", "ja", parent=base, column="電話番号") in " ".join(
        str(v) for v in at.dataframe[0].value.iloc[:, 5])
    at.button(key=f"ana_cmp_go_{demo.id}").click().run()
    no_exception(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[t("analyze_ui.compare.columns_added", "ja")] == "1"
    assert metrics[t("analyze_ui.compare.rows_added", "ja")] == "0"
