"""How a run validates: which training rows choose the models, stop them early and set the threshold.

The test rows never take part (they stay locked for Step 6). Inside the training rows the
validation follows the stored split, so that it asks the question the test set will ask:

* random or stratified split → ``oof_random``: AutoGluon's random k-fold bagging; every training
  row is predicted once, out of fold, by a model that did not learn from it. Without bagging
  (fast predictions, explainable models only) → ``holdout_random``: AutoGluon's random holdout.
* group split → ``oof_groups``: the same k-fold bagging, but every fold holds whole groups of the
  split's group column (stratified by class for classification), so no group is on both sides
  of any fold. Without bagging → ``holdout_groups``: whole groups held out.
* time split → ``holdout_latest``: the latest part of the training period (by the split's time
  column) is AutoGluon's tuning data. The models learn only from earlier rows and are chosen,
  stopped early and given their threshold on the later ones; then each is refit on all training
  rows (AutoGluon ``refit_full``, same settings and number of rounds), so the newest rows are not
  lost to the model. A refit model keeps its parent's validation score; predictions for the
  validation rows come from the parent, which never saw them (AutoGluon calibrates the
  threshold the same way). Forward-chaining bagging folds were measured too (see
  ``bench/bench_train.py``): they scored far lower on the test rows, because most fold models
  learn from a small, old part of the period, and they leave the earliest rows without a
  validation prediction.

``plan_validation`` decides from the split and the fit arguments alone (the Train page shows it
before a run); ``prepare_validation`` applies it to the training rows, in ``start_training``
(so bad input is refused before a run is stored) and again in the worker.

A run records what was used in ``run.record["validation"]`` (written when the run is queued,
completed when it ends):

* ``kind``: one of ``KINDS``; ``column``: the split's time or group column (None for random);
  ``reason_key``: catalog key of why (``train.validation.why.*``, parameter ``column``);
* ``folds``: bagging folds (0 for a holdout; None when AutoGluon chose), ``share``: the holdout
  share we asked for (time and group holdouts), ``refit``: models retrained on all training
  rows after validation;
* ``rows``: validation rows (every training row for out-of-fold kinds; AutoGluon's count
  ``num_rows_val_for_calibration`` once the run ended), ``train_rows``: rows the validated models
  learned from; for groups ``groups`` (training groups) and ``held_out_groups`` (holdout);
  for time ``cutoff`` (ISO time of the earliest validation row), ``learned_until`` (of the latest
  row a validated model learned from) and ``undated_rows`` (left out of training);
* ``refit_parents`` (when the run ended): refit model → the validated model whose predictions on
  the validation rows stand for it (AutoGluon's ``model_refit_map(inverse=True)`` on the
  leaderboard's models).

Validation predictions for Step 6 are therefore ``predict_proba_oof`` for ``oof_*`` kinds and
the parent's (``get_refit_full_parent``) predictions on ``load_data_internal("val")`` otherwise.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from core.errors import UserError
from core.preprocess.split import group_values
from core.preprocess.transform import parse_dates

KINDS = ("oof_random", "holdout_random", "oof_groups", "holdout_groups", "holdout_latest")
FOLD_COLUMN = "__validation_fold__"
TUNING_SHARE = 0.2
BEST_FOLDS = 8  # AutoGluon's best_quality bagging folds, made explicit when they must hold whole groups
_NO_BAGGING = {"num_bag_folds": 0, "num_stack_levels": 0, "auto_stack": False, "dynamic_stacking": False}


@dataclass(frozen=True)
class ValidationPlan:
    """The kind of validation, the column it follows, why, and the fit arguments it changes."""

    kind: str
    column: str | None
    reason_key: str
    folds: int | None = None  # bagging folds (None: AutoGluon chooses; 0: a holdout)
    share: float | None = None  # holdout share of the training rows (holdouts we make)
    refit: bool = False
    fit_updates: dict[str, Any] = field(default_factory=dict)

    @property
    def bagged(self) -> bool:
        """Whether validation predictions are out of fold."""
        return self.kind.startswith("oof_")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (without the fit arguments)."""
        return {k: v for k, v in asdict(self).items() if k != "fit_updates"}


@dataclass
class PreparedValidation:
    """The plan applied to the training rows: what ``fit`` gets and what the run records."""

    plan: ValidationPlan
    train_data: pd.DataFrame
    tuning_data: pd.DataFrame | None = None
    groups: str | None = None  # TabularPredictor(groups=...): the fold label column
    record: dict[str, Any] = field(default_factory=dict)


def _bag_folds(args: dict[str, Any]) -> int | None:
    """Bagging folds the fit arguments ask for: a number, None when AutoGluon decides, 0 for none."""
    folds = args.get("num_bag_folds")
    if folds is not None:
        return int(folds) if int(folds) >= 2 else 0
    return None if args.get("auto_stack") or args.get("presets") == "best_quality" else 0


def plan_validation(split: dict[str, Any], args: dict[str, Any]) -> ValidationPlan:
    """The validation a run with ``args`` (``fit_arguments``) uses for ``split`` (a Split or its dict)."""
    split = split if isinstance(split, dict) else split.to_dict()
    strategy, folds = split.get("strategy"), _bag_folds(args)
    if strategy == "time" and split.get("time_column"):
        return ValidationPlan("holdout_latest", split["time_column"], "train.validation.why.time", 0, TUNING_SHARE,
                              True, {**_NO_BAGGING, "refit_full": True, "set_best_to_refit_full": True})
    if strategy == "group" and split.get("group_column"):
        column = split["group_column"]
        if folds == 0:
            return ValidationPlan("holdout_groups", column, "train.validation.why.group", 0, TUNING_SHARE,
                                  fit_updates=dict(_NO_BAGGING))
        folds = folds or BEST_FOLDS
        return ValidationPlan("oof_groups", column, "train.validation.why.group", folds,
                              fit_updates={"num_bag_folds": folds})
    if folds == 0:
        return ValidationPlan("holdout_random", None, "train.validation.why.random", 0)
    return ValidationPlan("oof_random", None, "train.validation.why.random", folds)


def fit_plan(settings: Any, metric: str | None, split: Any, *, models: bool = True) -> tuple[dict[str, Any],
                                                                                            ValidationPlan]:
    """``fit`` keyword arguments for ``settings`` (``TrainSettings``) with the split's validation, and the plan.

    ``models=False``: without the model lists (see ``fit_arguments``), for pages that only show the plan.
    """
    from core.train.settings import fit_arguments

    args = fit_arguments(settings, metric, models=models)
    plan = plan_validation(split, args)
    return {**args, **plan.fit_updates}, plan


def split_keys(split: dict[str, Any], train_raw: pd.DataFrame, index: pd.Index) -> pd.Series | None:
    """The time (parsed) or group value of each training row in ``index``, from the raw rows."""
    split = split if isinstance(split, dict) else split.to_dict()
    if split.get("strategy") == "time" and split.get("time_column") in train_raw.columns:
        return parse_dates(train_raw[split["time_column"]]).loc[index]
    if split.get("strategy") == "group" and split.get("group_column") in train_raw.columns:
        return group_values(train_raw[split["group_column"]].loc[index], range(len(index)))
    return None


def prepare_validation(plan: ValidationPlan, train: pd.DataFrame, keys: pd.Series | None, target: str,
                       problem_type: str, seed: int = 0) -> PreparedValidation:
    """Apply ``plan`` to the training rows ``train`` (``keys`` from :func:`split_keys`); UserError on bad input."""
    if plan.kind == "holdout_latest":
        return _latest(plan, train, _checked_times(plan.column, keys), target, problem_type)
    if plan.kind in ("oof_groups", "holdout_groups"):
        return _grouped(plan, train, _checked_groups(plan.column, keys), target, problem_type, seed)
    rows = len(train) if plan.bagged else None
    return PreparedValidation(plan, train, record={**plan.to_dict(), "rows": rows, "train_rows": rows})


def _checked_times(column: str | None, keys: pd.Series | None) -> pd.Series:
    """The training rows' times; refused when mostly missing or all the same."""
    if keys is None:
        raise UserError("preprocess.error.time_column_needed")
    dated = keys.notna()
    if dated.sum() < max(2, 0.5 * len(keys)):
        raise UserError("preprocess.error.time_unparsable", column=column, parsed=int(dated.sum()), rows=len(keys))
    if keys[dated].nunique() < 2:
        raise UserError("train.error.time_constant", column=column, value=_day(keys[dated].iloc[0]))
    return keys


def _checked_groups(column: str | None, keys: pd.Series | None) -> pd.Series:
    """The training rows' groups; refused when they all belong to one group."""
    if keys is None:
        raise UserError("preprocess.error.group_column_needed")
    if keys.nunique() < 2:
        raise UserError("train.error.group_one", column=column, value=str(keys.iloc[0]) if len(keys) else "")
    return keys


def _day(value: Any) -> str:
    """A timestamp as shown to users (the date, plus the time when it is not midnight)."""
    stamp = pd.Timestamp(value)
    return stamp.date().isoformat() if stamp == stamp.normalize() else stamp.isoformat(sep=" ")


def latest_cutoff(times: pd.Series, share: float = TUNING_SHARE) -> pd.Timestamp:
    """The earliest time of the tuning part: the latest ``share`` of the rows, never splitting a time value."""
    ordered = np.sort(times.dropna().to_numpy())
    values = np.unique(ordered)
    tail = (len(ordered) - np.searchsorted(ordered, values[1:], side="left")) / len(ordered)
    return pd.Timestamp(values[1:][int(np.argmin(np.abs(tail - share)))])


def _latest(plan: ValidationPlan, train: pd.DataFrame, times: pd.Series, target: str,
            problem_type: str) -> PreparedValidation:
    """Tuning data: the training rows at or after the cutoff; models learn from the earlier ones."""
    cutoff = latest_cutoff(times, plan.share or TUNING_SHARE)
    late, early = (times >= cutoff).to_numpy(), (times < cutoff).to_numpy()
    learn, tune = train[early], train[late]
    if problem_type != "regression":
        for part, first, last in ((learn, times[early].min(), times[early].max()),
                                  (tune, cutoff, times[late].max())):
            if part[target].nunique() < 2:
                raise UserError("train.error.time_one_class", column=plan.column, target=target,
                                value=str(part[target].iloc[0]), first=_day(first), last=_day(last))
    record = {**plan.to_dict(), "rows": len(tune), "train_rows": len(learn), "cutoff": cutoff.isoformat(),
              "learned_until": pd.Timestamp(times[early].max()).isoformat(), "undated_rows": int(times.isna().sum())}
    return PreparedValidation(plan, learn, tune, record=record)


def group_folds(groups: pd.Series, y: pd.Series | None, folds: int, seed: int = 0) -> pd.Series:
    """A fold number per row; every group lies in exactly one fold (stratified by ``y`` when given)."""
    from sklearn.model_selection import GroupKFold, StratifiedGroupKFold

    n = max(2, min(int(folds), groups.nunique()))
    if y is not None and y.nunique() >= 2:
        # a binary fold must hold both classes to be scored: at most as many folds as groups with the rarer class
        rarest = min(groups[y == label].nunique() for label in y.unique())
        n = max(2, min(n, rarest)) if y.nunique() == 2 else n
        splitter = StratifiedGroupKFold(n_splits=n, shuffle=True, random_state=seed)
        target = y.astype(str).to_numpy()
    else:
        splitter, target = GroupKFold(n_splits=n, shuffle=True, random_state=seed), np.zeros(len(groups))
    labels = np.full(len(groups), -1)
    for fold, (_, held) in enumerate(splitter.split(np.zeros(len(groups)), target, groups=groups.to_numpy())):
        labels[held] = fold
    return pd.Series(labels, index=groups.index, name=FOLD_COLUMN)


def _grouped(plan: ValidationPlan, train: pd.DataFrame, groups: pd.Series, target: str, problem_type: str,
             seed: int) -> PreparedValidation:
    """Bagging folds of whole groups, or a holdout of whole groups (one fold of such a split)."""
    y = train[target] if problem_type != "regression" else None
    bagged = plan.kind == "oof_groups"
    wanted = plan.folds if bagged else round(1 / (plan.share or TUNING_SHARE))
    folds = group_folds(groups, y, wanted, seed)
    record = {**plan.to_dict(), "groups": int(groups.nunique())}
    if bagged:
        column = FOLD_COLUMN if FOLD_COLUMN not in train.columns else f"{FOLD_COLUMN}{len(train.columns)}"
        record.update(folds=int(folds.nunique()), rows=len(train), train_rows=len(train))
        return PreparedValidation(plan, train.assign(**{column: folds.to_numpy()}), groups=column, record=record)
    held = (folds == 0).to_numpy()
    record.update(rows=int(held.sum()), train_rows=int((~held).sum()),
                  held_out_groups=int(groups[held].nunique()))
    return PreparedValidation(plan, train[~held], train[held], record=record)
