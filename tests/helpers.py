"""What the test tiers share that is neither a test nor a fixture: one polling helper, sample data, tiny runs.

The session-scoped fixtures that train the shared runs (``churn_run``, ``sums_run``) are in
``tests/conftest.py``; they call the builders at the end of this module, so every tier reads the
same run and the suite trains it once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
CHURN_CSV = ROOT / "sample_data" / "telecom_churn.csv"
T = TypeVar("T")

# ---------------------------------------------------------------- polling


def wait_until(check: Callable[[], T], timeout: float, what: str | Callable[[], str], *, every: float = 0.2,
               sleep: Callable[[float], object] = time.sleep) -> T:
    """Call ``check`` every ``every`` seconds until it returns something truthy, and return that.

    Fails the test with an AssertionError naming ``what`` (a text, or a function giving one, e.g.
    the last state seen) when ``timeout`` seconds pass first. ``sleep`` waits between calls
    (a browser test passes Playwright's own wait, which lets it deliver events).
    """
    deadline = time.monotonic() + timeout
    while not (value := check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what() if callable(what) else what}")
        sleep(every)
    return value


def poll_run(store: Any, run_id: int, until: Callable[[Any], object] | None = None,
             timeout: float = 60.0) -> list[Any]:
    """Read the run row until ``until(run)`` (by default: the run has ended); every snapshot seen, in order."""
    from core.store import runs

    done = until or (lambda run: run.status in runs.FINAL)
    seen: list[runs.RunInfo] = []

    def check() -> object:
        seen.append(runs.get_run(store, run_id))
        return done(seen[-1])

    wait_until(check, timeout, lambda: f"run {run_id} (stuck at {seen[-1].status}: {seen[-1].error})", every=0.1)
    return seen


def wait_for_run(store: Any, run_id: int, timeout: float = 120.0, *, succeed: bool = True) -> Any:
    """The run once it has ended; with ``succeed``, fails unless it succeeded."""
    from core.store import runs

    run = poll_run(store, run_id, timeout=timeout)[-1]
    if succeed:
        assert run.status == runs.SUCCEEDED, run.error
    return run


# ---------------------------------------------------------------- sample data


def churn_rows(n: int = 200) -> pd.DataFrame:
    """``n`` rows of the sample churn data with both classes well represented."""
    df = pd.read_csv(CHURN_CSV)
    pos = df[df["Churn?"] == "True."].head(n // 4)
    return pd.concat([pos, df[df["Churn?"] == "False."].head(n - len(pos))]).sample(frac=1, random_state=0) \
        .reset_index(drop=True)


def churn_like(n: int = 2_000, seed: int = 0) -> pd.DataFrame:
    """A telecom-churn-like frame: phone ID, area codes, minutes and charge = minutes × 0.17."""
    rng = np.random.default_rng(seed)
    mins = rng.normal(180, 50, n).clip(0).round(1)
    calls = rng.integers(0, 10, n)
    churn_p = 1 / (1 + np.exp(-(-3.5 + 0.012 * (mins - 180) + 0.45 * calls)))
    return pd.DataFrame({
        "State": rng.choice(["CA", "NY", "TX", "OH"], n),
        "Area Code": rng.choice([408, 415, 510], n),
        "Phone": [f"{rng.integers(300, 999)}-{i:04d}" for i in range(n)],
        "Day Mins": mins,
        "Day Charge": (mins * 0.17).round(2),
        "CustServ Calls": calls,
        "Churn?": np.where(rng.random(n) < churn_p, "True.", "False."),
    })


UPPER = 400_000.0  # the houses above this total price are kept out of the sums run's training


def houses(n: int = 400) -> pd.DataFrame:
    """Living area, list price, fees (independent of the price) and rooms; the total is price + fees."""
    rng = np.random.default_rng(7)
    living = rng.uniform(60, 260, n).round()
    listed = (living * 1_800 * rng.lognormal(0, 0.15, n)).round(-2)
    fees = rng.uniform(5_000, 90_000, n).round()  # agent, tax and repair fees: not a share of the price
    return pd.DataFrame({"Living Area": living, "List Price": listed, "Fees": fees,
                         "Rooms": rng.integers(1, 7, n), "Total Price": listed + fees})


# ---------------------------------------------------------------- projects


def project_with_recipe(store: Any, name: str, df: pd.DataFrame, recipe: Any) -> int:
    """A project with ``df`` as its data and ``recipe`` saved: ready to train."""
    from core.preprocess import save_recipe_version
    from core.store import datasets, projects

    project = projects.create_project(store, name)
    datasets.add_dataset_version(store, project.id, df, source={"kind": "test"})
    save_recipe_version(store, project.id, recipe)
    return project.id


def new_project(store: Any, name: str, df: pd.DataFrame) -> int:
    """A churn project with data and a saved recipe (Phone dropped, area code as category)."""
    from core.preprocess import Recipe, TargetSpec, save_recipe_version
    from core.store import datasets, projects

    project = projects.create_project(store, name)
    datasets.add_dataset_version(store, project.id, df, source={"kind": "test"})
    recipe = Recipe(target=TargetSpec("Churn?", "binary", "True."))
    recipe.drop("Phone", "analyze.reason.id_like")
    recipe.type_overrides.append({"column": "Area Code", "to": "category"})
    save_recipe_version(store, project.id, recipe, created_by="ana")
    return project.id


def churn_project(store: Any, name: str = "Churn") -> int:
    """~150 rows of the churn sample (both classes), the workshop goal, a saved recipe: ready for the Train page."""
    from core.preprocess import Recipe, TargetSpec, save_recipe_version
    from core.store import datasets, goals, projects
    from core.value.examples import example_dict

    df = pd.read_csv(CHURN_CSV)
    pos = df[df["Churn?"] == "True."].head(40)
    df = pd.concat([pos, df[df["Churn?"] == "False."].head(110)]).sample(frac=1, random_state=0)
    project = projects.create_project(store, name, owner="ana")
    datasets.add_dataset_version(store, project.id, df.reset_index(drop=True), source={"kind": "test"})
    projects.update_project(store, project.id, target_column="Churn?", problem_type="binary", positive_class="True.")
    goals.save_goal(store, project.id, example_dict("telecom_churn", "en"))
    recipe = Recipe(target=TargetSpec("Churn?", "binary", "True."))
    recipe.drop("Phone", "analyze.reason.id_like", source="analysis")
    save_recipe_version(store, project.id, recipe, created_by="ana")
    return project.id


# ---------------------------------------------------------------- the shared tiny runs

TINY = {"GBM": {"num_boost_round": 20}}


@dataclass(frozen=True)
class TrainedRun:
    """One finished run shared by the tests that only read it (and put back what they change)."""

    store: Any
    project_id: int
    run_id: int
    data: pd.DataFrame
    snapshots: list[dict] = field(default_factory=list)


def train_churn_run(root: Path) -> TrainedRun:
    """200 churn rows, a bagged LightGBM with categorical features (State, Area Code), the baselines
    and their weighted ensemble, trained by the worker in its own process into a store under ``root``.

    ``snapshots`` are the run rows seen while it trained (status, progress, ETA, heartbeat).
    """
    from core.db import open_store
    from core.train import TrainSettings, start_training

    store = open_store(f"sqlite:///{root / 'studio.db'}", artefacts=root / "artefacts")
    df = churn_rows()
    project_id = new_project(store, "Churn", df)
    run_id = start_training(store, project_id, TrainSettings(hyperparameters=TINY, time_limit=30), "ana")
    seen = [{"status": r.status, "models_done": r.models_done, "models_planned": r.models_planned,
             "eta_seconds": r.eta_seconds, "leaderboard": len(r.leaderboard), "heartbeat": r.heartbeat_at is not None}
            for r in poll_run(store, run_id, timeout=90)]
    return TrainedRun(store, project_id, run_id, df, seen)


def with_goal(run: TrainedRun) -> TrainedRun:
    """Give the run's project the workshop's churn goal (once): costs TN 0, FP 500, TP 500, FN 200,000."""
    from core.store import goals
    from core.value import example_dict

    data, _ = goals.load_goal(run.store, run.project_id)
    if not data.get("cost_matrix"):
        goals.save_goal(run.store, run.project_id, example_dict("telecom_churn", "en"))
    return run


def train_sums_run(root: Path) -> TrainedRun:
    """A tiny regression run where two columns add up to the target, in a store under ``root``.

    House sales (:func:`houses`): "Total Price" = "List Price" + "Fees"; the recipe removes the
    houses above :data:`UPPER` from training, so some test houses lie above anything the model
    learned. LightGBM plus the always-added linear baseline, in the usual worker process (about 6 s).
    """
    from core.db import open_store
    from core.preprocess import Recipe, TargetSpec, save_recipe_version
    from core.store import datasets, projects
    from core.train import TrainSettings, start_training

    store = open_store(f"sqlite:///{root / 'studio.db'}", artefacts=root / "artefacts")
    df = houses()
    project = projects.create_project(store, "Sums")
    datasets.add_dataset_version(store, project.id, df, source={"kind": "test"})
    projects.update_project(store, project.id, target_column="Total Price", problem_type="regression")
    recipe = Recipe(target=TargetSpec("Total Price", "regression"))
    recipe.split.strategy = "random"
    recipe.row_filters.append({"kind": "target_range", "upper": UPPER, "accepted": True, "source": "user"})
    save_recipe_version(store, project.id, recipe)
    settings = TrainSettings(hyperparameters={"GBM": {"num_boost_round": 40}}, time_limit=30)
    run_id = start_training(store, project.id, settings, "ana")
    wait_for_run(store, run_id)
    return TrainedRun(store, project.id, run_id, df)
