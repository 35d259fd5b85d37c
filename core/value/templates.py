"""Built-in value-formula templates, each with default parameters and their owners.

Formula and parameter names are identifiers; show them with :func:`formula_label` and
:func:`param_label` (catalog keys ``value.fname.<name>`` / ``value.param.<name>``, free
names are returned unchanged). Owners are role ids (see ``core.value.checklist.ROLES``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from core.errors import UserError
from core.i18n import has, t
from core.value.formula import Parameter, ValueFormula

ROI_OWNERS: dict[str, str] = {"development_cost": "system_admin", "operation_cost": "system_operations"}
"""Who owns the ROI inputs: past investment figures come from system admin / IT audit,
running costs from system operations."""


def formula_label(name: str, lang: str) -> str:
    """Translated name of a built-in formula, else ``name`` itself."""
    key = f"value.fname.{name}"
    return t(key, lang) if has(key) else name


def param_label(name: str, lang: str) -> str:
    """Translated label of a built-in parameter, else ``name`` itself."""
    key = f"value.param.{name}"
    return t(key, lang) if has(key) else name


def _p(name: str, value: float, unit: str, owner: str) -> Parameter:
    """A template parameter (an estimate until its owner confirms it)."""
    return Parameter(name=name, value=value, unit=unit, owner=owner)


def labour_saving(workers_before: float = 20, hours_before: float = 7.5, workers_after: float = 2,
                  hours_after: float = 7.5, hourly_pay: float = 1200) -> ValueFormula:
    """Labour saved per day: (people × hours before − after) × hourly pay."""
    return ValueFormula(
        name="labour_saving",
        expression="(workers_before * hours_before - workers_after * hours_after) * hourly_pay",
        parameters=[_p("workers_before", workers_before, "people", "checking_team"),
                    _p("hours_before", hours_before, "h/day", "checking_team"),
                    _p("workers_after", workers_after, "people", "checking_team"),
                    _p("hours_after", hours_after, "h/day", "checking_team"),
                    _p("hourly_pay", hourly_pay, "money/h", "hr")],
        period="day")


def qcd_quality(before: float = 30, after: float = 10, loss: float = 50_000) -> ValueFormula:
    """Q: complaints avoided per month × loss per complaint."""
    return ValueFormula(
        name="quality", expression="(complaints_before - complaints_after) * loss_per_complaint",
        parameters=[_p("complaints_before", before, "complaints/month", "quality_assurance"),
                    _p("complaints_after", after, "complaints/month", "quality_assurance"),
                    _p("loss_per_complaint", loss, "money", "quality_assurance")],
        period="month")


def qcd_cost(before: float = 10, after: float = 4, hours: float = 8, pay: float = 1200) -> ValueFormula:
    """C: inspectors saved × hours per day × hourly pay."""
    return ValueFormula(
        name="cost", expression="(inspectors_before - inspectors_after) * hours * hourly_pay",
        parameters=[_p("inspectors_before", before, "people", "checking_team"),
                    _p("inspectors_after", after, "people", "checking_team"),
                    _p("hours", hours, "h/day", "checking_team"),
                    _p("hourly_pay", pay, "money/h", "hr")],
        period="day")


def qcd_delivery(before: float = 8, after: float = 3) -> ValueFormula:
    """D: inspection time saved per day (hours, not money)."""
    return ValueFormula(
        name="delivery", expression="inspection_time_before - inspection_time_after",
        parameters=[_p("inspection_time_before", before, "h/day", "checking_team"),
                    _p("inspection_time_after", after, "h/day", "checking_team")],
        period="day", unit_label="h")


def revenue_protected(customers_kept: float = 100, monthly_profit: float = 3000) -> ValueFormula:
    """Profit kept per month: customers kept × monthly profit per customer."""
    return ValueFormula(
        name="revenue_protected", expression="customers_kept * monthly_profit",
        parameters=[_p("customers_kept", customers_kept, "customers/month", "marketing"),
                    _p("monthly_profit", monthly_profit, "money/month", "finance")],
        period="month")


def custom() -> ValueFormula:
    """An empty formula to write from scratch."""
    return ValueFormula(name="value", expression="", parameters=[], period="day")


@dataclass(frozen=True)
class Template:
    """A formula template; :meth:`formulas` returns fresh, editable copies."""

    id: str
    build: Callable[[], list[ValueFormula]]

    @property
    def title_key(self) -> str:
        """Catalog key of the title."""
        return f"value.template.{self.id}.title"

    @property
    def description_key(self) -> str:
        """Catalog key of the description."""
        return f"value.template.{self.id}.description"

    def formulas(self) -> list[ValueFormula]:
        """New formula objects with the template's default parameters."""
        return self.build()


TEMPLATES: tuple[Template, ...] = (
    Template("labour_saving", lambda: [labour_saving()]),
    Template("qcd", lambda: [qcd_quality(), qcd_cost(), qcd_delivery()]),
    Template("revenue_protected", lambda: [revenue_protected()]),
    Template("custom", lambda: [custom()]),
)


def get_template(template_id: str) -> Template:
    """The template called ``template_id`` (UserError if unknown)."""
    for template in TEMPLATES:
        if template.id == template_id:
            return template
    raise UserError("value.error.unknown_template", name=template_id)
