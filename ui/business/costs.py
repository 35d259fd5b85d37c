"""What decisions cost: the binary cost matrix, the class cost table, regression under/over costs, today's practice."""

from __future__ import annotations

import hashlib
import re

import pandas as pd
import streamlit as st

from core.errors import UserError
from core.store.datasets import class_labels
from core.value import CostMatrix, RegressionCostSpec
from core.value.decisions import ACT_ALL, ACT_NONE, BEST, ClassCosts, always, policy_label
from core.value.formula import PERIODS
from core.value.goal import Practice
from ui.business.editor import GoalEditor, save_table, seed
from ui.context import get_store, show_message, tr

_CELLS = (("tp", "fn"), ("fp", "tn"))  # rows: actually positive / negative; columns: predicted positive / negative
_SPLIT = re.compile(r"[,、\n]+")


def _float(value: float | None) -> float | None:
    return None if value is None else float(value)


def _matrix(ed: GoalEditor) -> CostMatrix | None:
    """Four costs laid out like a confusion matrix; all blank means no matrix yet."""
    matrix = ed.goal.cost_matrix
    st.markdown(f"**{tr('business.costs.matrix')}**")
    st.caption(tr("business.costs.matrix_help"))
    values: dict[str, float | None] = {}
    head = st.columns([1, 2, 2])
    head[1].markdown(f"*{tr('business.costs.predicted_positive')}*")
    head[2].markdown(f"*{tr('business.costs.predicted_negative')}*")
    for actual, cells in zip(("actual_positive", "actual_negative"), _CELLS, strict=True):
        row = st.columns([1, 2, 2], vertical_alignment="center")
        row[0].markdown(f"*{tr(f'business.costs.{actual}')}*")
        for col, cell in zip(row[1:], cells, strict=True):
            seed(f"biz_cm_{cell}", _float(getattr(matrix, cell)) if matrix else None)
            values[cell] = col.number_input(tr(f"business.costs.{cell}"), value=None, key=f"biz_cm_{cell}", step=100.0,
                                            format=ed.money_format,
                                            help=tr(f"business.costs.{cell}_help"))
    if all(v is None for v in values.values()):
        return None
    try:
        new = CostMatrix(**{k: v or 0.0 for k, v in values.items()})
    except UserError as exc:
        show_message(exc, "error", ":material/error:")
        return matrix
    for key in new.warnings():
        st.warning(tr(key), icon=":material/warning:")
    return new


def _class_names(ed: GoalEditor) -> list[str]:
    """The classes of the table: typed by the user, seeded from the saved table or the project's data."""
    saved = ed.goal.class_costs.classes if ed.goal.class_costs else class_labels(get_store(), ed.project.id)
    seed("biz_cc_names", ", ".join(saved))
    typed = st.text_input(tr("business.costs.classes"), key="biz_cc_names", help=tr("business.costs.classes_help"))
    return list(dict.fromkeys(n.strip() for n in _SPLIT.split(typed) if n.strip()))


def _class_costs(ed: GoalEditor) -> ClassCosts | None:
    """A k×k table (rows: actual class, columns: decided class); bad cells are refused, nothing is stored."""
    st.markdown(f"**{tr('business.costs.class_table')}**")
    st.caption(tr("business.costs.class_table_help"))
    names = _class_names(ed)
    saved = ed.goal.class_costs
    if len(names) < 2:
        st.info(tr("business.costs.classes_needed"), icon=":material/category:")
        return saved
    start = ClassCosts.default(names)
    if saved is not None:
        known = {a: dict(zip(saved.classes, row, strict=True)) for a, row in zip(saved.classes, saved.costs, strict=True)}
        start = ClassCosts(names, [[known.get(a, {}).get(d, c) for d, c in zip(names, row, strict=True)]
                                   for a, row in zip(names, start.costs, strict=True)])
    df = pd.DataFrame(start.costs, index=names, columns=names, dtype="float64")
    config = {n: st.column_config.NumberColumn(n, min_value=0.0, format="localized") for n in names}
    key = "biz_cc_table_" + hashlib.sha1("\x1f".join(names).encode()).hexdigest()[:12]
    edited = st.data_editor(df, key=key, column_config=config, width="stretch")
    st.caption(tr("business.costs.class_rows"))
    try:
        new = ClassCosts(names, edited.to_numpy(dtype=object).tolist())
    except UserError as exc:
        show_message(exc, "error", ":material/error:")
        return saved
    for warning in new.warnings():
        st.warning(tr(warning), icon=":material/warning:")
    return new


def _regression(ed: GoalEditor) -> RegressionCostSpec | None:
    """Costs per unit of under- and over-prediction (or, as an option, symmetric beyond a tolerance)."""
    spec = ed.goal.regression_cost or RegressionCostSpec()
    st.markdown(f"**{tr('business.costs.regression')}**")
    symmetric = spec.under_cost is None and spec.over_cost is None and spec.cost_per_unit is not None
    seed("biz_reg_mode", "symmetric" if symmetric else "asymmetric")
    for key, value in (("under", spec.under_cost), ("over", spec.over_cost), ("cost", spec.cost_per_unit),
                       ("tol", spec.tolerance)):
        seed(f"biz_reg_{key}", _float(value))
    seed("biz_reg_unit", spec.unit)
    mode = st.radio(tr("business.costs.regression_mode"), ("asymmetric", "symmetric"), key="biz_reg_mode",
                    horizontal=True, format_func=lambda m: ed.tr(f"business.costs.mode_{m}"))
    cols = st.columns(3)
    number = {"value": None, "format": ed.money_format, "step": 100.0}
    if mode == "asymmetric":
        under = cols[0].number_input(tr("business.costs.under", currency=ed.currency), key="biz_reg_under",
                                     help=tr("business.costs.under_help"), **number)
        over = cols[1].number_input(tr("business.costs.over", currency=ed.currency), key="biz_reg_over",
                                    help=tr("business.costs.over_help"), **number)
        cost, tolerance = None, spec.tolerance
    else:
        cost = cols[0].number_input(tr("business.costs.cost_per_unit_input", currency=ed.currency), key="biz_reg_cost",
                                    **number)
        tolerance = cols[1].number_input(tr("business.costs.tolerance"), value=None, key="biz_reg_tol", step=1.0)
        under = over = None
    unit = cols[2].text_input(tr("business.costs.error_unit"), key="biz_reg_unit")
    if all(v is None for v in (under, over, cost, tolerance)) and not unit.strip():
        return None
    new = RegressionCostSpec(cost, tolerance, unit.strip(), under, over)
    priced = new.quantity_costs()
    try:
        if priced is not None:
            priced.check()
        elif mode == "asymmetric" and (under is not None or over is not None):
            raise UserError("value.costs.regression_both_zero")
        for name, value in (("cost_per_unit", cost), ("tolerance", tolerance)):
            if value is not None and value < 0:
                raise UserError("value.costs.regression_bad", field=tr(f"business.costs.{name}"))
    except UserError as exc:
        show_message(exc, "error", ":material/error:")
        return ed.goal.regression_cost
    return new


def _policies(kind: str, classes: ClassCosts | None) -> list[str]:
    """Today's practice to choose from, for the problem type ('' = the type's default)."""
    if kind == "binary":
        return [ACT_NONE, ACT_ALL, BEST]
    if kind == "multiclass":
        return [always(c) for c in (classes.classes if classes else [])] + [BEST]
    return []


def _practice(ed: GoalEditor, kind: str, classes: ClassCosts | None) -> Practice:
    """How the business decides today without a model, and how many cases it decides per period."""
    practice = ed.goal.practice
    st.markdown(f"**{tr('business.practice.title')}**")
    st.caption(tr("business.practice.help"))
    options = _policies(kind, classes)
    cols = st.columns([3, 2, 2, 2])
    policy = practice.policy
    if options:
        current = practice.policy_for(kind)
        if st.session_state.get("biz_pr_policy") not in options:  # first time, or the classes changed
            st.session_state["biz_pr_policy"] = current if current in options else options[-1]
        policy = cols[0].selectbox(tr("business.practice.policy"), options, key="biz_pr_policy",
                                   format_func=lambda p: policy_label(p, ed.lang))
    else:
        cols[0].markdown(tr("business.practice.constant"))
    seed("biz_pr_cases", _float(practice.cases))
    seed("biz_pr_period", practice.period)
    seed("biz_pr_unit", practice.unit)
    cases = cols[1].number_input(tr("business.practice.cases"), value=None, key="biz_pr_cases", step=100.0,
                                 format="%.0f", help=tr("business.practice.cases_help"))
    period = cols[2].selectbox(tr("business.practice.period"), PERIODS, key="biz_pr_period",
                               format_func=lambda p: ed.tr(f"value.period.{p}"))
    unit = cols[3].text_input(tr("business.practice.unit"), key="biz_pr_unit",
                              placeholder=tr("business.practice.unit_hint"))
    try:
        return Practice(policy, cases, period, unit.strip())
    except UserError as exc:
        show_message(exc, "error", ":material/error:")
        return practice


def _target(ed: GoalEditor) -> float | None:
    seed("biz_cm_target", _float(ed.goal.acceptance.max_cost_per_case))
    target = st.columns(2)[0].number_input(tr("business.costs.target_input", currency=ed.currency),
                                           value=None, key="biz_cm_target", step=100.0, format=ed.money_format,
                                           help=tr("business.costs.target_help"))
    if target is not None and target < 0:
        st.warning(tr("business.costs.negative_target"), icon=":material/warning:")
    return target


def _calculator(ed: GoalEditor, matrix: CostMatrix | None, target: float | None) -> None:
    """Try the matrix on a confusion matrix (not saved): cost per case against the target."""
    if matrix is None:
        return
    with st.expander(tr("business.costs.calculator"), icon=":material/calculate:"):
        cols = st.columns(4)
        counts = {c: cols[i].number_input(c.upper(), min_value=0, value=0, step=1, key=f"biz_calc_{c}")
                  for i, c in enumerate(("tp", "fp", "fn", "tn"))}
        try:
            per_case = matrix.cost_per_case(**counts)
        except UserError as exc:
            show_message(exc, "caption")
            return
        text = tr("business.costs.per_case", amount=ed.money(per_case))
        if target:
            text += " " + tr("business.costs.vs_target", ratio=ed.number(per_case / target, 1))
        (st.success if target is None or per_case <= target else st.error)(text, icon=":material/payments:")


def costs(ed: GoalEditor) -> None:
    """The cost model section; which parts show depends on the problem type (binary and regression until chosen)."""
    st.subheader(tr("business.section.costs"))
    kind = ed.goal.preconditions.problem_type
    if not kind:
        st.caption(tr("business.costs.choose_type"))
    matrix = _matrix(ed) if kind in ("", "binary") else ed.goal.cost_matrix
    classes = _class_costs(ed) if kind == "multiclass" else ed.goal.class_costs
    regression = _regression(ed) if kind in ("", "regression") else ed.goal.regression_cost
    practice = _practice(ed, kind, classes) if kind else ed.goal.practice
    target = _target(ed)
    if classes != ed.goal.class_costs:
        ed.goal.class_costs = classes
        save_table(ed)
    changed = (matrix, regression, practice, target) != (ed.goal.cost_matrix, ed.goal.regression_cost,
                                                         ed.goal.practice, ed.goal.acceptance.max_cost_per_case)
    if changed:
        ed.goal.cost_matrix, ed.goal.regression_cost, ed.goal.practice = matrix, regression, practice
        ed.goal.acceptance.max_cost_per_case = target
        ed.save()
    if kind in ("", "binary"):
        _calculator(ed, matrix, target)
