"""The business goal: everything Step 1 (Business Understanding) produces, as one record.

``BusinessGoal.to_dict()`` gives plain JSON-ready data; ``BusinessGoal.from_dict()``
reads it back and tolerates missing keys and unknown values (files saved by older
versions), falling back to defaults. ``core.value.validation.validate`` lists what is still
missing as message keys (``value.issue.*``) for a progress tracker.

Sign-offs live in the project's review log (``core.store.reviews``: step ``business``,
kind ``signoff``, subject ``value_formula``), shared by all steps. Convert those rows
with ``signoffs_from_reviews`` and pass them to ``validate(goal, signoffs=...)``.
``BusinessGoal.signoffs`` is only a carrier for JSON export and import (a sheet shows
who signed); it is never the record of agreement.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any, Mapping

from core.errors import UserError
from core.value._serial import choice, items, nested, opt_float, text
from core.value.acceptance import AcceptanceCriteria
from core.value.checklist import ChecklistItem, SignOff, default_checklist
from core.value.costs import CostMatrix
from core.value.decisions import ACT_NONE, BEST, ClassCosts, QuantityCosts
from core.value.formula import PERIODS, ValueFormula
from core.value.roi import RoiInputs, with_formula

SCHEMA_VERSION = 2
"""2: acceptance metrics are ids (``core.value.metrics``); class costs, regression under/over costs, practice."""
PROBLEM_TYPES: tuple[str, ...] = ("regression", "binary", "multiclass")
SPEED_KINDS: tuple[str, ...] = ("batch", "online")
INFERENCE_ENVS: tuple[str, ...] = ("batch", "online", "edge")
EXPLANATIONS: tuple[str, ...] = ("required_each", "overall", "none")
SIGNOFF_STEP, SIGNOFF_KIND, SIGNOFF_SUBJECT = "business", "signoff", "value_formula"
"""Where a sign-off of the value formula is recorded in the review log."""


def _check_optional_choice(value: str, allowed: tuple[str, ...]) -> None:
    """'' (not decided yet) or one of ``allowed``."""
    if value and value not in allowed:
        raise UserError("value.error.bad_choice", value=value, allowed=", ".join(allowed))


@dataclass
class ValueStatement:
    """The value in the user's words (as a release note would say it) and who owns the problem."""

    as_a: str = ""
    i_want: str = ""
    so_that: str = ""
    before: str = ""
    after: str = ""
    problem_owner: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> ValueStatement:
        """Build from :meth:`to_dict` output, tolerating missing keys."""
        data = data or {}
        return cls(**{k: text(data, k) for k in cls.__dataclass_fields__})


@dataclass
class SpeedRequirement:
    """How fast predictions are needed.

    ``batch``: ``items`` predictions within ``window_minutes`` (e.g. 10,000 items between
    24:00 and 6:00 → 360); ``online``: each answer within ``latency_ms``.
    """

    kind: str = "batch"
    items: float | None = None
    window_minutes: float | None = None
    latency_ms: float | None = None
    note: str = ""

    def __post_init__(self) -> None:
        _check_optional_choice(self.kind, SPEED_KINDS)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> SpeedRequirement:
        """Build from :meth:`to_dict` output, tolerating missing keys."""
        data = data or {}
        return cls(choice(data, "kind", SPEED_KINDS, "batch"), opt_float(data.get("items")),
                   opt_float(data.get("window_minutes")), opt_float(data.get("latency_ms")), text(data, "note"))


@dataclass
class Preconditions:
    """Facts to settle before choosing an algorithm ('' = not decided yet)."""

    problem_type: str = ""
    target_description: str = ""
    speed: SpeedRequirement = field(default_factory=SpeedRequirement)
    inference_env: str = ""
    explanation: str = ""
    explanation_reason: str = ""

    def __post_init__(self) -> None:
        _check_optional_choice(self.problem_type, PROBLEM_TYPES)
        _check_optional_choice(self.inference_env, INFERENCE_ENVS)
        _check_optional_choice(self.explanation, EXPLANATIONS)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {**asdict(self), "speed": self.speed.to_dict()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Preconditions:
        """Build from :meth:`to_dict` output, tolerating missing keys and unknown values."""
        data = data or {}
        return cls(choice(data, "problem_type", PROBLEM_TYPES, ""), text(data, "target_description"),
                   SpeedRequirement.from_dict(nested(data, "speed", dict)),
                   choice(data, "inference_env", INFERENCE_ENVS, ""), choice(data, "explanation", EXPLANATIONS, ""),
                   text(data, "explanation_reason"))


@dataclass
class Scenario:
    """A what-if estimate: parameter overrides applied to the ROI formula."""

    name: str
    overrides: dict[str, float] = field(default_factory=dict)
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {"name": self.name, "overrides": dict(self.overrides), "note": self.note}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scenario:
        """Build from :meth:`to_dict` output; non-numeric overrides are dropped."""
        raw = data.get("overrides") if isinstance(data.get("overrides"), Mapping) else {}
        overrides = {str(k): v for k, v in ((k, opt_float(v)) for k, v in raw.items()) if v is not None}
        return cls(text(data, "name"), overrides, text(data, "note"))


@dataclass
class RegressionCostSpec:
    """What a regression error costs, per unit of the target.

    Asymmetric (the usual case: a stock-out costs more than an unsold item): ``under_cost`` per
    unit predicted too low and ``over_cost`` per unit predicted too high. Symmetric (the older
    option, still offered): ``cost_per_unit`` beyond ``tolerance`` either way
    (see ``costs.regression_cost``). ``tolerance`` alone only counts predictions within it.
    """

    cost_per_unit: float | None = None
    tolerance: float | None = None
    unit: str = ""
    under_cost: float | None = None
    over_cost: float | None = None

    def quantity_costs(self) -> QuantityCosts | None:
        """The costs a decision is priced with, or None when the spec prices nothing."""
        if self.under_cost is not None or self.over_cost is not None:
            return QuantityCosts(under=self.under_cost or 0.0, over=self.over_cost or 0.0)
        if self.cost_per_unit:
            return QuantityCosts(per_unit=self.cost_per_unit, tolerance=self.tolerance)
        return None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RegressionCostSpec:
        """Build from :meth:`to_dict` output."""
        return cls(opt_float(data.get("cost_per_unit")), opt_float(data.get("tolerance")), text(data, "unit"),
                   opt_float(data.get("under_cost")), opt_float(data.get("over_cost")))


@dataclass
class Practice:
    """How the business decides today, without a model, and how many cases it decides per period.

    ``policy``: ``act_none`` / ``act_all`` (binary), ``always:<class>`` (multiclass), ``constant``
    (regression: one quantity for every case) or ``best`` (the cheapest decision without a model).
    '' means the problem type's default (binary: act on no one; otherwise ``best``). The measured
    value per period is (today's cost per case − the model's) × ``cases``.
    """

    policy: str = ""
    cases: float | None = None
    period: str = "month"
    unit: str = ""

    def __post_init__(self) -> None:
        _check_optional_choice(self.period, PERIODS)
        if self.cases is not None and not (isinstance(self.cases, (int, float)) and 0 < self.cases < 1e15):
            raise UserError("value.practice.bad_cases")

    def policy_for(self, problem_type: str) -> str:
        """The policy in effect for ``problem_type`` (the default when none was chosen)."""
        if self.policy:
            return self.policy
        return ACT_NONE if problem_type == "binary" else BEST

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Practice:
        """Build from :meth:`to_dict` output, tolerating missing keys and unknown values."""
        data = data or {}
        cases = opt_float(data.get("cases"))
        return cls(text(data, "policy"), cases if cases is not None and 0 < cases < 1e15 else None,
                   choice(data, "period", PERIODS, "month"), text(data, "unit"))


def _class_costs(data: Mapping[str, Any]) -> ClassCosts | None:
    """A stored class cost matrix, or None when it is missing or not valid any more."""
    try:
        return ClassCosts.from_dict(data)
    except UserError:
        return None


def _default_roi() -> RoiInputs:
    """Empty ROI inputs (costs not yet known)."""
    return RoiInputs(development_cost=None, operation_cost=None)


@dataclass
class BusinessGoal:
    """Step 1's deliverable: value statement, formulas, ROI, costs, criteria and agreement."""

    title: str = ""
    currency: str = "JPY"
    statement: ValueStatement = field(default_factory=ValueStatement)
    formulas: list[ValueFormula] = field(default_factory=list)
    roi_formula: str = ""
    roi: RoiInputs = field(default_factory=_default_roi)
    scenarios: list[Scenario] = field(default_factory=list)
    cost_matrix: CostMatrix | None = None
    class_costs: ClassCosts | None = None
    regression_cost: RegressionCostSpec | None = None
    practice: Practice = field(default_factory=Practice)
    acceptance: AcceptanceCriteria = field(default_factory=AcceptanceCriteria)
    preconditions: Preconditions = field(default_factory=Preconditions)
    checklist: list[ChecklistItem] = field(default_factory=default_checklist)
    signoffs: list[SignOff] = field(default_factory=list)
    example_id: str = ""

    def value_formula(self) -> ValueFormula | None:
        """The formula driving the ROI: ``roi_formula`` by name, else the first money formula."""
        for formula in self.formulas:
            if formula.name == self.roi_formula and self.roi_formula:
                return formula
        return next((f for f in self.formulas if f.is_money and f.expression.strip()), None)

    def roi_inputs(self) -> RoiInputs:
        """``roi`` with the value taken from :meth:`value_formula` (UserError if invalid)."""
        formula = self.value_formula()
        if formula is None:
            raise UserError("value.issue.no_formula")
        return with_formula(self.roi, formula)

    def update_formula(self, formula: ValueFormula, *, name: str, expression: str, period: str, unit: str) -> None:
        """Change one of the goal's formulas; the ROI keeps following it when it is renamed."""
        name = name.strip() or formula.name
        if self.roi_formula == formula.name:
            self.roi_formula = name
        formula.name, formula.expression, formula.period, formula.unit_label = name, expression, period, unit

    def remove_formula(self, index: int) -> ValueFormula:
        """Take a formula out; the ROI stops naming it (it falls back to the first money formula)."""
        formula = self.formulas.pop(index)
        if self.roi_formula == formula.name:
            self.roi_formula = ""
        return formula

    def priced(self, problem_type: str) -> bool:
        """Whether the goal puts a price on the decisions of ``problem_type``."""
        if problem_type == "binary":
            return self.cost_matrix is not None and "value.costs.all_zero" not in self.cost_matrix.warnings()
        if problem_type == "multiclass":
            return self.class_costs is not None
        spec = self.regression_cost
        return problem_type == "regression" and spec is not None and spec.quantity_costs() is not None

    def scenario_map(self) -> dict[str, dict[str, float]]:
        """Scenarios as ``compare_scenarios`` expects them (name → overrides)."""
        return {s.name: dict(s.overrides) for s in self.scenarios}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (round-trips through :meth:`from_dict`)."""
        return {
            "schema_version": SCHEMA_VERSION, "title": self.title, "currency": self.currency,
            "statement": self.statement.to_dict(), "formulas": [f.to_dict() for f in self.formulas],
            "roi_formula": self.roi_formula, "roi": self.roi.to_dict(),
            "scenarios": [s.to_dict() for s in self.scenarios],
            "cost_matrix": self.cost_matrix.to_dict() if self.cost_matrix else None,
            "class_costs": self.class_costs.to_dict() if self.class_costs else None,
            "regression_cost": self.regression_cost.to_dict() if self.regression_cost else None,
            "practice": self.practice.to_dict(),
            "acceptance": self.acceptance.to_dict(), "preconditions": self.preconditions.to_dict(),
            "checklist": [c.to_dict() for c in self.checklist],
            "signoffs": [s.to_dict() for s in self.signoffs], "example_id": self.example_id,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> BusinessGoal:
        """Build from :meth:`to_dict` output; missing parts get their defaults."""
        data = data or {}
        checklist = items(data, "checklist", ChecklistItem.from_dict) if "checklist" in data else default_checklist()
        return cls(
            title=text(data, "title"), currency=text(data, "currency") or "JPY",
            statement=ValueStatement.from_dict(nested(data, "statement", dict)),
            formulas=items(data, "formulas", ValueFormula.from_dict), roi_formula=text(data, "roi_formula"),
            roi=RoiInputs.from_dict(nested(data, "roi", dict)), scenarios=items(data, "scenarios", Scenario.from_dict),
            cost_matrix=nested(data, "cost_matrix", CostMatrix.from_dict),
            class_costs=nested(data, "class_costs", _class_costs),
            regression_cost=nested(data, "regression_cost", RegressionCostSpec.from_dict),
            practice=Practice.from_dict(nested(data, "practice", dict)),
            acceptance=AcceptanceCriteria.from_dict(nested(data, "acceptance", dict)),
            preconditions=Preconditions.from_dict(nested(data, "preconditions", dict)),
            checklist=checklist, signoffs=items(data, "signoffs", SignOff.from_dict),
            example_id=text(data, "example_id"),
        )


DECISION_FIELDS: tuple[str, ...] = ("currency", "formulas", "roi_formula", "roi", "cost_matrix", "class_costs",
                                     "regression_cost", "practice", "acceptance")
"""The parts of a goal a Test decision depends on (besides the problem type and the speed requirement)."""


def decision_fingerprint(goal: BusinessGoal) -> str:
    """A hash of what the Test step's verdict depends on: a different hash means a stored decision is stale."""
    data = goal.to_dict()
    part = {k: data[k] for k in DECISION_FIELDS}
    part["problem_type"] = goal.preconditions.problem_type
    part["speed"] = goal.preconditions.speed.to_dict()
    return hashlib.sha256(json.dumps(part, sort_keys=True, default=str).encode()).hexdigest()
