"""Every page renders without exception, in both languages, with and without an open project."""

from __future__ import annotations

import pytest

from core.demo import open_or_create_demo
from tests.app.conftest import PAGES, new_app, no_exception


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("page", PAGES)
def test_page_renders_without_a_project(studio_env, lang, page):
    at = new_app(lang).run()
    at.switch_page(page).run()
    no_exception(at)
    assert at.title, "every page shows a title"


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("page", PAGES)
def test_page_renders_with_the_demo_project(app_store, lang, page):
    demo = open_or_create_demo(app_store, lang)
    at = new_app(lang, demo.id).run()
    at.switch_page(page).run()
    no_exception(at)
    shown = " ".join(e.value for part in (at.markdown, at.subheader, at.caption) for e in part)
    assert demo.name in shown.replace("\\", ""), "the open project is named on every page"
