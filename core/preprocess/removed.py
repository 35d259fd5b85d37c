"""Rows a recipe leaves out of training, and why; what a proposed row filter would cost.

A filter that removes training rows changes what the model can learn: without the houses above
340,038 a regression model never predicts above that. So a proposal to remove rows comes with
its consequence (:func:`filter_effects`: training rows it removes, test rows beyond its bounds)
and, once accepted, the Train page lists the rows it removed (:func:`training_rows`). The locked
test set always keeps every row (see :mod:`core.preprocess.transform`).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from core.db import Store
from core.i18n import fmt_number, t
from core.preprocess import transform
from core.preprocess.recipe import Recipe
from core.preprocess.service import get_saved_recipe
from core.preprocess.split import Split
from core.store import datasets

BOUNDED = ("target_range", "range")


def _column(recipe: Recipe, spec: dict[str, Any]) -> str:
    """The column a row filter reads (the target for ``target_range``)."""
    return recipe.target.column if spec.get("kind") == "target_range" else str(spec.get("column") or "")


def outside(values: pd.Series, spec: dict[str, Any]) -> pd.Series:
    """Rows whose value lies beyond a filter's bounds (missing values are not counted)."""
    numbers = pd.to_numeric(values, errors="coerce")
    out = pd.Series(False, index=values.index)
    if spec.get("upper") is not None:
        out |= numbers > float(spec["upper"])
    if spec.get("lower") is not None:
        out |= numbers < float(spec["lower"])
    return out


def filter_effects(df: pd.DataFrame, recipe: Recipe, split: Split) -> list[dict[str, Any]]:
    """For every row filter of the recipe, on or off: the training rows it removes on its own,
    out of the training rows that have a target, and the test rows beyond its bounds."""
    train_raw, test_raw = split.parts(df, verify=False)
    base = {**recipe.to_dict(), "row_filters": []}
    labelled = transform.apply_recipe(train_raw, base)
    test = transform.apply_recipe(test_raw, base, for_test=True)
    out = []
    for spec in recipe.row_filters:
        report: dict[str, Any] = {}
        transform.apply_recipe(train_raw, {**base, "row_filters": [{**spec, "accepted": True}]}, report=report)
        effect = {"kind": spec.get("kind"), "accepted": bool(spec.get("accepted", True)),
                  "removed": report["filters"][0]["removed"] if report["filters"] else 0,
                  "train_rows": len(labelled), "test_rows": len(test), "lower": spec.get("lower"),
                  "upper": spec.get("upper"), "column": _column(recipe, spec)}
        if spec.get("kind") in BOUNDED and effect["column"] in test.columns:
            effect["test_outside"] = int(outside(test[effect["column"]], spec).sum())
        out.append(effect)
    return out


def training_rows(df: pd.DataFrame, recipe: Recipe, split: Split) -> dict[str, Any]:
    """Rows of the split's training part, rows left out by the recipe (per reason) and rows trained on."""
    train_raw, test_raw = split.parts(df, verify=False)
    report: dict[str, Any] = {}
    transform.apply_recipe(train_raw, recipe.to_dict(), report=report)
    active = [s for s in recipe.row_filters if s.get("accepted", True)]
    reasons = [{"kind": "missing_target", "removed": report["missing_target_removed"],
                "column": recipe.target.column}]
    for spec, done in zip(active, report["filters"], strict=True):
        reasons.append({"kind": spec["kind"], "removed": done["removed"], "lower": spec.get("lower"),
                        "upper": spec.get("upper"), "column": _column(recipe, spec)})
    reasons = [r for r in reasons if r["removed"]]
    return {"split_train": len(train_raw), "train_rows": report["rows_out"], "test_rows": len(test_raw),
            "removed": sum(r["removed"] for r in reasons), "reasons": reasons}


def saved_training_rows(store: Store, recipe_id: int) -> dict[str, Any] | None:
    """:func:`training_rows` of a saved recipe version on the data it was saved with (None when gone)."""
    saved = get_saved_recipe(store, recipe_id)
    if saved is None or saved.info.dataset_id is None or datasets.get_dataset(store, saved.info.dataset_id) is None:
        return None
    return training_rows(datasets.load_dataframe(store, saved.info.dataset_id), saved.recipe, saved.split)


def has_row_filters(recipe: Recipe) -> bool:
    """Whether the recipe removes training rows by a filter (otherwise the split's counts are the trained rows)."""
    return any(s.get("accepted", True) for s in recipe.row_filters)


def _number(value: float, lang: str) -> str:
    """A bound as users read it: whole from 100 up, else at most 4 decimals."""
    return fmt_number(float(value), lang, 0 if abs(float(value)) >= 100 else 4)


def bounds_text(lower: float | None, upper: float | None, lang: str) -> str:
    """ "above 340,038", "below 10" or "outside 10–340,038" in ``lang``."""
    if lower is not None and upper is not None:
        return t("preprocess.bounds.outside", lang, lower=_number(lower, lang), upper=_number(upper, lang))
    if upper is not None:
        return t("preprocess.bounds.above", lang, upper=_number(upper, lang))
    if lower is not None:
        return t("preprocess.bounds.below", lang, lower=_number(lower, lang))
    return t("preprocess.bounds.none", lang)


def reason_text(reason: dict[str, Any], lang: str) -> str:
    """One reason rows were left out of training, in ``lang`` (a filter, or rows without a target)."""
    count = fmt_number(reason["removed"], lang, 0)
    if reason["kind"] in BOUNDED:
        return t("preprocess.removed.range", lang, removed=count, column=reason["column"],
                 bounds=bounds_text(reason.get("lower"), reason.get("upper"), lang))
    return t(f"preprocess.removed.{reason['kind']}", lang, removed=count, column=reason["column"])
