"""The validation predictions a decision is chosen on: rows the model did not learn from, never test rows.

AutoGluon's out-of-fold predictions when the model was bagged (every training row predicted by
a fold model that did not see it), else the validation rows AutoGluon held out (a time split's
latest training rows, for example), predicted by the model before it was refit on all training
rows (the refit model saw them). Thresholds, regression shifts and the costs of the
policies without a model are all chosen and compared on these rows; the test rows only
measure what the choice costs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from core.errors import UserError
from core.evaluate.data import EvalData

OOF, VALIDATION = "oof", "validation"
_MISSING = (AssertionError, AttributeError, KeyError, ValueError, FileNotFoundError, TypeError)


@dataclass(frozen=True)
class ValidationSet:
    """Labels (or values) of the validation rows and the model's predictions for them."""

    y: pd.Series
    proba: pd.DataFrame | None
    pred: np.ndarray | None
    source: str

    @property
    def rows(self) -> int:
        """How many validation rows."""
        return len(self.y)


def _labels(predictor: Any, y_internal: pd.Series) -> pd.Series:
    """Internal labels back to the user's labels (regression values unchanged)."""
    restored = predictor._learner.label_cleaner.inverse_transform(y_internal)  # noqa: SLF001
    return pd.Series(np.asarray(restored), index=y_internal.index)


def _out_of_fold(data: EvalData) -> ValidationSet:
    predictor = data.predictor
    _, y_internal = predictor.load_data_internal(data="train", return_y=True)
    if data.problem_type == "regression":
        pred = predictor.predict_oof(model=data.model)
        return ValidationSet(_labels(predictor, y_internal.loc[pred.index]), None, pred.to_numpy(dtype=float), OOF)
    proba = predictor.predict_proba_oof(model=data.model)
    return ValidationSet(_labels(predictor, y_internal.loc[proba.index]), proba, None, OOF)


def _held_out(data: EvalData) -> ValidationSet:
    predictor = data.predictor
    X_val, y_internal = predictor.load_data_internal(data="val", return_y=True)
    if X_val is None or y_internal is None or len(X_val) == 0:
        raise UserError("evaluate.error.no_validation")
    trainer = predictor._trainer  # noqa: SLF001 - internal features in, internal predictions out
    # a model refit on all training rows (time splits) saw these rows: its parent, which did not, predicts them
    model = trainer.get_refit_full_parent(data.model)
    y = _labels(predictor, y_internal)
    if data.problem_type == "regression":
        return ValidationSet(y, None, np.asarray(trainer.predict(X_val, model=model), dtype=float), VALIDATION)
    raw = np.asarray(trainer.predict_proba(X_val, model=model), dtype=float).reshape(len(X_val), -1)
    labels = data.class_labels
    if raw.shape[1] == 1:  # binary: P(positive) only
        other = [c for c in labels if c != data.positive]
        raw = np.column_stack([1 - raw[:, 0], raw[:, 0]])
        labels = other + [data.positive]
    return ValidationSet(y, pd.DataFrame(raw, index=X_val.index, columns=labels), None, VALIDATION)


def validation_set(data: EvalData) -> ValidationSet:
    """The validation predictions of the evaluated model (UserError when the model kept none); computed once."""
    if "validation" not in data.extras:
        try:
            data.extras["validation"] = _out_of_fold(data)
        except _MISSING:
            try:
                data.extras["validation"] = _held_out(data)
            except _MISSING:
                raise UserError("evaluate.error.no_validation") from None
    return data.extras["validation"]
