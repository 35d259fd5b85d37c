"""Decision records (Step 6): the rule, costs and verdict of one evaluated model, as the Test step made them."""

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
class DecisionInfo:
    """One stored decision (see :class:`core.models.Decision`)."""

    id: int
    project_id: int
    run_id: int
    model_name: str
    problem_type: str
    rule_kind: str
    threshold: float | None
    verdict: str
    model_cost: float | None
    goal_fingerprint: str
    rule: dict[str, Any]
    costs: dict[str, Any]
    outcome: dict[str, Any]
    created_by: str
    created_at: datetime


def _info(row: m.Decision) -> DecisionInfo:
    return DecisionInfo(row.id, row.project_id, row.run_id, row.model_name, row.problem_type, row.rule_kind,
                        row.threshold, row.verdict, row.model_cost, row.goal_fingerprint, dict(row.rule),
                        dict(row.costs), dict(row.outcome), row.created_by, aware(row.created_at))


def add_decision(store: Store, project_id: int, run_id: int, *, model_name: str, problem_type: str,
                 rule: dict[str, Any], verdict: str, goal_fingerprint: str, costs: dict[str, Any],
                 outcome: dict[str, Any], model_cost: float | None = None, created_by: str = "") -> DecisionInfo:
    """Record a decision of a run's model (UserError when the run is not the project's)."""
    with store.sessions.begin() as session:
        run = session.get(m.TrainingRun, run_id)
        if run is None or run.project_id != project_id:
            raise UserError("evaluate.error.no_run", id=run_id)
        threshold = rule.get("threshold") if rule.get("kind") == "threshold" else None
        row = m.Decision(project_id=project_id, run_id=run_id, model_name=model_name[:200],
                         problem_type=problem_type[:20], rule_kind=str(rule.get("kind", ""))[:20],
                         threshold=None if threshold is None else float(threshold), verdict=verdict[:20],
                         model_cost=model_cost, goal_fingerprint=goal_fingerprint[:64], rule=rule, costs=costs,
                         outcome=outcome, created_by=(created_by or "")[:100])
        session.add(row)
        session.flush()
        return _info(row)


def latest_decision(store: Store, run_id: int, model_name: str | None = None) -> DecisionInfo | None:
    """The newest decision of a run (of one of its models when ``model_name`` is given), or None."""
    query = select(m.Decision).where(m.Decision.run_id == run_id)
    if model_name:
        query = query.where(m.Decision.model_name == model_name)
    with store.sessions() as session:
        row = session.scalar(query.order_by(m.Decision.id.desc()).limit(1))
        return _info(row) if row is not None else None

