"""Which model scores a project, loading it once per process, and the decision threshold.

The production model is used when one was promoted; otherwise the latest succeeded training
run (registered on first use, unpromoted). AutoGluon is imported only when a predictor is
loaded, never by importing this module.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from core import models as m
from core.db import Store
from core.errors import UserError
from core.preprocess import Recipe, get_saved_recipe
from core.store import model_versions as versions
from core.store import runs
from core.store.paths import resolve
from core.train.paths import MODEL_NAME, run_dir, run_relpath
from core.train.predict_script import read_card

DEFAULT_THRESHOLD = 0.5
_CACHE: dict[tuple[str, float], Any] = {}
_CACHE_SIZE = 2
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Threshold:
    """The decision threshold on the positive class's probability, and where it came from.

    ``source``: ``request`` (given by the caller), ``test_step`` (chosen in Step 6) or
    ``default`` (0.5, as the Test step uses without a cost matrix).
    """

    value: float
    source: str


@dataclass(frozen=True)
class LoadedModel:
    """A registered model with what scoring needs (the predictor is loaded lazily)."""

    info: versions.ModelInfo
    recipe: Recipe
    store: Store

    @property
    def card(self) -> dict[str, Any]:
        """The run's model card as registered."""
        return self.info.card

    @property
    def problem_type(self) -> str:
        """``binary``, ``multiclass`` or ``regression``."""
        return self.card["target"]["problem_type"]

    @property
    def positive_class(self) -> str | None:
        """The positive class label as text (binary only)."""
        return self.card["target"].get("positive_class")

    @property
    def classes(self) -> list[str]:
        """Class labels as text (classification)."""
        return list(self.card["target"].get("classes") or [])

    @property
    def inputs(self) -> list[dict[str, str]]:
        """Raw input columns with their training dtype and kind."""
        return list(self.card.get("inputs") or [])

    @property
    def features(self) -> list[str]:
        """Columns the predictor sees (after the recipe)."""
        return list(self.card.get("features_after_recipe") or [])

    @property
    def path(self) -> Path:
        """The AutoGluon predictor folder."""
        return resolve(self.store, self.info.path)

    def predictor(self) -> Any:
        """The AutoGluon predictor (loaded once per process and kept in memory)."""
        return load_predictor(self.path, self.info.model_name)


def load_predictor(path: Path, model_name: str | None = None) -> Any:
    """Load (or reuse) an AutoGluon predictor, its models kept in memory."""
    if not (path / "predictor.pkl").exists():
        raise UserError("predict.error.model_files_missing", path=str(path))
    key = (str(path), (path / "predictor.pkl").stat().st_mtime)
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
        from autogluon.tabular import TabularPredictor

        from core.train.worker import quiet_torch_probes

        quiet_torch_probes()
        predictor = TabularPredictor.load(str(path), verbosity=0, require_py_version_match=False)
        try:
            predictor.persist(models=[model_name] if model_name else "best")
        except Exception:  # noqa: BLE001 - not enough memory to persist: score from disk instead
            pass
        while len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = predictor
        return predictor


def register_run(store: Store, run_id: int) -> versions.ModelInfo:
    """The model row of a succeeded run (created with its model card and recipe on first use)."""
    known = versions.find_for_run(store, run_id)
    if known is not None:
        return known
    run = runs.get_run(store, run_id)
    if run is None:
        raise UserError("train.error.run_missing", id=run_id)
    if run.status != runs.SUCCEEDED:
        raise UserError("predict.error.run_not_succeeded", id=run_id, status=run.status)
    card = read_card(run_dir(store, run.project_id, run.id))
    saved = get_saved_recipe(store, run.recipe_id)
    if card is None or saved is None:
        raise UserError("predict.error.model_files_missing", path=str(run_dir(store, run.project_id, run.id)))
    model_name = run.metrics.get("chosen_model") or card["model"]["chosen"]
    card = {**card, "model": {**card["model"], "chosen": model_name}, "recipe_rules": saved.recipe.to_dict()}
    return versions.add_model(store, run.project_id, run.id, model_name=model_name,
                              path=f"{run_relpath(run.project_id, run.id)}/{MODEL_NAME}", card=card)


def latest_succeeded_run(store: Store, project_id: int) -> runs.RunInfo | None:
    """The project's newest succeeded run, or None."""
    return next((r for r in runs.list_runs(store, project_id) if r.status == runs.SUCCEEDED), None)


def resolve_model(store: Store, project_id: int, model_id: int | None = None) -> versions.ModelInfo:
    """The given model, else the production model, else the latest succeeded run's model."""
    if model_id is not None:
        info = versions.get_model(store, model_id)
        if info is None or info.project_id != project_id:
            raise UserError("predict.version.error.missing", id=model_id)
        return info
    info = versions.production_model(store, project_id)
    if info is not None:
        return info
    run = latest_succeeded_run(store, project_id)
    if run is None:
        raise UserError("predict.error.no_model")
    return register_run(store, run.id)


def load_model(store: Store, info: versions.ModelInfo) -> LoadedModel:
    """What scoring needs for ``info`` (the predictor itself loads on first use)."""
    rules = info.card.get("recipe_rules")
    if rules is None:
        run = runs.get_run(store, info.run_id)
        saved = get_saved_recipe(store, run.recipe_id if run else None)
        if saved is None:
            raise UserError("train.error.no_recipe")
        rules = saved.recipe.to_dict()
    return LoadedModel(info, Recipe.from_dict(rules), store)


def _test_step_threshold(store: Store, run_id: int) -> float | None:
    """The threshold stored by the Test step for this run (newest report), if any."""
    with store.sessions() as session:
        data = session.scalar(select(m.TestReport.data).where(m.TestReport.run_id == run_id)
                              .order_by(m.TestReport.id.desc()).limit(1))
    for key in ("decision_threshold", "threshold", "chosen_threshold"):
        value = (data or {}).get(key)
        if isinstance(value, dict):
            value = value.get("value", value.get("threshold"))
        if isinstance(value, (int, float)) and 0.0 <= float(value) <= 1.0:
            return float(value)
    return None


def decision_threshold(store: Store, project_id: int, model_id: int | None = None,
                       requested: float | None = None) -> Threshold | None:
    """The threshold a batch uses: requested, else the one stored by the Test step, else 0.5.

    None for regression and multiclass (no single positive class to threshold).
    """
    info = resolve_model(store, project_id, model_id)
    if info.card["target"]["problem_type"] != "binary":
        return None
    if requested is not None:
        if not 0.0 <= float(requested) <= 1.0:
            raise UserError("predict.error.bad_threshold", value=requested)
        return Threshold(float(requested), "request")
    found = _test_step_threshold(store, info.run_id)
    if found is not None:
        return Threshold(found, "test_step")
    return Threshold(DEFAULT_THRESHOLD, "default")
