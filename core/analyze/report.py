"""The Analysis Report: findings with verdicts, recommendations and questions, JSON-ready."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

OK, WARNING, PROBLEM = "ok", "warning", "problem"
VERDICTS = (OK, WARNING, PROBLEM)
ROLES = ("domain_expert", "data_analyst", "data_architect", "it_auditor")
REPORT_VERSION = 1


def jsonable(value: Any) -> Any:
    """Plain JSON types from numpy/pandas values (NaN and NaT become None)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, np.ndarray, pd.Index, pd.Series)):
        return [jsonable(v) for v in (sorted(value, key=str) if isinstance(value, set) else value)]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if not math.isfinite(float(value)) else float(value)
    if isinstance(value, (pd.Timestamp, datetime, date)):
        return None if pd.isna(value) else value.isoformat()
    if value is None or isinstance(value, str):
        return value
    return None if _is_missing(value) else str(value)


def _is_missing(value: Any) -> bool:
    """pd.isna for scalars only."""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


@dataclass
class Finding:
    """One observation about the data, with its verdict and what to do or ask about it."""

    check: str
    verdict: str
    message_key: str
    params: dict[str, Any] = field(default_factory=dict)
    recommendation: dict[str, Any] | None = None
    question: dict[str, Any] | None = None
    chart: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {self.verdict!r}")
        self.params = jsonable(self.params)
        self.recommendation = jsonable(self.recommendation)
        self.question = jsonable(self.question)
        self.chart = jsonable(self.chart)

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        """Inverse of :meth:`to_dict`."""
        return cls(**{k: data.get(k) for k in ("check", "verdict", "message_key")},
                   params=data.get("params") or {}, recommendation=data.get("recommendation"),
                   question=data.get("question"), chart=data.get("chart"))


def overall_verdict(findings: list[Finding]) -> str:
    """The worst verdict among the findings."""
    return max((f.verdict for f in findings), key=VERDICTS.index, default=OK)


@dataclass
class AnalysisReport:
    """Result of :func:`core.analyze.analyze`."""

    findings: list[Finding]
    overall: str
    target: str | None = None
    problem_type: str | None = None
    positive_class: Any = None
    n_rows: int = 0
    n_columns: int = 0
    sample_rows: int | None = None

    @property
    def blockers(self) -> list[Finding]:
        """Findings with a ``problem`` verdict: they must be fixed before training."""
        return [f for f in self.findings if f.verdict == PROBLEM]

    def by_check(self, check: str) -> list[Finding]:
        """Findings of one check."""
        return [f for f in self.findings if f.check == check]

    def questions(self) -> list[dict[str, Any]]:
        """The questions for other roles, without repeats, in finding order."""
        seen: set[str] = set()
        out: list[dict[str, Any]] = []
        for f in self.findings:
            key = repr(f.question)
            if f.question and key not in seen:
                seen.add(key)
                out.append({**f.question, "check": f.check})
        return out

    def recommendations(self) -> list[dict[str, Any]]:
        """Suggested preparation actions, in finding order."""
        return [{**f.recommendation, "check": f.check} for f in self.findings if f.recommendation]

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON storage."""
        return {
            "version": REPORT_VERSION, "overall": self.overall, "target": self.target,
            "problem_type": self.problem_type, "positive_class": jsonable(self.positive_class),
            "n_rows": self.n_rows, "n_columns": self.n_columns, "sample_rows": self.sample_rows,
            "findings": [f.to_dict() for f in self.findings],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AnalysisReport:
        """Inverse of :meth:`to_dict`."""
        return cls(
            findings=[Finding.from_dict(f) for f in data.get("findings", [])],
            overall=data.get("overall", OK), target=data.get("target"),
            problem_type=data.get("problem_type"), positive_class=data.get("positive_class"),
            n_rows=int(data.get("n_rows", 0)), n_columns=int(data.get("n_columns", 0)),
            sample_rows=data.get("sample_rows"),
        )

    def get_findings_df(self, lang: str = "en") -> pd.DataFrame:
        """One row per finding with its translated message."""
        from core.i18n import t

        rows = [{"check": f.check, "verdict": f.verdict, "message": t(f.message_key, lang, **f.params),
                 "action": (f.recommendation or {}).get("action"),
                 "column": f.params.get("column")} for f in self.findings]
        return pd.DataFrame(rows, columns=["check", "verdict", "message", "action", "column"])

    def _chart(self, check: str) -> dict[str, Any]:
        """Chart data of the first finding of ``check`` that has one."""
        return next((f.chart for f in self.by_check(check) if f.chart), {})

    def get_missing_df(self) -> pd.DataFrame:
        """Columns with their share of missing values, worst first."""
        chart = self._chart("missing")
        return pd.DataFrame({"column": chart.get("columns", []), "missing_share": chart.get("shares", [])})

    def get_target_df(self) -> pd.DataFrame:
        """Class counts (classification) or histogram bins (regression) of the target."""
        chart = self._chart("target")
        if "labels" in chart:
            return pd.DataFrame({"label": chart["labels"], "count": chart["counts"]})
        edges = chart.get("edges", [])
        return pd.DataFrame({"bin_left": edges[:-1], "bin_right": edges[1:], "count": chart.get("counts", [])})

    def get_relations_df(self) -> pd.DataFrame:
        """Features ranked by the strength of their relation to the target."""
        chart = self._chart("relations")
        return pd.DataFrame({"feature": chart.get("features", []), "strength": chart.get("strengths", []),
                             "method": chart.get("methods", [])})

    def get_correlation_df(self) -> pd.DataFrame:
        """Feature–feature correlation matrix of the numeric columns."""
        chart = self._chart("redundancy")
        cols = chart.get("columns", [])
        return pd.DataFrame(chart.get("matrix", []), index=cols, columns=cols, dtype=float)
