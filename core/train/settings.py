"""Training settings a user understands, turned into AutoGluon ``fit`` arguments.

Presets: ``quick`` (about 1 minute), ``balanced`` (about 5 minutes), ``best`` (30 minutes or
more). Options: ``explainable_only`` (linear model and small decision trees) and
``fast_predictions`` (an inference-time limit). Neural networks and foundation models are
never used (this product runs without torch): only the model types in ``ALLOWED_MODEL_TYPES``
are fitted. Baselines (a majority/mean predictor and a linear/logistic model) always train
first, so the leaderboard answers "did ML beat a simple rule?".

``ML_STUDIO_TRAIN_OVERRIDES`` (for tests and demos only): JSON with ``TrainSettings`` fields,
e.g. ``{"time_limit": 10, "hyperparameters": {"GBM": {"num_boost_round": 20}}}``, that replace
what the user chose (see :func:`with_env_overrides`); the Train page says when it is set.
"""

from __future__ import annotations

import copy
import json
import os
from dataclasses import asdict, dataclass, field
from typing import Any

from core.errors import UserError

PRESETS: dict[str, dict[str, Any]] = {
    # ~1 min on a 2-core laptop: one config of each strong family (two of LightGBM), 5-fold bagging so every
    # training row validates once (steadier model choice and threshold than one small holdout). The split
    # decides the folds: whole groups for a group split, the latest rows instead for a time split
    # (core/train/validation.py).
    "quick": {"presets": "medium_quality", "time_limit": 45, "portfolio": "quick",
              "num_bag_folds": 5, "num_bag_sets": 1, "num_stack_levels": 0},
    # ~5 min: AutoGluon's default portfolio, 8-fold bagging, no stacking.
    "balanced": {"presets": "medium_quality", "time_limit": 300, "portfolio": "default",
                 "num_bag_folds": 8, "num_bag_sets": 1, "num_stack_levels": 0},
    # 30 min+: AutoGluon's best_quality portfolio, bagged and stacked.
    "best": {"presets": "best_quality", "time_limit": 1800, "portfolio": "zeroshot"},
}
QUICK_PORTFOLIO: dict[str, Any] = {  # LightGBM twice: AutoGluon's own first two configs (extra trees, plain)
    "GBM": [{"extra_trees": True, "ag_args": {"name_suffix": "XT"}}, {}], "CAT": [{}], "XGB": [{}],
    "RF": [{"criterion": "gini", "ag_args": {"name_suffix": "Gini", "problem_types": ["binary", "multiclass"]}},
           {"criterion": "squared_error", "ag_args": {"name_suffix": "MSE", "problem_types": ["regression"]}}],
}
PRESET_MINUTES = {"quick": 1, "balanced": 5, "best": 30}
ALLOWED_MODEL_TYPES = ("GBM", "GBM_PREP", "CAT", "XGB", "RF", "XT", "KNN", "LR", "DUMMY")
BASELINES = {"DUMMY": {"ag_args": {"priority": 1000}}, "LR": {"ag_args": {"priority": 999}}}
EXPLAINABLE = {
    "LR": {},
    "RF": [{"n_estimators": 1, "max_depth": depth, "bootstrap": False, "max_features": None,
            "ag_args": {"name": f"DecisionTreeDepth{depth}"}} for depth in (3, 6)],
}
THRESHOLD_METRICS = ("f1", "recall", "precision", "accuracy", "balanced_accuracy", "f1_macro")
FAST_INFER_LIMIT = 0.0001  # seconds per row in batches of 1,000: 0.1 s per 1,000 rows
METRICS = {
    "binary": ("f1", "recall", "precision", "roc_auc", "accuracy", "balanced_accuracy", "log_loss"),
    "multiclass": ("accuracy", "balanced_accuracy", "f1_macro", "log_loss"),
    "regression": ("root_mean_squared_error", "mean_absolute_error", "r2"),
}
_ALIASES = {"rmse": "root_mean_squared_error", "mae": "mean_absolute_error", "auc": "roc_auc",
            "f1": "f1", "r²": "r2"}


@dataclass
class TrainSettings:
    """What the user chose on the Train page (JSON-ready, stored on the run)."""

    preset: str = "quick"
    metric: str | None = None
    explainable_only: bool = False
    fast_predictions: bool = False
    seed: int = 0
    time_limit: float | None = None
    hyperparameters: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.preset not in PRESETS:
            raise UserError("train.error.bad_preset", value=self.preset)
        if self.time_limit is not None and not 1 <= float(self.time_limit) <= 24 * 3600:
            raise UserError("train.error.bad_time_limit", value=self.time_limit)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> TrainSettings:
        """Inverse of :meth:`to_dict` (unknown keys ignored)."""
        return cls(**{k: v for k, v in (data or {}).items() if k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class MetricChoice:
    """The metric to optimise and the catalog key of a one-line reason."""

    name: str
    why_key: str

    @property
    def label_key(self) -> str:
        """Catalog key of the metric's display name."""
        return f"train.metric.name.{self.name}"


def normalise_metric(name: str, problem_type: str) -> str:
    """An AutoGluon metric name for ``name`` (rmse → root_mean_squared_error); UserError if unknown."""
    key = _ALIASES.get(name.strip().lower(), name.strip().lower())
    if key not in METRICS.get(problem_type, ()):
        raise UserError("train.error.bad_metric", value=name, problem_type=problem_type)
    return key


def choose_metric(problem_type: str, goal: dict[str, Any] | None = None) -> MetricChoice:
    """The metric that follows from the business goal (acceptance targets, cost matrix)."""
    goal = goal or {}
    wanted = [m.get("metric", "") for m in (goal.get("acceptance") or {}).get("metrics") or []]
    wanted = [_ALIASES.get(w.strip().lower(), w.strip().lower()) for w in wanted if w]
    if problem_type == "binary":
        if any(w in ("recall", "precision") for w in wanted):
            return MetricChoice("f1", "train.metric.why.f1_for_recall")
        known = [w for w in wanted if w in METRICS["binary"]]
        if known:
            return MetricChoice(known[0], "train.metric.why.from_goal")
        if goal.get("cost_matrix"):
            return MetricChoice("roc_auc", "train.metric.why.roc_auc_costs")
        return MetricChoice("f1", "train.metric.why.f1_default")
    known = [w for w in wanted if w in METRICS.get(problem_type, ())]
    if known:
        return MetricChoice(known[0], "train.metric.why.from_goal")
    if problem_type == "multiclass":
        return MetricChoice("accuracy", "train.metric.why.accuracy_default")
    return MetricChoice("root_mean_squared_error", "train.metric.why.rmse_default")


def excluded_model_types() -> list[str]:
    """Every registered AutoGluon model type except the allowed ones (no torch models)."""
    from autogluon.tabular.registry import ag_model_registry

    ensembles = {"ENS_WEIGHTED", "SIMPLE_ENS_WEIGHTED"}
    return sorted(k for k in ag_model_registry.keys if k not in ALLOWED_MODEL_TYPES and k not in ensembles)


def _portfolio(name: str) -> dict[str, Any]:
    """A named AutoGluon hyperparameter portfolio, without neural networks."""
    from autogluon.tabular.configs.hyperparameter_configs import get_hyperparameter_config

    if name == "quick":
        return copy.deepcopy(QUICK_PORTFOLIO)
    return {k: v for k, v in get_hyperparameter_config(name).items() if k in ALLOWED_MODEL_TYPES}


def model_portfolio(settings: TrainSettings) -> dict[str, Any]:
    """Model types and configurations to fit, baselines first."""
    if settings.explainable_only:
        models = copy.deepcopy(EXPLAINABLE)
    elif settings.hyperparameters:
        models = {k: v for k, v in copy.deepcopy(settings.hyperparameters).items() if k in ALLOWED_MODEL_TYPES}
    else:
        models = _portfolio(PRESETS[settings.preset]["portfolio"])
    for key, config in BASELINES.items():
        models[key] = [copy.deepcopy(config)]
    return models


def fit_arguments(settings: TrainSettings, metric: str | None = None, *, models: bool = True) -> dict[str, Any]:
    """Keyword arguments for ``TabularPredictor.fit`` (besides the data, callbacks and validation).

    For metrics that depend on a threshold (F1, recall, accuracy…) models stop early on log
    loss, which is smoother and much cheaper to compute every boosting round; the model choice
    and the decision threshold still use ``metric``. ``models=False`` leaves out the model lists
    (no AutoGluon import: enough to tell how the run will validate).
    """
    preset = {k: v for k, v in PRESETS[settings.preset].items() if k != "portfolio"}
    args: dict[str, Any] = {**preset, "num_gpus": 0, "dynamic_stacking": False}
    if models:
        args.update(hyperparameters=model_portfolio(settings), excluded_model_types=excluded_model_types())
    if settings.time_limit is not None:
        args["time_limit"] = float(settings.time_limit)
    if settings.explainable_only:
        args.update(presets="medium_quality", fit_weighted_ensemble=False, num_bag_folds=0, num_stack_levels=0)
    if settings.fast_predictions:  # one model per family instead of a bag of k: k times faster to score
        args.update(infer_limit=FAST_INFER_LIMIT, infer_limit_batch_size=1000, num_bag_folds=0, num_stack_levels=0)
    if metric in THRESHOLD_METRICS:
        args["ag_args_fit"] = {"stopping_metric": "log_loss"}
    args.update(settings.extra)
    return args


OVERRIDES_ENV = "ML_STUDIO_TRAIN_OVERRIDES"
LOWER_IS_BETTER = ("root_mean_squared_error", "mean_absolute_error", "log_loss")
STRICT_LATENCY_MS = 200.0  # an online answer needed within this: keep only fast models
STRICT_ROWS_PER_S = 1000.0  # a batch needing this many rows per second: keep only fast models


def greater_is_better(metric: str | None) -> bool:
    """Whether a higher value of ``metric`` is better (False for errors and losses)."""
    return metric not in LOWER_IS_BETTER


def env_overrides() -> dict[str, Any]:
    """The ``TrainSettings`` fields set in ``ML_STUDIO_TRAIN_OVERRIDES`` (tests and demos only)."""
    raw = os.environ.get(OVERRIDES_ENV, "").strip()
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise ValueError(f"{OVERRIDES_ENV} is not valid JSON: {exc}") from exc
    unknown = set(data) - set(TrainSettings.__dataclass_fields__) if isinstance(data, dict) else {"(not an object)"}
    if unknown:
        raise ValueError(f"{OVERRIDES_ENV} has unknown settings: {sorted(unknown)}")
    return data


def with_env_overrides(settings: TrainSettings) -> TrainSettings:
    """``settings`` with the fields of ``ML_STUDIO_TRAIN_OVERRIDES`` replaced (unchanged when unset)."""
    overrides = env_overrides()
    return TrainSettings.from_dict({**settings.to_dict(), **overrides}) if overrides else settings


def options_from_goal(goal: dict[str, Any] | None) -> dict[str, bool]:
    """Options that follow from the business goal's preconditions.

    ``explainable_only`` when every prediction must be explained; ``fast_predictions`` when an
    online answer is needed within ``STRICT_LATENCY_MS`` or a batch needs more than
    ``STRICT_ROWS_PER_S`` rows per second.
    """
    pre = (goal or {}).get("preconditions") or {}
    speed = pre.get("speed") or {}
    fast = False
    latency, items, window = speed.get("latency_ms"), speed.get("items"), speed.get("window_minutes")
    if speed.get("kind") == "online" and latency:
        fast = float(latency) <= STRICT_LATENCY_MS
    elif items and window:
        fast = float(items) / (float(window) * 60.0) > STRICT_ROWS_PER_S
    return {"explainable_only": pre.get("explanation") == "required_each", "fast_predictions": fast}
