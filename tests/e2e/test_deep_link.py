"""A shared link to a step page works on a freshly started server (no legacy pages/ mode)."""

from __future__ import annotations

import subprocess
import sys

from playwright.sync_api import expect

from core.i18n import t
from tests.e2e.conftest import ROOT, serve


def test_deep_link_on_a_fresh_server_keeps_sidebar_language_and_project(browser, tmp_path):
    home = tmp_path / "home"
    env = {"ML_STUDIO_HOME": str(home), "DATABASE_URL": f"sqlite:///{home / 'studio.db'}"}
    made = subprocess.run([sys.executable, "-m", "core.cli", "demo", "--lang", "ja"], cwd=ROOT,
                          env={**__import__("os").environ, **env}, capture_output=True, text=True, check=True)
    assert '"project_id": 1' in made.stdout
    with serve(home) as server:
        context = browser.new_context(locale="ja-JP")
        page = context.new_page()
        page.goto(f"{server['url']}/business?lang=ja&project=1")  # the very first request
        expect(page.get_by_role("heading", name=t("nav.business", "ja"), exact=False).first).to_be_visible()
        expect(page.get_by_text("Language / 言語")).to_be_visible()  # app.py's sidebar ran
        expect(page.get_by_role("link", name=t("nav.analyze", "ja"))).to_be_visible()  # translated navigation
        context.close()
