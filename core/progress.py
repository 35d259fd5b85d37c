"""Where a project stands in the six steps: not started / in progress / done, and what is missing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import models as m
from core.db import Store

STEPS: tuple[str, ...] = ("business", "analyze", "prepare", "preprocess", "train", "test")
NOT_STARTED, IN_PROGRESS, DONE = "not_started", "in_progress", "done"


@dataclass(frozen=True)
class StepStatus:
    """One step's state and the messages (catalog key, params) saying what is missing."""

    step: str
    state: str
    missing: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


def _state(started: bool, missing: list[tuple[str, dict[str, Any]]]) -> str:
    if not started:
        return NOT_STARTED
    return DONE if not missing else IN_PROGRESS


def _business(session: Session, project: m.Project) -> StepStatus:
    from core.value.goal import SIGNOFF_KIND, SIGNOFF_STEP, BusinessGoal
    from core.value.validation import signoffs_from_reviews, validate

    row = session.scalar(select(m.BusinessGoal).where(m.BusinessGoal.project_id == project.id))
    if row is None or not row.data:
        return StepStatus("business", NOT_STARTED, [("progress.missing.goal", {})])
    reviews = session.scalars(select(m.Review).where(m.Review.project_id == project.id, m.Review.step == SIGNOFF_STEP,
                                                     m.Review.kind == SIGNOFF_KIND).order_by(m.Review.id))
    signoffs = signoffs_from_reviews(reviews)  # the review log, not the goal document, records agreement
    missing = [(key, {}) for key in validate(BusinessGoal.from_dict(row.data), signoffs=signoffs)]
    return StepStatus("business", _state(True, missing), missing)


def _analyze(session: Session, project: m.Project) -> StepStatus:
    missing: list[tuple[str, dict[str, Any]]] = []
    if project.current_dataset_id is None:
        missing.append(("progress.missing.dataset", {}))
    if not project.target_column:
        missing.append(("progress.missing.target", {}))
    report = _latest_report(session, project)
    if report is None:
        missing.append(("progress.missing.analysis", {}))
    started = project.current_dataset_id is not None
    return StepStatus("analyze", _state(started, missing), missing)


def _latest_report(session: Session, project: m.Project) -> m.AnalysisReport | None:
    if project.current_dataset_id is None:
        return None
    return session.scalar(select(m.AnalysisReport)
                          .where(m.AnalysisReport.project_id == project.id,
                                 m.AnalysisReport.dataset_id == project.current_dataset_id)
                          .order_by(m.AnalysisReport.id.desc()).limit(1))


def _prepare(session: Session, project: m.Project) -> StepStatus:
    report = _latest_report(session, project)
    questions = [q.get("id") for q in (report.data.get("questions", []) if report else [])]
    answered = set(session.scalars(select(m.Review.subject).where(
        m.Review.project_id == project.id, m.Review.step == "prepare", m.Review.kind == "answer")))
    if report is None:
        return StepStatus("prepare", NOT_STARTED, [("progress.missing.analysis_first", {})])
    open_count = sum(1 for q in questions if q not in answered)
    missing = [("progress.missing.questions", {"count": open_count})] if open_count else []
    return StepStatus("prepare", _state(bool(answered) or not questions, missing), missing)


def _count(session: Session, cls: type[m.Base], project_id: int, *where: Any) -> int:
    query = select(func.count()).select_from(cls).where(cls.project_id == project_id, *where)
    return session.scalar(query) or 0


def _preprocess(session: Session, project: m.Project) -> StepStatus:
    if _count(session, m.Recipe, project.id):
        return StepStatus("preprocess", DONE)
    return StepStatus("preprocess", NOT_STARTED, [("progress.missing.recipe", {})])


def _train(session: Session, project: m.Project) -> StepStatus:
    if _count(session, m.TrainingRun, project.id, m.TrainingRun.status == "succeeded"):
        return StepStatus("train", DONE)
    running = _count(session, m.TrainingRun, project.id, m.TrainingRun.status.in_(("queued", "running")))
    missing = [("progress.missing.model", {})]
    return StepStatus("train", IN_PROGRESS if running else NOT_STARTED, missing)


def _test(session: Session, project: m.Project) -> StepStatus:
    if _count(session, m.TestReport, project.id):
        return StepStatus("test", DONE)
    return StepStatus("test", NOT_STARTED, [("progress.missing.test_report", {})])


_CHECKS = {"business": _business, "analyze": _analyze, "prepare": _prepare,
           "preprocess": _preprocess, "train": _train, "test": _test}


def project_progress(store: Store, project_id: int) -> list[StepStatus]:
    """The six steps' states for a project (empty when the project does not exist)."""
    with store.sessions() as session:
        project = session.get(m.Project, project_id)
        if project is None:
            return []
        return [_CHECKS[step](session, project) for step in STEPS]
