"""Relations: feature → target strength, leakage suspects, redundant pairs, time-ordered split."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.analyze import stats
from core.analyze.checks_target import TargetInfo
from core.analyze.report import OK, WARNING, Finding

LEAK_SCORE = 0.98
STRONG_RELATION = 0.7
WEAK_RELATION = 0.05
MAX_PAIR_FINDINGS = 20
MAX_MATRIX_COLUMNS = 40
_COLUMNS = ["feature", "strength", "method", "leak_score"]


def _numeric_relation(x: np.ndarray, y: np.ndarray, info: TargetInfo) -> tuple[float, str, float]:
    """(strength, method, leak score) of a numeric feature."""
    if info.problem_type == "binary":
        r = abs(stats.pearson(x, np.where(y >= 0, y, np.nan).astype(float)))
        return r, "point_biserial", max(r, stats.separability(x, y))
    if info.is_classification:
        eta = stats.correlation_ratio(y, x)
        return eta, "correlation_ratio", max(eta, stats.separability(x, y))
    r = abs(stats.pearson(x, y))
    return r, "pearson", max(r, abs(stats.spearman(x, y)))


def _categorical_relation(series: pd.Series, y: np.ndarray, info: TargetInfo) -> tuple[float, str, float] | None:
    """(strength, method, leak score) of a categorical feature, None if it has one level."""
    codes, levels = stats.category_codes(series)
    if levels < 2:
        return None
    if info.is_classification:
        v = stats.cramers_v(codes, y)
        return v, "cramers_v", v
    eta = stats.correlation_ratio(codes, y)
    return eta, "correlation_ratio", eta


def relation_table(sample: pd.DataFrame, numeric: list[str], categorical: list[str], info: TargetInfo) -> pd.DataFrame:
    """Every feature's relation to the target, strongest first (one O(n log n) pass per feature)."""
    y = info.encode(sample[info.name])
    rows = []
    for col in numeric:
        x = sample[col].to_numpy(dtype=float, na_value=np.nan)
        rows.append((col, *_numeric_relation(x, y, info)))
    for col in categorical:
        found = _categorical_relation(sample[col], y, info)
        if found:
            rows.append((col, *found))
    table = pd.DataFrame(rows, columns=_COLUMNS).astype({"strength": float, "leak_score": float})
    return table.sort_values("strength", ascending=False, kind="stable").reset_index(drop=True)


def check_relations(table: pd.DataFrame, info: TargetInfo) -> list[Finding]:
    """Ranked relation list; a question about the strongest feature."""
    chart = {"features": table["feature"].tolist(), "strengths": table["strength"].round(4).tolist(),
             "methods": table["method"].tolist()}
    if table.empty or table["strength"].max() < WEAK_RELATION:
        return [Finding("relations", WARNING, "analyze.relations.weak", {"target": info.name}, chart=chart)]
    clean = table[table["leak_score"] < LEAK_SCORE]
    top = (clean if not clean.empty else table).iloc[0]
    params = {"column": top["feature"], "strength": round(float(top["strength"]), 3), "target": info.name}
    key = "simple_rule" if top["strength"] >= STRONG_RELATION else "top_expected"
    question = {"role": "domain_expert", "key": f"analyze.question.{key}", "params": params}
    return [Finding("relations", OK, "analyze.relations.ranked", params, chart=chart, question=question)]


def check_leakage(table: pd.DataFrame, info: TargetInfo) -> list[Finding]:
    """A single feature that predicts the target (almost) perfectly is suspicious."""
    out = []
    for row in table[table["leak_score"] >= LEAK_SCORE].itertuples():
        params = {"column": row.feature, "score": round(float(row.leak_score), 3), "target": info.name}
        out.append(Finding("leakage", WARNING, "analyze.leakage.suspect", params,
                           recommendation={"action": "drop_column", "column": row.feature,
                                           "reason_key": "analyze.reason.leakage"},
                           question={"role": "domain_expert", "key": "analyze.question.leakage", "params": params}))
    return out


def correlation_matrix(sample: pd.DataFrame, numeric: list[str]) -> np.ndarray:
    """Pearson matrix of the numeric columns (pairwise-complete when values are missing)."""
    values = sample[numeric].to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        if not np.isnan(values).any():
            return np.atleast_2d(np.corrcoef(values, rowvar=False))
    return pd.DataFrame(values).corr().to_numpy()


def check_redundancy(sample: pd.DataFrame, numeric: list[str], threshold: float,
                     table: pd.DataFrame | None) -> list[Finding]:
    """Numeric pairs with |r| above ``threshold``: keep the one closer to the target."""
    if len(numeric) < 2:
        return []
    matrix = correlation_matrix(sample, numeric)
    i, j = np.triu_indices(len(numeric), 1)
    r = matrix[i, j]
    hits = np.flatnonzero(np.abs(np.nan_to_num(r)) > threshold)
    hits = hits[np.argsort(-np.abs(r[hits]), kind="stable")]
    shown = numeric[:MAX_MATRIX_COLUMNS]
    chart = {"columns": shown, "matrix": np.round(np.nan_to_num(matrix[:len(shown), :len(shown)]), 3).tolist()}
    strength = dict(zip(table["feature"], table["strength"])) if table is not None else {}
    if not hits.size:
        return [Finding("redundancy", OK, "analyze.redundancy.none", {"threshold": threshold}, chart=chart)]
    out = [Finding("redundancy", WARNING, "analyze.redundancy.pairs", {"count": int(hits.size), "threshold": threshold},
                   chart=chart)]
    for h in hits[:MAX_PAIR_FINDINGS]:
        out.append(_pair_finding(numeric[i[h]], numeric[j[h]], float(r[h]), strength))
    return out


def _pair_finding(a: str, b: str, r: float, strength: dict[str, float]) -> Finding:
    """One redundant pair; the weaker of the two (toward the target) is proposed for dropping."""
    keep, drop = (b, a) if strength.get(b, 0.0) > strength.get(a, 0.0) else (a, b)
    params = {"a": a, "b": b, "r": round(r, 3), "column": drop, "keep": keep}
    return Finding("redundancy", WARNING, "analyze.redundancy.pair", params,
                   recommendation={"action": "drop_column", "column": drop, "keep": keep,
                                   "reason_key": "analyze.reason.redundant"},
                   question={"role": "domain_expert", "key": "analyze.question.correlation_expected",
                             "params": {"a": a, "b": b, "r": round(r, 3)}})


def check_time_split(date_columns: list[str]) -> list[Finding]:
    """Data with dates must be split by time, never at random."""
    if not date_columns:
        return []
    column = date_columns[0]
    params = {"column": column, "columns": ", ".join(date_columns)}
    return [Finding("time_split", WARNING, "analyze.time_split.recommended", params,
                    recommendation={"action": "time_split", "column": column},
                    question={"role": "data_analyst", "key": "analyze.question.time_split", "params": {"column": column}})]
