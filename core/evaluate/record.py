"""The stored decision of an evaluated model: made once per model and goal, read by Predict, promotion and reports.

:func:`record_decision` saves what an :class:`~core.evaluate.Evaluation` decided (rule, costs of the
model and of the policies without it, verdict with reasons, by whom); it adds no row when the
newest record of that model was made under the same goal. :func:`current_decision` says
whether the record is stale (the goal changed since), and :func:`ensure_decision` evaluates a
model that has no record yet, so nothing downstream ever decides at an untested 0.5.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.db import Store
from core.errors import UserError
from core.evaluate.evaluation import Evaluation, evaluate_run
from core.store import goals, runs
from core.store.decisions import DecisionInfo, add_decision, latest_decision
from core.train.predict_script import set_card_decision
from core.value import BusinessGoal
from core.value.goal import decision_fingerprint


@dataclass(frozen=True)
class DecisionState:
    """A stored decision and whether the business goal changed since it was made."""

    info: DecisionInfo
    stale: bool

    @property
    def verdict(self) -> str:
        """go / no_go / incomplete."""
        return self.info.verdict


def goal_fingerprint(store: Store, project_id: int) -> str:
    """The fingerprint of the project's business goal as stored now."""
    data, _ = goals.load_goal(store, project_id)
    return decision_fingerprint(BusinessGoal.from_dict(data))


def outcome_of(ev: Evaluation) -> dict[str, Any]:
    """What a decision record keeps besides its rule and costs: verdict, value, metrics, test rows."""
    return {"verdict": ev.verdict.to_dict(), "value": ev.value.to_dict(), "metrics": ev.performance.metrics,
            "test_rows": len(ev.data.y_test), "currency": ev.data.goal.currency,
            "speed": ev.speed.to_dict() if ev.speed is not None else None,
            "decision_error": None if ev.decision_error is None else ev.decision_error.to_dict()}


def _rule(ev: Evaluation) -> dict[str, Any]:
    """The rule Predict applies: the decision's own, else the default threshold (binary) or the plain prediction."""
    if ev.decision is not None:
        return dict(ev.decision.rule)
    if ev.data.problem_type == "binary":
        return {"kind": "threshold", "threshold": ev.threshold_in_use, "positive": str(ev.data.positive)}
    return {"kind": "plain"}


def record_decision(store: Store, ev: Evaluation, by: str = "") -> DecisionInfo:
    """Store the evaluation's decision (or return the stored one when it decided the same under the same goal)."""
    run, fingerprint, rule = ev.data.run, decision_fingerprint(ev.data.goal), _rule(ev)
    known = latest_decision(store, run.id, ev.data.model)
    if known is not None and (known.goal_fingerprint, known.verdict, known.rule) == (fingerprint, ev.verdict.overall,
                                                                                     rule):
        return known
    info = add_decision(store, run.project_id, run.id, model_name=ev.data.model, problem_type=ev.data.problem_type,
                        rule=rule, verdict=ev.verdict.overall, goal_fingerprint=fingerprint,
                        costs=ev.decision.to_dict() if ev.decision is not None else {}, outcome=outcome_of(ev),
                        model_cost=ev.cost_per_case, created_by=by)
    set_card_decision(ev.data.model_dir.parent, ev.data.model, rule, info.id)  # predict.py decides the same way
    return info


def current_decision(store: Store, run_id: int, model_name: str | None = None) -> DecisionState | None:
    """The newest decision of a run's model and whether it is stale; None when it was never evaluated."""
    info = latest_decision(store, run_id, model_name)
    if info is None:
        return None
    return DecisionState(info, info.goal_fingerprint != goal_fingerprint(store, info.project_id))


def ensure_decision(store: Store, run_id: int, model_name: str | None = None, *, by: str = "",
                    refresh_stale: bool = False) -> DecisionState:
    """The model's decision, evaluating the run first when it has none (or it is stale and ``refresh_stale``)."""
    state = current_decision(store, run_id, model_name)
    if state is not None and not (refresh_stale and state.stale):
        return state
    run = runs.get_run(store, run_id)
    if run is None:
        raise UserError("evaluate.error.no_run", id=run_id)
    ev = evaluate_run(store, run_id, model_name)
    return DecisionState(record_decision(store, ev, by), False)
