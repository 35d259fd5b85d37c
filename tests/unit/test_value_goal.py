"""Business goal: schema round-trip, workshop examples, validation, templates and the catalog."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from core.errors import UserError
from core.i18n import LANGUAGES, catalog, t
from core.value import (CHECK_STATUSES, CONFIDENCES, DECISIONS, EXPLANATIONS, INFERENCE_ENVS, ISSUES, PERIODS,
                        PROBLEM_TYPES, ROLES, SPEED_KINDS, TEMPLATES, VERDICTS, WORKSHOP_EXAMPLES,
                        AcceptanceCriteria, BusinessGoal, ChecklistItem, CostMatrix, HumanBaseline, MetricTarget,
                        Preconditions, SignOff, ValueStatement, break_even_day, check_acceptance,
                        compare_scenarios, current_signoffs, default_checklist, example_dict, example_goal, get_template, label,
                        owner_checklist, signoffs_from_reviews, validate)
from core.value.templates import formula_label, param_label

VALUE_DIR = Path(__file__).resolve().parents[2] / "core" / "value"


# --------------------------------------------------------------------------- workshop examples


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("example_id", WORKSHOP_EXAMPLES)
def test_examples_round_trip_through_json(example_id: str, lang: str) -> None:
    goal = example_goal(example_id, lang)
    text = json.dumps(example_dict(example_id, lang), ensure_ascii=False)
    assert BusinessGoal.from_dict(json.loads(text)) == goal
    assert goal.example_id == example_id and goal.title == t(f"value.example.{example_id}.title", lang)


def test_required_examples_exist() -> None:
    assert {"bottle_inspection_qcd", "road_crack_baseline", "telecom_churn"} <= set(WORKSHOP_EXAMPLES)


def test_flea_market_example_reproduces_a_b_c() -> None:
    goal = example_goal("flea_market_break_even", "en")
    df = compare_scenarios(goal.value_formula(), goal.scenario_map(), goal.roi)
    assert df["break_even_day"].tolist()[0] == 162 and df["break_even_day"].tolist()[2] == 179
    assert df["verdict"].tolist() == ["pays_back", "loss", "pays_back"]


def test_churn_example() -> None:
    goal = example_goal("telecom_churn", "ja")
    assert goal.cost_matrix == CostMatrix(tp=500, fp=500, fn=200_000, tn=0)
    assert goal.acceptance.max_cost_per_case == 500
    assert MetricTarget("recall", "min", 0.8) in goal.acceptance.metrics
    assert goal.preconditions.problem_type == "binary"
    assert "500" in goal.statement.after


def test_road_crack_example_has_a_human_baseline() -> None:
    baseline = example_goal("road_crack_baseline").acceptance.human_baseline
    assert baseline.novice < baseline.expert and baseline.metric == "recall"


def test_bottle_example_has_qcd_formulas() -> None:
    goal = example_goal("bottle_inspection_qcd")
    assert [f.name for f in goal.formulas] == ["quality", "cost", "delivery"]
    assert goal.value_formula().name == "cost" and break_even_day(goal.roi_inputs()) is not None
    assert not goal.formulas[2].is_money


def test_examples_only_lack_agreement_or_a_workshop_gap() -> None:
    for example_id in WORKSHOP_EXAMPLES:
        issues = set(validate(example_goal(example_id)))
        allowed = {"value.issue.open_questions", "value.issue.not_signed_off", "value.issue.no_cost_model"}
        assert issues <= allowed, (example_id, issues)
        assert "value.issue.not_signed_off" in issues


def test_unknown_example() -> None:
    with pytest.raises(UserError) as info:
        example_goal("nope")
    assert info.value.key == "value.error.unknown_example"


# --------------------------------------------------------------------------- schema and tolerance


def test_empty_dict_gives_defaults() -> None:
    goal = BusinessGoal.from_dict({})
    assert goal == BusinessGoal()
    assert goal.currency == "JPY" and goal.roi.horizon_days == 1095 and goal.checklist == default_checklist()


def test_old_partial_json_is_tolerated() -> None:
    old = {
        "title": "Old project", "statement": {"as_a": "buyer"},
        "formulas": [{"name": "v", "expression": "a * 2", "parameters": [{"name": "a", "value": 3}]}],
        "roi": {"development_cost": 100},
        "scenarios": [{"name": "s", "overrides": {"a": "4", "b": "lots"}}],
        "preconditions": {"problem_type": "clustering", "speed": {"kind": "weekly"}},
        "signoffs": [{"name": "Sato", "decision": "maybe"}],
        "checklist": [{"question": "Q?", "status": "unknown"}, "garbage"],
        "unknown_field": 1,
    }
    goal = BusinessGoal.from_dict(old)
    assert goal.title == "Old project" and goal.statement.as_a == "buyer" and goal.statement.so_that == ""
    assert goal.formulas[0].evaluate() == 6
    assert goal.scenarios[0].overrides == {"a": 4.0}
    assert goal.preconditions.problem_type == "" and goal.preconditions.speed.kind == "batch"
    assert goal.signoffs[0].decision == "reject"  # unknown decisions never count as approval
    assert [c.status for c in goal.checklist] == ["open"]
    assert goal.roi.operation_cost is None


def test_constructors_reject_bad_choices() -> None:
    builders = (lambda: Preconditions(problem_type="clustering"), lambda: ChecklistItem("pm", "q", status="done"),
                lambda: SignOff("a", "sponsor", "maybe"), lambda: MetricTarget("recall", "above", 1))
    for build in builders:
        with pytest.raises(UserError) as info:
            build()
        assert info.value.key == "value.error.bad_choice"


# --------------------------------------------------------------------------- validation


def complete_goal() -> BusinessGoal:
    goal = example_goal("telecom_churn")
    for item in goal.checklist:
        item.status, item.answer = "answered", "ok"
    goal.signoffs.append(SignOff("Sato", "sponsor", "approve", date="2024-04-01"))
    return goal


def test_complete_goal_has_no_issues() -> None:
    assert validate(complete_goal()) == []


def test_empty_goal_lists_what_is_missing_in_order() -> None:
    issues = validate(BusinessGoal())
    assert issues == ["value.issue.no_statement", "value.issue.no_before_after", "value.issue.no_problem_owner",
                      "value.issue.no_formula", "value.issue.no_costs", "value.issue.no_problem_type",
                      "value.issue.no_acceptance", "value.issue.open_questions", "value.issue.not_signed_off"]
    assert all(key in ISSUES for key in issues)


def test_validate_detects_specific_problems() -> None:
    goal = complete_goal()
    goal.formulas[0].expression = "customers_kept * unknown"
    goal.formulas[0].parameters[0].owner = ""
    goal.cost_matrix = CostMatrix()
    goal.signoffs.append(SignOff("Ito", "it_auditor", "reject", "privacy"))
    assert validate(goal) == ["value.issue.formula_error", "value.issue.parameter_without_owner",
                              "value.issue.no_cost_model", "value.issue.rejected"]


def test_validate_reports_a_goal_that_never_pays_back() -> None:
    goal = complete_goal()
    goal.roi.development_cost = 1e12
    assert validate(goal) == ["value.issue.no_break_even"]


def test_validate_takes_signoffs_from_the_review_log_not_the_document() -> None:
    goal = complete_goal()
    assert validate(goal, signoffs=[]) == ["value.issue.not_signed_off"]  # the log is the record
    goal.signoffs = []
    approve = SignOff("Sato", "sponsor", "approve", date="2024-04-01")
    assert validate(goal, signoffs=[approve]) == []
    reject = SignOff("Ito", "it_auditor", "reject", "privacy")
    assert validate(goal, signoffs=[approve, reject]) == ["value.issue.rejected"]
    # a person's later decision replaces their earlier one (rejected, then approved after a fix)
    again = SignOff("ito ", "it_auditor", "approve", "fixed")
    assert validate(goal, signoffs=[approve, reject, again]) == []
    assert current_signoffs([approve, reject, again]) == [approve, again]


def test_signoffs_from_reviews_keeps_only_value_formula_signoffs() -> None:
    from datetime import datetime
    from types import SimpleNamespace

    def row(**kw):
        base = dict(step="business", kind="signoff", subject="value_formula", reviewer="Sato", role="sponsor",
                    decision="approve", comment="", created_at=datetime(2024, 4, 1, 9, 30))
        return SimpleNamespace(**{**base, **kw})

    rows = [row(), row(step="prepare"), row(kind="answer"), row(subject="other"), row(decision="comment"),
            row(reviewer="Ito", role="it_auditor", decision="reject", comment="privacy")]
    assert signoffs_from_reviews(rows) == [SignOff("Sato", "sponsor", "approve", "", "2024-04-01"),
                                           SignOff("Ito", "it_auditor", "reject", "privacy", "2024-04-01")]


def test_progress_reads_signoffs_from_the_review_log(sqlite_store) -> None:
    from core.progress import project_progress
    from core.store.goals import save_goal
    from core.store.projects import create_project
    from core.store.reviews import add_review

    project = create_project(sqlite_store, "Churn")
    goal = complete_goal()
    goal.signoffs = [SignOff("Ghost", "sponsor", "approve")]  # in the document only: does not count
    save_goal(sqlite_store, project.id, goal.to_dict())

    def business():
        return project_progress(sqlite_store, project.id)[0]

    assert [k for k, _ in business().missing] == ["value.issue.not_signed_off"]
    add_review(sqlite_store, project.id, step="business", kind="signoff", subject="value_formula",
               reviewer="Sato", role="sponsor", decision="approve")
    assert business().state == "done" and business().missing == []
    add_review(sqlite_store, project.id, step="business", kind="signoff", subject="value_formula",
               reviewer="Ito", role="it_auditor", decision="reject")
    assert [k for k, _ in business().missing] == ["value.issue.rejected"]


def test_regression_goal_needs_an_error_cost() -> None:
    goal = complete_goal()
    goal.preconditions.problem_type = "regression"
    assert validate(goal) == ["value.issue.no_cost_model"]


# --------------------------------------------------------------------------- acceptance and checklist


def test_check_acceptance_for_churn() -> None:
    criteria = example_goal("telecom_churn").acceptance
    results = check_acceptance(criteria, {"recall": 0.85}, cost_per_case=450)
    assert [(r.kind, r.passed) for r in results] == [("metric_min", True), ("max_cost_per_case", True)]
    failed = check_acceptance(criteria, {"recall": 0.7}, cost_per_case=4075)
    assert [r.passed for r in failed] == [False, False]
    unknown = check_acceptance(criteria, {})
    assert [r.passed for r in unknown] == [None, None]


def test_human_baseline_novice_below_model() -> None:
    criteria = AcceptanceCriteria(human_baseline=HumanBaseline("recall", novice=0.6, expert=0.9))
    assert check_acceptance(criteria, {"recall": 0.7})[0].passed is True
    assert check_acceptance(criteria, {"recall": 0.5})[0].passed is False
    lower = AcceptanceCriteria(human_baseline=HumanBaseline("rmse", novice=10, expert=4, higher_is_better=False))
    assert check_acceptance(lower, {"rmse": 8})[0].passed is True
    assert MetricTarget("rmse", "max", 5).passed(4.9) and not MetricTarget("rmse", "max", 5).passed(5.1)


def test_default_checklist_follows_step_1_communication() -> None:
    items = default_checklist()
    asked = {(i.role, i.question) for i in items}
    assert ("product_manager", "value.check.qcd_priority") in asked
    assert ("domain_expert", "value.check.workflow_change") in asked
    assert ("sponsor", "value.check.sponsor_agreement") in asked
    assert {("system_admin", "value.check.past_investment"), ("it_auditor", "value.check.past_investment")} <= asked
    assert all(i.status == "open" for i in items)
    assert label(items[0].question, "ja") == "品質（Q）・コスト（C）・納期（D）のどれを優先しますか？"
    assert label("free text question?", "ja") == "free text question?"
    assert label("sponsor", "ja") == "スポンサー"


def test_owner_checklist_groups_parameters_by_owner() -> None:
    items = owner_checklist(get_template("labour_saving").formulas(), "en")
    by_role = {i.role: i.question for i in items}
    assert set(by_role) == {"checking_team", "hr"}
    assert "hourly_pay" in by_role["hr"] and "workers_after" in by_role["checking_team"]


# --------------------------------------------------------------------------- templates


def test_templates() -> None:
    assert [tpl.id for tpl in TEMPLATES] == ["labour_saving", "qcd", "revenue_protected", "custom"]
    assert get_template("labour_saving").formulas()[0].evaluate() == 162_000
    quality, cost, delivery = get_template("qcd").formulas()
    assert quality.evaluate() == (30 - 10) * 50_000 and cost.evaluate() == (10 - 4) * 8 * 1200
    assert delivery.evaluate() == 5 and delivery.unit_label == "h"
    revenue = get_template("revenue_protected").formulas()[0]
    assert revenue.period == "month" and revenue.evaluate() == 300_000
    assert get_template("custom").formulas()[0].expression == ""
    owners = {p.name: p.owner for f in get_template("labour_saving").formulas() for p in f.parameters}
    assert owners["workers_before"] == "checking_team" and owners["hourly_pay"] == "hr"


def test_templates_return_fresh_copies() -> None:
    first = get_template("labour_saving").formulas()[0]
    first.parameters[0].value = 999
    assert get_template("labour_saving").formulas()[0].parameters[0].value == 20


def test_every_template_parameter_has_an_owner_and_a_label() -> None:
    for tpl in TEMPLATES:
        assert t(tpl.title_key, "ja") != tpl.title_key and t(tpl.description_key, "en") != tpl.description_key
        for formula in tpl.formulas():
            assert formula_label(formula.name, "ja") != formula.name
            for param in formula.parameters:
                assert param.owner in ROLES, param.name
                assert param_label(param.name, "ja") != param.name


# --------------------------------------------------------------------------- catalog completeness


def _static_keys() -> set[str]:
    source = "\n".join(p.read_text(encoding="utf-8") for p in VALUE_DIR.glob("*.py"))
    return {k for k in re.findall(r'"(value\.[a-z_.]+)"', source) if not k.endswith(".")}


def _dynamic_keys() -> set[str]:
    keys = {f"value.roi.{kind}_{f}" for kind in ("missing", "negative") for f in ("development_cost", "operation_cost")}
    keys |= {"value.roi.missing_value_per_period"}
    keys |= {f"value.role.{r}" for r in ROLES}
    groups = {"confidence": CONFIDENCES, "period": PERIODS, "verdict": VERDICTS, "problem_type": PROBLEM_TYPES,
              "speed": SPEED_KINDS, "env": INFERENCE_ENVS, "explanation": EXPLANATIONS,
              "status": CHECK_STATUSES, "decision": DECISIONS, "direction": ("min", "max")}
    keys |= {f"value.{group}.{v}" for group, values in groups.items() for v in values}
    plot_series = ("cumulative_value", "cumulative_cost", "cumulative_net", "precision", "recall")
    keys |= {f"value.plot.{c}" for c in plot_series}
    fields = ("title", "as_a", "i_want", "so_that", "before", "after", "problem_owner", "target", "explanation")
    keys |= {f"value.example.{e}.{f}" for e in WORKSHOP_EXAMPLES for f in fields}
    return keys | set(ISSUES)


def test_every_value_key_has_english_and_japanese() -> None:
    messages = catalog()
    missing = sorted(k for k in _static_keys() | _dynamic_keys() if k not in messages)
    assert missing == []
    for key, entry in messages.items():
        if key.startswith("value."):
            assert entry.get("en", "").strip() and entry.get("ja", "").strip(), key


def test_japanese_differs_from_english() -> None:
    same = [k for k, e in catalog().items() if k.startswith("value.") and e["en"] == e["ja"]]
    assert same == []


def test_statement_is_translated() -> None:
    en, ja = example_goal("telecom_churn", "en").statement, example_goal("telecom_churn", "ja").statement
    assert isinstance(en, ValueStatement) and en.as_a != ja.as_a and ja.as_a.strip()
