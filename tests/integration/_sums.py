"""A tiny regression run where two columns add up to the target (shared by the unit and Test page tests).

House sales: "Total Price" = "List Price" + "Fees"; the recipe removes the houses above
``UPPER`` from training, so some test houses lie above anything the model learned. LightGBM plus
the always-added linear baseline, in the usual worker process (about 6 s).
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from core.db import Store
from core.preprocess import Recipe, TargetSpec, save_recipe_version
from core.store import datasets, projects, runs
from core.train import TrainSettings, start_training

UPPER = 400_000.0


def houses(n: int = 400) -> pd.DataFrame:
    """Living area, list price, fees (independent of the price) and rooms; the total is price + fees."""
    rng = np.random.default_rng(7)
    living = rng.uniform(60, 260, n).round()
    listed = (living * 1_800 * rng.lognormal(0, 0.15, n)).round(-2)
    fees = rng.uniform(5_000, 90_000, n).round()  # agent, tax and repair fees: not a share of the price
    return pd.DataFrame({"Living Area": living, "List Price": listed, "Fees": fees,
                         "Rooms": rng.integers(1, 7, n), "Total Price": listed + fees})


def sums_run(store: Store) -> tuple[int, int]:
    """(project id, run id) of a finished run on :func:`houses` with the outlier filter accepted."""
    project = projects.create_project(store, "Sums")
    datasets.add_dataset_version(store, project.id, houses(), source={"kind": "test"})
    projects.update_project(store, project.id, target_column="Total Price", problem_type="regression")
    recipe = Recipe(target=TargetSpec("Total Price", "regression"))
    recipe.split.strategy = "random"
    recipe.row_filters.append({"kind": "target_range", "upper": UPPER, "accepted": True, "source": "user"})
    save_recipe_version(store, project.id, recipe)
    settings = TrainSettings(hyperparameters={"GBM": {"num_boost_round": 40}}, time_limit=30)
    run_id = start_training(store, project.id, settings, "ana")
    deadline = time.monotonic() + 120
    while runs.get_run(store, run_id).status not in runs.FINAL and time.monotonic() < deadline:
        time.sleep(0.3)
    assert runs.get_run(store, run_id).status == runs.SUCCEEDED, runs.get_run(store, run_id).error
    return project.id, run_id
