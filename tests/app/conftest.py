"""AppTest helpers: the app on a private home and SQLite file."""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"
# The Quick preset shrunk to three tiny models and a 10-second budget (``ML_STUDIO_TRAIN_OVERRIDES``).
TINY = {"time_limit": 10, "hyperparameters": {"GBM": {"num_boost_round": 20}, "DUMMY": {}, "LR": {}},
        "extra": {"num_bag_folds": 0}}
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


@contextlib.contextmanager
def private_home(tmp_path_factory: pytest.TempPathFactory, name: str,
                 train_overrides: dict[str, Any] | None = None) -> Iterator[tuple[Path, Any]]:
    """A private app home and its store for a module's fixture: (home, store).

    The app under test uses it (environment variables); runs still active at the end are cancelled.
    """
    from core.db import open_store
    from core.store import runs
    from core.train import cancel_run

    home = tmp_path_factory.mktemp(name) / "home"
    patch = pytest.MonkeyPatch()
    patch.setenv("ML_STUDIO_HOME", str(home))
    patch.setenv("DATABASE_URL", f"sqlite:///{home / 'studio.db'}")
    if train_overrides is not None:
        patch.setenv("ML_STUDIO_TRAIN_OVERRIDES", json.dumps(train_overrides))
    store = open_store()
    try:
        yield home, store
    finally:
        for run in runs.active_runs(store):
            cancel_run(store, run.id, grace_s=5)
        store.engine.dispose()
        patch.undo()


def copy_store(run: Any, home: Path) -> None:
    """Copy a shared run's database and artefacts into an app home folder (``ML_STUDIO_HOME``).

    The page under test works on the copy, so what it changes never reaches the session's run.
    """
    home.mkdir(parents=True, exist_ok=True)
    source = run.store.engine.url.database
    with sqlite3.connect(source) as src, sqlite3.connect(home / "studio.db") as dst:
        src.backup(dst)
    shutil.copytree(run.store.artefacts, home / "artefacts", dirs_exist_ok=True)
