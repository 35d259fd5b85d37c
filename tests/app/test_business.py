"""Step 1 page end to end (AppTest): examples, formulas, break-even, costs, sign-off, refresh, exports."""

from __future__ import annotations

import json

import pytest

from core.i18n import t
from core.messages import Message
from core.progress import project_progress
from core.report.goal_sheet import goal_json
from core.store.goals import load_goal
from core.store.projects import create_project
from core.store.reviews import list_reviews
from core.value import BusinessGoal, example_goal
from tests.app.conftest import new_app, no_exception


def business(lang: str, project_id: int):
    """A fresh session on the Business Understanding page of a project (like opening the link)."""
    at = new_app(lang, project_id).run()
    at.switch_page("pages/business.py").run()
    no_exception(at)
    return at


def load_example(at, example_id: str = "telecom_churn"):
    at.button(key=f"biz_example_{example_id}").click().run()
    no_exception(at)
    return at


def metric(at, key: str, lang: str) -> str:
    return next(m.value for m in at.metric if m.label == t(key, lang))


def texts(at) -> str:
    parts = (at.markdown, at.caption, at.success, at.info, at.warning, at.error, at.subheader)
    return " ".join(e.value for part in parts for e in part).replace("\\", "")


def errors(at) -> list[str]:
    """Error messages as shown (user text in them is escaped for Markdown)."""
    return [e.value.replace("\\", "") for e in at.error]


def saved(store, project_id: int) -> BusinessGoal:
    return BusinessGoal.from_dict(load_goal(store, project_id)[0])


def table(at, column: str):
    """The first read-only table that has ``column``."""
    return next(d.value for d in at.dataframe if d.editing_mode == "read_only" and column in d.value.columns)


def edit_rows(at, key: str, edited: dict | None = None, added: list | None = None, deleted: list | None = None):
    """What a browser sends after cells of a data editor were edited."""
    at.session_state[key] = {"edited_rows": edited or {}, "added_rows": added or [], "deleted_rows": deleted or []}
    at.run()
    no_exception(at)
    return at


@pytest.fixture
def project(app_store):
    return create_project(app_store, "Churn", currency="JPY")


def test_churn_example_loads_and_a_parameter_edit_moves_the_break_even(app_store, project):
    at = load_example(business("en", project.id))
    assert t("business.examples.loaded", "en", title=t("value.example.telecom_churn.title", "en")) in texts(at)
    assert metric(at, "business.roi.break_even", "en") == "Day 254"  # 200 × 4,000/month vs 200,000/month
    assert saved(app_store, project.id).cost_matrix.fn == 200_000
    # customers kept: 200 → 100; the break-even moves out to day 761
    edit_rows(at, "biz_f0_params", edited={0: {"value": 100.0}})
    assert metric(at, "business.roi.break_even", "en") == "Day 761"
    assert saved(app_store, project.id).formulas[0].parameter("customers_kept").value == 100
    # a new parameter row with an owner typed as a label is saved with the role id
    edit_rows(at, "biz_f0_params", added=[{"name": "retention_rate", "value": 0.5, "owner": "Marketing"}])
    assert saved(app_store, project.id).formulas[0].parameter("retention_rate").owner == "marketing"


def test_flea_market_shows_the_workshop_verdicts_side_by_side(app_store, project):
    at = load_example(business("en", project.id), "flea_market_break_even")
    assert metric(at, "business.roi.break_even", "en") == "Day 162"
    column = t("business.scenarios.break_even", "en")  # the estimates compared side by side
    assert list(table(at, column)[column]) == ["Day 162", "Never pays back", "Day 179"]
    # after > before is a loss, shown in words, not an error
    edit_rows(at, "biz_f0_params", edited={2: {"value": 30.0}})
    assert metric(at, "business.roi.break_even", "en") == t("value.plot.never", "en")
    assert any(e.startswith("Never pays back: the value per day (-¥90,000)") for e in errors(at))
    assert t("business.formula.negative", "en") in texts(at)


@pytest.mark.parametrize(("formula", "key", "params"), [
    ("__import__('os')", "value.formula.forbidden", {"part": "__import__('os')"}),
    ("(customers_kept * monthly_profit", "value.formula.unbalanced", {}),
    ("customers_kept * nobody", "value.formula.unknown_name", {"name": "nobody"}),
    ("customers_kept / 0", "value.formula.division_by_zero", {}),
    ("1e308 * 1e308", "value.formula.not_finite", {}),
])
def test_a_bad_formula_shows_the_translated_error_next_to_it(app_store, project, formula, key, params):
    at = load_example(business("ja", project.id))
    at.text_input(key="biz_f0_expr").input(formula).run()
    no_exception(at)
    # the formula the user typed is shown as typed (escaped), the catalog's own text as written
    assert Message(key, params).markdown("ja") in [e.value for e in at.error]
    assert saved(app_store, project.id).formulas[0].expression == formula  # kept as typed, to be fixed
    assert t("value.issue.formula_error", "ja") in texts(at)  # and listed as missing


def test_bad_costs_and_horizon_give_clear_messages(app_store, project):
    at = load_example(business("en", project.id), "flea_market_break_even")
    cases = [("biz_roi_dev", -1.0, t("value.roi.negative_development_cost", "en")),
             ("biz_roi_dev", 10_000_000.0, "Pays back on day 162"),
             ("biz_roi_op", -5.0, t("value.roi.negative_operation_cost", "en")),
             ("biz_roi_op", 100_000.0, "Pays back on day 162"),
             ("biz_roi_dev", None, t("value.roi.missing_development_cost", "en")),
             ("biz_roi_dev", 1e300, "Not paid back within 3 years: the net at the horizon is -1e+300 JPY")]
    for key, value, message in cases:
        at.number_input(key=key).set_value(value).run()
        no_exception(at)
        assert message in texts(at), message
    at.number_input(key="biz_roi_dev").set_value(10_000_000.0).run()
    at.number_input(key="biz_roi_years").set_value(0.0).run()
    assert t("value.roi.bad_horizon", "en", max=36_500) in texts(at)
    at.number_input(key="biz_roi_years").set_value(3.0).run()
    edit_rows(at, "biz_f0_params", edited={4: {"value": 0.0}})  # zero hourly pay: no value, a loss
    assert metric(at, "business.roi.break_even", "en") == t("value.plot.never", "en")
    no_exception(at)


def test_costs_acceptance_and_preconditions_are_saved_and_survive_a_refresh(app_store, project):
    at = business("en", project.id)
    at.text_input(key="biz_st_as_a").input("retention team").run()
    at.selectbox(key="biz_pre_type").set_value("binary").run()
    for cell, value in (("tp", 500.0), ("fp", 500.0), ("fn", 200_000.0), ("tn", 0.0)):
        at.number_input(key=f"biz_cm_{cell}").set_value(value).run()
    at.number_input(key="biz_cm_target").set_value(500.0).run()
    edit_rows(at, "biz_metrics", added=[{"metric": "recall", "direction": "min", "value": 0.8}])
    at.toggle(key="biz_base_on").set_value(True).run()
    at.number_input(key="biz_base_novice").set_value(0.6).run()
    at.number_input(key="biz_base_expert").set_value(0.9).run()
    at.number_input(key="biz_roi_dev").set_value(5_000_000.0).run()
    no_exception(at)
    goal = saved(app_store, project.id)
    assert goal.statement.as_a == "retention team" and goal.preconditions.problem_type == "binary"
    assert (goal.cost_matrix.fn, goal.acceptance.max_cost_per_case, goal.roi.development_cost) == (200_000, 500, 5e6)
    assert [(m.metric, m.value) for m in goal.acceptance.metrics] == [("recall", 0.8)]
    assert (goal.acceptance.human_baseline.novice, goal.acceptance.human_baseline.expert) == (0.6, 0.9)

    refreshed = business("en", project.id)  # a browser refresh is a new session
    assert refreshed.text_input(key="biz_st_as_a").value == "retention team"
    assert refreshed.number_input(key="biz_cm_fn").value == 200_000
    assert refreshed.number_input(key="biz_cm_target").value == 500
    assert refreshed.number_input(key="biz_roi_dev").value == 5_000_000
    assert refreshed.number_input(key="biz_base_novice").value == 0.6
    assert refreshed.selectbox(key="biz_pre_type").value == "binary"
    assert "recall" in list(refreshed.data_editor(key="biz_metrics").value["metric"])
    assert t("business.acceptance.cost_line", "en", amount="¥500") in texts(refreshed)


def test_signoff_is_recorded_in_the_shared_review_log(app_store, project):
    at = load_example(business("en", project.id))
    at.button(key="biz_so_submit").click().run()  # no name: a clear message, nothing recorded
    assert t("review.error.no_reviewer", "en") in errors(at)
    assert list_reviews(app_store, project.id) == []
    at.text_input(key="biz_so_name").input("Sato")  # a form: values are sent with the submit
    at.text_area(key="biz_so_comment").input("Go ahead")
    at.button(key="biz_so_submit").click().run()
    no_exception(at)
    (review,) = list_reviews(app_store, project.id)
    assert (review.step, review.kind, review.subject, review.reviewer, review.role, review.decision) == (
        "business", "signoff", "value_formula", "Sato", "sponsor", "approve")
    assert t("business.signoff.done", "en") in texts(at)
    assert at.text_input(key="biz_so_name").value == ""  # the form is ready for the next person
    business_step = project_progress(app_store, project.id)[0]
    assert ("value.issue.not_signed_off", {}) not in business_step.missing
    assert saved(app_store, project.id).signoffs == []  # the goal document is not a second record
    refreshed = business("en", project.id)
    column = t("business.signoff.name", "en")
    assert list(table(refreshed, column)[column]) == ["Sato"]


def test_a_concurrent_edit_is_detected_and_can_be_reloaded(app_store, project):
    first = business("en", project.id)
    second = business("en", project.id)
    second.text_input(key="biz_title").input("From the other tab").run()
    first.text_input(key="biz_title").input("Mine").run()
    no_exception(first)
    assert t("goal.error.stale", "en") in errors(first)
    assert saved(app_store, project.id).title == "From the other tab"
    first.button(key="biz_reload").click().run()
    no_exception(first)
    assert first.text_input(key="biz_title").value == "From the other tab"
    first.text_input(key="biz_title").input("Mine after reload").run()
    assert saved(app_store, project.id).title == "Mine after reload"


def test_exports_are_offered_and_a_goal_imports_from_another_project(app_store, project):
    at = load_example(business("en", project.id))
    assert {b.key for b in at.download_button} >= {"biz_dl_html", "biz_dl_md", "biz_dl_json"}
    other = create_project(app_store, "Bottles", currency="JPY")
    target = business("en", other.id)
    upload = target.file_uploader(key="biz_import_file")
    upload.set_value(("broken.json", b"{oops", "application/json")).run()
    target.button(key="biz_import_go").click().run()
    assert t("business.import.bad_json", "en", line=1, column=2) in errors(target)
    assert load_goal(app_store, other.id) == ({}, 0)
    exported = goal_json(example_goal("bottle_inspection_qcd", "en")).encode()
    target.file_uploader(key="biz_import_file").set_value(("bottles.json", exported, "application/json")).run()
    target.button(key="biz_import_go").click().run()
    no_exception(target)
    goal = saved(app_store, other.id)
    assert [f.name for f in goal.formulas] == ["quality", "cost", "delivery"]
    assert t("business.import.done", "en", name="bottles.json") in texts(target)
    assert json.loads(exported)["format"] == "ml-enablement-studio.business-goal"


def test_undo_brings_back_the_goal_an_example_replaced(app_store, project):
    at = business("en", project.id)
    at.text_input(key="biz_title").input("My own goal").run()
    load_example(at)
    assert saved(app_store, project.id).title == t("value.example.telecom_churn.title", "en")
    at.button(key="biz_undo").click().run()
    no_exception(at)
    assert saved(app_store, project.id).title == "My own goal"
    assert at.text_input(key="biz_title").value == "My own goal"


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("example_id", ["flea_market_break_even", "bottle_inspection_qcd", "road_crack_baseline",
                                        "telecom_churn"])
def test_every_example_renders_in_both_languages(app_store, project, lang, example_id):
    at = load_example(business(lang, project.id), example_id)
    assert at.title[0].value == t("nav.business", lang)
    assert not at.error, [e.value for e in at.error]
    assert {c.key for c in at.get("plotly_chart")} >= {"biz_chart_roi", "biz_chart_tornado"} or len(
        at.get("plotly_chart")) >= 2
    version = load_goal(app_store, project.id)[1]
    at.run()  # showing the page again saves nothing
    assert load_goal(app_store, project.id)[1] == version


def test_html_in_user_text_is_shown_as_text(app_store, project):
    at = business("en", project.id)
    evil = "<img src=x onerror=alert(1)>"
    at.text_input(key="biz_st_as_a").input(evil).run()
    at.text_input(key="biz_st_i_want").input("<b>bold</b>").run()
    no_exception(at)
    assert all(not m.proto.allow_html for m in at.markdown)
    assert evil in texts(at)


# --------------------------------------------------------------------------- decisions in money (issue 12)


def test_today_and_cases_per_period_are_asked_beside_the_costs_and_bad_cases_store_nothing(app_store, project):
    at = load_example(business("en", project.id))
    assert at.selectbox(key="biz_pr_policy").value == "act_none" and at.number_input(key="biz_pr_cases").value == 10_000
    at.selectbox(key="biz_pr_policy").set_value("act_all").run()
    at.number_input(key="biz_pr_cases").set_value(25_000.0).run()
    no_exception(at)
    practice = saved(app_store, project.id).practice
    assert (practice.policy, practice.cases, practice.period) == ("act_all", 25_000, "month")
    at.number_input(key="biz_pr_cases").set_value(0.0).run()  # zero cases: refused, the last good value stays
    no_exception(at)
    assert t("value.practice.bad_cases", "en") in errors(at)
    assert saved(app_store, project.id).practice.cases == 25_000


def test_a_multiclass_cost_table_starts_from_the_classes_and_refuses_bad_cells(app_store, project):
    at = business("ja", project.id)
    at.selectbox(key="biz_pre_type").set_value("multiclass").run()
    at.text_input(key="biz_cc_names").input("low, mid, high").run()
    no_exception(at)
    key = next(e.key for e in at.data_editor if e.key and e.key.startswith("biz_cc_table_"))
    shown = at.data_editor(key=key).value
    assert list(shown.index) == ["low", "mid", "high"] and shown.loc["low", "low"] == 0 and shown.loc["low", "mid"] == 1
    table = saved(app_store, project.id).class_costs
    assert table.classes == ["low", "mid", "high"] and table.costs[2][0] == 1  # the default start is saved
    edit_rows(at, key, edited={0: {"high": 10.0}})
    assert saved(app_store, project.id).class_costs.costs[0][2] == 10
    for bad in (None, -5.0):
        edit_rows(at, key, edited={1: {"low": bad}})
        assert t("value.costs.class_cell", "ja", actual="mid", decided="low") in errors(at)
        assert saved(app_store, project.id).class_costs.costs[1][0] == 1  # nothing stored
    assert "value.costs" not in texts(at)


def test_regression_costs_of_too_little_and_too_much_and_both_zero_refused(app_store, project):
    at = business("en", project.id)
    at.selectbox(key="biz_pre_type").set_value("regression").run()
    at.number_input(key="biz_reg_under").set_value(400.0).run()
    at.number_input(key="biz_reg_over").set_value(100.0).run()
    no_exception(at)
    spec = saved(app_store, project.id).regression_cost
    assert (spec.under_cost, spec.over_cost) == (400, 100) and spec.quantity_costs().quantile == 0.8
    at.number_input(key="biz_reg_under").set_value(0.0).run()
    at.number_input(key="biz_reg_over").set_value(0.0).run()
    no_exception(at)
    assert t("value.costs.regression_both_zero", "en") in errors(at)
    assert saved(app_store, project.id).regression_cost.over_cost == 100  # the last good costs stay
    at.radio(key="biz_reg_mode").set_value("symmetric").run()
    at.number_input(key="biz_reg_cost").set_value(50.0).run()
    at.number_input(key="biz_reg_tol").set_value(10.0).run()
    no_exception(at)
    spec = saved(app_store, project.id).regression_cost
    assert (spec.cost_per_unit, spec.tolerance, spec.under_cost) == (50, 10, None)


def test_criteria_metrics_are_chosen_and_typed_text_is_flagged(app_store, project):
    from core.store.goals import save_goal

    goal = example_goal("telecom_churn", "ja").to_dict()
    goal["acceptance"]["metrics"] = [{"metric": "お客様満足度", "direction": "min", "value": 4}]
    save_goal(app_store, project.id, goal)
    at = business("ja", project.id)
    flagged = t("business.acceptance.unknown_metric", "ja", name="お客様満足度")
    assert flagged in texts(at) and "evaluate.metric" not in texts(at)
    column = at.data_editor(key="biz_metrics").proto.columns
    options = json.loads(column)["metric"]["type_config"]["options"]
    assert {o["value"] for o in options} >= {"recall", "precision", "f1", "roc_auc", "お客様満足度"}
    assert "rmse" not in {o["value"] for o in options}  # the binary goal's metrics only
    edit_rows(at, "biz_metrics", edited={0: {"metric": "recall", "value": 0.6}})
    assert [(m.metric, m.value) for m in saved(app_store, project.id).acceptance.metrics] == [("recall", 0.6)]
    assert flagged not in texts(at)
