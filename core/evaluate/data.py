"""The run's predictor and its locked test set, ready to evaluate.

The test rows are the stored split's rows of the very snapshot the run trained on, put through
the run's own recipe; their index is the row's position in that snapshot (the row id shown on
the page). Nothing here trains or tunes: the test set is only ever predicted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from core.db import Store
from core.errors import UserError
from core.preprocess import Recipe, get_saved_recipe
from core.store import datasets, goals, projects, runs
from core.train.paths import MODEL_NAME, run_dir
from core.train.predictor import load_predictor
from core.value import BusinessGoal


def check_columns(needed: list[str], frame: pd.DataFrame) -> None:
    """UserError naming the model's input columns ``frame`` lacks."""
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise UserError("evaluate.error.missing_columns", columns=", ".join(missing[:8]), count=len(missing))


def check_classes(y: pd.Series, known: list[Any]) -> None:
    """UserError when the test labels hold a class the model never saw in training."""
    seen = {str(k) for k in known}
    unseen = sorted({str(v) for v in y.dropna().unique()} - seen)
    if unseen:
        raise UserError("evaluate.error.unseen_class", classes=", ".join(unseen[:5]))


@dataclass
class EvalData:
    """Everything an evaluation needs, loaded once per run and model."""

    run: runs.RunInfo
    project: projects.ProjectInfo
    predictor: Any
    model: str
    recipe: Recipe
    X_test: pd.DataFrame
    y_test: pd.Series
    raw_test: pd.DataFrame
    X_train: pd.DataFrame
    y_train: pd.Series
    goal: BusinessGoal
    model_dir: Path
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def problem_type(self) -> str:
        """binary, multiclass or regression."""
        return str(self.predictor.problem_type)

    @property
    def target(self) -> str:
        """The target column."""
        return self.recipe.target.column

    @property
    def positive(self) -> Any:
        """The positive class label (binary only)."""
        return self.predictor.positive_class if self.problem_type == "binary" else None

    @property
    def class_labels(self) -> list[Any]:
        """Class labels known to the model (classification)."""
        return list(self.predictor.class_labels or [])

    @cached_property
    def proba(self) -> pd.DataFrame | None:
        """Class probabilities of the test rows (None for regression)."""
        if self.problem_type == "regression":
            return None
        return self.predictor.predict_proba(self.X_test, model=self.model)

    @cached_property
    def scores(self) -> np.ndarray:
        """P(positive) for binary, the predicted value for regression, P(predicted class) for multiclass."""
        if self.problem_type == "regression":
            return np.asarray(self.predictor.predict(self.X_test, model=self.model), dtype=float)
        if self.problem_type == "binary":
            return self.proba[self.positive].to_numpy(dtype=float)
        return self.proba.max(axis=1).to_numpy(dtype=float)

    @cached_property
    def predicted(self) -> pd.Series:
        """Predicted labels (binary at 0.5; see ``core.evaluate.threshold`` for the chosen threshold)."""
        if self.problem_type == "regression":
            return pd.Series(self.scores, index=self.X_test.index)
        if self.problem_type == "binary":
            other = next(c for c in self.class_labels if c != self.positive)
            return pd.Series(np.where(self.scores >= 0.5, self.positive, other), index=self.X_test.index)
        return self.proba.idxmax(axis=1)

    def y01(self, y: pd.Series | None = None) -> np.ndarray:
        """Binary labels as 1 (positive) / 0."""
        y = self.y_test if y is None else y
        return (y.astype(str) == str(self.positive)).to_numpy(dtype=int)


def run_model(run: runs.RunInfo, model: str | None = None) -> str:
    """The model to evaluate: the one asked for, else the run's chosen model."""
    chosen = model or run.chosen_model
    if not chosen:
        raise UserError("evaluate.error.run_not_ready", id=run.id)
    return str(chosen)


def load_eval_data(store: Store, run_id: int, model: str | None = None) -> EvalData:
    """The run's predictor and locked test set (UserError with a clear message when impossible)."""
    run = runs.get_run(store, run_id)
    if run is None:
        raise UserError("evaluate.error.no_run", id=run_id)
    if run.status != runs.SUCCEEDED:
        raise UserError("evaluate.error.run_not_ready", id=run_id)
    saved = get_saved_recipe(store, run.recipe_id)
    if saved is None or run.dataset_id is None:
        raise UserError("evaluate.error.no_recipe", id=run_id)
    raw = datasets.load_dataframe(store, run.dataset_id)
    train_raw, test_raw = saved.split.parts(raw)
    recipe = saved.recipe
    test, train = recipe.apply(test_raw, for_test=True), recipe.apply(train_raw)
    target = recipe.target.column
    test = test[test[target].notna()]
    folder = run_dir(store, run.project_id, run.id) / MODEL_NAME
    predictor = load_predictor(folder)
    needed = list(predictor.original_features)
    check_columns(needed, test)
    if predictor.problem_type != "regression":
        check_classes(test[target], list(predictor.class_labels or []))
    if test.empty:
        raise UserError("evaluate.error.no_test_rows")
    goal_data, _ = goals.load_goal(store, run.project_id)
    return EvalData(run=run, project=projects.get_project(store, run.project_id), predictor=predictor,
                    model=run_model(run, model), recipe=recipe, X_test=test[needed], y_test=test[target],
                    raw_test=test_raw.loc[test.index], X_train=train[[c for c in needed if c in train.columns]],
                    y_train=train[target].dropna(), goal=BusinessGoal.from_dict(goal_data), model_dir=folder)


def current_data_issues(store: Store, run: runs.RunInfo) -> list[tuple[str, dict[str, Any]]]:
    """Warnings about the project's current data for this model (columns it no longer has)."""
    project = projects.get_project(store, run.project_id)
    if project is None or project.current_dataset_id in (None, run.dataset_id):
        return []
    saved = get_saved_recipe(store, run.recipe_id)
    trained_on = datasets.get_dataset(store, run.dataset_id)
    current = datasets.get_dataset(store, project.current_dataset_id)
    if saved is None or trained_on is None or current is None:
        return []
    names = [c["name"] if isinstance(c, dict) else str(c) for c in trained_on.columns or []]
    have = {c["name"] if isinstance(c, dict) else str(c) for c in current.columns or []}
    missing = [c for c in saved.recipe.required_inputs(names) if c not in have]
    if not missing:
        return []
    return [("evaluate.error.missing_columns", {"columns": ", ".join(missing[:8]), "count": len(missing)})]
