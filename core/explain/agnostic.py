"""Model-agnostic SHAP values over the original columns (shap's permutation explainer).

shap's tabular maskers replace masked values with background values inside a NumPy array,
which fails for text categories. :class:`Encoded` therefore turns every original column into
numbers first (categories → integer codes with −1 for missing, dates → nanoseconds) and the
wrapped model decodes them back into a DataFrame with the original dtypes before predicting.
The permutation explainer keeps local accuracy exactly (its values add up to
``f(x) − mean f(background)``); the values themselves are sampling estimates, which is why
the page labels them as approximations.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pandas as pd


class Encoded:
    """A reversible numeric encoding of a frame's columns."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.columns = list(frame.columns)
        self.dtypes = frame.dtypes.to_dict()
        self.categories: dict[str, pd.Index] = {}
        for col in self.columns:
            series = frame[col]
            if not (pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series)) \
                    or pd.api.types.is_bool_dtype(series):
                values = series.astype("category").cat.categories if not isinstance(
                    series.dtype, pd.CategoricalDtype) else series.cat.categories
                self.categories[col] = pd.Index(values)

    def encode(self, frame: pd.DataFrame) -> np.ndarray:
        """The frame as a float matrix."""
        out = np.empty((len(frame), len(self.columns)), dtype=np.float64)
        for k, col in enumerate(self.columns):
            series = frame[col]
            if col in self.categories:
                codes = pd.Categorical(series, categories=self.categories[col]).codes
                out[:, k] = codes
            elif pd.api.types.is_datetime64_any_dtype(series):
                out[:, k] = np.where(series.isna(), np.nan, series.astype("int64", errors="ignore").astype(float))
            else:
                out[:, k] = pd.to_numeric(series, errors="coerce").astype(float)
        return out

    def decode(self, matrix: np.ndarray) -> pd.DataFrame:
        """A float matrix back as a frame with the original dtypes."""
        data: dict[str, Any] = {}
        for k, col in enumerate(self.columns):
            values = matrix[:, k]
            dtype = self.dtypes[col]
            if col in self.categories:
                codes = np.nan_to_num(values, nan=-1).astype(int)
                cat = pd.Categorical.from_codes(codes, categories=self.categories[col])
                data[col] = cat if isinstance(dtype, pd.CategoricalDtype) else pd.Series(cat).astype(object).where(
                    codes >= 0, None).to_numpy()
            elif pd.api.types.is_datetime64_any_dtype(dtype):
                data[col] = pd.to_datetime(np.where(np.isnan(values), np.nan, values), unit="ns")
            elif pd.api.types.is_integer_dtype(dtype) and not np.isnan(values).any():
                data[col] = values.astype(dtype)
            else:
                data[col] = values
        return pd.DataFrame(data, columns=self.columns)


def permutation_shap(fn: Callable[[pd.DataFrame], np.ndarray], X: pd.DataFrame, Z: pd.DataFrame,
                     max_evals: int | None = None, seed: int = 0) -> tuple[np.ndarray, float, np.ndarray]:
    """(values per row and column, base value, outputs) of ``fn`` on ``X`` against background ``Z``."""
    import shap

    enc = Encoded(pd.concat([X, Z], ignore_index=True))
    background = enc.encode(Z)

    def wrapped(matrix: np.ndarray) -> np.ndarray:
        return np.asarray(fn(enc.decode(np.atleast_2d(matrix))), dtype=float)

    masker = shap.maskers.Independent(background, max_samples=len(background))
    explainer = shap.PermutationExplainer(wrapped, masker, seed=seed)
    evals = max_evals or max(2 * X.shape[1] + 1, 10 * X.shape[1])
    result = explainer(enc.encode(X), max_evals=evals, silent=True)
    base = float(np.mean(np.atleast_1d(result.base_values)))
    values = np.asarray(result.values, dtype=float)
    return values, base, base + values.sum(axis=1)
