"""The session's tiny trained run, shared by the Step 6 tests (evaluation, explanations, report, page).

It is the same run ``tests/unit/test_train.py`` trains (same session folder, so the whole suite
trains once): 200 churn rows, a bagged LightGBM with categorical features (State, Area Code),
the linear and constant baselines and their weighted ensemble. The project gets the workshop's
churn business goal (cost matrix TN 0, FP 500, TP 500, FN 200,000; at most 500 per customer).
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from core.store import goals
from core.value import example_dict
from tests.integration.test_train import TrainedRun, trained_run_in


def with_goal(run: TrainedRun) -> TrainedRun:
    """Give the run's project the churn goal (once)."""
    data, _ = goals.load_goal(run.store, run.project_id)
    if not data.get("cost_matrix"):
        goals.save_goal(run.store, run.project_id, example_dict("telecom_churn", "en"))
    return run


def session_run(factory: pytest.TempPathFactory) -> TrainedRun:
    """The trained run in the session's shared folder."""
    root = factory.getbasetemp() / "trained_run"
    root.mkdir(exist_ok=True)
    return with_goal(trained_run_in(root))


def copy_store(run: TrainedRun, home: Path) -> None:
    """Copy the run's database and artefacts into an app home folder (``ML_STUDIO_HOME``)."""
    home.mkdir(parents=True, exist_ok=True)
    source = run.store.engine.url.database
    with sqlite3.connect(source) as src, sqlite3.connect(home / "studio.db") as dst:
        src.backup(dst)
    shutil.copytree(run.store.artefacts, home / "artefacts", dirs_exist_ok=True)
