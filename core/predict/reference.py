"""The training data profile of a model: what new data is compared with.

Built once per registered model from the training rows of its run's stored split (the test
rows are never read) and cached in the model's card under ``reference``:

- ``inputs``: a profile per raw input column (decile edges or categories with shares, median
  and spread, range, every category seen): the column guard, drift and the what-if form use it;
- ``features``: the same for the columns the predictor sees (after the recipe): reasons use it;
- ``importance``: permutation importance per feature (added on first use of reasons).
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd

from core.db import Store
from core.errors import UserError
from core.predict.drift import profile_category, profile_numeric
from core.predict.model import LoadedModel
from core.preprocess import get_saved_recipe
from core.store import datasets, runs
from core.store import model_versions as versions

log = logging.getLogger(__name__)
IMPORTANCE_ROWS = 500
NUMERIC_KINDS = ("number", "integer")


def training_rows(store: Store, model: LoadedModel) -> pd.DataFrame:
    """The raw training rows of the model's run (the stored split's training part)."""
    run = runs.get_run(store, model.info.run_id)
    saved = get_saved_recipe(store, run.recipe_id if run else None)
    if run is None or saved is None or run.dataset_id is None:
        raise UserError("predict.error.no_training_data")
    raw = datasets.load_dataframe(store, run.dataset_id)
    train, _test = saved.split.parts(raw, verify=False)
    return train


def profile_inputs(df: pd.DataFrame, inputs: list[dict[str, str]]) -> dict[str, dict[str, Any]]:
    """A profile per raw input column, by the kind it had in training (dates are not profiled)."""
    out: dict[str, dict[str, Any]] = {}
    for spec in inputs:
        name = spec["name"]
        if name not in df.columns or spec.get("kind") == "date":
            continue
        out[name] = profile_numeric(df[name]) if spec.get("kind") in NUMERIC_KINDS else profile_category(df[name])
    return out


def profile_features(df: pd.DataFrame, features: list[str]) -> dict[str, dict[str, Any]]:
    """A profile per predictor feature (numeric dtype → numeric, anything else → category)."""
    out: dict[str, dict[str, Any]] = {}
    for name in features:
        if name not in df.columns:
            continue
        series = df[name]
        if pd.api.types.is_datetime64_any_dtype(series):
            continue
        numeric = pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
        out[name] = profile_numeric(series) if numeric else profile_category(series)
    return out


def build_reference(store: Store, model: LoadedModel) -> dict[str, Any]:
    """Profile the model's training rows (raw inputs and recipe features)."""
    train_raw = training_rows(store, model)
    applied = model.recipe.apply(train_raw)
    return {"rows": int(len(train_raw)), "inputs": profile_inputs(train_raw, model.inputs),
            "features": profile_features(applied, model.features), "importance": None}


def ensure_reference(store: Store, model: LoadedModel) -> dict[str, Any]:
    """The cached reference of a model, built and stored on first use ({} without training data)."""
    cached = model.info.card.get("reference")
    if cached:
        return cached
    try:
        reference = build_reference(store, model)
    except UserError as exc:
        log.warning("no training reference for model %s: %s", model.info.id, exc)
        return {}
    versions.update_card(store, model.info.id, reference=reference)
    return reference


def compute_importance(model: LoadedModel, train: pd.DataFrame, rows: int = IMPORTANCE_ROWS) -> dict[str, float]:
    """Permutation importance of each feature for the chosen model, on a sample of training rows."""
    target = model.recipe.target.column
    sample = train.sample(n=min(rows, len(train)), random_state=0) if len(train) > rows else train
    sample = sample[[c for c in model.features if c in sample.columns] + [target]]
    predictor = model.predictor()
    table = predictor.feature_importance(sample, model=model.info.model_name, subsample_size=len(sample),
                                         num_shuffle_sets=1, include_confidence_band=False, silent=True)
    values = {str(k): float(v) for k, v in table["importance"].items() if np.isfinite(v)}
    return {f: values.get(f, 0.0) for f in model.features}


def ensure_importance(store: Store, model: LoadedModel, reference: dict[str, Any]) -> dict[str, float]:
    """The cached feature importance, computed and stored on first use (uniform when impossible)."""
    if reference.get("importance"):
        return reference["importance"]
    try:
        applied = model.recipe.apply(training_rows(store, model))
        importance = compute_importance(model, applied)
    except Exception as exc:  # noqa: BLE001 - reasons are secondary: never let them stop scoring
        log.warning("feature importance unavailable for model %s: %s", model.info.id, exc)
        return {f: 1.0 for f in model.features}
    reference = {**reference, "importance": importance}
    versions.update_card(store, model.info.id, reference=reference)
    return importance


def get_inputs_df(store: Store, project_id: int, model_id: int | None = None) -> pd.DataFrame:
    """The model's inputs for a what-if form: kind, training range and median, or category choices."""
    from core.predict.model import load_model, resolve_model

    model = load_model(store, resolve_model(store, project_id, model_id))
    profiles = ensure_reference(store, model).get("inputs", {})
    rows = []
    for spec in model.inputs:
        profile = profiles.get(spec["name"], {})
        choices = list(profile.get("frequency", {})) if profile.get("kind") == "category" else []
        rows.append({"name": spec["name"], "kind": spec.get("kind", "text"), "min": profile.get("min"),
                     "max": profile.get("max"), "median": profile.get("median"), "mode": profile.get("mode"),
                     "choices": choices})
    return pd.DataFrame(rows, columns=["name", "kind", "min", "max", "median", "mode", "choices"])


def example_rows(store: Store, project_id: int, n: int = 20, model_id: int | None = None) -> pd.DataFrame:
    """Raw rows of the model's locked test set (inputs only), to pre-fill a what-if form."""
    from core.predict.model import load_model, resolve_model

    model = load_model(store, resolve_model(store, project_id, model_id))
    run = runs.get_run(store, model.info.run_id)
    saved = get_saved_recipe(store, run.recipe_id if run else None)
    if run is None or saved is None or run.dataset_id is None:
        raise UserError("predict.error.no_training_data")
    _train, test = saved.split.parts(datasets.load_dataframe(store, run.dataset_id), verify=False)
    return test[[s["name"] for s in model.inputs if s["name"] in test.columns]].head(n)
