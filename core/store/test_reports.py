"""Test reports (Step 6): the Go / No-Go verdict of a run, its numbers as JSON, and the HTML file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from core import models as m
from core.db import Store
from core.errors import UserError
from core.store.runs import aware


@dataclass(frozen=True)
class TestReportInfo:
    """One saved test report."""

    __test__ = False  # not a pytest class

    id: int
    project_id: int
    run_id: int
    verdict: str
    data: dict[str, Any]
    html_path: str
    created_at: datetime


def _info(row: m.TestReport) -> TestReportInfo:
    return TestReportInfo(row.id, row.project_id, row.run_id, row.verdict, dict(row.data), row.html_path,
                          aware(row.created_at))


def add_test_report(store: Store, project_id: int, run_id: int, *, verdict: str, data: dict[str, Any],
                    html_path: str = "") -> TestReportInfo:
    """Save a report row (the HTML file itself is written by the caller under the artefact folder)."""
    with store.sessions.begin() as session:
        if session.get(m.Project, project_id) is None:
            raise UserError("project.error.not_found", id=project_id)
        run = session.get(m.TrainingRun, run_id)
        if run is None or run.project_id != project_id:
            raise UserError("evaluate.error.no_run", id=run_id)
        row = m.TestReport(project_id=project_id, run_id=run_id, verdict=verdict[:20], data=data, html_path=html_path)
        session.add(row)
        session.flush()
        return _info(row)


def set_html_path(store: Store, report_id: int, html_path: str) -> None:
    """Record where the report's HTML file was written."""
    with store.sessions.begin() as session:
        row = session.get(m.TestReport, report_id)
        if row is not None:
            row.html_path = html_path


def list_test_reports(store: Store, project_id: int, run_id: int | None = None) -> list[TestReportInfo]:
    """Reports of a project (optionally of one run), newest first."""
    query = select(m.TestReport).where(m.TestReport.project_id == project_id)
    if run_id is not None:
        query = query.where(m.TestReport.run_id == run_id)
    with store.sessions() as session:
        return [_info(r) for r in session.scalars(query.order_by(m.TestReport.id.desc()))]


def latest_test_report(store: Store, project_id: int, run_id: int | None = None) -> TestReportInfo | None:
    """The newest report, or None."""
    found = list_test_reports(store, project_id, run_id)
    return found[0] if found else None
