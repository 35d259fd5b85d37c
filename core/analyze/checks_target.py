"""Target checks (presence, classes, distribution, IQR outliers, imbalance) and quantity."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from core.analyze.report import OK, PROBLEM, WARNING, Finding
from core.data.target import positive_class_candidates, propose_problem_type
from core.errors import UserError

PROBLEM_TYPES = ("binary", "multiclass", "regression")
MIN_ROWS = 20
IMBALANCE_SHARE = 0.2
HIST_BINS = 30
MAX_CHART_CLASSES = 50


@dataclass
class TargetInfo:
    """What the relation checks need to know about a usable target."""

    name: str
    problem_type: str
    classes: list[Any] = field(default_factory=list)
    positive_class: Any = None

    @property
    def is_classification(self) -> bool:
        """Binary or multiclass."""
        return self.problem_type != "regression"

    def encode(self, series: pd.Series) -> np.ndarray:
        """Class codes (-1 = missing; positive class = 1 for binary) or floats for regression."""
        if not self.is_classification:
            return pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        order = self.classes
        if self.problem_type == "binary" and self.positive_class in order:
            order = [c for c in order if c != self.positive_class] + [self.positive_class]
        return pd.Categorical(series, categories=order).codes.astype(np.int64)


def _problem(key: str, question: dict | None = None, **params: Any) -> tuple[list[Finding], None]:
    """A single blocking finding and no usable target."""
    return [Finding("target", PROBLEM, f"analyze.target.{key}", params, question=question)], None


def check_target(df: pd.DataFrame, target: str | None, problem_type: str | None,
                 positive_class: Any) -> tuple[list[Finding], TargetInfo | None]:
    """Validate the target and describe its distribution."""
    if problem_type is not None and problem_type not in PROBLEM_TYPES:
        raise UserError("analyze.error.problem_type", problem_type=problem_type, allowed=", ".join(PROBLEM_TYPES))
    if not target:
        return _problem("none", question={"role": "domain_expert", "key": "analyze.question.choose_target",
                                          "params": {}})
    if target not in df.columns:
        return _problem("not_found", column=target)
    y = df[target]
    present = y.dropna()
    if present.empty:
        return _problem("all_missing", column=target)
    kind = problem_type or propose_problem_type(present)
    findings = _missing_target(y, target)
    if kind == "regression":
        more, info = _regression(present, target)
    else:
        more, info = _classification(present, target, kind, positive_class)
    return findings + more, info


def _missing_target(y: pd.Series, target: str) -> list[Finding]:
    """Rows without a target value cannot be used for training."""
    n_missing = int(y.isna().sum())
    if not n_missing:
        return []
    return [Finding("target", WARNING, "analyze.target.some_missing",
                    {"column": target, "count": n_missing, "share": round(n_missing / len(y), 4)},
                    recommendation={"action": "drop_rows_missing_target", "column": target})]


def _classification(y: pd.Series, target: str, kind: str, positive: Any) -> tuple[list[Finding], TargetInfo | None]:
    """Class counts, single-class and imbalance checks, positive class choice."""
    counts = y.value_counts()
    if len(counts) < 2:
        return _problem("single_class", column=target, value=str(counts.index[0]))
    if kind == "binary" and len(counts) > 2:
        return _problem("not_binary", column=target, count=len(counts))
    classes = counts.index.tolist()
    if kind == "binary":
        if positive is not None:
            match = [c for c in classes if str(c) == str(positive)]
            if not match:
                return _problem("positive_missing", column=target, value=str(positive))
            positive = match[0]
        else:
            positive = positive_class_candidates(y)[0]
    shown = counts.head(MAX_CHART_CLASSES)
    chart = {"labels": [str(c) for c in shown.index], "counts": shown.tolist()}
    findings = [Finding("target", OK, "analyze.target.classes",
                        {"column": target, "count": len(counts), "positive": None if positive is None else str(positive)},
                        chart=chart)]
    share = counts.iloc[-1] / counts.sum()
    if share < IMBALANCE_SHARE:
        findings.append(Finding("target", WARNING, "analyze.target.imbalanced", {
            "column": target, "value": str(counts.index[-1]), "share": round(float(share), 4),
            "ratio": round(float(counts.iloc[0] / counts.iloc[-1]), 1)},
            recommendation={"action": "adjust_threshold", "column": target}))
    return findings, TargetInfo(target, kind, classes, positive if kind == "binary" else None)


def nice(value: float) -> float | int:
    """A number rounded for messages: whole above 100, else 4 decimals."""
    return int(round(value)) if abs(value) >= 100 else round(float(value), 4)


def iqr_bounds(values: np.ndarray) -> tuple[float, float, float, float]:
    """(Q1, Q3, lower, upper) with the 1.5·IQR rule."""
    q1, q3 = np.percentile(values, [25, 75])
    iqr = q3 - q1
    return float(q1), float(q3), float(q1 - 1.5 * iqr), float(q3 + 1.5 * iqr)


def _regression(y: pd.Series, target: str) -> tuple[list[Finding], TargetInfo | None]:
    """Histogram, summary numbers and IQR outliers of a numeric target."""
    numbers = pd.to_numeric(y, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    finite = numbers[np.isfinite(numbers)]
    if finite.size < 0.95 * len(y) or finite.size == 0:
        return _problem("not_numeric", column=target, share=round(1 - finite.size / len(y), 4))
    q1, q3, lower, upper = iqr_bounds(finite)
    counts, edges = np.histogram(finite, bins=HIST_BINS)
    chart = {"edges": edges.tolist(), "counts": counts.tolist(), "lower": lower, "upper": upper, "q1": q1, "q3": q3}
    findings = [Finding("target", OK, "analyze.target.distribution", {
        "column": target, "min": nice(finite.min()), "median": nice(np.median(finite)),
        "max": nice(finite.max())}, chart=chart)]
    above, below = int((finite > upper).sum()), int((finite < lower).sum())
    if above or below:
        params = {"column": target, "count": above + below, "upper": nice(upper), "lower": nice(lower),
                  "share": round((above + below) / finite.size, 4)}
        rec = {"action": "drop_target_outliers", "column": target, "upper": round(upper, 4),
               "lower": round(lower, 4) if below else None}
        findings.append(Finding("target", WARNING, "analyze.target.outliers", params, recommendation=rec,
                                question={"role": "domain_expert", "key": "analyze.question.target_outliers",
                                          "params": params}))
    return findings, TargetInfo(target, "regression")


def check_quantity(df: pd.DataFrame, info: TargetInfo | None, min_rows_per_class: int) -> list[Finding]:
    """Enough valid rows overall and per class? Any feature columns at all?"""
    n_features = df.shape[1] - int(info is not None)
    if df.shape[1] <= 1 or n_features < 1:
        return [Finding("quantity", PROBLEM, "analyze.quantity.no_features", {"columns": df.shape[1]})]
    valid = int(df[info.name].notna().sum()) if info else len(df)
    if valid < MIN_ROWS:
        return [Finding("quantity", PROBLEM, "analyze.quantity.too_few", {"rows": valid, "min": MIN_ROWS})]
    if info and info.is_classification:
        counts = df[info.name].value_counts()
        small = counts[counts < min_rows_per_class]
        chart = {"labels": [str(c) for c in counts.index[:MAX_CHART_CLASSES]],
                 "counts": counts.tolist()[:MAX_CHART_CLASSES], "min": min_rows_per_class}
        if len(small):
            listed = ", ".join(f"{c} ({n})" for c, n in small.head(10).items())
            return [Finding("quantity", WARNING, "analyze.quantity.few_per_class",
                            {"rows": valid, "classes": listed, "min": min_rows_per_class}, chart=chart)]
    return [Finding("quantity", OK, "analyze.quantity.ok", {"rows": valid, "columns": df.shape[1]})]
