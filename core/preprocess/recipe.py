"""The preprocessing recipe of Step 4: a versioned, JSON-ready list of fixed rules.

A recipe never learns from the data (see :mod:`core.preprocess.transform`), so it is safe to
apply to the training and the test rows alike. Everything statistical (filling missing values,
encoding categories, scaling) is left to AutoGluon, which fits it on the training rows only.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from core.errors import UserError
from core.preprocess import transform

SCHEMA_VERSION = 1
TYPES = (transform.CATEGORY, transform.NUMERIC, transform.DATE, transform.TEXT)
FILTERS = ("target_range", "range", "drop_duplicates")
DERIVED = ("date_parts", "ratio", "difference")
STRATEGIES = ("random", "stratified", "time", "group")
PROBLEM_TYPES = ("binary", "multiclass", "regression")


@dataclass
class DropColumn:
    """A column to leave out, why, and whether the user accepted the suggestion."""

    column: str
    reason_key: str = "preprocess.reason.user"
    accepted: bool = True
    source: str = "user"
    answer: dict[str, Any] | None = None  # the stakeholder's answer that decided it (core.prepare.answers)


@dataclass
class TargetSpec:
    """What to predict: column, problem type, positive class and an optional label mapping."""

    column: str = ""
    problem_type: str = ""
    positive_class: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)


@dataclass
class SplitSettings:
    """How to hold out the test set (the split itself is made by ``make_split``)."""

    strategy: str = "stratified"
    test_share: float = 0.2
    seed: int = 42
    time_column: str | None = None
    group_column: str | None = None


@dataclass
class Recipe:
    """Step 4's recipe: columns to drop, type overrides, target, row filters, derived features."""

    target: TargetSpec = field(default_factory=TargetSpec)
    drop_columns: list[DropColumn] = field(default_factory=list)
    type_overrides: list[dict[str, str]] = field(default_factory=list)
    row_filters: list[dict[str, Any]] = field(default_factory=list)
    derived: list[dict[str, Any]] = field(default_factory=list)
    split: SplitSettings = field(default_factory=SplitSettings)
    schema_version: int = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (what is stored and embedded in predict.py)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Recipe:
        """Build from :meth:`to_dict` output, tolerating missing keys."""
        data = data or {}
        version = int(data.get("schema_version", SCHEMA_VERSION))
        if version > SCHEMA_VERSION:
            raise UserError("preprocess.error.newer_recipe", version=version)
        target = TargetSpec(**_known(TargetSpec, data.get("target")))
        target.mapping = {str(k): str(v) for k, v in (target.mapping or {}).items()}
        return cls(
            target=target,
            drop_columns=[DropColumn(**_known(DropColumn, d)) for d in data.get("drop_columns") or []],
            type_overrides=[dict(d) for d in data.get("type_overrides") or []],
            row_filters=[dict(d) for d in data.get("row_filters") or []],
            derived=[dict(d) for d in data.get("derived") or []],
            split=SplitSettings(**_known(SplitSettings, data.get("split"))),
        )

    def dropped(self) -> list[str]:
        """Columns that will be left out (accepted drops only)."""
        return [d.column for d in self.drop_columns if d.accepted]

    def drop(self, column: str, reason_key: str = "preprocess.reason.user", source: str = "user") -> None:
        """Add (or re-accept) a column to drop."""
        for d in self.drop_columns:
            if d.column == column:
                d.accepted = True
                return
        self.drop_columns.append(DropColumn(column, reason_key, True, source))

    def set_accepted(self, column: str, accepted: bool) -> None:
        """Accept or reject the suggestion to drop ``column``."""
        for d in self.drop_columns:
            if d.column == column:
                d.accepted = accepted

    def validate(self, columns: list[str]) -> None:
        """Check the recipe against the data's columns; raise UserError on a bad rule."""
        check_recipe(self, columns)

    def apply(self, df: pd.DataFrame, *, for_prediction: bool = False, for_test: bool = False) -> pd.DataFrame:
        """Apply the recipe (deterministic; learns nothing from ``df``).

        ``for_test``: the locked test rows keep every row (label mapping only, no row filter);
        ``for_prediction``: new rows without a target.
        """
        if for_prediction:
            missing = [c for c in self._derived_inputs() if c not in df.columns]
            if missing:
                raise UserError("preprocess.error.unknown_column", column=missing[0], rule="input")
        else:
            self.validate(list(df.columns))
        return transform.apply_recipe(df, self.to_dict(), for_prediction=for_prediction, for_test=for_test)

    def required_inputs(self, columns: list[str]) -> list[str]:
        """Raw columns new data must provide: kept ones and those derived features read."""
        used = set(self._derived_inputs())
        dropped = set(self.dropped())
        return [c for c in columns if c != self.target.column and (c not in dropped or c in used)]

    def apply_with_report(self, df: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, Any]]:
        """Apply and say what changed: rows removed per filter, columns dropped and added."""
        self.validate(list(df.columns))
        report: dict[str, Any] = {}
        out = transform.apply_recipe(df, self.to_dict(), report=report)
        return out, report

    def _derived_inputs(self) -> list[str]:
        """Columns the derived features read."""
        return [s[k] for s in self.derived for k in ("column", "a", "b") if s.get(k)]

    def features(self, df: pd.DataFrame) -> list[str]:
        """Feature columns after the recipe (everything but the target)."""
        out = self.apply(df.head(50))
        return [c for c in out.columns if c != self.target.column]


def _known(cls: type, data: dict[str, Any] | None) -> dict[str, Any]:
    """Only the keys a dataclass knows (older or newer files may carry others)."""
    return {k: v for k, v in (data or {}).items() if k in cls.__dataclass_fields__}


def _missing(column: str | None, columns: list[str], what: str) -> None:
    """UserError when a rule names a column the data does not have."""
    if column is not None and column not in columns:
        raise UserError("preprocess.error.unknown_column", column=column, rule=what)


def check_recipe(recipe: Recipe, columns: list[str]) -> None:
    """Every rule names an existing column and a known kind; something is left to learn from."""
    target = recipe.target.column
    if not target:
        raise UserError("preprocess.error.no_target")
    _missing(target, columns, "target")
    if recipe.target.problem_type and recipe.target.problem_type not in PROBLEM_TYPES:
        raise UserError("preprocess.error.bad_choice", value=recipe.target.problem_type)
    if target in recipe.dropped():
        raise UserError("preprocess.error.drop_target", column=target)
    for spec in recipe.type_overrides:
        _missing(spec.get("column"), columns, "type")
        if spec.get("to") not in TYPES or spec.get("column") == target:
            raise UserError("preprocess.error.bad_type", column=spec.get("column"), value=spec.get("to"))
    _check_filters(recipe, columns)
    added = _check_derived(recipe, columns)
    left = [c for c in [*columns, *added] if c != target and c not in recipe.dropped()]
    if not left:
        raise UserError("preprocess.error.no_features")
    _check_split(recipe.split, columns)


def _check_filters(recipe: Recipe, columns: list[str]) -> None:
    """Row filters: known kind, existing column, numeric bounds."""
    for spec in recipe.row_filters:
        if spec.get("kind") not in FILTERS:
            raise UserError("preprocess.error.bad_choice", value=spec.get("kind"))
        if spec["kind"] == "range":
            _missing(spec.get("column"), columns, "filter")
        for bound in ("lower", "upper"):
            if spec.get(bound) is not None and not isinstance(spec[bound], (int, float)):
                raise UserError("preprocess.error.bad_bound", value=spec[bound])


def _check_derived(recipe: Recipe, columns: list[str]) -> list[str]:
    """Derived features: known kind, existing inputs; returns the new column names."""
    added: list[str] = []
    for spec in recipe.derived:
        kind = spec.get("kind")
        if kind not in DERIVED:
            raise UserError("preprocess.error.bad_choice", value=kind)
        if kind == "date_parts":
            _missing(spec.get("column"), columns + added, "derived")
            bad = [p for p in spec.get("parts") or [] if p not in transform.DATE_PARTS]
            if bad:
                raise UserError("preprocess.error.bad_choice", value=", ".join(bad))
            added += [f"{spec['column']}__{p}" for p in spec.get("parts") or transform.DATE_PARTS[:4]]
        else:
            for side in ("a", "b"):
                _missing(spec.get(side), columns + added, "derived")
            added.append(spec.get("name") or transform.derived_name(spec))
    return added


def _check_split(split: SplitSettings, columns: list[str]) -> None:
    """Split settings: known strategy, a sensible share, the needed column present."""
    if split.strategy not in STRATEGIES:
        raise UserError("preprocess.error.bad_choice", value=split.strategy)
    if not 0.05 <= float(split.test_share) <= 0.5:
        raise UserError("preprocess.error.bad_share", share=split.test_share)
    if split.strategy == "time":
        if not split.time_column:
            raise UserError("preprocess.error.time_column_needed")
        _missing(split.time_column, columns, "split")
    if split.strategy == "group":
        if not split.group_column:
            raise UserError("preprocess.error.group_column_needed")
        _missing(split.group_column, columns, "split")
