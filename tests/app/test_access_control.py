"""Sign-in on a team server (AppTest): the gate, wrong passwords, own and shared projects, deep links."""

from __future__ import annotations

import pytest

from core.i18n import t
from core.store.projects import create_project, list_projects
from core.store.users import add_user, set_active, set_password, set_shared_with
from tests.app.conftest import PAGES, new_app, no_exception

PASSWORD = "correct horse battery"


@pytest.fixture
def team(app_store, monkeypatch):
    """Two people with a project each (Bo's is secret), and access control switched on."""
    monkeypatch.setenv("ML_STUDIO_AUTH", "users")
    aki, bo = add_user(app_store, "aki", PASSWORD, display_name="佐藤"), add_user(app_store, "bo", PASSWORD)
    mine = create_project(app_store, "Aki churn", owned_by="aki")
    secret = create_project(app_store, "Bo secret pricing", owned_by="bo")
    return {"store": app_store, "aki": aki, "bo": bo, "mine": mine, "secret": secret}


def _all_text(at) -> str:
    parts = [at.markdown, at.caption, at.title, at.subheader, at.error, at.info, at.success, at.warning]
    texts = [e.value for part in parts for e in part]
    texts += [str(o) for box in at.selectbox for o in box.options]
    return " ".join(texts).replace("\\", "")


def _sign_in(at, username, password, lang="en"):
    at.text_input(key="auth_username").input(username)
    at.text_input(key="auth_password").input(password)
    at.button[0].click().run()  # the form's only button
    no_exception(at)
    return at


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_asks_for_sign_in_and_reveals_nothing(team, lang, page):
    at = new_app(lang, team["secret"].id)
    at = at.switch_page(page).run() if page != "pages/home.py" else at.run()
    no_exception(at)
    text = _all_text(at)
    assert t("auth.sign_in.why", lang) in text
    assert "Bo secret pricing" not in text and "Aki churn" not in text
    assert not at.sidebar.selectbox  # no project picker before sign-in


def test_wrong_password_is_refused_in_the_ui_language(team):
    at = _sign_in(new_app("ja").run(), "aki", "not the password")
    assert [e.value for e in at.error] == [t("auth.error.sign_in_failed", "ja")]
    assert "Aki churn" not in _all_text(at)


def test_signed_in_user_sees_own_projects_and_not_others(team):
    at = _sign_in(new_app("en").run(), "aki", PASSWORD)
    text = _all_text(at)
    assert "Aki churn" in text and "Bo secret pricing" not in text
    assert t("auth.signed_in_as", "en", name="佐藤") in text
    options = [o for o in at.sidebar.selectbox[0].options]
    assert any("Aki churn" in o for o in options) and not any("secret" in o for o in options)


def test_a_deep_link_to_someone_elses_project_does_not_open_it(team):
    at = _sign_in(new_app("en", team["secret"].id).run(), "aki", PASSWORD)
    at.switch_page("pages/business.py").run()
    no_exception(at)
    text = _all_text(at)
    assert "Bo secret pricing" not in text
    assert t("step.no_project", "en") in text


def test_sharing_makes_a_project_visible_and_disabling_signs_out(team):
    set_shared_with(team["store"], team["secret"].id, team["bo"], ["aki"])
    at = _sign_in(new_app("en", team["secret"].id).run(), "aki", PASSWORD)
    assert "Bo secret pricing" in _all_text(at)
    set_active(team["store"], "aki", False)
    at.run()  # the next click after an admin disabled the account
    no_exception(at)
    assert t("auth.sign_in.why", "en") in _all_text(at) and "Bo secret pricing" not in _all_text(at)


def test_project_created_while_signed_in_belongs_to_its_creator(team):
    from core.store.users import members

    at = _sign_in(new_app("en").run(), "bo", PASSWORD)
    at.text_input(key="new_name").input("Bo forecast")
    [b for b in at.button if b.label == t("home.create.submit", "en")][0].click().run()
    no_exception(at)
    created = [p for p in list_projects(team["store"]) if p.name == "Bo forecast"]
    assert len(created) == 1 and members(team["store"], created[0].id) == {"bo": "owner"}
    assert created[0].owner == "bo"  # the owner field is filled in with who is signed in
    at.sidebar.button(key="auth_sign_out").click().run()
    no_exception(at)
    assert t("auth.sign_in.why", "en") in _all_text(at)


def test_without_auth_nothing_changes(app_store, monkeypatch):
    monkeypatch.delenv("ML_STUDIO_AUTH", raising=False)
    create_project(app_store, "Open project")
    at = new_app("en").run()
    no_exception(at)
    text = _all_text(at)
    assert "Open project" in text and t("auth.sign_in.why", "en") not in text


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_sign_in_switched_on_without_accounts_says_how_to_make_one(app_store, monkeypatch, lang):
    monkeypatch.setenv("ML_STUDIO_AUTH", "users")
    at = new_app(lang).run()
    no_exception(at)
    assert [w.value for w in at.warning] == [t("auth.sign_in.no_users", lang)]
    add_user(app_store, "aki", PASSWORD)
    at = new_app(lang).run()
    assert not at.warning


def test_a_new_password_signs_out_sessions_that_used_the_old_one(team):
    at = _sign_in(new_app("en").run(), "aki", PASSWORD)
    assert "Aki churn" in _all_text(at)
    set_password(team["store"], "aki", "a brand new password")  # e.g. after a laptop was lost
    at.run()
    no_exception(at)
    assert t("auth.sign_in.why", "en") in _all_text(at) and "Aki churn" not in _all_text(at)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_owner_shares_from_home_and_only_the_owner_sees_the_controls(team, lang):
    from core.store.users import can_open, members

    store, mine = team["store"], team["mine"]
    assert not can_open(store, mine.id, team["bo"])
    at = _sign_in(new_app(lang, mine.id).run(), "aki", PASSWORD)
    at.multiselect(key=f"share_{mine.id}").set_value(["bo"]).run()
    at.button(key=f"share_save_{mine.id}").click().run()
    no_exception(at)
    assert members(store, mine.id) == {"aki": "owner", "bo": "member"} and can_open(store, mine.id, team["bo"])
    assert t("auth.share.saved", lang, count=1) in _all_text(at)

    bo = _sign_in(new_app(lang, mine.id).run(), "bo", PASSWORD)  # a member: opens it, cannot share or delete
    assert "Aki churn" in _all_text(bo)
    assert not [m for m in bo.multiselect if m.key == f"share_{mine.id}"]
    assert not [b for b in bo.button if b.key == f"delete_{mine.id}"]
    assert t("auth.share.members", lang, names="bo") in _all_text(bo)
