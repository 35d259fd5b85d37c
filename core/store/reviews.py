"""Stakeholder answers, reviews and sign-offs (who, role, step, decision, comment, when)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from core import models as m
from core.db import Store
from core.errors import UserError

KINDS = ("signoff", "review", "answer")
DECISIONS = ("approve", "reject", "agree", "disagree", "comment", "",
             # answers offering a question's real alternatives (core.prepare.answers)
             "quantity", "code", "not_sure", "drop", "keep", "known", "not_known", "real", "errors")
MAX_TEXT = 5000


@dataclass(frozen=True)
class ReviewInfo:
    """One recorded stakeholder statement."""

    id: int
    project_id: int
    step: str
    kind: str
    subject: str
    reviewer: str
    role: str
    decision: str
    comment: str
    created_at: datetime


def _info(r: m.Review) -> ReviewInfo:
    return ReviewInfo(r.id, r.project_id, r.step, r.kind, r.subject, r.reviewer, r.role, r.decision,
                      r.comment, r.created_at)


def add_review(store: Store, project_id: int, *, step: str, kind: str, reviewer: str, role: str = "",
               decision: str = "", comment: str = "", subject: str = "") -> ReviewInfo:
    """Record a statement; the reviewer's name is required."""
    reviewer = (reviewer or "").strip()
    if not reviewer:
        raise UserError("review.error.no_reviewer")
    if kind not in KINDS or decision not in DECISIONS:
        raise UserError("review.error.bad_value", value=f"{kind}/{decision}")
    if len(comment or "") > MAX_TEXT:
        raise UserError("review.error.too_long", max=MAX_TEXT)
    with store.sessions.begin() as session:
        if session.get(m.Project, project_id) is None:
            raise UserError("project.error.not_found", id=project_id)
        row = m.Review(project_id=project_id, step=step[:30], kind=kind, subject=(subject or "")[:300],
                       reviewer=reviewer[:100], role=(role or "")[:100], decision=decision,
                       comment=(comment or "").strip())
        session.add(row)
        session.flush()
        return _info(row)


def list_reviews(store: Store, project_id: int, step: str | None = None, kind: str | None = None) -> list[ReviewInfo]:
    """Recorded statements, oldest first, optionally for one step and kind."""
    query = select(m.Review).where(m.Review.project_id == project_id)
    if step:
        query = query.where(m.Review.step == step)
    if kind:
        query = query.where(m.Review.kind == kind)
    with store.sessions() as session:
        return [_info(r) for r in session.scalars(query.order_by(m.Review.id))]


def delete_review(store: Store, review_id: int) -> None:
    """Withdraw a statement (e.g. entered by mistake)."""
    with store.sessions.begin() as session:
        row = session.get(m.Review, review_id)
        if row is not None:
            session.delete(row)
