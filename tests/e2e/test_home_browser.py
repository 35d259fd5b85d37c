"""The project home in a real browser, in Japanese: demo in one click, create, refresh, delete."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from core.i18n import t
from tests.e2e.conftest import shot

JA = "ja"


def _open(page, server, query: str = "lang=ja") -> None:
    page.goto(f"{server['url']}/?{query}")
    expect(page.get_by_role("heading", name=t("app.name", JA))).to_be_visible()


def test_demo_refresh_and_delete_in_japanese(page, server):
    _open(page, server)
    page.get_by_role("button", name=t("home.demo.button", JA)).click()
    demo = t("demo.name", JA)
    expect(page.get_by_text(t("home.demo.opened", JA, name=demo))).to_be_visible()
    expect(page).to_have_url(re.compile(r"project=\d+"))
    expect(page.get_by_text(t("progress.missing.analysis", JA))).to_be_visible()
    shot(page, "01-home-demo")

    page.reload()  # a refresh reopens the same project
    expect(page.get_by_role("heading", name=demo)).to_be_visible()

    form = page.get_by_test_id("stForm").filter(has_text=t("home.create.title", JA))
    form.get_by_label(t("home.create.name", JA)).fill("<img src=x onerror=alert(1)> 解約")
    form.get_by_role("button", name=t("home.create.submit", JA)).click()
    expect(page.get_by_role("heading", name="<img src=x onerror=alert(1)> 解約")).to_be_visible()  # shown as text
    shot(page, "02-home-created")

    page.get_by_text(t("home.manage.title", JA)).click()
    expect(page.get_by_text(t("home.manage.delete_confirm", JA, name="<img src=x onerror=alert(1)> 解約"))).to_be_visible()
    page.get_by_label(t("home.manage.delete_type_name", JA)).fill("<img src=x onerror=alert(1)> 解約")
    page.get_by_role("button", name=t("home.manage.delete", JA)).click()
    expect(page.get_by_text(t("home.deleted", JA, name="<img src=x onerror=alert(1)> 解約"))).to_be_visible()
