"""The value formula builder: templates, formulas with their parameters, errors next to the formula."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.errors import UserError
from core.value import (CONFIDENCES, MONEY_UNIT, PERIODS, TEMPLATES, Parameter, ValueFormula, formula_label,
                        formula_names, get_template, label, param_label)
from ui.business.cells import number, role_id, text
from ui.business.editor import GoalEditor, reset_widgets, save_table, seed
from ui.context import md, show_message, tr

_COLUMNS = ["label", "name", "value", "unit", "owner", "confidence", "note"]


def _params_df(formula: ValueFormula, lang: str) -> pd.DataFrame:
    rows = [{"label": param_label(p.name, lang), "name": p.name, "value": p.value, "unit": p.unit,
             "owner": label(p.owner, lang) if p.owner else "", "confidence": p.confidence, "note": p.note}
            for p in formula.parameters]
    df = pd.DataFrame(rows, columns=_COLUMNS)
    return df.astype({"value": "float64", **{c: "object" for c in _COLUMNS if c != "value"}})


def _rows_to_params(df: pd.DataFrame) -> list[Parameter]:
    """Parameters from the edited table (rows without a name are still being typed and are skipped)."""
    params: list[Parameter] = []
    for row in df.to_dict("records"):
        name = text(row.get("name"))
        if not name:
            continue
        confidence = text(row.get("confidence"))
        param = Parameter(name, number(row.get("value")), text(row.get("unit")), role_id(row.get("owner")),
                          confidence if confidence in CONFIDENCES else "estimate", text(row.get("note")))
        if any(p.name == param.name for p in params):
            raise UserError("business.param.duplicate", name=param.name)
        params.append(param)
    return params


def _column_config(ed: GoalEditor) -> dict:
    return {
        "label": st.column_config.TextColumn(tr("business.param.label"), disabled=True),
        "name": st.column_config.TextColumn(tr("business.param.name"), help=tr("business.param.name_help")),
        "value": st.column_config.NumberColumn(tr("business.param.value"), format="localized"),
        "unit": st.column_config.TextColumn(tr("business.param.unit"), help=tr("business.param.unit_help")),
        "owner": st.column_config.TextColumn(tr("business.param.owner"), help=tr("business.param.owner_help")),
        "confidence": st.column_config.SelectboxColumn(
            tr("business.param.confidence"), options=list(CONFIDENCES), default="estimate", required=True,
            format_func=lambda c: ed.tr(f"value.confidence.{c}")),
        "note": st.column_config.TextColumn(tr("business.param.note")),
    }


def _result(ed: GoalEditor, formula: ValueFormula) -> None:
    """The formula's value, or the error in the UI language, right under the formula."""
    try:
        value = formula.evaluate()
    except UserError as exc:
        show_message(exc, "error", ":material/error:")
        return
    shown = ed.money(value) if formula.is_money else f"{ed.number(value, 4)} {formula.unit_label}"
    text = tr("business.formula.result", value=shown, period=tr(f"value.period.{formula.period}"))
    if value < 0:
        st.warning(md(text) + "  \n" + tr("business.formula.negative"), icon=":material/trending_down:")
    else:
        st.success(md(text), icon=":material/calculate:")


def _missing_names(formula: ValueFormula) -> list[str]:
    try:
        used = formula_names(formula.expression) if formula.expression.strip() else set()
    except UserError:
        return []
    have = {p.name for p in formula.parameters}
    return sorted(n for n in used if n not in have)


def _formula(ed: GoalEditor, index: int, formula: ValueFormula) -> None:
    """One formula: name, expression, period, unit, result or error, parameters table."""
    k = f"biz_f{index}_"
    for key, value in (("name", formula.name), ("expr", formula.expression), ("period", formula.period),
                       ("money", formula.is_money), ("unit", "" if formula.is_money else formula.unit_label)):
        seed(k + key, value)
    st.markdown(f"#### {md(formula_label(formula.name, ed.lang))}")
    top = st.columns([2, 1, 1])
    name = top[0].text_input(tr("business.formula.name"), key=k + "name")
    period = top[1].selectbox(tr("business.formula.period"), PERIODS, key=k + "period",
                              format_func=lambda p: ed.tr(f"value.period.{p}"))
    is_money = top[2].checkbox(tr("business.formula.money", currency=ed.currency), key=k + "money")
    expression = st.text_input(tr("business.formula.expression"), key=k + "expr", max_chars=500,
                               help=tr("business.formula.expression_help"),
                               placeholder="(workers_before - workers_after) * hours * hourly_pay")
    unit = formula.unit_label if is_money else st.text_input(tr("business.formula.unit"), key=k + "unit")
    unit = MONEY_UNIT if is_money else (unit.strip() or tr("business.formula.unit_default"))
    changed = (name.strip() or formula.name, expression, period, unit) != (formula.name, formula.expression,
                                                                           formula.period, formula.unit_label)
    if changed:
        ed.goal.update_formula(formula, name=name, expression=expression, period=period, unit=unit)
    _result(ed, formula)
    missing = _missing_names(formula)
    if missing and st.button(tr("business.formula.add_missing", names=md(", ".join(missing))), key=k + "add_missing",
                             icon=":material/playlist_add:"):
        formula.parameters += [Parameter(n) for n in missing]
        changed = True
    if changed:
        ed.save()
    edited = st.data_editor(_params_df(formula, ed.lang), key=k + "params", num_rows="dynamic", hide_index=True,
                            column_config=_column_config(ed), width="stretch", placeholder="")
    try:
        params = _rows_to_params(edited)
    except UserError as exc:
        show_message(exc, "error", ":material/error:")
        params = formula.parameters
    if params != formula.parameters:
        formula.parameters = params
        save_table(ed)
    try:
        unused = formula.unused_parameters() if formula.expression.strip() else []
    except UserError:
        unused = []
    if unused:
        st.caption(tr("business.formula.unused", names=md(", ".join(unused))))


def _remove(ed: GoalEditor, index: int) -> None:
    ed.goal.remove_formula(index)
    if ed.save():
        reset_widgets("biz_f", "biz_roi_formula", "biz_scen")
        st.rerun()


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}_{n}", n + 1
    return candidate


def _add_template(ed: GoalEditor, template_id: str) -> None:
    taken = {f.name for f in ed.goal.formulas}
    for formula in get_template(template_id).formulas():
        formula.name = _unique(formula.name, taken)
        taken.add(formula.name)
        ed.goal.formulas.append(formula)
    if ed.save():
        reset_widgets("biz_f")
        st.rerun()


def templates(ed: GoalEditor) -> None:
    """Start from a template (or blank): adds its formulas with default parameters and owners."""
    ids = [tpl.id for tpl in TEMPLATES]
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    chosen = left.selectbox(tr("business.template.pick"), ids, key="biz_template",
                            format_func=lambda i: ed.tr(f"value.template.{i}.title"))
    if right.button(tr("business.template.add"), key="biz_template_add", icon=":material/add:", type="primary"):
        _add_template(ed, chosen)
    st.caption(tr(f"value.template.{chosen}.description"))


def formulas(ed: GoalEditor) -> None:
    """The formula builder section."""
    st.subheader(tr("business.section.formulas"))
    st.caption(tr("business.formula.help"))
    templates(ed)
    if not ed.goal.formulas:
        st.info(tr("business.formula.empty"), icon=":material/functions:")
    for index, formula in enumerate(list(ed.goal.formulas)):
        with st.container(border=True):
            _formula(ed, index, formula)
            if st.button(tr("business.formula.remove"), key=f"biz_f{index}_remove", icon=":material/delete:"):
                _remove(ed, index)
