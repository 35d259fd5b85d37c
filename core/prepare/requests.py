"""The project's 5W1H data request (Step 3): its own row (``data_requests``), drafted from a diagnosis.

Re-running the analysis or deleting a dataset version leaves it as it is.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import models as m
from core.analyze.saved import has_analysis
from core.db import Store
from core.errors import UserError
from core.prepare.request import DataRequest

UNCHECKED = object()  # save_data_request without a stale check


def _request_row(session: Session, project_id: int) -> m.DataRequest | None:
    return session.scalar(select(m.DataRequest).where(m.DataRequest.project_id == project_id))


def load_data_request(store: Store, project_id: int) -> dict[str, Any] | None:
    """The project's saved 5W1H data request (a plain dict), or None."""
    with store.sessions() as session:
        row = _request_row(session, project_id)
        return dict(row.data) if row else None


def _comparable(request: dict[str, Any] | None) -> dict[str, Any] | None:
    return DataRequest.from_dict(request).to_dict() if request else None


def save_data_request(store: Store, project_id: int, request: dict[str, Any],
                      based_on: dict[str, Any] | None | object = UNCHECKED, *, by: str = "") -> None:
    """Save the project's data request (it is drafted from a diagnosis: one must exist).

    ``based_on`` is the saved request the edit started from (None: none was saved yet). When
    someone saved another one since, a 'stale' UserError is raised instead of overwriting it.
    ``by``: who saves it (kept as the creator of a first request, else as its last editor).
    """
    with store.sessions.begin() as session:
        if session.get(m.Project, project_id, with_for_update=True) is None:  # one save at a time
            raise UserError("project.error.not_found", id=project_id)
        if not has_analysis(store, project_id):
            raise UserError("prepare.error.analysis_first")
        row = _request_row(session, project_id)
        if based_on is not UNCHECKED and _comparable(row.data if row else None) != _comparable(based_on):
            raise UserError("prepare.error.request_stale")
        if row is None:
            session.add(m.DataRequest(project_id=project_id, data=dict(request), created_by=by[:100],
                                      updated_by=by[:100]))
        else:
            row.data, row.updated_by = dict(request), by[:100]
