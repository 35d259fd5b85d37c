"""What-if estimates side by side, sensitivity (tornado) and the 'what value pays back?' solver."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.errors import UserError
from core.report.goal_text import display_unit, scenario_overrides
from core.value import (Scenario, ValueFormula, break_even_day, compare_scenarios, param_label, plot_scenarios,
                        plot_tornado, solve_for, tornado_df, with_formula)
from ui.business.cells import number, text
from ui.business.editor import GoalEditor, save_table
from ui.context import md, show_message, tr, tr_md


def _editor_df(ed: GoalEditor, names: list[str]) -> pd.DataFrame:
    rows = [{"name": s.name, **{n: s.overrides.get(n) for n in names}, "note": s.note} for s in ed.goal.scenarios]
    df = pd.DataFrame(rows, columns=["name", *names, "note"])
    return df.astype({"name": "object", "note": "object", **{n: "float64" for n in names}})


def _rows_to_scenarios(df: pd.DataFrame, names: list[str]) -> list[Scenario]:
    out = []
    for row in df.to_dict("records"):
        overrides = {n: v for n in names if (v := number(row.get(n))) is not None}
        if text(row.get("name")) or overrides:
            out.append(Scenario(text(row.get("name")), overrides, text(row.get("note"))))
    return out


def _edit(ed: GoalEditor, formula: ValueFormula) -> None:
    """The scenarios table: a name and, per parameter, the value it assumes (blank = current value)."""
    names = [p.name for p in formula.parameters]
    config = {"name": st.column_config.TextColumn(tr("business.scenarios.name"), required=True),
              "note": st.column_config.TextColumn(tr("business.param.note"))}
    config |= {n: st.column_config.NumberColumn(param_label(n, ed.lang), format="localized",
                                                help=tr("business.scenarios.blank_help")) for n in names}
    edited = st.data_editor(_editor_df(ed, names), key="biz_scenarios", num_rows="dynamic", hide_index=True,
                            column_config=config, width="stretch", placeholder=tr("business.scenarios.current"))
    new = _rows_to_scenarios(edited, names)
    if [(s.name, s.overrides, s.note) for s in new] != [(s.name, {k: v for k, v in s.overrides.items() if k in names},
                                                          s.note) for s in ed.goal.scenarios]:
        ed.goal.scenarios = new
        save_table(ed)


def _compare(ed: GoalEditor, formula: ValueFormula) -> None:
    if not ed.goal.scenarios:
        st.info(tr("business.scenarios.none"), icon=":material/compare_arrows:")
        return
    try:
        df = compare_scenarios(formula, scenario_overrides(ed.goal), ed.goal.roi)
    except UserError as exc:
        show_message(exc, "error", ":material/error:")
        return
    shown = pd.DataFrame({
        tr("business.scenarios.name"): df["scenario"],
        tr("business.scenarios.value_per_day"): [ed.money(v, 0) for v in df["value_per_day"]],
        tr("business.scenarios.net_per_day"): [ed.money(v, 0) for v in df["net_per_day"]],
        tr("business.scenarios.break_even"): [tr("value.plot.never") if pd.isna(d) else tr("business.roi.day", day=d)
                                              for d in df["break_even_day"]],
        tr("business.scenarios.verdict"): [tr(f"value.verdict.{v}") for v in df["verdict"]],
        tr("business.roi.net_at_horizon"): [ed.money(v, 0) for v in df["net_at_horizon"]]})
    st.dataframe(shown, hide_index=True, width="stretch")
    try:
        fig = plot_scenarios(df, ed.currency, ed.lang)
    except ArithmeticError:  # amounts beyond what the chart labels can format: the table says it all
        return
    st.plotly_chart(fig, width="stretch", key="biz_chart_scenarios")


def scenarios(ed: GoalEditor) -> None:
    """Scenario editor, comparison table and chart."""
    st.subheader(tr("business.section.scenarios"))
    st.caption(tr("business.scenarios.help"))
    formula = ed.goal.value_formula()
    if formula is None:
        st.info(tr("value.issue.no_formula"), icon=":material/functions:")
        return
    _edit(ed, formula)
    _compare(ed, formula)


def sensitivity(ed: GoalEditor) -> None:
    """Tornado chart: which parameter moves the break-even most when it is ±pct off."""
    st.subheader(tr("business.section.sensitivity"))
    formula = ed.goal.value_formula()
    pct = st.slider(tr("business.sensitivity.pct"), 5, 50, 20, step=5, key="biz_tornado_pct", format="±%d%%")
    st.caption(tr("business.sensitivity.help", pct=pct))
    try:
        df = tornado_df(formula, ed.goal.roi, pct / 100) if formula else None
    except UserError as exc:
        show_message(exc, "info", ":material/info:")
        return
    if df is None or df.empty:
        st.info(tr("business.sensitivity.none"), icon=":material/info:")
        return
    if df["break_even_base"].isna().all():
        st.info(tr("business.sensitivity.no_base"), icon=":material/info:")
    else:
        st.markdown(tr("business.sensitivity.top", name=md(param_label(df["parameter"].iloc[0], ed.lang))))
    fig = plot_tornado(df, ed.lang, horizon_days=ed.goal.roi.horizon_days, pct=pct / 100)
    st.plotly_chart(fig, width="stretch", key="biz_chart_tornado")


def solver(ed: GoalEditor) -> None:
    """'What value of X pays back within N days?' for one parameter of the ROI formula."""
    st.subheader(tr("business.section.solver"))
    formula = ed.goal.value_formula()
    names = [p.name for p in formula.parameters if p.value is not None] if formula else []
    if not names:
        st.info(tr("value.issue.no_formula"), icon=":material/functions:")
        return
    left, right = st.columns(2)
    name = left.selectbox(tr("business.solver.param"), names, key="biz_solve_param",
                          format_func=lambda n: param_label(n, ed.lang))
    days = right.number_input(tr("business.solver.days"), min_value=1, max_value=36_500, value=180, step=30,
                              key="biz_solve_days")
    param = formula.parameter(name)
    try:
        target = solve_for(name, formula, ed.goal.roi, int(days))
        now = break_even_day(with_formula(ed.goal.roi, formula))
    except UserError as exc:
        show_message(exc, "info", ":material/info:")
        return
    unit = display_unit(param.unit, ed.currency)
    values = {"name": param_label(name, ed.lang), "days": int(days), "now": ed.number(param.value, 4),
              "unit": unit}
    if target is None:
        st.warning(tr_md("business.solver.none", **values), icon=":material/block:")
    elif now is not None and now <= days:
        st.success(tr_md("business.solver.already", day=now, limit=ed.number(target, 2), **values),
                   icon=":material/check_circle:")
    else:
        st.info(tr_md("business.solver.needed", value=ed.number(target, 2), **values),
                icon=":material/target:")
