"""Shared fixtures: a fresh store on a SQLite file (and on PostgreSQL when TEST_DATABASE_URL is set); the
session's tiny trained runs, trained once for every tier that reads them."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from core.db import Store, open_store
from tests.helpers import TrainedRun, train_churn_run, train_sums_run, with_goal

ROOT = Path(__file__).resolve().parents[1]


def _postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url and os.environ.get("REQUIRE_POSTGRES"):
        pytest.fail("REQUIRE_POSTGRES is set but TEST_DATABASE_URL is not")
    return url


@pytest.fixture
def fresh_postgres_url() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test (dropped afterwards)."""
    base = _postgres_url()
    if not base:
        pytest.skip("TEST_DATABASE_URL not set (make test starts a PostgreSQL cluster)")
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database URL: a SQLite file, then PostgreSQL (skipped when not configured)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'studio.db'}"
    return request.getfixturevalue("fresh_postgres_url")


@pytest.fixture
def store(db_url: str, tmp_path: Path) -> Iterator[Store]:
    """A migrated store with its own artefact folder, on every configured database."""
    s = open_store(db_url, artefacts=tmp_path / "artefacts")
    yield s
    s.engine.dispose()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    """A migrated store on a SQLite file only (for tests that do not touch SQL dialects)."""
    s = open_store(f"sqlite:///{tmp_path / 'studio.db'}", artefacts=tmp_path / "artefacts")
    yield s
    s.engine.dispose()


@pytest.fixture
def studio_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the app at a private home folder and SQLite database (for AppTest and the CLI)."""
    home = tmp_path / "home"
    monkeypatch.setenv("ML_STUDIO_HOME", str(home))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{home / 'studio.db'}")
    return home


@pytest.fixture(scope="session")
def churn_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TrainedRun]:
    """The session's tiny churn run (``tests.helpers.train_churn_run``), its project given the churn goal.

    Shared by the worker, evaluation, explanation, report and predict.py tests and the Test page:
    they read it, and put back what they change (the chosen model, the project's name).
    """
    run = with_goal(train_churn_run(tmp_path_factory.mktemp("churn_run")))
    yield run
    run.store.engine.dispose()


@pytest.fixture(scope="session")
def sums_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TrainedRun]:
    """The session's tiny regression run where two columns add up to the target (``tests.helpers.train_sums_run``)."""
    run = train_sums_run(tmp_path_factory.mktemp("sums_run"))
    yield run
    run.store.engine.dispose()
