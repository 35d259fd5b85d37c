"""What prediction mistakes cost: the classification cost matrix or the regression error cost."""

from __future__ import annotations

import streamlit as st

from core.errors import UserError
from core.value import CostMatrix, RegressionCostSpec
from ui.business.editor import GoalEditor, seed
from ui.context import md, tr

_CELLS = (("tp", "fn"), ("fp", "tn"))  # rows: actually positive / negative; columns: predicted positive / negative


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
        st.error(md(exc.message(ed.lang)), icon=":material/error:")
        return matrix
    for key in new.warnings():
        st.warning(tr(key), icon=":material/warning:")
    return new


def _regression(ed: GoalEditor) -> RegressionCostSpec | None:
    """Cost per unit of error beyond a tolerance."""
    spec = ed.goal.regression_cost or RegressionCostSpec()
    st.markdown(f"**{tr('business.costs.regression')}**")
    seed("biz_reg_cost", _float(spec.cost_per_unit))
    seed("biz_reg_tol", _float(spec.tolerance))
    seed("biz_reg_unit", spec.unit)
    cols = st.columns(3)
    cost = cols[0].number_input(tr("business.costs.cost_per_unit_input", currency=ed.currency), value=None,
                                key="biz_reg_cost",
                                step=100.0, format=ed.money_format)
    tolerance = cols[1].number_input(tr("business.costs.tolerance"), value=None, key="biz_reg_tol", step=1.0)
    unit = cols[2].text_input(tr("business.costs.error_unit"), key="biz_reg_unit")
    for name, value in (("cost_per_unit", cost), ("tolerance", tolerance)):
        if value is not None and value < 0:
            st.error(tr("value.costs.regression_bad", field=tr(f"business.costs.{name}")), icon=":material/error:")
    if cost is None and tolerance is None and not unit.strip():
        return None
    return RegressionCostSpec(cost, tolerance, unit.strip())


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
            st.caption(md(exc.message(ed.lang)))
            return
        text = tr("business.costs.per_case", amount=ed.money(per_case))
        if target:
            text += " " + tr("business.costs.vs_target", ratio=ed.number(per_case / target, 1))
        (st.success if target is None or per_case <= target else st.error)(text, icon=":material/payments:")


def costs(ed: GoalEditor) -> None:
    """The cost model section; which parts show depends on the problem type (both until it is chosen)."""
    st.subheader(tr("business.section.costs"))
    kind = ed.goal.preconditions.problem_type
    if not kind:
        st.caption(tr("business.costs.choose_type"))
    matrix = _matrix(ed) if kind in ("", "binary", "multiclass") else ed.goal.cost_matrix
    regression = _regression(ed) if kind in ("", "regression") else ed.goal.regression_cost
    target = _target(ed)
    changed = (matrix, regression, target) != (ed.goal.cost_matrix, ed.goal.regression_cost,
                                               ed.goal.acceptance.max_cost_per_case)
    if changed:
        ed.goal.cost_matrix, ed.goal.regression_cost = matrix, regression
        ed.goal.acceptance.max_cost_per_case = target
        ed.save()
    _calculator(ed, matrix, target)
