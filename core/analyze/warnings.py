"""What someone without the pages must hear: every warning-level finding, with the columns it names.

The command line has no Analyze page, so a target-leakage suspect or an ID column would go
unnoticed. :func:`engineer_warnings` turns the report's findings above ``ok`` (and the split's
own warnings, such as dates in a random split) into plain entries, the most serious first:
blocking problems, leakage suspects, ID-like columns, time order, personal data, then the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from core.analyze.report import OK, PROBLEM, AnalysisReport, Finding
from core.i18n import t

PRIORITY = ("leakage", "id_like", "time_split", "split", "personal_data", "target")
_COLUMN_PARAMS = ("column", "a", "b")


def _columns(params: dict[str, Any], recommendation: dict[str, Any] | None = None) -> list[str]:
    """The column names a finding mentions, in order, without repeats."""
    names = [params.get(k) for k in _COLUMN_PARAMS] + [(recommendation or {}).get("column")]
    return list(dict.fromkeys(str(n) for n in names if isinstance(n, str) and n))


def _rank(entry: dict[str, Any]) -> tuple[int, int]:
    """Blocking first, then by check priority."""
    check = entry["check"]
    return (0 if entry["verdict"] == PROBLEM else 1, PRIORITY.index(check) if check in PRIORITY else len(PRIORITY))


def _entry(f: Finding, lang: str) -> dict[str, Any]:
    return {"check": f.check, "verdict": f.verdict, "key": f.message_key,
            "columns": _columns(f.params, f.recommendation), "message": t(f.message_key, lang, **f.params)}


def split_entries(split_warnings: Iterable[dict[str, Any]], lang: str = "en") -> list[dict[str, Any]]:
    """The split's warnings (``{"key", "params"}``, e.g. dates in a random split) as entries like the findings'."""
    return [{"check": "split", "verdict": "warning", "key": w["key"], "columns": _columns(w.get("params") or {}),
             "message": t(w["key"], lang, **(w.get("params") or {}))} for w in split_warnings]


def engineer_warnings(report: AnalysisReport, split_warnings: Iterable[dict[str, Any]] = (),
                      lang: str = "en") -> list[dict[str, Any]]:
    """Every finding above ``ok`` and every split warning: ``{"check", "verdict", "key", "columns", "message"}``."""
    out = [_entry(f, lang) for f in report.findings if f.verdict != OK] + split_entries(split_warnings, lang)
    return sorted(out, key=_rank)
