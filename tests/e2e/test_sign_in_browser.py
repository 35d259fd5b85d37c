"""A team server with sign-in, in a real browser: wrong password, own projects only, sharing, refresh."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from core.i18n import t
from tests.e2e.conftest import serve, shot

JA = "ja"
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def team_server(tmp_path_factory):
    """A server with ML_STUDIO_AUTH=users, two accounts and one project each."""
    from core.db import open_store
    from core.store.projects import create_project
    from core.store.users import add_user

    home = tmp_path_factory.mktemp("team-home")
    store = open_store(f"sqlite:///{home / 'studio.db'}", artefacts=home / "artefacts")
    add_user(store, "aki", PASSWORD, display_name="佐藤")
    add_user(store, "bo", PASSWORD)
    mine = create_project(store, "亜紀の解約予測", owned_by="aki", language=JA)
    secret = create_project(store, "Boの価格最適化", owned_by="bo", language=JA)
    store.engine.dispose()
    with serve(home, ML_STUDIO_AUTH="users") as info:
        yield {**info, "mine": mine, "secret": secret}


def _sign_in(page, username: str, password: str) -> None:
    form = page.get_by_test_id("stForm")
    form.get_by_label(t("auth.sign_in.username", JA)).fill(username)
    form.get_by_label(t("auth.sign_in.password", JA)).fill(password)
    form.get_by_role("button", name=t("auth.sign_in.submit", JA)).click()


def test_sign_in_shows_only_own_projects_and_a_refresh_asks_again(browser, team_server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        page.goto(f"{team_server['url']}/business?lang=ja&project={team_server['secret'].id}")
        expect(page.get_by_text(t("auth.sign_in.why", JA))).to_be_visible()
        expect(page.get_by_text("Boの価格最適化")).to_have_count(0)
        shot(page, "team-01-sign-in")

        _sign_in(page, "aki", "wrong password!!")
        expect(page.get_by_text(t("auth.error.sign_in_failed", JA))).to_be_visible()

        _sign_in(page, "aki", PASSWORD)
        expect(page.get_by_text(t("auth.signed_in_as", JA, name="佐藤"))).to_be_visible()
        # the link named Bo's project: it stays closed, without its name appearing anywhere
        expect(page.get_by_text(t("step.no_project", JA))).to_be_visible()
        assert "Boの価格最適化" not in page.content()

        page.goto(f"{team_server['url']}/?lang=ja")
        _sign_in(page, "aki", PASSWORD)  # a refresh is a new session: sign in again
        expect(page.get_by_role("combobox", name=t("home.list.pick", JA), exact=True)).to_have_value("亜紀の解約予測")
        assert "Boの価格最適化" not in page.content()
        shot(page, "team-02-own-projects")

        page.get_by_role("button", name=t("auth.sign_out", JA)).click()
        expect(page.get_by_text(t("auth.sign_in.why", JA))).to_be_visible()
        expect(page).not_to_have_url(re.compile(r"project="))
    finally:
        context.close()
