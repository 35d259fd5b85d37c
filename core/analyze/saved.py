"""Saved diagnoses (Step 2): one JSON document per diagnosis of a dataset version, and running one.

The row's ``data`` holds :meth:`AnalysisReport.to_dict` plus ``questions`` (with stable
ids, read by :mod:`core.progress`) and the ``settings`` used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import models as m
from core.analyze.engine import analyze
from core.analyze.report import AnalysisReport
from core.db import Store
from core.errors import UserError
from core.analyze.questions import with_ids
from core.store.datasets import current_data, load_dataframe

DEFAULT_MIN_ROWS_PER_CLASS = 100


@dataclass(frozen=True)
class AnalysisInfo:
    """A saved diagnosis as pages see it."""

    id: int
    project_id: int
    dataset_id: int
    target_column: str | None
    overall: str
    report: AnalysisReport
    questions: list[dict[str, Any]]
    settings: dict[str, Any]
    created_at: datetime


def _info(row: m.AnalysisReport) -> AnalysisInfo:
    data = dict(row.data or {})
    return AnalysisInfo(id=row.id, project_id=row.project_id, dataset_id=row.dataset_id,
                        target_column=row.target_column, overall=row.overall,
                        report=AnalysisReport.from_dict(data), questions=list(data.get("questions", [])),
                        settings=dict(data.get("settings", {})), created_at=row.created_at)


def _latest_row(session: Session, project_id: int, dataset_id: int | None = None) -> m.AnalysisReport | None:
    query = select(m.AnalysisReport).where(m.AnalysisReport.project_id == project_id)
    if dataset_id is not None:
        query = query.where(m.AnalysisReport.dataset_id == dataset_id)
    return session.scalars(query.order_by(m.AnalysisReport.id.desc()).limit(1)).first()


def save_analysis(store: Store, project_id: int, dataset_id: int, report: AnalysisReport,
                  settings: dict[str, Any] | None = None) -> AnalysisInfo:
    """Store a report for a dataset version."""
    data = {**report.to_dict(), "questions": with_ids(report.questions()), "settings": dict(settings or {})}
    with store.sessions.begin() as session:
        version = session.get(m.DatasetVersion, dataset_id)
        if version is None or version.project_id != project_id:
            raise UserError("store.error.version_missing", id=dataset_id)
        row = m.AnalysisReport(project_id=project_id, dataset_id=dataset_id, target_column=report.target,
                               overall=report.overall, data=data)
        session.add(row)
        session.flush()
        return _info(row)


def latest_analysis(store: Store, project_id: int, dataset_id: int | None = None) -> AnalysisInfo | None:
    """The newest report of the project's current data (or of ``dataset_id``), or None."""
    with store.sessions() as session:
        if dataset_id is None:
            project = session.get(m.Project, project_id)
            if project is None or project.current_dataset_id is None:
                return None
            dataset_id = project.current_dataset_id
        row = _latest_row(session, project_id, dataset_id)
        return _info(row) if row else None


def list_analyses(store: Store, project_id: int) -> list[AnalysisInfo]:
    """All reports of a project, newest first."""
    with store.sessions() as session:
        rows = session.scalars(select(m.AnalysisReport).where(m.AnalysisReport.project_id == project_id)
                               .order_by(m.AnalysisReport.id.desc()))
        return [_info(r) for r in rows]


def last_settings(store: Store, project_id: int) -> dict[str, Any]:
    """Settings of the project's newest report (e.g. ``min_rows_per_class``), or defaults."""
    with store.sessions() as session:
        row = _latest_row(session, project_id)
        settings = dict((row.data or {}).get("settings", {})) if row else {}
    settings.setdefault("min_rows_per_class", DEFAULT_MIN_ROWS_PER_CLASS)
    return settings


def run_analysis(store: Store, project_id: int, *, min_rows_per_class: int = DEFAULT_MIN_ROWS_PER_CLASS,
                 corr_threshold: float = 0.8) -> AnalysisInfo:
    """Diagnose the project's current data with its target settings and save the report."""
    project, version = current_data(store, project_id)
    df = load_dataframe(store, version.id)
    target = project.target_column if project.target_column in df.columns else None
    report = analyze(df, target, problem_type=project.problem_type if target else None,
                     positive_class=project.positive_class if target else None,
                     min_rows_per_class=int(min_rows_per_class), corr_threshold=corr_threshold)
    settings = {"min_rows_per_class": int(min_rows_per_class), "corr_threshold": corr_threshold,
                "dataset_label": version.label}
    return save_analysis(store, project_id, version.id, report, settings)


def has_analysis(store: Store, project_id: int) -> bool:
    """Whether the project has any saved diagnosis."""
    with store.sessions() as session:
        return _latest_row(session, project_id) is not None
