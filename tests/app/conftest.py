"""AppTest helpers: the app on a private home and SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"
PAGES = ["pages/home.py", "pages/business.py", "pages/analyze.py", "pages/prepare.py",
         "pages/preprocess.py", "pages/train.py", "pages/evaluate.py", "pages/predict.py"]


def new_app(lang: str = "en", project_id: int | None = None) -> AppTest:
    """A fresh browser session on the app, optionally with ?lang=…&project=… in the link."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["lang"] = lang
    if project_id is not None:
        at.query_params["project"] = str(project_id)
    return at


def no_exception(at: AppTest) -> None:
    """Fail with the app's own exception text when a page raised."""
    assert not at.exception, [e.value for e in at.exception]


@pytest.fixture
def app_store(studio_env):
    """The store the app under test uses (same DATABASE_URL / ML_STUDIO_HOME)."""
    from core.db import open_store

    store = open_store()
    yield store
    store.engine.dispose()
