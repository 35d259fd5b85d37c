"""The column guard: Software 1.0 checking a batch before Software 2.0 scores it.

A batch is compared with the model's inputs (names and kinds from the model card) and with
the training profile (categories seen, value ranges). Each finding is a ``GuardIssue`` with a
catalog key, its parameters and a level: ``blocking`` issues stop scoring (missing columns,
text where numbers are expected, an empty file), ``warning`` issues are reported and stored
with the batch (extra columns are ignored, unseen categories, values outside the training
range, values that will be read as missing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from core.errors import UserError
from core.messages import Message
from core.predict.drift import as_categories, as_numbers

BLOCKING, WARNING = "blocking", "warning"
NUMERIC_KINDS = ("number", "integer")
MAX_EXAMPLES = 5


@dataclass(frozen=True)
class GuardIssue:
    """One finding: catalog key, level, the column concerned (if one) and message parameters."""

    key: str
    level: str
    column: str | None = None
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def msg(self) -> Message:
        """The finding as a :class:`core.messages.Message` (its column is one of the parameters)."""
        return Message(self.key, {"column": self.column or "", **self.params})

    def message(self, lang: str = "en", escape: Callable[[str], str] | None = None) -> str:
        """The translated message; ``escape`` (e.g. for Markdown) is applied to the text parameters."""
        return self.msg.text(lang, escape)


@dataclass
class GuardReport:
    """All findings for one batch; ``ok`` when nothing blocks scoring."""

    n_rows: int
    issues: list[GuardIssue] = field(default_factory=list)

    @property
    def blocking(self) -> list[GuardIssue]:
        """Issues that stop scoring."""
        return [i for i in self.issues if i.level == BLOCKING]

    @property
    def warnings(self) -> list[GuardIssue]:
        """Issues reported but not stopping scoring."""
        return [i for i in self.issues if i.level == WARNING]

    @property
    def ok(self) -> bool:
        """True when the batch can be scored."""
        return not self.blocking

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (stored with the batch)."""
        return {"n_rows": self.n_rows, "issues": [asdict(i) for i in self.issues]}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> GuardReport:
        """Inverse of :meth:`to_dict`."""
        data = data or {}
        return cls(int(data.get("n_rows", 0)), [GuardIssue(**i) for i in data.get("issues", [])])

    def get_issues_df(self, lang: str = "en") -> pd.DataFrame:
        """One row per issue: level, column, message, key (blocking first)."""
        rows = [{"level": i.level, "column": i.column or "", "message": i.message(lang), "key": i.key}
                for i in sorted(self.issues, key=lambda i: i.level != BLOCKING)]
        return pd.DataFrame(rows, columns=["level", "column", "message", "key"])

    def raise_if_blocked(self) -> None:
        """Raise :class:`BatchRejected` when an issue blocks scoring."""
        if self.blocking:
            raise BatchRejected(self)


class BatchRejected(UserError):
    """The batch cannot be scored; ``report`` holds every finding, the message the first blocker."""

    def __init__(self, report: GuardReport) -> None:
        first = report.blocking[0]
        super().__init__(first.key, column=first.column or "", **first.params)
        self.report = report


def _examples(values: pd.Series) -> str:
    """A few distinct values for a message."""
    return ", ".join(str(v) for v in pd.unique(values)[:MAX_EXAMPLES])


def _check_number(series: pd.Series, spec: dict[str, Any], profile: dict[str, Any] | None) -> list[GuardIssue]:
    """Numbers expected: text found (blocking when nothing parses), values outside the training range."""
    name, present = spec["name"], series.notna()
    values = as_numbers(series)
    bad = present.to_numpy() & np.isnan(values)
    issues = []
    if bad.any():
        params = {"count": int(bad.sum()), "examples": _examples(series[bad])}
        level = BLOCKING if bad.sum() == present.sum() else WARNING
        key = "predict.guard.text_for_number" if level == BLOCKING else "predict.guard.some_not_numbers"
        issues.append(GuardIssue(key, level, name, params))
    if profile and "min" in profile:
        outside = (values < profile["min"]) | (values > profile["max"])
        if outside.any():
            issues.append(GuardIssue("predict.guard.out_of_range", WARNING, name,
                                     {"count": int(outside.sum()), "min": f"{profile['min']:g}",
                                      "max": f"{profile['max']:g}"}))
    return issues


def _check_category(series: pd.Series, spec: dict[str, Any], profile: dict[str, Any] | None) -> list[GuardIssue]:
    """Categories expected: values never seen in training."""
    if not profile or profile.get("kind") != "category" or not profile.get("all_seen"):
        return []
    text = as_categories(series)
    seen = set(profile.get("frequency", {}))
    unseen = text.notna() & ~text.isin(seen)
    if not unseen.any():
        return []
    return [GuardIssue("predict.guard.unseen_categories", WARNING, spec["name"],
                       {"count": int(unseen.sum()), "values": _examples(text[unseen])})]


def _check_date(series: pd.Series, spec: dict[str, Any]) -> list[GuardIssue]:
    """Dates expected: values that do not read as dates."""
    from core.preprocess.transform import parse_dates

    bad = series.notna() & parse_dates(series).isna()
    if not bad.any():
        return []
    return [GuardIssue("predict.guard.bad_dates", WARNING, spec["name"],
                       {"count": int(bad.sum()), "examples": _examples(series[bad])})]


def _check_column(series: pd.Series, spec: dict[str, Any], profile: dict[str, Any] | None) -> list[GuardIssue]:
    """Every check of one input column."""
    if series.notna().sum() == 0:
        return [GuardIssue("predict.guard.all_missing", WARNING, spec["name"], {})]
    kind = spec.get("kind", "text")
    if kind in NUMERIC_KINDS:
        return _check_number(series, spec, profile)
    if kind == "date":
        return _check_date(series, spec)
    return _check_category(series, spec, profile)


def check_batch(df: pd.DataFrame, inputs: list[dict[str, Any]], profiles: dict[str, dict[str, Any]] | None = None,
                *, target: str | None = None, id_column: str | None = None) -> GuardReport:
    """Check a batch against the model's inputs and training profiles; never raises."""
    report = GuardReport(int(len(df)))
    columns = [str(c) for c in df.columns]
    if len(df) == 0 or not columns:
        report.issues.append(GuardIssue("predict.guard.empty", BLOCKING, None, {}))
        return report
    names = [spec["name"] for spec in inputs]
    missing = [n for n in names if n not in columns]
    if missing:
        report.issues.append(GuardIssue("predict.guard.missing_columns", BLOCKING, None,
                                        {"count": len(missing), "columns": ", ".join(missing)}))
    if target and target in columns:
        report.issues.append(GuardIssue("predict.guard.target_present", WARNING, target, {}))
    extra = [c for c in columns if c not in names and c not in (target, id_column)]
    if extra:
        report.issues.append(GuardIssue("predict.guard.extra_columns", WARNING, None,
                                        {"count": len(extra), "columns": ", ".join(extra)}))
    for spec in inputs:
        if spec["name"] in columns:
            report.issues.extend(_check_column(df[spec["name"]], spec, (profiles or {}).get(spec["name"])))
    return report
