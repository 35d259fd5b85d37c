"""core.prepare: join match report, the 5W1H request, question ids; core.analyze.saved, core.prepare.requests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.analyze import analyze
from core.errors import UserError
from core.i18n import t
from core.prepare import (DataRequest, checklist_status, draft_request, join_and_save, left_join, match_report,
                          question_id, request_markdown, request_text, suggest_keys)
from core.progress import project_progress
from core.analyze.saved import latest_analysis, run_analysis
from core.prepare.requests import load_data_request, save_data_request
from core.store.datasets import add_dataset_version, list_datasets, load_dataframe
from core.store.projects import create_project, update_project
from core.store.reviews import add_review


@pytest.fixture
def tables():
    left = pd.DataFrame({"cust": ["a", "b", "c", "d", None], "amount": [1.0, 2.0, 3.0, 4.0, 5.0]})
    right = pd.DataFrame({"cust": ["a", "b", "b", "x", None], "plan": ["P1", "P2", "P2b", "PX", "P?"],
                          "amount": [10, 20, 21, 30, 40]})
    return left, right


def test_match_report_counts_unmatched_and_repeated_keys(tables):
    left, right = tables
    report = match_report(left, right, "cust", "cust")
    assert (report.left_rows, report.right_rows, report.matched_rows) == (5, 5, 2)
    assert report.unmatched_left == 3 and report.missing_left_keys == 1  # "c", "d" and the missing key
    assert report.unmatched_examples == ["c", "d"] and report.match_share == pytest.approx(0.4)
    assert report.unmatched_right_keys == 1  # "x"
    assert (report.duplicate_keys, report.duplicate_rows, report.duplicate_examples) == (1, 1, ["b"])
    assert report.renamed == ["amount"] and report.columns_added == ["plan", "amount"]


def test_repeated_keys_are_refused_or_first_match_kept(tables):
    left, right = tables
    with pytest.raises(UserError) as err:
        left_join(left, right, "cust", "cust")
    assert err.value.key == "prepare.join.duplicate_keys_error" and err.value.params["examples"] == "b"
    joined, report = left_join(left, right, "cust", "cust", duplicates="first")
    assert len(joined) == len(left)  # a left join never adds rows
    assert joined.columns.tolist() == ["cust", "amount", "plan", "amount_2"]
    assert joined["plan"].tolist()[:3] == ["P1", "P2", None]
    assert joined["plan"].isna().tolist() == [False, False, True, True, True]  # missing never matches missing
    assert str(joined["amount_2"].dtype) == "Int64" and joined["amount_2"].tolist()[:2] == [10, 20]


def test_keys_of_different_types_match_as_text():
    left = pd.DataFrame({"id": [1, 2, 3], "x": [0.1, 0.2, 0.3]})
    right = pd.DataFrame({"id": ["1", "3", "7"], "city": ["Tokyo", "Osaka", "Nagoya"]})
    joined, report = left_join(left, right, "id", "id")
    assert report.keys_as_text and report.matched_rows == 2
    assert joined["city"].tolist() == ["Tokyo", None, "Osaka"]
    floats = pd.DataFrame({"id": [1.0, 2.0, np.nan], "x": [1, 2, 3]})
    assert match_report(floats, right, "id", "id").matched_rows == 1


def test_join_errors_are_user_errors(tables):
    left, right = tables
    with pytest.raises(UserError) as err:
        match_report(left, right, "nope", "cust")
    assert err.value.key == "prepare.join.no_key"
    with pytest.raises(UserError) as err:
        match_report(left, right[["cust"]], "cust", "cust")
    assert err.value.key == "prepare.join.nothing_to_add"
    assert suggest_keys(left, right.drop_duplicates("cust")) == ("cust", "cust")


def test_join_and_save_makes_a_child_version_or_saves_nothing(sqlite_store, tables):
    left, right = tables
    project = create_project(sqlite_store, "join")
    base, _ = add_dataset_version(sqlite_store, project.id, left, source={"kind": "csv"}, label="base")
    with pytest.raises(UserError):
        join_and_save(sqlite_store, project.id, right, "cust", "cust")
    assert len(list_datasets(sqlite_store, project.id)) == 1
    info, created, report = join_and_save(sqlite_store, project.id, right, "cust", "cust", duplicates="first",
                                          right_source={"filename": "plans.csv"}, label="joined")
    assert created and info.parent_id == base.id and info.source["right"] == {"filename": "plans.csv"}
    assert info.source["report"]["duplicate_keys"] == 1
    assert load_dataframe(sqlite_store, info.id).shape == (5, 4)
    again = join_and_save(sqlite_store, project.id, right, "cust", "cust", duplicates="first")
    assert again[0].id != info.id  # joined onto the new current version: a different content


def _few_per_class_report():
    df = pd.DataFrame({"x": range(200), "y": ["yes"] * 30 + ["no"] * 170,
                       "email": [f"u{i}@example.com" for i in range(200)]})
    return analyze(df, "y", positive_class="yes", min_rows_per_class=100)


def test_draft_request_asks_for_more_history_when_classes_are_small():
    report = _few_per_class_report()
    req = draft_request(report, "en", project="Churn", requester="Sales", key_column="customer_id")
    assert req.when == t("prepare.draft.when_history", "en", min=100)
    assert "yes (30)" in req.why and "Churn" in req.why
    assert "email" in req.how  # personal data: remove or mask
    assert "customer_id" in req.what
    assert req.columns == ["y"] and req.missing() == ["recipient"]
    ja = draft_request(report, "ja")
    assert ja.when == t("prepare.draft.when_history", "ja", min=100)


def test_request_renders_as_markdown_and_text_with_user_text_escaped():
    req = DataRequest(title="Need *more* data", requester="Sales", recipient="<b>Billing</b>", why="# not a heading",
                      what="rows", columns=["plan_code", "region"])
    md = request_markdown(req, "en")
    assert md.startswith("# Need \\*more\\* data")
    assert "\\<b\\>Billing\\</b\\>" in md and "<b>" not in md
    assert "\n\\# not a heading" in md
    assert "## " + t("prepare.request.field.columns", "en") in md and "- plan\\_code" in md
    text = request_text(req, "ja")
    assert "<b>Billing</b>" in text and t("prepare.request.field.why", "ja") in text
    assert t("prepare.request.footer", "ja") in text
    assert DataRequest.from_dict(req.to_dict()) == req
    assert DataRequest.from_dict({"why": None, "columns": "not a list", "unknown": 1}).columns == []


def test_question_ids_ignore_numbers_but_not_columns():
    q = {"key": "analyze.question.correlation_expected", "params": {"a": "Day Mins", "b": "Day Charge", "r": 1.0}}
    assert question_id(q) == question_id({**q, "params": {**q["params"], "r": 0.97}})
    assert question_id(q) != question_id({**q, "params": {**q["params"], "b": "Eve Charge"}})


def test_checklist_states():
    from types import SimpleNamespace

    confirm = SimpleNamespace(subject="checklist.privacy", reviewer="Ito", role="it_auditor", created_at=None)
    states = {s.item: s for s in checklist_status(0, DataRequest(recipient="IT", why="w", what="x"), [confirm])}
    assert states["answers"].done and states["request"].done and states["privacy"].done
    assert states["privacy"].by == "Ito" and not states["not_just_once"].done
    assert not {s.item: s for s in checklist_status(None, None, [])}["answers"].done


def test_analysis_store_keeps_questions_answers_and_the_request(sqlite_store):
    project = create_project(sqlite_store, "store")
    df = pd.DataFrame({"id": range(300), "mins": np.arange(300) * 1.5, "charge": np.arange(300) * 0.3,
                       "churn": ["True.", "False."] * 150})
    add_dataset_version(sqlite_store, project.id, df, source={"kind": "csv"})
    update_project(sqlite_store, project.id, target_column="churn", problem_type="binary", positive_class="True.")
    with pytest.raises(UserError):
        save_data_request(sqlite_store, project.id, {"why": "x"})
    info = run_analysis(sqlite_store, project.id, min_rows_per_class=50)
    assert info.settings["min_rows_per_class"] == 50 and info.report.target == "churn"
    assert all(q["id"].startswith("q-") for q in info.questions)
    save_data_request(sqlite_store, project.id, DataRequest(why="more rows").to_dict())
    add_review(sqlite_store, project.id, step="prepare", kind="answer", subject=info.questions[0]["id"],
               reviewer="Sato", comment="ok")
    again = run_analysis(sqlite_store, project.id)  # a re-run keeps the request and the answers apply
    assert again.id != info.id and load_data_request(sqlite_store, project.id)["why"] == "more rows"
    assert latest_analysis(sqlite_store, project.id).id == again.id
    prepare = {s.step: s for s in project_progress(sqlite_store, project.id)}["prepare"]
    assert prepare.missing == [("progress.missing.questions", {"count": len(again.questions) - 1})]
