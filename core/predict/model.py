"""Which model scores a project, loading it once per process, and the decision threshold.

The production model is used when one was promoted; otherwise the latest succeeded training
run (registered on first use, unpromoted). AutoGluon is imported only when a predictor is
loaded, never by importing this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.db import Store
from core.errors import UserError
from core.preprocess import Recipe, get_saved_recipe
from core.store import model_versions as versions
from core.store import runs
from core.store.paths import resolve
from core.train.paths import MODEL_NAME, run_dir, run_relpath
from core.train.predict_script import read_card
from core.train.predictor import load_predictor

DEFAULT_THRESHOLD = 0.5


@dataclass(frozen=True)
class DecisionRule:
    """How a prediction becomes the decision a batch stores, and where the rule came from.

    ``kind``: ``threshold`` (binary: act when P(positive) ≥ ``threshold``), ``expected_cost``
    (multiclass: the class with the least expected cost), ``quantile_shift`` (regression: the
    prediction plus a shift) or ``plain`` (the prediction itself). ``source``: ``request`` (a
    threshold given by the caller), ``test_step`` (the stored decision of Step 6) or
    ``default`` (the model could not be evaluated: 0.5, the plain prediction).
    """

    kind: str
    params: dict[str, Any]
    source: str
    decision_id: int | None = None
    verdict: str = ""
    stale: bool = False

    @property
    def value(self) -> float:
        """The decision threshold (binary)."""
        return float(self.params.get("threshold", DEFAULT_THRESHOLD))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (kept with a batch)."""
        return {"kind": self.kind, "params": self.params, "source": self.source, "decision_id": self.decision_id,
                "verdict": self.verdict, "stale": self.stale}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DecisionRule:
        """Inverse of :meth:`to_dict`."""
        return cls(data.get("kind", "plain"), dict(data.get("params") or {}), data.get("source", "default"),
                   data.get("decision_id"), data.get("verdict", ""), bool(data.get("stale")))


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
        return load_predictor(self.path, persist=self.info.model_name or "best")


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
    if card is None or saved is None or not run.chosen_model:
        raise UserError("train.error.model_files_missing", path=str(run_dir(store, run.project_id, run.id)))
    model_name = run.chosen_model
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


def decision_rule(store: Store, project_id: int, model_id: int | None = None,
                  requested: float | None = None, *, by: str = "") -> DecisionRule:
    """The rule a batch decides with: a requested threshold, else the Test step's stored decision.

    A model without a decision is evaluated first (and its decision stored), so nothing is
    ever scored at an untested default; only when the evaluation itself is impossible (the
    test data is gone) does the rule fall back to 0.5 or the plain prediction.
    """
    info = resolve_model(store, project_id, model_id)
    problem = info.card["target"]["problem_type"]
    if requested is not None and problem == "binary":
        if not 0.0 <= float(requested) <= 1.0:
            raise UserError("predict.error.bad_threshold", value=requested)
        return DecisionRule("threshold", {"threshold": float(requested)}, "request")
    from core.evaluate.record import ensure_decision

    try:
        state = ensure_decision(store, info.run_id, info.model_name, by=by)
    except UserError:
        params = {"threshold": DEFAULT_THRESHOLD} if problem == "binary" else {}
        return DecisionRule("threshold" if problem == "binary" else "plain", params, "default")
    rule = state.info.rule
    return DecisionRule(str(rule.get("kind", "plain")), dict(rule), "test_step", state.info.id, state.info.verdict,
                        state.stale)
