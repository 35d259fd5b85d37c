"""Monitoring: accuracy (or error) on feedback over time, drift, and the retraining signal.

Targets come from the business goal's acceptance criteria (metric targets such as recall ≥ 0.8,
and the maximum cost per case with the goal's cost matrix). When the goal sets none, the
model's own validation score is the reference (5 points of tolerance for scores, 20 % for
errors), and the signal says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from core.db import Store
from core.errors import UserError
from core.messages import Message
from core.predict.feedback import get_feedback_df
from core.predict.model import resolve_model
from core.store import goals
from core.store import predictions as store_p
from core.value.acceptance import AcceptanceCriteria
from core.value.costs import CostMatrix

WINDOW = 500
MIN_FEEDBACK = 30
SCORE_TOLERANCE = 0.05
ERROR_TOLERANCE = 0.2
ALIASES = {"root_mean_squared_error": "rmse", "mean_absolute_error": "mae", "auc": "roc_auc", "r²": "r2",
           "cost": "cost_per_case"}
LOWER_IS_BETTER = ("rmse", "mae", "cost_per_case")
COMPUTABLE = ("accuracy", "precision", "recall", "f1", "roc_auc", "f1_macro", "balanced_accuracy", "rmse", "mae",
              "r2")


def metric_key(name: str) -> str:
    """The feedback metric name for a goal or AutoGluon metric name (``root_mean_squared_error`` → ``rmse``)."""
    key = (name or "").strip().lower()
    return ALIASES.get(key, key)


def _classification(df: pd.DataFrame, positive: str | None, costs: CostMatrix | None) -> dict[str, float]:
    """Accuracy from the correct marks; label metrics where the true value is known."""
    from sklearn import metrics as skm

    out: dict[str, float] = {}
    judged = df[df["correct"].notna()]
    if len(judged):
        out["accuracy"] = float(judged["correct"].astype(bool).mean())
    known = df[df["true_value"].astype(str) != ""]
    if known.empty:
        return out
    acted = np.where(known["decision"].astype(str) != "", known["decision"], known["prediction"]).astype(str)
    truth = known["true_value"].astype(str).to_numpy()
    if positive is None:
        out["f1_macro"] = float(skm.f1_score(truth, acted, average="macro", zero_division=0))
        out["balanced_accuracy"] = float(skm.balanced_accuracy_score(truth, acted))
        return out
    y, p = truth == positive, acted == positive
    out.update(precision=float(skm.precision_score(y, p, zero_division=0)),
               recall=float(skm.recall_score(y, p, zero_division=0)), f1=float(skm.f1_score(y, p, zero_division=0)))
    proba = pd.to_numeric(known["probability"], errors="coerce")
    if y.any() and not y.all() and proba.notna().all():
        out["roc_auc"] = float(skm.roc_auc_score(y, proba))
    if costs is not None:
        tp, fp = int((y & p).sum()), int((~y & p).sum())
        fn, tn = int((y & ~p).sum()), int((~y & ~p).sum())
        out["cost_per_case"] = float(costs.cost_per_case(tp, fp, fn, tn))
    return out


def _regression(df: pd.DataFrame) -> dict[str, float]:
    """RMSE, MAE and R² of the predictions with a known true value."""
    y = pd.to_numeric(df["true_value"], errors="coerce")
    p = pd.to_numeric(df["prediction"], errors="coerce")
    keep = y.notna() & p.notna()
    y, p = y[keep].to_numpy(), p[keep].to_numpy()
    if y.size == 0:
        return {}
    err = p - y
    out = {"rmse": float(np.sqrt(np.mean(err ** 2))), "mae": float(np.mean(np.abs(err)))}
    if y.size > 1 and np.var(y) > 0:
        out["r2"] = float(1 - np.sum(err ** 2) / np.sum((y - y.mean()) ** 2))
    return out


def feedback_metrics(df: pd.DataFrame, problem_type: str, positive: str | None = None,
                     costs: CostMatrix | None = None) -> dict[str, float]:
    """Metrics of the predictions that received feedback (plus ``n``)."""
    if df.empty:
        return {"n": 0}
    values = _regression(df) if problem_type == "regression" else _classification(
        df, positive if problem_type == "binary" else None, costs)
    return {"n": int(len(df)), **values}


@dataclass(frozen=True)
class MonitorTarget:
    """A level a metric on feedback must hold: ``min`` (at least) or ``max`` (at most)."""

    metric: str
    direction: str
    value: float
    source: str

    def passed(self, actual: float) -> bool:
        """Whether ``actual`` holds the level."""
        return actual >= self.value if self.direction == "min" else actual <= self.value


def _context(store: Store, project_id: int) -> tuple[str, str | None, CostMatrix | None, list[MonitorTarget]]:
    """(problem type, positive class, cost matrix, targets) of the project's current model and goal."""
    card = resolve_model(store, project_id).card
    goal, _ = goals.load_goal(store, project_id)
    criteria = AcceptanceCriteria.from_dict(goal.get("acceptance"))
    costs = CostMatrix.from_dict(goal["cost_matrix"]) if goal.get("cost_matrix") else None
    targets = [MonitorTarget(metric_key(t.metric), t.direction, float(t.value), "goal")
               for t in criteria.metrics if t.metric and t.value is not None]
    if criteria.max_cost_per_case is not None and costs is not None:
        targets.append(MonitorTarget("cost_per_case", "max", float(criteria.max_cost_per_case), "goal"))
    if not targets:
        targets = _validation_targets(card)
    problem = card["target"]["problem_type"]
    return problem, card["target"].get("positive_class"), costs, targets


def _validation_targets(card: dict[str, Any]) -> list[MonitorTarget]:
    """The model's validation score, with tolerance, as the target when the goal sets none."""
    metric = card.get("metric") or {}
    score = metric.get("validation_score")
    if not isinstance(score, (int, float)):
        return []
    name = metric_key(metric.get("name", ""))
    value = float(score) if metric.get("greater_is_better", True) else -float(score)
    if name not in COMPUTABLE:
        return []
    if name in LOWER_IS_BETTER:
        return [MonitorTarget(name, "max", value * (1 + ERROR_TOLERANCE), "validation")]
    return [MonitorTarget(name, "min", value - SCORE_TOLERANCE, "validation")]


def get_metrics_over_time_df(store: Store, project_id: int, freq: str = "W") -> pd.DataFrame:
    """Feedback metrics per period of prediction time (``freq``: D, W or M), oldest first."""
    problem, positive, costs, _targets = _context(store, project_id)
    df = get_feedback_df(store, project_id)
    if df.empty:
        return pd.DataFrame(columns=["period", "n"])
    period = df["predicted_at"].dt.tz_localize(None).dt.to_period(freq).dt.start_time
    rows = [{"period": key, **feedback_metrics(part, problem, positive, costs)} for key, part in df.groupby(period)]
    return pd.DataFrame(rows).sort_values("period").reset_index(drop=True)


@dataclass
class RetrainingSignal:
    """Whether retraining is recommended, and why (each reason a catalog key with parameters)."""

    recommended: bool
    status: str
    n_feedback: int
    metrics: dict[str, float] = field(default_factory=dict)
    targets: list[MonitorTarget] = field(default_factory=list)
    reasons: list[SignalReason] = field(default_factory=list)

    def messages(self, lang: str = "en") -> list[str]:
        """The reasons as translated sentences."""
        return [r.message.text(lang) for r in self.reasons]


@dataclass(frozen=True)
class SignalReason:
    """One reason of a retraining signal: ``retrain``, ``watch`` or ``info``, and its message."""

    severity: str
    message: Message


def _reason(key: str, severity: str, **params: Any) -> SignalReason:
    return SignalReason(severity, Message(key, params))


def _drift_reason(store: Store, project_id: int) -> SignalReason | None:
    """A 'watch' reason when the newest finished batch drifted on some inputs."""
    latest = next((b for b in store_p.list_batches(store, project_id) if b.status == store_p.DONE), None)
    flagged = (latest.drift or {}).get("flagged", []) if latest else []
    if not flagged:
        return None
    return _reason("predict.monitor.reason.drift", "watch", batch=latest.id, count=len(flagged),
                   features=", ".join(flagged[:5]))


def retraining_signal(store: Store, project_id: int, *, window: int = WINDOW,
                      min_feedback: int = MIN_FEEDBACK) -> RetrainingSignal:
    """Check the latest ``window`` feedback rows against the targets; retraining when one fails."""
    try:
        problem, positive, costs, targets = _context(store, project_id)
    except UserError:
        return RetrainingSignal(False, "no_model", 0, reasons=[_reason("predict.error.no_model", "info")])
    df = get_feedback_df(store, project_id).sort_values(["predicted_at", "feedback_id"]).tail(window)
    values = feedback_metrics(df, problem, positive, costs)
    signal = RetrainingSignal(False, "ok", int(len(df)), values, targets)
    drift = _drift_reason(store, project_id)
    if len(df) < min_feedback:
        signal.status = "insufficient"
        signal.reasons.append(_reason("predict.monitor.reason.too_little_feedback", "info", n=len(df),
                                      needed=min_feedback))
    elif not targets:
        signal.status = "no_target"
        signal.reasons.append(_reason("predict.monitor.reason.no_target", "info"))
    else:
        for target in targets:
            actual = values.get(target.metric)
            if actual is not None and not target.passed(actual):
                key = "predict.monitor.reason.below_target" if target.direction == "min" else \
                    "predict.monitor.reason.above_target"
                signal.reasons.append(_reason(key, "retrain", metric=target.metric, value=round(actual, 4),
                                              target=round(target.value, 4), n=len(df), source=target.source))
        signal.recommended = any(r.severity == "retrain" for r in signal.reasons)
        signal.status = "retrain" if signal.recommended else "ok"
    if drift:
        signal.reasons.append(drift)
    return signal


def get_drift_history_df(store: Store, project_id: int) -> pd.DataFrame:
    """PSI per input per finished batch (batch, created_at, feature, psi, flagged), oldest first."""
    rows = [{"batch_id": b.id, "created_at": b.created_at, "feature": f["feature"], "psi": f["psi"],
             "flagged": f["flagged"]}
            for b in store_p.list_batches(store, project_id) if b.status == store_p.DONE
            for f in (b.drift or {}).get("features", [])]
    df = pd.DataFrame(rows, columns=["batch_id", "created_at", "feature", "psi", "flagged"])
    return df.sort_values(["created_at", "batch_id"], kind="stable").reset_index(drop=True)
