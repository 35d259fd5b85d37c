"""Go / No-Go: each acceptance criterion of Step 1 with the measured number, the reasons, and one paragraph.

Criteria: metric minimums and maximums, the value target (maximum cost per case, measured at
the chosen decision rule), the comparison with the decisions that need no model (the model must
be cheaper than every one of them beyond the uncertainty of the test rows), the human baseline
(the model must beat the novice), the speed requirement, and break-even with the measured value.
Overall:

* ``go`` — every criterion is met;
* ``no_go`` — at least one criterion is not met; the first reason says which kind: "a rule
  without ML does as well" is kept apart from "the model is too weak";
* ``incomplete`` — no criterion was set, or one could not be measured (the sponsor cannot decide yet).

Reasons are stored as ``{"key", "params"}`` with numbers and ids only, and put into words in
any language by :func:`reason_text`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from core.i18n import fmt_cost, fmt_money, fmt_number, fmt_threshold, t
from core.messages import Message
from core.value import AcceptanceCriteria, check_acceptance
from core.value.decisions import policy_label
from core.value.metrics import canonical
from core.value.metrics import metric_label as metric_name

GO, NO_GO, INCOMPLETE = "go", "no_go", "incomplete"
NO_MODEL = "beats_no_model"
NO_MODEL_REASON = "evaluate.reason.no_model"


@dataclass
class Criterion:
    """One checked criterion; ``passed`` is None when the number could not be measured."""

    kind: str
    metric: str
    target: float | None
    actual: float | None
    passed: bool | None
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Criterion:
        """Inverse of :meth:`to_dict`."""
        return cls(data.get("kind", ""), data.get("metric", ""), data.get("target"), data.get("actual"),
                   data.get("passed"), dict(data.get("detail") or {}))


@dataclass
class Verdict:
    """All criteria, the overall decision and why."""

    criteria: list[Criterion] = field(default_factory=list)
    overall: str = INCOMPLETE
    facts: dict[str, Any] = field(default_factory=dict)
    reasons: list[Message] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {"overall": self.overall, "criteria": [c.to_dict() for c in self.criteria], "facts": self.facts,
                "reasons": [r.to_dict() for r in self.reasons]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Verdict:
        """Inverse of :meth:`to_dict` (a stored decision's verdict)."""
        return cls([Criterion.from_dict(c) for c in data.get("criteria") or []], data.get("overall", INCOMPLETE),
                   dict(data.get("facts") or {}), [Message.from_dict(r) for r in data.get("reasons") or []])


def decide(criteria: list[Criterion]) -> str:
    """go / no_go / incomplete from the criteria."""
    if any(c.passed is False for c in criteria):
        return NO_GO
    if not criteria or any(c.passed is None for c in criteria):
        return INCOMPLETE
    return GO


def no_model_criterion(decision: Any) -> Criterion:
    """The model against the decisions that need no model (``decision``: a ``DecisionResult``)."""
    rival = (decision.rivals or [decision.best_policy])[0]
    detail = {"policy": rival.policy, "saving": rival.saving.to_dict(), "beaten": [p.policy for p in decision.policies
                                                                                  if p.beaten]}
    return Criterion(NO_MODEL, "cost_per_case", rival.test_cost, decision.model_test_cost, decision.beats_all, detail)


def _reasons(criteria: list[Criterion], overall: str, facts: dict[str, Any]) -> list[Message]:
    """Why the verdict is what it is, most telling first."""
    out = []
    no_model = next((c for c in criteria if c.kind == NO_MODEL), None)
    if no_model is not None and no_model.passed is False:
        out.append(Message(NO_MODEL_REASON, {
            "policy": no_model.detail.get("policy"), "cost": no_model.target, "model_cost": no_model.actual,
            **{k: no_model.detail.get("saving", {}).get(k) for k in ("mean", "low", "high")}}))
    failed = [{"kind": c.kind, "metric": c.metric} for c in criteria if c.passed is False and c.kind != NO_MODEL]
    if failed:
        out.append(Message("evaluate.reason.failed", {"criteria": failed}))
    unknown = [{"kind": c.kind, "metric": c.metric} for c in criteria if c.passed is None]
    if unknown:
        out.append(Message("evaluate.reason.unknown", {"criteria": unknown}))
    if overall == GO:
        params = {k: facts.get(k) for k in ("value_added", "best_policy")}
        params.update(low=facts.get("value_added_low"), high=facts.get("value_added_high"))
        out.append(Message("evaluate.reason.go" if params["value_added"] is not None else "evaluate.reason.go_plain",
                           params))
    if not criteria:
        out.append(Message("evaluate.verdict.no_criteria"))
    return out


def no_model_reason(verdict: Verdict) -> Message | None:
    """The "a rule without ML does as well" reason of a verdict, if it has one."""
    return next((r for r in verdict.reasons if r.key == NO_MODEL_REASON), None)


def build_verdict(acceptance: AcceptanceCriteria, metrics: dict[str, float | None], *,
                  cost_per_case: float | None = None, speed: Any = None, roi_verdict: str | None = None,
                  decision: Any = None, roi_measurable: bool = False,
                  facts: dict[str, Any] | None = None) -> Verdict:
    """Check every criterion against the measured numbers (metric names in any common spelling).

    ``decision`` (a ``DecisionResult``) adds the comparison with the decisions that need no
    model; ``roi_measurable`` with no ``roi_verdict`` adds break-even as not measured yet.
    """
    known = {canonical(k): v for k, v in metrics.items() if v is not None}
    lookup = {m.metric: known.get(canonical(m.metric)) for m in acceptance.metrics}
    if acceptance.human_baseline is not None:
        lookup[acceptance.human_baseline.metric] = known.get(canonical(acceptance.human_baseline.metric))
    lookup = {k: v for k, v in lookup.items() if v is not None}
    criteria = [Criterion(r.kind, r.metric, r.target, r.actual, r.passed)
                for r in check_acceptance(acceptance, lookup, cost_per_case)
                if not (r.kind.startswith("metric_") and (not r.metric or r.target is None))]
    if decision is not None:
        criteria.append(no_model_criterion(decision))
    if speed is not None and speed.kind is not None:
        actual = speed.latency_ms if speed.kind == "online" else speed.throughput
        criteria.append(Criterion(f"speed_{speed.kind}", "latency_ms" if speed.kind == "online" else "rows_per_s",
                                  speed.required, actual, speed.passed))
    if roi_verdict is not None or roi_measurable:
        passed = None if roi_verdict is None else roi_verdict == "pays_back"
        criteria.append(Criterion("break_even", "roi", None, None, passed))
    facts = dict(facts or {})
    overall = decide(criteria)
    return Verdict(criteria, overall, facts, _reasons(criteria, overall, facts))


# --------------------------------------------------------------------------- in words


def criterion_text(c: Criterion, lang: str, currency: str = "JPY") -> tuple[str, str, str]:
    """(what, target, measured) of a criterion in words."""
    def num(v: float | None) -> str:
        return "—" if v is None else fmt_number(v, lang, 4)

    def money(v: float | None) -> str:
        return "—" if v is None else fmt_cost(v, currency, lang)

    if c.kind == "max_cost_per_case":
        return t("evaluate.criterion.max_cost_per_case", lang), money(c.target), money(c.actual)
    if c.kind == NO_MODEL:
        policy = policy_label(str(c.detail.get("policy", "")), lang)
        return t("evaluate.criterion.beats_no_model", lang), f"< {money(c.target)} ({policy})", money(c.actual)
    if c.kind.startswith("speed_"):
        unit = t(f"evaluate.unit.{c.metric}", lang)
        return t(f"evaluate.criterion.{c.kind}", lang), f"{num(c.target)} {unit}", f"{num(c.actual)} {unit}"
    if c.kind == "break_even":
        measured = "—" if c.passed is None else t("evaluate.criterion.yes" if c.passed else "evaluate.criterion.no",
                                                  lang)
        return t("evaluate.criterion.break_even", lang), t("evaluate.criterion.pays_back", lang), measured
    return t(f"evaluate.criterion.{c.kind}", lang, metric=metric_name(c.metric, lang)), num(c.target), num(c.actual)


def get_verdict_df(verdict: Verdict, lang: str, currency: str = "JPY") -> pd.DataFrame:
    """One row per criterion: what, target, measured, status (passed / failed / unknown)."""
    rows = []
    for c in verdict.criteria:
        what, target, actual = criterion_text(c, lang, currency)
        status = "unknown" if c.passed is None else "passed" if c.passed else "failed"
        rows.append({"criterion": what, "target": target, "measured": actual, "status": status,
                     "status_text": t(f"evaluate.status.{status}", lang)})
    return pd.DataFrame(rows, columns=["criterion", "target", "measured", "status", "status_text"])


def _names(items: list[dict[str, Any]], lang: str, currency: str) -> str:
    sep = "、" if lang == "ja" else ", "
    return sep.join(criterion_text(Criterion(i.get("kind", ""), i.get("metric", ""), None, None, None), lang,
                                   currency)[0] for i in items)


def reason_text(reason: Message, lang: str, currency: str = "JPY") -> str:
    """One reason in words (its policies named, its money in ``currency``)."""
    key, params = reason.key, dict(reason.params)
    if "criteria" in params:
        params["criteria"] = _names(params["criteria"], lang, currency)
    if params.get("policy"):
        params["policy"] = policy_label(str(params["policy"]), lang)
    if params.get("best_policy"):
        params["best_policy"] = policy_label(str(params["best_policy"]), lang)
    for name in ("cost", "model_cost", "mean", "low", "high", "value_added"):
        if name in params:
            params[name] = "—" if params[name] is None else fmt_cost(params[name], currency, lang)
    return t(key, lang, **params)


def verdict_paragraph(verdict: Verdict, lang: str, currency: str = "JPY") -> str:
    """One paragraph a sponsor can read: the decision, why, and what the numbers mean in money."""
    facts = verdict.facts
    total = len(verdict.criteria)
    failed = sum(c.passed is False for c in verdict.criteria)
    unknown = sum(c.passed is None for c in verdict.criteria)
    parts = [t("evaluate.verdict.lead", lang, total=total, passed=total - failed - unknown,
               rows=facts.get("rows", "—"))] if total else []
    parts += [reason_text(r, lang, currency) for r in verdict.reasons]
    if facts.get("cost_per_case") is not None and facts.get("budget"):
        key = "evaluate.verdict.cost" if facts.get("default_cost") is not None else "evaluate.verdict.cost_plain"
        parts.append(t(key, lang, cost=fmt_cost(facts["cost_per_case"], currency, lang),
                       budget=fmt_money(facts["budget"], currency, lang),
                       default=fmt_money(facts.get("default_cost"), currency, lang),
                       threshold=fmt_threshold(facts.get("threshold"), lang)))
    if facts.get("break_even_day") is not None:
        parts.append(t("evaluate.verdict.roi", lang, day=facts["break_even_day"],
                       planned=facts.get("planned_break_even_day") or "—",
                       practice=policy_label(str(facts.get("practice") or ""), lang)))
    elif facts.get("roi_verdict"):
        parts.append(t(f"evaluate.verdict.roi_{facts['roi_verdict']}", lang))
    no_model = no_model_reason(verdict) is not None
    parts.append(t("evaluate.verdict.next.no_model" if no_model else f"evaluate.verdict.next.{verdict.overall}", lang))
    return ("" if lang == "ja" else " ").join(p for p in parts if p)
