"""Issue 13, item 3: an answer to "code or quantity?", "may we drop it?", "known in time?" decides the recipe."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest

from core.analyze import analyze
from core.prepare import ANSWER_DECISIONS, ANSWER_KIND, ANSWER_STEP, with_ids
from core.prepare.answers import ALL_CHOICES, answer_reason, choice_label, choices_for, column_answers, newer_than
from core.preprocess import Recipe, TargetSpec, recipe_from_analysis
from core.preprocess.prefill import apply_answers
from core.store.projects import create_project
from core.store.reviews import DECISIONS, add_review, list_reviews
from tests.helpers import churn_like

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc)


@dataclass
class Answer:
    """A review row as the store returns it."""

    id: int
    subject: str
    decision: str
    reviewer: str = "Aiko"
    role: str = "domain_expert"
    created_at: datetime = T0


def _questions(report) -> dict[tuple[str, str], dict]:
    return {(q["key"].rsplit(".", 1)[1], q["params"].get("column", "")): q for q in with_ids(report.questions())}


@pytest.fixture(scope="module")
def churn():
    df = churn_like(600)
    df["Refund Issued"] = (df["Churn?"] == "True.").map({True: "yes", False: "no"})  # written after the churn
    report = analyze(df, "Churn?")
    return report, _questions(report)


def test_questions_offer_their_real_alternatives(churn):
    _report, questions = churn
    assert choices_for(questions["code_or_quantity", "Area Code"]) == ("quantity", "code", "not_sure")
    assert choices_for(questions["drop_id", "Phone"]) == ("drop", "keep", "not_sure")
    assert choices_for(questions["leakage", "Refund Issued"]) == ("known", "not_known", "not_sure")
    assert choices_for({"key": "analyze.question.top_expected"}) == ANSWER_DECISIONS
    assert choice_label("quantity", "en") != choice_label("quantity", "ja") != "quantity"
    assert set(ALL_CHOICES) <= set(DECISIONS)  # the store accepts every choice


def test_the_latest_deciding_answer_counts_and_older_agreements_keep_their_meaning(churn):
    _report, q = churn
    area, phone = q["code_or_quantity", "Area Code"]["id"], q["drop_id", "Phone"]["id"]
    rows = [Answer(1, area, "code", created_at=T0), Answer(2, area, "quantity", "Ken", "data_analyst", T0 + timedelta(1)),
            Answer(3, area, "comment", created_at=T0 + timedelta(2)), Answer(4, phone, "disagree")]
    found = {a["column"]: a for a in column_answers(list(q.values()), rows)}
    assert found["Area Code"]["choice"] == "quantity" and found["Area Code"]["by"] == "Ken"  # a comment decides nothing
    assert found["Phone"]["choice"] == "keep"  # "disagree" to "is it OK to drop Phone?"
    assert found["Area Code"]["date"] == "2025-03-02"
    assert newer_than(list(found.values()), T0 + timedelta(hours=12)) == [found["Area Code"]]


def test_answers_change_the_proposal_for_their_column_and_are_cited(churn):
    report, q = churn
    baseline = recipe_from_analysis(report.to_dict())
    assert {"column": "Area Code", "to": "category"} in baseline.type_overrides
    assert {"Phone", "Refund Issued"} <= set(baseline.dropped())
    answers = [{"question": "analyze.question.code_or_quantity", "column": "Area Code", "choice": "quantity",
                "by": "Aiko", "role": "domain_expert", "date": "2025-03-01", "at": "2025-03-01T09:00:00"},
               {"question": "analyze.question.code_or_quantity", "column": "CustServ Calls", "choice": "code",
                "by": "Aiko", "role": "domain_expert", "date": "2025-03-01"},
               {"question": "analyze.question.drop_id", "column": "Phone", "choice": "keep", "by": "Ken", "role": ""},
               {"question": "analyze.question.leakage", "column": "Refund Issued", "choice": "known", "by": "Mia",
                "role": "data_architect", "date": "2025-03-04"}]
    recipe = recipe_from_analysis(report.to_dict(), answers=answers)
    types = {o["column"]: o for o in recipe.type_overrides}
    assert types["Area Code"]["to"] == "numeric" and types["Area Code"]["answer"]["by"] == "Aiko"
    assert types["CustServ Calls"]["to"] == "category"
    assert "Phone" not in recipe.dropped() and "Refund Issued" not in recipe.dropped()
    refund = next(d for d in recipe.drop_columns if d.column == "Refund Issued")
    assert refund.accepted is False and refund.answer["choice"] == "known"
    text = answer_reason(refund.answer, "en")
    assert text == "Kept: Mia (Data architect) answered on 2025-03-04 that it is known when the prediction is needed."
    assert "Mia" in answer_reason(refund.answer, "ja") and "2025-03-04" in answer_reason(refund.answer, "ja")
    assert answer_reason(answers[2], "en").startswith("Kept: Ken answered")  # no role given
    recipe.validate(list(churn_like(10).columns) + ["Refund Issued"])
    assert recipe.apply(churn_like(5).assign(**{"Refund Issued": "no"}))["Area Code"].dtype.kind == "f"


def test_answers_on_a_recipe_made_before_them():
    recipe = Recipe(target=TargetSpec("price", "regression"))
    recipe.drop("Notes", "analyze.reason.mostly_empty", source="analysis")
    recipe.row_filters.append({"kind": "target_range", "upper": 250.0, "accepted": False, "source": "analysis"})
    apply_answers(recipe, [
        {"question": "analyze.question.drop_empty", "column": "Notes", "choice": "keep", "by": "Aiko"},
        {"question": "analyze.question.leakage", "column": "Final Discount", "choice": "not_known", "by": "Aiko"},
        {"question": "analyze.question.target_outliers", "column": "price", "choice": "errors", "by": "Aiko"},
        {"question": "analyze.question.leakage", "column": "price", "choice": "not_known", "by": "Aiko"}])
    assert recipe.dropped() == ["Final Discount"]  # a leak the recipe did not list yet is dropped; never the target
    assert next(d for d in recipe.drop_columns if d.column == "Final Discount").reason_key == "analyze.reason.leakage"
    assert recipe.row_filters[0]["accepted"] is True and recipe.row_filters[0]["answer"]["choice"] == "errors"
    apply_answers(recipe, [{"question": "analyze.question.target_outliers", "column": "price", "choice": "not_sure",
                            "by": "Ken"}])
    assert recipe.row_filters[0]["accepted"] is True and recipe.row_filters[0]["answer"]["by"] == "Ken"


def test_answers_are_stored_with_their_choice(sqlite_store, churn):
    _report, q = churn
    project = create_project(sqlite_store, "Answers")
    qid = q["code_or_quantity", "Area Code"]["id"]
    add_review(sqlite_store, project.id, step=ANSWER_STEP, kind=ANSWER_KIND, subject=qid, reviewer="Aiko",
               role="domain_expert", decision="quantity")
    rows = list_reviews(sqlite_store, project.id, step=ANSWER_STEP, kind=ANSWER_KIND)
    (found,) = column_answers(list(q.values()), rows)
    assert (found["column"], found["choice"]) == ("Area Code", "quantity") and found["at"]
