"""Model versions: one row per trained model in use, production flag, promotions and rollbacks.

A run's chosen predictor is registered once (``add_model``); promoting it gives it the next
version number of the project (kept if it is promoted again later) and makes it the only
production model. Every promotion and rollback is appended to the row's ``card["history"]``
(who, when, from which version to which, why), so the record survives without a table of its
own. ``card`` otherwise holds the run's model card and, once computed, ``card["reference"]``
(the training data profile used for drift and reasons, see ``core.predict.reference``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import models as m
from core.db import Store
from core.errors import UserError
from core.models import utcnow
from core.store.runs import aware


@dataclass(frozen=True)
class ModelInfo:
    """A registered model as pages and the scorer see it."""

    id: int
    project_id: int
    run_id: int
    model_name: str
    path: str
    card: dict[str, Any]
    version_number: int | None
    is_production: bool
    promoted_by: str
    promoted_at: datetime | None
    verdict: str
    created_at: datetime

    @property
    def history(self) -> list[dict[str, Any]]:
        """Promotion and rollback events of this model, oldest first."""
        return list(self.card.get("history") or [])

    @property
    def label(self) -> str:
        """``v3`` for a promoted model, ``run 12`` otherwise."""
        return f"v{self.version_number}" if self.version_number else f"run {self.run_id}"


def _info(row: m.ModelVersion) -> ModelInfo:
    return ModelInfo(row.id, row.project_id, row.run_id, row.model_name, row.path, dict(row.card or {}),
                     row.version_number, bool(row.is_production), row.promoted_by, aware(row.promoted_at),
                     row.verdict, aware(row.created_at))


def _lock_project(session: Session, project_id: int) -> None:
    """Serialise version changes of one project (row lock on PostgreSQL, write lock on SQLite)."""
    if session.get(m.Project, project_id, with_for_update=True) is None:
        raise UserError("project.error.not_found", id=project_id)


def add_model(store: Store, project_id: int, run_id: int, *, model_name: str, path: str,
              card: dict[str, Any]) -> ModelInfo:
    """Register a run's model (the existing row when the run is already registered)."""
    with store.sessions.begin() as session:
        _lock_project(session, project_id)
        row = session.scalar(select(m.ModelVersion).where(m.ModelVersion.run_id == run_id)
                             .order_by(m.ModelVersion.id).limit(1))
        if row is None:
            row = m.ModelVersion(project_id=project_id, run_id=run_id, model_name=model_name[:200],
                                 path=path[:500], card=card)
            session.add(row)
            session.flush()
        return _info(row)


def get_model(store: Store, model_id: int | None) -> ModelInfo | None:
    """One model, or None."""
    if model_id is None:
        return None
    with store.sessions() as session:
        row = session.get(m.ModelVersion, model_id)
        return _info(row) if row else None


def find_for_run(store: Store, run_id: int) -> ModelInfo | None:
    """The model registered for a run, or None."""
    with store.sessions() as session:
        row = session.scalar(select(m.ModelVersion).where(m.ModelVersion.run_id == run_id)
                             .order_by(m.ModelVersion.id).limit(1))
        return _info(row) if row else None


def list_models(store: Store, project_id: int) -> list[ModelInfo]:
    """A project's registered models, highest version first, then newest unpromoted ones."""
    with store.sessions() as session:
        rows = session.scalars(select(m.ModelVersion).where(m.ModelVersion.project_id == project_id)
                               .order_by(m.ModelVersion.version_number.desc().nulls_last(),
                                         m.ModelVersion.id.desc()))
        return [_info(r) for r in rows]


def production_model(store: Store, project_id: int) -> ModelInfo | None:
    """The project's production model, or None when nothing was promoted."""
    with store.sessions() as session:
        row = session.scalar(select(m.ModelVersion).where(m.ModelVersion.project_id == project_id,
                                                          m.ModelVersion.is_production.is_(True)).limit(1))
        return _info(row) if row else None


def _event(action: str, by: str, **extra: Any) -> dict[str, Any]:
    return {"action": action, "by": by, "at": utcnow().isoformat(), **extra}


def _switch(session: Session, project_id: int, target: m.ModelVersion) -> m.ModelVersion | None:
    """Make ``target`` the only production model; returns the one it replaces."""
    current = session.scalar(select(m.ModelVersion).where(m.ModelVersion.project_id == project_id,
                                                          m.ModelVersion.is_production.is_(True)).limit(1))
    for row in session.scalars(select(m.ModelVersion).where(m.ModelVersion.project_id == project_id,
                                                            m.ModelVersion.is_production.is_(True))):
        row.is_production = False
    session.flush()
    target.is_production = True
    return current


def promote(store: Store, model_id: int, *, by: str, verdict: str = "", note: str = "",
            forced: bool = False) -> ModelInfo:
    """Make a model the production model (a new version number the first time); recorded.

    ``forced``: a No-Go verdict was overridden deliberately (said in the reader's language when shown).
    """
    with store.sessions.begin() as session:
        row = session.get(m.ModelVersion, model_id)
        if row is None:
            raise UserError("predict.version.error.missing", id=model_id)
        _lock_project(session, row.project_id)
        if row.version_number is None:
            last = session.scalar(select(func.max(m.ModelVersion.version_number))
                                  .where(m.ModelVersion.project_id == row.project_id)) or 0
            row.version_number = last + 1
            row.promoted_by, row.promoted_at, row.verdict = by[:100], utcnow(), verdict[:20]
        previous = _switch(session, row.project_id, row)
        from_version = previous.version_number if previous is not None and previous.id != row.id else None
        row.card = {**row.card, "history": [*(row.card.get("history") or []),
                                            _event("promote", by, from_version=from_version,
                                                   to_version=row.version_number, verdict=verdict, note=note,
                                                   forced=forced)]}
        session.flush()
        return _info(row)


def rollback(store: Store, project_id: int, *, by: str, reason: str = "") -> ModelInfo:
    """Return to the highest version below the production one; UserError when there is none."""
    with store.sessions.begin() as session:
        _lock_project(session, project_id)
        current = session.scalar(select(m.ModelVersion).where(m.ModelVersion.project_id == project_id,
                                                              m.ModelVersion.is_production.is_(True)).limit(1))
        if current is None:
            raise UserError("predict.version.error.no_production")
        target = session.scalar(select(m.ModelVersion).where(
            m.ModelVersion.project_id == project_id, m.ModelVersion.version_number < current.version_number)
            .order_by(m.ModelVersion.version_number.desc()).limit(1))
        if target is None:
            raise UserError("predict.version.error.no_earlier", version=current.version_number)
        _switch(session, project_id, target)
        event = _event("rollback", by, from_version=current.version_number, to_version=target.version_number,
                       reason=reason)
        for row in (current, target):
            row.card = {**row.card, "history": [*(row.card.get("history") or []), event]}
        session.flush()
        return _info(target)


def update_card(store: Store, model_id: int, **values: Any) -> ModelInfo:
    """Set top-level keys of a model's card (e.g. the cached ``reference``)."""
    with store.sessions.begin() as session:
        row = session.get(m.ModelVersion, model_id)
        if row is None:
            raise UserError("predict.version.error.missing", id=model_id)
        row.card = {**(row.card or {}), **values}
        session.flush()
        return _info(row)


def model_events(store: Store, project_id: int) -> list[dict[str, Any]]:
    """Every promotion and rollback of the project, oldest first (each event once)."""
    seen: dict[tuple[str, str, Any, Any], dict[str, Any]] = {}
    for model in list_models(store, project_id):
        for event in model.history:
            key = (event.get("action", ""), event.get("at", ""), event.get("from_version"), event.get("to_version"))
            seen.setdefault(key, {**event, "model_id": model.id} if event.get("action") == "promote" else event)
    return sorted(seen.values(), key=lambda e: e.get("at", ""))
