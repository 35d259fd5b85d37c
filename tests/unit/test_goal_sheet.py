"""The Business Goal sheet: escaped HTML with inline charts, Markdown, JSON export and import."""

from __future__ import annotations

import json
from datetime import date

import pytest

from core.errors import UserError
from core.i18n import t
from core.report.goal_sheet import goal_html, goal_json, goal_markdown, import_goal_json
from core.report.goal_text import money_text, number_text, owners_df, scenario_overrides
from core.store.goals import load_goal, save_goal
from core.store.projects import create_project
from core.value import BusinessGoal, Scenario, SignOff, example_goal

EVIL = "<script>alert('x')</script>"
TODAY = date(2024, 4, 1)


def evil_goal() -> BusinessGoal:
    goal = example_goal("flea_market_break_even", "en")
    goal.title = EVIL
    goal.statement.as_a = EVIL
    goal.statement.before = "line one\n<b>bold?</b> | pipe"
    goal.scenarios.append(Scenario("<img src=x onerror=alert(1)>", {"workers_after": 5}))
    goal.formulas[0].parameters[0].note = EVIL
    goal.checklist[0].answer = EVIL
    return goal


def test_html_escapes_user_text_and_embeds_the_charts_inline() -> None:
    signoffs = [SignOff("<i>Sato</i>", "sponsor", "approve", EVIL, "2024-04-01")]
    html = goal_html(evil_goal(), "Proj <x>", "en", signoffs, today=TODAY)
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert EVIL not in html and "<img src=x" not in html and "<i>Sato</i>" not in html
    assert "&lt;i&gt;Sato&lt;/i&gt;" in html and "Proj &lt;x&gt;" in html
    assert html.count('class="plotly-graph-div"') == 3  # break-even, estimates, sensitivity
    assert 'src="https://cdn.plot.ly' not in html and "Plotly.newPlot" in html
    assert len(html) > 1_000_000  # plotly.js itself is inline: the page opens offline
    assert html.count("<script type=\"text/javascript\">window.PlotlyConfig") <= 1  # the library once
    assert t("value.verdict.pays_back", "en") in html or "Pays back on day 162" in html


def test_html_in_japanese_has_translated_headings() -> None:
    html = goal_html(example_goal("telecom_churn", "ja"), "解約予測", "ja", today=TODAY)
    assert '<html lang="ja">' in html
    for key in ("business.section.statement", "business.section.roi", "business.section.costs"):
        assert t(key, "ja") in html
    assert "200,000" in html  # FN cost of the churn matrix


def test_markdown_escapes_markup_and_keeps_the_numbers() -> None:
    md = goal_markdown(evil_goal(), "Proj", "en", today=TODAY)
    assert md.startswith("# Business goal: \\<script\\>")
    assert "<script>" not in md and "\\<img src=x onerror=alert(1)\\>" in md
    assert "line one / \\<b\\>bold?\\</b\\> \\| pipe" in md
    assert "Pays back on day 162" in md
    assert "| Estimate | Value per day |" in md
    assert "`(workers_before * hours_before - workers_after * hours_after) * hourly_pay`" in md
    assert "B: 10 workers × 7.5 h after" in md and "Loss" in md


def test_never_paying_back_is_said_in_words() -> None:
    goal = example_goal("flea_market_break_even", "en")
    goal.formulas[0].parameter("workers_after").value = 10  # estimate B
    md = goal_markdown(goal, "Proj", "en", today=TODAY)
    assert "Never pays back: the value per day (¥90,000) does not cover the operation cost per day (¥100,000)" in md


def test_sheet_reports_missing_items_and_sign_off_from_the_log() -> None:
    goal = example_goal("telecom_churn", "en")
    for item in goal.checklist:
        item.status = "answered"
    unsigned = goal_markdown(goal, "P", "en", today=TODAY)
    assert t("value.issue.not_signed_off", "en") in unsigned
    signed = goal_markdown(goal, "P", "en", [SignOff("Sato", "sponsor", "approve")], today=TODAY)
    assert t("business.status.complete", "en") in signed and "| Sato | Sponsor | Approve |" in signed


def test_broken_goal_still_renders_with_its_errors() -> None:
    goal = example_goal("telecom_churn", "en")
    goal.formulas[0].expression = "__import__('os')"
    goal.roi.development_cost = -5
    html = goal_html(goal, "P", "en", today=TODAY)
    assert "is not allowed" in html and "__import__(&#39;os&#39;)" in html
    assert t("value.issue.formula_error", "en") in goal_markdown(goal, "P", "en", today=TODAY)
    empty = goal_markdown(BusinessGoal(), "Empty", "ja", today=TODAY)
    assert t("value.issue.no_formula", "ja") in empty


def test_numbers_never_fail_to_format() -> None:
    assert money_text(10_000_000, "JPY", "ja").endswith("10,000,000")
    assert money_text(1e300, "JPY", "en") == "1e+300 JPY"  # beyond what the locale formatter handles
    assert money_text(None, "USD", "en") == number_text(float("nan"), "en") == "—"
    assert number_text(1e40, "en") == "1e+40" and number_text(1234.5, "en") == "1,234.5"


def test_owners_df_groups_numbers_by_owner() -> None:
    df = owners_df(example_goal("flea_market_break_even", "en"), "en")
    by_owner = df.groupby("owner")["number"].apply(list).to_dict()
    assert by_owner["Checking team"] == ["Workers before", "Hours per day before", "Workers after",
                                         "Hours per day after"]
    assert by_owner["Hiring / HR"] == ["Hourly pay"]
    assert by_owner["System admin"] == ["Development cost"]
    assert by_owner["System operations"] == ["Operation cost"]


def test_scenario_overrides_skip_unknown_parameters_and_duplicate_names() -> None:
    goal = example_goal("flea_market_break_even", "en")
    goal.scenarios = [Scenario("A", {"workers_after": 2, "gone": 1}), Scenario("A", {}), Scenario("", {})]
    assert scenario_overrides(goal) == {"A": {"workers_after": 2}, "A (2)": {}, "#3": {}}


def test_json_round_trips_and_imports_as_a_template_into_another_project(sqlite_store) -> None:
    goal = example_goal("telecom_churn", "ja")
    goal.checklist[0].status, goal.checklist[0].answer = "answered", "品質"
    text = goal_json(goal, [SignOff("佐藤", "sponsor", "approve")])
    data = json.loads(text)
    assert data["format"] == "ml-enablement-studio.business-goal" and data["signoffs"][0]["name"] == "佐藤"
    imported = import_goal_json(text.encode("utf-8"))
    assert imported.signoffs == [] and all(c.status == "open" and not c.answer for c in imported.checklist)
    assert (imported.formulas, imported.roi, imported.cost_matrix, imported.acceptance, imported.statement) == (
        goal.formulas, goal.roi, goal.cost_matrix, goal.acceptance, goal.statement)
    other = create_project(sqlite_store, "Other")
    save_goal(sqlite_store, other.id, imported.to_dict())
    stored, version = load_goal(sqlite_store, other.id)
    assert version == 1 and BusinessGoal.from_dict(stored) == imported


@pytest.mark.parametrize(("content", "key"), [
    ("{not json", "business.import.bad_json"),
    (b"\xff\xfe\x00garbage", "business.import.not_utf8"),
    ("[1, 2]", "business.import.not_a_goal"),
    ('{"hello": 1}', "business.import.not_a_goal"),
    ('{"format": "something-else", "formulas": []}', "business.import.not_a_goal"),
    ('{"schema_version": 99, "formulas": []}', "business.import.newer_version"),
    ('{"formulas": [{"name": "v", "expression": "a", "parameters": [{"name": "__import__"}]}]}',
     "value.formula.bad_name"),
    ("[" * 100_000 + "]" * 100_000, "business.import.not_a_goal"),
    ("x" * 2_000_001, "business.import.too_large"),
])
def test_bad_json_gives_a_clear_message(content, key) -> None:
    with pytest.raises(UserError) as info:
        import_goal_json(content)
    assert info.value.key == key
    assert not info.value.message("ja").startswith("business.")  # translated, not a bare key


def test_bad_json_message_says_where() -> None:
    with pytest.raises(UserError) as info:
        import_goal_json('{\n  "title": "x",\n  oops\n}')
    assert info.value.message("en") == "The file is not valid JSON (line 3, column 3)."
