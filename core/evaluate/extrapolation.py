"""Test rows beyond what the model learned: regression targets outside the training range.

A regression model (trees above all) cannot predict far beyond the targets it was trained on;
a recipe that removed the expensive houses makes that range narrower. This module counts the
locked test rows whose actual target lies outside the training range (the target's minimum and
maximum over the rows the model was fitted on, after the recipe's filters, as the run recorded
them) and gives the error on them beside the error on the rest, so a good average cannot hide
a whole part of the market the model never saw.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from core.evaluate import metrics as mt
from core.evaluate.data import EvalData
from core.i18n import t


@dataclass(frozen=True)
class Extrapolation:
    """Where the test targets lie against the training range, and the error on each part."""

    low: float
    high: float
    below: int
    above: int
    rows: int
    outside: dict[str, float | None]
    inside: dict[str, float | None]
    max_prediction: float
    filtered: bool

    @property
    def n_outside(self) -> int:
        """Test rows whose target lies outside the training range."""
        return self.below + self.above


def training_range(data: EvalData) -> tuple[float, float] | None:
    """(min, max) of the target over the rows the run was fitted on, as it recorded them (None if unknown)."""
    target = (data.run.record.get("training_data") or {}).get("target") or {}
    if target.get("min") is None or target.get("max") is None:
        return None
    return float(target["min"]), float(target["max"])


def _errors(y: np.ndarray, pred: np.ndarray) -> dict[str, float | None]:
    """RMSE and MAE (positive; None for no rows)."""
    if not len(y):
        return {"rmse": None, "mae": None}
    values = mt.regression_metrics(y, pred)
    return {"rmse": values["rmse"], "mae": values["mae"]}


def measure_extrapolation(data: EvalData) -> Extrapolation | None:
    """The test rows outside the training range and the error on them vs the rest (regression only)."""
    found = training_range(data) if data.problem_type == "regression" else None
    if found is None:
        return None
    low, high = found
    y = pd.to_numeric(data.y_test, errors="coerce").to_numpy(dtype=float)
    pred = np.asarray(data.scores, dtype=float)
    below, above = y < low, y > high
    out = below | above
    filtered = any(s.get("kind") == "target_range" and s.get("accepted", True) for s in data.recipe.row_filters)
    return Extrapolation(low, high, int(below.sum()), int(above.sum()), len(y), _errors(y[out], pred[out]),
                         _errors(y[~out], pred[~out]), float(np.max(pred)) if len(pred) else float("nan"), filtered)


def get_extrapolation_df(ex: Extrapolation, lang: str = "en") -> pd.DataFrame:
    """Two rows (outside / within the training range): test rows, RMSE and MAE."""
    rows: list[dict[str, Any]] = [
        {"part": t(f"evaluate_checks.extrapolation.{part}", lang), "rows": n, "rmse": err["rmse"], "mae": err["mae"]}
        for part, n, err in (("outside", ex.n_outside, ex.outside), ("inside", ex.rows - ex.n_outside, ex.inside))]
    return pd.DataFrame(rows, columns=["part", "rows", "rmse", "mae"])
