"""Stakeholder checklist and sign-offs of Step 1 (Business Understanding).

Built-in checklist questions and roles are stored as catalog keys (``value.check.*``,
role ids such as ``product_manager``); user-written ones as free text. Show either with
:func:`label`, which translates known keys and returns free text unchanged.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Iterable, Mapping

from core.errors import UserError
from core.i18n import has, t
from core.value._serial import choice, text
from core.value.formula import ValueFormula

CHECK_STATUSES: tuple[str, ...] = ("open", "asked", "answered")
DECISIONS: tuple[str, ...] = ("approve", "reject")
ROLE_PREFIX = "value.role."
ROLES: tuple[str, ...] = (
    "business_analyst", "domain_expert", "product_manager", "sponsor", "system_admin",
    "it_auditor", "data_scientist", "checking_team", "hr", "system_operations",
    "quality_assurance", "sales", "marketing", "finance", "field_operations",
)
"""Role / team ids with translated labels (``value.role.<id>``); free text is also allowed."""


def label(value: str, lang: str) -> str:
    """Translate a role id or catalog key; return free text unchanged."""
    if has(ROLE_PREFIX + value):
        return t(ROLE_PREFIX + value, lang)
    return t(value, lang) if has(value) else value


def _check_choice(value: str, allowed: tuple[str, ...]) -> None:
    """UserError for an enumerated value outside ``allowed``."""
    if value not in allowed:
        raise UserError("value.error.bad_choice", value=value, allowed=", ".join(allowed))


@dataclass
class ChecklistItem:
    """A question to put to a stakeholder, and its answer."""

    role: str
    question: str
    status: str = "open"
    answer: str = ""
    date: str = ""

    def __post_init__(self) -> None:
        _check_choice(self.status, CHECK_STATUSES)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ChecklistItem:
        """Build from :meth:`to_dict` output, tolerating missing keys."""
        return cls(text(data, "role"), text(data, "question"), choice(data, "status", CHECK_STATUSES, "open"),
                   text(data, "answer"), text(data, "date"))


@dataclass
class SignOff:
    """A stakeholder's (typically the sponsor's) decision on the business goal."""

    name: str
    role: str
    decision: str
    comment: str = ""
    date: str = ""

    def __post_init__(self) -> None:
        _check_choice(self.decision, DECISIONS)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SignOff:
        """Build from :meth:`to_dict` output; an unknown decision counts as a rejection."""
        return cls(text(data, "name"), text(data, "role"), choice(data, "decision", DECISIONS, "reject"),
                   text(data, "comment"), text(data, "date"))


_DEFAULT_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("product_manager", "value.check.qcd_priority"),
    ("domain_expert", "value.check.qcd_priority"),
    ("product_manager", "value.check.workflow_change"),
    ("domain_expert", "value.check.workflow_change"),
    ("sponsor", "value.check.sponsor_agreement"),
    ("system_admin", "value.check.past_investment"),
    ("it_auditor", "value.check.past_investment"),
)


def default_checklist() -> list[ChecklistItem]:
    """The communication exercise of Step 1 as open questions."""
    return [ChecklistItem(role, question) for role, question in _DEFAULT_QUESTIONS]


def owner_checklist(formulas: Iterable[ValueFormula], lang: str) -> list[ChecklistItem]:
    """One question per parameter owner: please confirm the parameters you own."""
    owned: dict[str, list[str]] = {}
    for formula in formulas:
        for param in formula.parameters:
            if param.owner and param.name not in owned.setdefault(param.owner, []):
                owned[param.owner].append(param.name)
    return [ChecklistItem(owner, t("value.check.confirm_parameters", lang, names=", ".join(names)))
            for owner, names in owned.items()]


def signed_off(signoffs: Iterable[SignOff]) -> bool:
    """At least one approval and no rejection."""
    decisions = [s.decision for s in signoffs]
    return "approve" in decisions and "reject" not in decisions
