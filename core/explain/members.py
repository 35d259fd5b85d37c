"""The model actually used, split into parts whose SHAP values can be computed exactly.

An AutoGluon weighted ensemble predicts ``Σ w_m · p_m(x)``; a bagged model predicts the mean of
its fold models. Both are linear, so the SHAP values of the whole are the same weighted sums of
the SHAP values of each fold model, provided every part uses the same background rows. Each
fold model ("unit") is explained in its own input space (AutoGluon's prepared features after the
model's own preprocessing) and its values are summed back onto the original columns:

* LightGBM, XGBoost, random forest / extra trees: exact interventional TreeSHAP
  (:mod:`core.explain.treeshap`), in probability space for classifiers;
* CatBoost: CatBoost's own exact "Independent Tree SHAP" with ``model_output="Probability"``;
* linear / logistic regression: the margin is a sum of one term per original column, so each
  background row's exact values are differences of those terms (then rescaled to probability);
* constant (dummy) models: no feature moves them.

Every unit's reconstructed prediction is checked against AutoGluon's own; a unit that does not
match, or a model type not listed (k-nearest neighbours, stacked levels), is left to the
model-agnostic explainer (:mod:`core.explain.agnostic`) and labelled an approximation.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import pandas as pd

from core.explain import treeshap

log = logging.getLogger("core.explain")

TOL = 1e-4  # largest accepted difference between a part's reconstruction and AutoGluon's prediction


@dataclass
class Unit:
    """One fold model with its weight in the ensemble's output."""

    member: str
    child: Any
    weight: float


@dataclass
class UnitResult:
    """SHAP values of one unit over AutoGluon's prepared features (columns), its base and outputs."""

    values: pd.DataFrame
    base: float
    prediction: np.ndarray
    method: str


@dataclass
class Plan:
    """How the model's output decomposes: exact units and weighted members left to the agnostic explainer."""

    units: list[Unit] = field(default_factory=list)
    residual: list[tuple[str, float]] = field(default_factory=list)
    whole_model: bool = False


def plan(trainer: Any, model_name: str, problem_type: str) -> Plan:
    """Fold models with weights; members that cannot be split go to ``residual``."""
    if problem_type not in ("binary", "regression"):
        return Plan(whole_model=True)
    model = trainer.load_model(model_name)
    weights = model._get_model_weights() if hasattr(model, "_get_model_weights") else {model_name: 1.0}  # noqa: SLF001
    # a refit (_FULL) ensemble keeps its validated members' names in its weights; it predicts with their refits
    refits = getattr(model, "stack_column_prefix_to_model_map", None) or {}
    out = Plan()
    for member, weight in weights.items():
        member = refits.get(member, member)
        if weight == 0:
            continue
        bag = trainer.load_model(member) if member != model_name else model
        if getattr(bag, "base_model_names", None):  # stacked: its inputs include lower models' outputs
            out.residual.append((member, float(weight)))
            continue
        children = [bag.load_child(name) for name in bag.models] if hasattr(bag, "models") else [bag]
        out.units += [Unit(member, child, float(weight) / len(children)) for child in children]
    return out


def unit_output(child: Any, Xt: pd.DataFrame, problem_type: str) -> np.ndarray:
    """What AutoGluon's fold model predicts: positive-class probability, or the value."""
    if problem_type == "binary":
        return np.asarray(child.predict_proba(Xt), dtype=float).reshape(len(Xt), -1)[:, -1]
    return np.asarray(child.predict(Xt), dtype=float)


def to_original(phi: np.ndarray, columns: list[str], origin: dict[str, str], originals: list[str]) -> pd.DataFrame:
    """Values over model-input columns summed onto the original columns they come from."""
    owners = np.asarray([origin.get(c, c) for c in columns], dtype=object)
    frame = pd.DataFrame(phi.T).groupby(owners, sort=False).sum().T
    return frame.reindex(columns=originals, fill_value=0.0).astype(float)


def _category_codes(frame: pd.DataFrame, categories: list[list[Any]] | None = None) -> np.ndarray:
    """Categories as their integer codes (NaN when missing or unknown); numbers as floats."""
    out = frame.copy()
    cat_cols = [c for c in out.columns if isinstance(out[c].dtype, pd.CategoricalDtype)]
    for k, col in enumerate(cat_cols):
        series = out[col]
        if categories is not None and k < len(categories):
            series = series.cat.set_categories(categories[k])
        out[col] = series.cat.codes.astype(float).where(series.cat.codes >= 0, np.nan)
    return out.to_numpy(np.float64)


def _lightgbm(child: Any, Xt: pd.DataFrame, Zt: pd.DataFrame, logistic: bool) -> tuple[np.ndarray, np.ndarray, list]:
    booster = child.model
    forest = treeshap.from_lightgbm(booster)
    cats = getattr(booster, "pandas_categorical", None)
    X, Z = _category_codes(child.preprocess(Xt), cats), _category_codes(child.preprocess(Zt), cats)
    phi, _ = treeshap.forest_shap(forest, X, Z, logistic)
    return phi, treeshap.forest_margins(forest, Z), list(child.features)


def _dense(matrix: Any) -> np.ndarray:
    """A (sparse) XGBoost input as dense float32 values, absent entries missing (NaN), as XGBoost reads it."""
    if hasattr(matrix, "tocoo"):
        coo = matrix.tocoo()
        out = np.full(matrix.shape, np.nan, dtype=np.float32)
        out[coo.row, coo.col] = coo.data
        return out.astype(np.float64)
    return np.asarray(matrix, dtype=np.float32).astype(np.float64)


def _xgboost(child: Any, Xt: pd.DataFrame, Zt: pd.DataFrame, logistic: bool) -> tuple[np.ndarray, np.ndarray, list]:
    ohe = getattr(child, "_ohe_generator", None)
    if not getattr(child, "_ohe", False) or ohe is None:
        raise ValueError("XGBoost without one-hot inputs")
    columns = [c for col, cats in zip(ohe.cat_cols, ohe.ohe_encs.categories_ if ohe.cat_cols else []) for c in
               [col] * len(cats)] + list(ohe.other_cols)
    raw_x, raw_z = child.preprocess(Xt), child.preprocess(Zt)
    if raw_x.shape[1] != len(columns):
        raise ValueError("unexpected one-hot layout")
    model = child.model
    best = getattr(model, "best_iteration", None)
    booster = model.get_booster()
    n_trees = None if best is None else best + 1
    forest = treeshap.from_xgboost(booster, n_trees)
    X, Z = _dense(raw_x), _dense(raw_z)
    native = np.asarray(model.predict(raw_x, output_margin=True), dtype=float)
    gap = native - treeshap.forest_margins(forest, X)
    if np.ptp(gap) > 1e-4:
        raise ValueError("XGBoost trees do not reproduce its margins")
    forest.offset = float(np.median(gap))
    phi, _ = treeshap.forest_shap(forest, X, Z, logistic)
    return phi, treeshap.forest_margins(forest, Z), columns


def _forest(child: Any, Xt: pd.DataFrame, Zt: pd.DataFrame, logistic: bool) -> tuple[np.ndarray, np.ndarray, list]:
    forest = treeshap.from_sklearn_forest(child.model, 1 if logistic else 0)
    X = np.asarray(child.preprocess(Xt), dtype=np.float64)
    Z = np.asarray(child.preprocess(Zt), dtype=np.float64)
    phi, _ = treeshap.forest_shap(forest, X, Z, False)
    return phi, treeshap.forest_margins(forest, Z), list(child.features)


_TREES: dict[str, Callable[..., tuple[np.ndarray, np.ndarray, list]]] = {
    "LGBModel": _lightgbm, "XGBoostModel": _xgboost, "RFModel": _forest, "XTModel": _forest}


def _catboost(child: Any, Xt: pd.DataFrame, Zt: pd.DataFrame, problem_type: str, origin: dict[str, str],
              originals: list[str]) -> UnitResult:
    from catboost import Pool

    model = child.model
    cats = model.get_cat_feature_indices()
    X, Z = child.preprocess(Xt), child.preprocess(Zt)
    labels = (lambda n: np.arange(n) % 2) if problem_type == "binary" else (lambda n: np.zeros(n))
    values = model.get_feature_importance(
        Pool(X, cat_features=cats, label=labels(len(X))), type="ShapValues",
        model_output="Probability" if problem_type == "binary" else "Raw",
        reference_data=Pool(Z, cat_features=cats, label=labels(len(Z))), thread_count=2)
    phi = to_original(values[:, :-1], list(child.features), origin, originals)
    return UnitResult(phi, float(values[0, -1]), values.sum(axis=1), "catboost_shap")


def _linear(child: Any, Xt: pd.DataFrame, Zt: pd.DataFrame, problem_type: str, groups: dict[str, list[str]],
            originals: list[str]) -> UnitResult:
    """Exact values of a model whose margin is a sum of one term per original column."""
    def margin(frame: pd.DataFrame) -> np.ndarray:
        prepared = child.preprocess(frame)
        if problem_type == "binary":
            return np.asarray(child.model.decision_function(prepared), dtype=float)
        return np.asarray(child.model.predict(prepared), dtype=float)

    rows = pd.concat([Xt, Zt], ignore_index=True)
    ref = rows.iloc[[len(Xt)] * len(rows)].reset_index(drop=True)
    full = margin(rows)
    names = [g for g in groups if any(f in rows.columns for f in groups[g])]
    swaps = []
    for name in names:  # every row with one column taken from the reference row, scored in one batch
        swapped = rows.copy()
        cols = [f for f in groups[name] if f in rows.columns]
        for col in cols:  # .array keeps the dtype (a category stays a category)
            swapped[col] = ref[col].array
        swaps.append(swapped)
    scored = margin(pd.concat(swaps, ignore_index=True)) if swaps else np.zeros(0)
    terms = full[:, None] - scored.reshape(len(names), len(rows)).T
    if np.ptp(full - terms.sum(axis=1)) > 1e-6 * max(1.0, np.abs(full).max()):
        raise ValueError("margin is not additive over the columns")
    tx, tz = terms[: len(Xt)], terms[len(Xt):]
    mx, mz = full[: len(Xt)], full[len(Xt):]
    phi = tx[:, None, :] - tz[None, :, :]
    if problem_type == "binary":
        px, pz = 1 / (1 + np.exp(-mx)), 1 / (1 + np.exp(-mz))
        diff = mx[:, None] - mz[None, :]
        safe = np.where(np.abs(diff) > 1e-12, diff, 1.0)
        scale = np.where(np.abs(diff) > 1e-12, (px[:, None] - pz[None, :]) / safe, (px * (1 - px))[:, None])
        phi, base, pred = phi * scale[..., None], float(pz.mean()), px
    else:
        base, pred = float(mz.mean()), mx
    frame = pd.DataFrame(phi.mean(axis=1), columns=names).reindex(columns=originals, fill_value=0.0)
    return UnitResult(frame, base, pred, "linear_exact")


def explain_unit(unit: Unit, Xt: pd.DataFrame, Zt: pd.DataFrame, problem_type: str,
                 groups: dict[str, list[str]]) -> UnitResult | None:
    """Exact SHAP values of one fold model over the original columns (``groups``: column → AutoGluon features).

    Returns None when the model type has no exact method or its reconstruction fails the check.
    """
    kind = type(unit.child).__name__
    originals = list(groups)
    origin = {feature: column for column, features in groups.items() for feature in features}
    expected = unit_output(unit.child, Xt, problem_type)
    try:
        if kind == "DummyModel" or np.ptp(expected) == 0 and np.ptp(unit_output(unit.child, Zt, problem_type)) == 0:
            zeros = pd.DataFrame(np.zeros((len(Xt), len(originals))), columns=originals)
            result = UnitResult(zeros, float(expected[0]) if len(expected) else 0.0, expected, "constant")
        elif kind in _TREES:
            logistic = problem_type == "binary"
            phi, mz, columns = _TREES[kind](unit.child, Xt, Zt, logistic)
            outputs_z = 1 / (1 + np.exp(-mz)) if logistic and kind in ("LGBModel", "XGBoostModel") else mz
            base = float(outputs_z.mean())
            result = UnitResult(to_original(phi, columns, origin, originals), base, base + phi.sum(axis=1),
                                "tree_shap")
        elif kind == "CatBoostModel":
            result = _catboost(unit.child, Xt, Zt, problem_type, origin, originals)
        elif kind == "LinearModel":
            result = _linear(unit.child, Xt, Zt, problem_type, groups, originals)
        else:
            return None
    except Exception as exc:  # noqa: BLE001 - any failure means: explain this part model-agnostically
        log.info("no exact SHAP for %s (%s): %s", unit.member, kind, exc)
        return None
    if not np.allclose(result.prediction, expected, rtol=1e-5, atol=TOL):  # relative: regression targets can be large
        return None
    return result
