"""Explanations (SHAP) of the model actually used: the AutoGluon ensemble, not a proxy.

- ``engine.explain_predictor(predictor, model, X, background)``: exact where the ensemble splits
  into tree / linear / constant fold models (``members``, ``treeshap``), the permutation
  explainer over the original columns for the rest (``agnostic``), labelled by ``method``
  (exact / mixed / approximate) and ``exact_share``.
- ``service``: per-run cache on disk (``shap_<model>.parquet``), ``explain_run``,
  ``explain_row``, ``find_row``, ``explain_in_background`` (``python -m core.explain.worker``).
- ``summary``: importance, directions of effect, one row's contributions; ``plots``: figures.
"""

from core.explain.engine import APPROXIMATE, EXACT, MIXED, Explanation, explain_predictor

__all__ = ["APPROXIMATE", "EXACT", "MIXED", "Explanation", "explain_predictor"]
