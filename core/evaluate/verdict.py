"""Go / No-Go: each acceptance criterion of Step 1 with the measured number, and one paragraph.

Criteria: metric minimums and maximums, the value target (maximum cost per case, measured at
the chosen threshold), the human baseline (the model must beat the novice), the speed
requirement, and break-even with the measured value. Overall:

* ``go`` — every criterion is met;
* ``no_go`` — at least one criterion is not met;
* ``incomplete`` — no criterion was set, or one could not be measured (the sponsor cannot decide yet).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from core.evaluate.metrics import canonical
from core.i18n import fmt_money, fmt_number, t
from core.value import AcceptanceCriteria, check_acceptance

GO, NO_GO, INCOMPLETE = "go", "no_go", "incomplete"


@dataclass
class Criterion:
    """One checked criterion; ``passed`` is None when the number could not be measured."""

    kind: str
    metric: str
    target: float | None
    actual: float | None
    passed: bool | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return asdict(self)


@dataclass
class Verdict:
    """All criteria and the overall decision."""

    criteria: list[Criterion] = field(default_factory=list)
    overall: str = INCOMPLETE
    facts: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {"overall": self.overall, "criteria": [c.to_dict() for c in self.criteria], "facts": self.facts}


def decide(criteria: list[Criterion]) -> str:
    """go / no_go / incomplete from the criteria."""
    if any(c.passed is False for c in criteria):
        return NO_GO
    if not criteria or any(c.passed is None for c in criteria):
        return INCOMPLETE
    return GO


def build_verdict(acceptance: AcceptanceCriteria, metrics: dict[str, float | None], *,
                  cost_per_case: float | None = None, speed: Any = None, roi_verdict: str | None = None,
                  facts: dict[str, Any] | None = None) -> Verdict:
    """Check every criterion against the measured numbers (metric names in any common spelling)."""
    known = {canonical(k): v for k, v in metrics.items() if v is not None}
    lookup = {m.metric: known.get(canonical(m.metric)) for m in acceptance.metrics}
    if acceptance.human_baseline is not None:
        lookup[acceptance.human_baseline.metric] = known.get(canonical(acceptance.human_baseline.metric))
    lookup = {k: v for k, v in lookup.items() if v is not None}
    criteria = [Criterion(r.kind, r.metric, r.target, r.actual, r.passed)
                for r in check_acceptance(acceptance, lookup, cost_per_case)
                if not (r.kind.startswith("metric_") and (not r.metric or r.target is None))]
    if speed is not None and speed.kind is not None:
        actual = speed.latency_ms if speed.kind == "online" else speed.throughput
        criteria.append(Criterion(f"speed_{speed.kind}", "latency_ms" if speed.kind == "online" else "rows_per_s",
                                  speed.required, actual, speed.passed))
    if roi_verdict is not None:
        criteria.append(Criterion("break_even", "roi", None, None, roi_verdict == "pays_back"))
    return Verdict(criteria, decide(criteria), dict(facts or {}))


def criterion_text(c: Criterion, lang: str, currency: str = "JPY") -> tuple[str, str, str]:
    """(what, target, measured) of a criterion in words."""
    def num(v: float | None) -> str:
        return "—" if v is None else fmt_number(v, lang, 4)

    if c.kind == "max_cost_per_case":
        money = lambda v: "—" if v is None else fmt_money(v, currency, lang)  # noqa: E731
        return t("evaluate.criterion.max_cost_per_case", lang), money(c.target), money(c.actual)
    if c.kind.startswith("speed_"):
        unit = t(f"evaluate.unit.{c.metric}", lang)
        return t(f"evaluate.criterion.{c.kind}", lang), f"{num(c.target)} {unit}", f"{num(c.actual)} {unit}"
    if c.kind == "break_even":
        return t("evaluate.criterion.break_even", lang), t("evaluate.criterion.pays_back", lang), \
            t("evaluate.criterion.yes" if c.passed else "evaluate.criterion.no", lang)
    name = t(f"evaluate.metric.{canonical(c.metric)}", lang)
    return t(f"evaluate.criterion.{c.kind}", lang, metric=name), num(c.target), num(c.actual)


def get_verdict_df(verdict: Verdict, lang: str, currency: str = "JPY") -> pd.DataFrame:
    """One row per criterion: what, target, measured, status (passed / failed / unknown)."""
    rows = []
    for c in verdict.criteria:
        what, target, actual = criterion_text(c, lang, currency)
        status = "unknown" if c.passed is None else "passed" if c.passed else "failed"
        rows.append({"criterion": what, "target": target, "measured": actual, "status": status,
                     "status_text": t(f"evaluate.status.{status}", lang)})
    return pd.DataFrame(rows, columns=["criterion", "target", "measured", "status", "status_text"])


def verdict_paragraph(verdict: Verdict, lang: str, currency: str = "JPY") -> str:
    """One paragraph a sponsor can read: the decision, why, and what the numbers mean in money."""
    facts = verdict.facts
    total = len(verdict.criteria)
    failed = [criterion_text(c, lang, currency)[0] for c in verdict.criteria if c.passed is False]
    unknown = [criterion_text(c, lang, currency)[0] for c in verdict.criteria if c.passed is None]
    sep = "、" if lang == "ja" else ", "
    parts = [t(f"evaluate.verdict.lead.{verdict.overall}", lang, total=total, passed=total - len(failed) - len(unknown),
               failed=sep.join(failed), unknown=sep.join(unknown), rows=facts.get("rows", "—"),
               model=facts.get("model", ""))] if total else []
    if facts.get("cost_per_case") is not None and facts.get("budget"):
        key = "evaluate.verdict.cost" if facts.get("default_cost") is not None else "evaluate.verdict.cost_plain"
        parts.append(t(key, lang, cost=fmt_money(facts["cost_per_case"], currency, lang),
                       budget=fmt_money(facts["budget"], currency, lang),
                       default=fmt_money(facts.get("default_cost"), currency, lang),
                       threshold=f"{facts.get('threshold', 0.5):.2f}"))
    if facts.get("break_even_day") is not None:
        parts.append(t("evaluate.verdict.roi", lang, day=facts["break_even_day"],
                       planned=facts.get("planned_break_even_day") or "—"))
    elif facts.get("roi_verdict"):
        parts.append(t(f"evaluate.verdict.roi_{facts['roi_verdict']}", lang))
    if not verdict.criteria:
        parts.append(t("evaluate.verdict.no_criteria", lang))
    parts.append(t(f"evaluate.verdict.next.{verdict.overall}", lang))
    return ("" if lang == "ja" else " ").join(p for p in parts if p)
