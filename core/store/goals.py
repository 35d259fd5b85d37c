"""The business goal document of a project (Step 1), saved as it is typed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from core import models as m
from core.db import Store
from core.errors import UserError


def load_goal(store: Store, project_id: int) -> tuple[dict[str, Any], int]:
    """The goal document and its version (empty document and 0 when none was saved)."""
    with store.sessions() as session:
        row = session.scalar(select(m.BusinessGoal).where(m.BusinessGoal.project_id == project_id))
        return (dict(row.data), row.version) if row else ({}, 0)


def save_goal(store: Store, project_id: int, data: dict[str, Any], expected_version: int | None = None) -> int:
    """Save the goal; returns the new version. A concurrent edit raises a 'stale' UserError.

    Sign-offs are never stored in the document: the review log (``core.store.reviews``) is the
    record of agreement, so a goal read from a file or an older export cannot carry approvals in.
    """
    if data.get("signoffs"):
        data = {**data, "signoffs": []}
    try:
        with store.sessions.begin() as session:
            row = session.scalar(select(m.BusinessGoal).where(m.BusinessGoal.project_id == project_id))
            if row is None:
                if session.get(m.Project, project_id) is None:
                    raise UserError("project.error.not_found", id=project_id)
                if expected_version not in (None, 0):
                    raise UserError("goal.error.stale")
                row = m.BusinessGoal(project_id=project_id, data=data)
                session.add(row)
            else:
                if expected_version is not None and row.version != expected_version:
                    raise UserError("goal.error.stale")
                row.data = data
            session.flush()
            return row.version
    except StaleDataError as exc:
        raise UserError("goal.error.stale") from exc
