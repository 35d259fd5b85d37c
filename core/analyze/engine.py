"""``analyze``: run every check and assemble the Analysis Report."""

from __future__ import annotations

from typing import Any

import pandas as pd

from core.analyze import checks_columns as cols
from core.analyze import checks_relations as rel
from core.analyze.checks_codes import check_numeric_codes
from core.analyze.checks_privacy import check_personal_data
from core.analyze.checks_target import check_quantity, check_target
from core.analyze.profile import profile_columns, with_hashable_cells
from core.analyze.report import OK, AnalysisReport, Finding, overall_verdict
from core.errors import UserError

DEFAULT_SAMPLE_ROWS = 200_000


def _sample(df: pd.DataFrame, sample_rows: int) -> tuple[pd.DataFrame, list[Finding]]:
    """A reproducible row sample for the expensive checks, and a finding saying so."""
    if len(df) <= sample_rows:
        return df, []
    sample = df.sample(n=sample_rows, random_state=0)
    note = Finding("sampling", OK, "analyze.sampling.used", {"sample": sample_rows, "rows": len(df)})
    return sample, [note]


def analyze(
    df: pd.DataFrame,
    target: str | None,
    *,
    problem_type: str | None = None,
    positive_class: Any = None,
    min_rows_per_class: int = 100,
    corr_threshold: float = 0.8,
    sample_rows: int = DEFAULT_SAMPLE_ROWS,
) -> AnalysisReport:
    """Check quantity and quality of ``df`` for predicting ``target``; never raises on bad data.

    Cheap checks (missing, IDs, constants, duplicates, codes, target) use every row; checks
    that parse text or relate columns use a sample of ``sample_rows`` rows (reported).
    """
    if not isinstance(df, pd.DataFrame) or df.shape[1] == 0:
        raise UserError("analyze.error.no_data")
    df = df.rename(columns=str) if not all(isinstance(c, str) for c in df.columns) else df
    profiles = profile_columns(df)
    df = with_hashable_cells(df, profiles)
    sample, findings = _sample(df, sample_rows)
    target_findings, info = check_target(df, target, problem_type, positive_class)
    findings += check_quantity(df, info, min_rows_per_class) + target_findings
    findings += cols.check_missing(profiles, len(df))
    skip = {target} if target in df.columns else set()
    date_findings, dates = cols.check_dates(sample, profiles, skip)  # a date on every row is no ID
    ids = _extend(findings, cols.check_id_like(df, profiles, skip | set(dates)))
    constants = _extend(findings, cols.check_constant(profiles, len(df), skip | ids))
    dates = [c for c in dates if c not in constants]
    findings += cols.check_duplicates(df)
    findings += check_numeric_codes(df, profiles, skip | ids | constants)
    findings += [f for f in date_findings if f.params["column"] not in constants]
    findings += cols.check_mixed_types(sample, profiles, skip | ids | constants | set(dates))
    findings += check_personal_data(sample, profiles)
    numeric, categorical = cols.feature_columns(profiles, skip | ids | constants | set(dates))
    table = None
    if info is not None:
        table = rel.relation_table(sample, numeric, categorical, info)
        findings += rel.check_relations(table, info) + rel.check_leakage(table, info)
    findings += rel.check_redundancy(sample, numeric, corr_threshold, table)
    findings += rel.check_time_split(dates)
    return AnalysisReport(
        findings=findings, overall=overall_verdict(findings), target=target,
        problem_type=info.problem_type if info else problem_type,
        positive_class=info.positive_class if info else positive_class,
        n_rows=len(df), n_columns=df.shape[1], sample_rows=len(sample) if len(sample) < len(df) else None,
    )


def _extend(findings: list[Finding], found: tuple[list[Finding], set[str]]) -> set[str]:
    """Append a check's findings; return the columns it flagged."""
    findings.extend(found[0])
    return found[1]
