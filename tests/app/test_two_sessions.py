"""Two browser sessions edit the same project: the later save of an older copy never wins silently.

Each test opens two AppTest sessions on one project, lets both load the same form, saves in the
first, then saves the second's older copy. The second must get a translated notice (no
traceback), the first's change must still be there, and nothing else may be lost.

Forms covered: the business goal (version column), the 5W1H data request (compared with the
request the form started from), the target confirmation (project version), and the project's
settings on Home (project version).
"""

from __future__ import annotations

import pytest

from core.demo import open_or_create_demo
from core.i18n import t
from core.store import reviews
from core.analyze.saved import list_analyses, run_analysis
from core.prepare.requests import load_data_request
from core.store.goals import load_goal
from core.store.projects import create_project, get_project
from core.value import example_dict
from tests.app.conftest import new_app, no_exception


def _open(page: str, lang: str, project_id: int):
    at = new_app(lang, project_id).run()
    at.switch_page(page).run()
    no_exception(at)
    return at


def _errors(at) -> list[str]:
    return [e.value.replace("\\", "") for e in at.error]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_business_goal_a_stale_copy_is_refused(app_store, lang):
    from core.store.goals import save_goal

    project = create_project(app_store, "Churn", currency="JPY")
    save_goal(app_store, project.id, example_dict("telecom_churn", lang))
    first = _open("pages/business.py", lang, project.id)
    second = _open("pages/business.py", lang, project.id)
    first.text_input(key="biz_title").input("Title from the first tab").run()
    no_exception(first)
    second.text_input(key="biz_st_as_a").input("as-a from the second tab").run()
    no_exception(second)
    assert t("goal.error.stale", lang) in _errors(second)
    goal, _version = load_goal(app_store, project.id)
    assert goal["title"] == "Title from the first tab"
    assert goal["statement"]["as_a"] == example_dict("telecom_churn", lang)["statement"]["as_a"]
    assert len(goal["formulas"]) == 1 and goal["cost_matrix"]["fn"] == 200_000  # the rest is intact


def _prepare(store, lang: str):
    demo = open_or_create_demo(store, lang)
    run_analysis(store, demo.id)
    return demo.id


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_data_request_a_stale_copy_is_refused_and_can_be_reloaded(app_store, lang):
    pid = _prepare(app_store, lang)
    key = f"prep_req_{pid}"
    first = _open("pages/prepare.py", lang, pid)
    second = _open("pages/prepare.py", lang, pid)
    drafted_why = second.text_area(key=f"{key}_why").value

    first.text_input(key=f"{key}_recipient").input("Billing team")
    first.button(key=f"{key}_save").click().run()
    no_exception(first)
    assert load_data_request(app_store, pid)["recipient"] == "Billing team"

    second.text_area(key=f"{key}_why").input("Because the second tab says so")
    second.button(key=f"{key}_save").click().run()
    no_exception(second)
    assert t("prepare.error.request_stale", lang) in _errors(second)
    saved = load_data_request(app_store, pid)
    assert saved["recipient"] == "Billing team" and saved["why"] == drafted_why  # the first save stands
    assert second.text_area(key=f"{key}_why").value == "Because the second tab says so"  # typed text kept
    assert len(list_analyses(app_store, pid)) == 1

    second.button(key=f"{key}_reload").click().run()
    no_exception(second)
    assert second.text_input(key=f"{key}_recipient").value == "Billing team"
    assert t("prepare.error.request_stale", lang) not in _errors(second)
    second.text_area(key=f"{key}_why").input("Because the second tab says so")
    second.button(key=f"{key}_save").click().run()
    no_exception(second)
    saved = load_data_request(app_store, pid)
    assert (saved["recipient"], saved["why"]) == ("Billing team", "Because the second tab says so")

    first.text_input(key=f"{key}_title").input("Older copy again")  # now the first one is behind
    first.button(key=f"{key}_save").click().run()
    assert t("prepare.error.request_stale", lang) in _errors(first)
    assert load_data_request(app_store, pid)["why"] == "Because the second tab says so"


def test_data_request_redraft_of_a_stale_copy_is_refused(app_store):
    pid = _prepare(app_store, "en")
    key = f"prep_req_{pid}"
    first = _open("pages/prepare.py", "en", pid)
    first.button(key=f"{key}_save").click().run()  # the draft saved: both tabs offer "draft again"
    second = _open("pages/prepare.py", "en", pid)
    first.text_input(key=f"{key}_recipient").input("Billing team")
    first.button(key=f"{key}_save").click().run()
    no_exception(first)
    second.button(key=f"{key}_redraft").click().run()
    no_exception(second)
    assert t("prepare.error.request_stale", "en") in _errors(second)
    assert load_data_request(app_store, pid)["recipient"] == "Billing team"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_target_a_stale_choice_is_refused(app_store, lang):
    demo = open_or_create_demo(app_store, lang)
    version = demo.current_dataset_id
    suffix = f"{demo.id}_{version}"
    first = _open("pages/analyze.py", lang, demo.id)
    second = _open("pages/analyze.py", lang, demo.id)
    chosen = "CustServ Calls" if lang == "en" else first.selectbox(key=f"ana_target_{suffix}").options[-2]
    first.selectbox(key=f"ana_target_{suffix}").set_value(chosen).run()
    first.button(key=f"ana_confirm_{suffix}").click().run()
    no_exception(first)
    assert get_project(app_store, demo.id).target_column == chosen

    other = "VMail Message" if lang == "en" else second.selectbox(key=f"ana_target_{suffix}").options[-3]
    second.selectbox(key=f"ana_target_{suffix}").set_value(other).run()
    second.button(key=f"ana_confirm_{suffix}").click().run()
    no_exception(second)
    assert t("project.error.stale", lang, name=demo.name) in _errors(second)
    after = get_project(app_store, demo.id)
    assert after.target_column == chosen and after.name == demo.name and after.current_dataset_id == version

    fresh = _open("pages/analyze.py", lang, demo.id)  # a refresh: the saved choice, and it can be changed
    assert fresh.selectbox(key=f"ana_target_{suffix}").value == chosen
    fresh.selectbox(key=f"ana_target_{suffix}").set_value(other).run()
    fresh.button(key=f"ana_confirm_{suffix}").click().run()
    no_exception(fresh)
    assert get_project(app_store, demo.id).target_column == other


def test_target_is_not_blocked_by_unrelated_changes_and_a_retry_after_a_refusal_works(app_store):
    from core.store.projects import update_project

    demo = open_or_create_demo(app_store, "en")
    suffix = f"{demo.id}_{demo.current_dataset_id}"
    at = _open("pages/analyze.py", "en", demo.id)
    update_project(app_store, demo.id, description="edited in another tab")  # unrelated to the target
    at.selectbox(key=f"ana_target_{suffix}").set_value("CustServ Calls").run()
    at.button(key=f"ana_confirm_{suffix}").click().run()
    no_exception(at)
    assert not _errors(at) and get_project(app_store, demo.id).target_column == "CustServ Calls"

    update_project(app_store, demo.id, target_column="VMail Message")  # someone else picks another target
    at.selectbox(key=f"ana_target_{suffix}").set_value("Day Mins").run()
    at.button(key=f"ana_confirm_{suffix}").click().run()
    assert _errors(at) and get_project(app_store, demo.id).target_column == "VMail Message"
    at.button(key=f"ana_confirm_{suffix}").click().run()  # seen their choice: confirming again is deliberate
    no_exception(at)
    assert get_project(app_store, demo.id).target_column == "Day Mins"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_project_settings_a_stale_copy_is_refused(app_store, lang):
    project = create_project(app_store, "Churn", description="as created", owner="ana")
    reviews.add_review(app_store, project.id, step="business", kind="signoff", reviewer="Sato", decision="approve")
    first = new_app(lang, project.id).run()
    second = new_app(lang, project.id).run()
    save = t("home.manage.save", lang)
    first.text_input(key=f"rename_{project.id}").input("Churn renamed")
    next(b for b in first.button if b.label == save).click().run()
    no_exception(first)
    assert get_project(app_store, project.id).name == "Churn renamed"

    second.text_area(key=f"description_{project.id}").input("described in the second tab")
    next(b for b in second.button if b.label == save).click().run()
    no_exception(second)
    after = get_project(app_store, project.id)
    assert after.name == "Churn renamed", "the first tab's rename was overwritten by an older copy"
    assert any(e.startswith(t("project.error.stale", lang, name="")[:20]) for e in _errors(second))
    assert after.description == "as created"
    assert len(reviews.list_reviews(app_store, project.id)) == 1
    assert second.text_area(key=f"description_{project.id}").value == "described in the second tab"  # not lost
    next(b for b in second.button if b.label == t("home.manage.reload", lang)).click().run()
    no_exception(second)
    assert second.text_input(key=f"rename_{project.id}").value == "Churn renamed"  # their change is shown


def test_project_settings_show_a_change_made_elsewhere_when_nothing_was_typed(app_store):
    from core.store.projects import rename_project

    project = create_project(app_store, "Churn", description="as created")
    at = new_app("en", project.id).run()
    rename_project(app_store, project.id, "Churn 2025")  # another tab, while this one shows Home
    at.run()  # any next click
    assert at.text_input(key=f"rename_{project.id}").value == "Churn 2025"
    at.text_area(key=f"description_{project.id}").input("only the description")
    next(b for b in at.button if b.label == t("home.manage.save", "en")).click().run()
    no_exception(at)
    assert not _errors(at)
    after = get_project(app_store, project.id)
    assert (after.name, after.description) == ("Churn 2025", "only the description")


def test_project_settings_are_not_blocked_by_unrelated_changes(app_store):
    from core.store.projects import update_project

    project = create_project(app_store, "Churn", description="as created")
    at = new_app("en", project.id).run()
    update_project(app_store, project.id, target_column="churned")  # another page, another tab
    at.text_area(key=f"description_{project.id}").input("new description")
    next(b for b in at.button if b.label == t("home.manage.save", "en")).click().run()
    no_exception(at)
    after = get_project(app_store, project.id)
    assert (after.description, after.target_column) == ("new description", "churned")
    assert not _errors(at)


def test_the_store_refuses_a_data_request_based_on_an_older_one(app_store):
    from core.errors import UserError
    from core.prepare import DataRequest
    from core.prepare.requests import save_data_request

    pid = _prepare(app_store, "en")
    first = DataRequest(recipient="Billing", why="more rows").to_dict()
    with pytest.raises(UserError) as stale:
        save_data_request(app_store, pid, first, based_on={"why": "something else"})
    assert stale.value.key == "prepare.error.request_stale" and load_data_request(app_store, pid) is None
    save_data_request(app_store, pid, first, based_on=None)  # none was saved: this is the first
    with pytest.raises(UserError):
        save_data_request(app_store, pid, DataRequest(why="mine").to_dict(), based_on=None)
    save_data_request(app_store, pid, DataRequest(recipient="Billing", why="newer").to_dict(),
                      based_on={"recipient": "Billing", "why": "more rows"})  # same request, fewer keys given
    assert load_data_request(app_store, pid)["why"] == "newer"
    save_data_request(app_store, pid, first)  # callers that do not ask for the check are not refused
    assert load_data_request(app_store, pid) == first
