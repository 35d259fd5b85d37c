"""The Business Goal sheet (Step 1's deliverable) as HTML, Markdown and JSON.

:func:`goal_document` turns a goal into a :class:`~core.report.document.Document` (translated,
money in the goal's currency); :func:`goal_markdown` and :func:`goal_html` render that one
document, so both always say the same thing. Charts are the page's own Plotly figures
(``core.value.plots``), their user text escaped. :func:`goal_json` / :func:`import_goal_json`
move a whole goal between projects (an import is a template: sign-offs and stakeholder answers
stay behind).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Iterable

import pandas as pd

from core.errors import UserError
from core.report.document import Block, Document, Section, chart_text, phrase_of, t
from core.report.goal_text import (acceptance_lines, display_unit, money_text, number_text, owners_df,
                                   scenario_overrides, verdict_text)
from core.report.html import render_html
from core.report.markdown import render_markdown
from core.value import (BusinessGoal, SignOff, compare_scenarios, cumulative_net_df, current_signoffs, formula_label,
                        label, param_label, plot_cumulative_net, plot_scenarios, plot_tornado, roi_summary, signed_off,
                        tornado_df, validate)
from core.value.decisions import policy_label
from core.value.goal import SCHEMA_VERSION

FORMAT = "ml-enablement-studio.business-goal"
MAX_IMPORT_BYTES = 2_000_000
TORNADO_PCT = 0.2


# --------------------------------------------------------------------------- sections


def _num(value: float | None, lang: str) -> str:
    return number_text(value, lang, digits=4)


def _money(value: float | None, goal: BusinessGoal, lang: str) -> str:
    return money_text(value, goal.currency, lang)


def _statement(goal: BusinessGoal, lang: str) -> list[Block]:
    fields = ("as_a", "i_want", "so_that", "before", "after", "problem_owner")
    pairs = [(t(f"business.statement.{f}", lang), getattr(goal.statement, f) or "—") for f in fields]
    return [Block("pairs", rows=pairs)]


def _formulas(goal: BusinessGoal, lang: str) -> list[Block]:
    if not goal.formulas:
        return [Block("alert", t("value.issue.no_formula", lang), tone="bad")]
    header = [t(f"business.param.{c}", lang) for c in ("label", "name", "value", "unit", "owner", "confidence")]
    blocks: list[Block] = []
    for formula in goal.formulas:
        blocks.append(Block("heading", t("business.formula.heading", lang, name=formula_label(formula.name, lang),
                                         period=t(f"value.period.{formula.period}", lang))))
        blocks.append(Block("code", formula.expression or "—"))
        try:
            result = formula.evaluate()
            shown = _money(result, goal, lang) if formula.is_money else f"{_num(result, lang)} {formula.unit_label}"
            blocks.append(Block("alert", t("business.formula.result", lang, value=shown,
                                           period=t(f"value.period.{formula.period}", lang)), tone="ok"))
        except UserError as exc:
            blocks.append(Block("alert", phrase_of(exc, lang), tone="bad"))
        rows = [(param_label(p.name, lang), p.name, _num(p.value, lang), display_unit(p.unit, goal.currency),
                 label(p.owner, lang) if p.owner else "—", t(f"value.confidence.{p.confidence}", lang))
                for p in formula.parameters]
        if rows:
            blocks.append(Block("table", rows=rows, header=header))
    return blocks


def _owners(goal: BusinessGoal, lang: str) -> list[Block]:
    df = owners_df(goal, lang)
    header = [t(f"business.owners.{c}", lang) for c in ("owner", "number", "value", "formula")]
    rows = [(r.owner, r.number, _money(r.value, goal, lang) if r.unit == goal.currency
             else f"{_num(r.value, lang)} {r.unit}".strip(), r.formula) for r in df.itertuples()]
    return [Block("text", t("business.owners.help", lang)), Block("table", rows=rows, header=header)]


def _roi(goal: BusinessGoal, lang: str) -> list[Block]:
    formula, roi = goal.value_formula(), goal.roi
    op_period = roi.operation_period or (formula.period if formula else roi.period)
    pairs = [(t("business.roi.formula", lang), formula_label(formula.name, lang) if formula else "—"),
             (t("business.roi.development_cost", lang), _money(roi.development_cost, goal, lang)),
             (t("business.roi.operation_cost", lang), t("business.roi.amount_per", lang, period=t(
                 f"value.period.{op_period}", lang), amount=_money(roi.operation_cost, goal, lang))),
             (t("business.roi.horizon", lang), t("business.roi.horizon_value", lang, days=number_text(
                 roi.horizon_days, lang, 0), years=number_text(roi.horizon_days / 365, lang, 1)))]
    try:
        inputs = goal.roi_inputs()
        summary = roi_summary(inputs)
        df = cumulative_net_df(inputs)
    except UserError as exc:
        return [Block("pairs", rows=pairs), Block("alert", phrase_of(exc, lang), tone="bad")]
    pairs += [(t("business.roi.value_per_day", lang), _money(summary.value_per_day, goal, lang)),
              (t("business.roi.cost_per_day", lang), _money(summary.cost_per_day, goal, lang)),
              (t("business.roi.net_per_day", lang), _money(summary.net_per_day, goal, lang)),
              (t("business.roi.net_at_horizon", lang), _money(summary.net_at_horizon, goal, lang))]
    tone = {"pays_back": "ok", "loss": "bad"}.get(summary.verdict, "info")
    return [Block("pairs", rows=pairs), Block("alert", verdict_text(summary, goal, lang), tone=tone),
            Block("figure", figure=plot_cumulative_net(df, summary.break_even_day, goal.currency, lang))]


def _break_even(day: Any, lang: str) -> str:
    return t("value.plot.never", lang) if pd.isna(day) else t("business.roi.day", lang, day=int(day))


def _scenarios(goal: BusinessGoal, lang: str) -> list[Block]:
    formula = goal.value_formula()
    if not goal.scenarios or formula is None:
        return [Block("text", t("business.scenarios.none", lang))]
    try:
        df = compare_scenarios(formula, scenario_overrides(goal), goal.roi)
    except UserError as exc:
        return [Block("alert", phrase_of(exc, lang), tone="bad")]
    header = [t(f"business.scenarios.{c}", lang) for c in ("name", "value_per_day", "net_per_day", "break_even",
                                                            "verdict")]
    rows = [(r.scenario, _money(r.value_per_day, goal, lang), _money(r.net_per_day, goal, lang),
             _break_even(r.break_even_day, lang), t(f"value.verdict.{r.verdict}", lang)) for r in df.itertuples()]
    try:
        figure = plot_scenarios(df.assign(scenario=df["scenario"].map(chart_text)), goal.currency, lang)
        return [Block("table", rows=rows, header=header), Block("figure", figure=figure)]
    except ArithmeticError:  # amounts beyond what the chart labels can format
        return [Block("table", rows=rows, header=header)]


def _sensitivity(goal: BusinessGoal, lang: str) -> list[Block]:
    formula = goal.value_formula()
    try:
        df = tornado_df(formula, goal.roi, TORNADO_PCT) if formula else None
    except UserError:
        df = None
    if df is None or df.empty:
        return [Block("text", t("business.sensitivity.none", lang))]
    pct = round(TORNADO_PCT * 100)
    header = [t("business.param.label", lang), t("business.param.value", lang),
              t("business.sensitivity.low", lang, pct=pct), t("business.sensitivity.high", lang, pct=pct)]
    rows = [(param_label(r.parameter, lang), _num(r.base_value, lang), _break_even(r.break_even_low, lang),
             _break_even(r.break_even_high, lang)) for r in df.itertuples()]
    figure = plot_tornado(df, lang, horizon_days=goal.roi.horizon_days, pct=TORNADO_PCT)
    return [Block("text", t("business.sensitivity.help", lang, pct=pct)), Block("table", rows=rows, header=header),
            Block("figure", figure=figure)]


def _costs(goal: BusinessGoal, lang: str) -> list[Block]:
    pairs = []
    if goal.cost_matrix is not None:
        pairs += [(t(f"business.costs.{c}", lang), _money(getattr(goal.cost_matrix, c), goal, lang))
                  for c in ("tp", "fp", "fn", "tn")]
    spec = goal.regression_cost
    if spec is not None and (spec.under_cost is not None or spec.over_cost is not None):
        pairs += [(t("business.costs.under", lang, currency=goal.currency), _money(spec.under_cost, goal, lang)),
                  (t("business.costs.over", lang, currency=goal.currency), _money(spec.over_cost, goal, lang))]
    elif spec is not None:
        pairs += [(t("business.costs.cost_per_unit", lang), _money(spec.cost_per_unit, goal, lang)),
                  (t("business.costs.tolerance", lang), f"{_num(spec.tolerance, lang)} {spec.unit}".strip())]
    pairs.append((t("business.costs.target", lang), _money(goal.acceptance.max_cost_per_case, goal, lang)))
    practice = goal.practice
    kind = goal.preconditions.problem_type
    if kind:
        cases = f"{_num(practice.cases, lang)} {practice.unit} {t(f'value.period.{practice.period}', lang)}"
        pairs += [(t("business.practice.policy", lang), policy_label(practice.policy_for(kind), lang)),
                  (t("business.practice.cases", lang), cases if practice.cases is not None else "—")]
    warnings = [Block("alert", t(key, lang), tone="bad") for key in (goal.cost_matrix.warnings()
                                                                      if goal.cost_matrix else [])]
    blocks = [Block("pairs", rows=pairs), *warnings]
    table = goal.class_costs
    if table is not None:
        header = [t("business.costs.class_corner", lang), *table.classes]
        rows = [(actual, *[_money(c, goal, lang) for c in row]) for actual, row in zip(table.classes, table.costs,
                                                                                       strict=True)]
        blocks += [Block("heading", t("business.costs.class_table", lang)), Block("table", rows=rows, header=header)]
    return blocks


def _choice(group: str, value: str, lang: str) -> str:
    return t(f"value.{group}.{value}", lang) if value else "—"


def _preconditions(goal: BusinessGoal, lang: str) -> list[Block]:
    pre, speed = goal.preconditions, goal.preconditions.speed
    if speed.kind == "batch":
        shown = t("business.pre.batch_line", lang, items=_num(speed.items, lang),
                  minutes=_num(speed.window_minutes, lang))
    else:
        shown = t("business.pre.online_line", lang, ms=_num(speed.latency_ms, lang))
    pairs = [(t("business.pre.problem_type", lang), _choice("problem_type", pre.problem_type, lang)),
             (t("business.pre.target", lang), pre.target_description or "—"),
             (t("business.pre.speed", lang), f"{shown} {speed.note}".strip()),
             (t("business.pre.env", lang), _choice("env", pre.inference_env, lang)),
             (t("business.pre.explanation", lang), _choice("explanation", pre.explanation, lang)),
             (t("business.pre.reason", lang), pre.explanation_reason or "—")]
    return [Block("pairs", rows=pairs)]


def _agreement(goal: BusinessGoal, lang: str, signoffs: list[SignOff]) -> list[Block]:
    header = [t(f"business.check.{c}", lang) for c in ("role", "question", "status", "answer", "date")]
    rows = [(label(c.role, lang), label(c.question, lang), t(f"value.status.{c.status}", lang), c.answer, c.date)
            for c in goal.checklist]
    blocks = [Block("table", rows=rows, header=header)] if rows else []
    current = current_signoffs(signoffs)
    if any(s.decision == "reject" for s in current):
        blocks.append(Block("alert", t("value.issue.rejected", lang), tone="bad"))
    elif signed_off(current):
        blocks.append(Block("alert", t("business.signoff.done", lang), tone="ok"))
    else:
        blocks.append(Block("alert", t("value.issue.not_signed_off", lang), tone="info"))
    header = [t(f"business.signoff.{c}", lang) for c in ("name", "role", "decision", "comment", "date")]
    rows = [(s.name, label(s.role, lang), t(f"value.decision.{s.decision}", lang), s.comment, s.date)
            for s in signoffs]
    return blocks + ([Block("table", rows=rows, header=header)] if rows else [])


def sheet_sections(goal: BusinessGoal, lang: str, signoffs: Iterable[SignOff] = ()) -> list[Section]:
    """The sheet's sections in reading order (``signoffs`` come from the review log)."""
    signoffs = list(signoffs)
    issues = validate(goal, signoffs=signoffs)
    status = ([Block("list", rows=[t(k, lang) for k in issues])] if issues
              else [Block("alert", t("business.status.complete", lang), tone="ok")])
    parts = [("status", status), ("statement", _statement(goal, lang)), ("formulas", _formulas(goal, lang)),
             ("owners", _owners(goal, lang)), ("roi", _roi(goal, lang)),
             ("scenarios", _scenarios(goal, lang)), ("sensitivity", _sensitivity(goal, lang)),
             ("costs", _costs(goal, lang)),
             ("acceptance", [Block("list", rows=acceptance_lines(goal, lang) or ["—"])]),
             ("preconditions", _preconditions(goal, lang)), ("agreement", _agreement(goal, lang, signoffs))]
    return [Section(key, t(f"business.section.{key}", lang), blocks) for key, blocks in parts]


# --------------------------------------------------------------------------- the document


def goal_document(goal: BusinessGoal, project_name: str, lang: str, signoffs: Iterable[SignOff] = (),
                  today: date | None = None) -> Document:
    """The sheet as one document: its title, the project, date and currency, the sections."""
    title = t("business.sheet.title", lang, title=goal.title.strip() or project_name)
    meta = t("business.sheet.meta", lang, project=project_name, date=(today or date.today()).isoformat(),
             currency=goal.currency)
    return Document(title, lang, sheet_sections(goal, lang, signoffs), meta=meta)


def goal_markdown(goal: BusinessGoal, project_name: str, lang: str, signoffs: Iterable[SignOff] = (),
                  today: date | None = None) -> str:
    """The sheet as Markdown (for slides and chat); charts are left to the HTML sheet."""
    return render_markdown(goal_document(goal, project_name, lang, signoffs, today))


def goal_html(goal: BusinessGoal, project_name: str, lang: str, signoffs: Iterable[SignOff] = (),
              today: date | None = None) -> str:
    """The sheet as one self-contained HTML page (plotly.js inline in the first chart; opens offline)."""
    return render_html(goal_document(goal, project_name, lang, signoffs, today))


# --------------------------------------------------------------------------- JSON


def goal_json(goal: BusinessGoal, signoffs: Iterable[SignOff] = ()) -> str:
    """The whole goal as JSON (with the review log's sign-offs, for the record)."""
    data = {"format": FORMAT, **goal.to_dict(), "signoffs": [s.to_dict() for s in signoffs]}
    return json.dumps(data, ensure_ascii=False, indent=2)


_KNOWN_KEYS = {"statement", "formulas", "roi", "scenarios", "cost_matrix", "class_costs", "regression_cost",
               "practice", "acceptance", "preconditions", "checklist"}


def import_goal_json(content: str | bytes) -> BusinessGoal:
    """A goal from exported JSON, as a template: sign-offs dropped, stakeholder answers reset.

    Raises a UserError (``business.import.*`` or ``value.*``) for anything that is not a goal.
    """
    if len(content) > MAX_IMPORT_BYTES:
        raise UserError("business.import.too_large", max=MAX_IMPORT_BYTES // 1_000_000)
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UserError("business.import.not_utf8") from None
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        raise UserError("business.import.bad_json", line=exc.lineno, column=exc.colno) from None
    except RecursionError:
        raise UserError("business.import.not_a_goal") from None
    if not isinstance(data, dict) or not _KNOWN_KEYS & set(data) or data.get("format", FORMAT) != FORMAT:
        raise UserError("business.import.not_a_goal")
    version = data.get("schema_version", SCHEMA_VERSION)
    if isinstance(version, (int, float)) and version > SCHEMA_VERSION:
        raise UserError("business.import.newer_version")
    try:
        goal = BusinessGoal.from_dict(data)
    except (TypeError, ValueError, AttributeError, RecursionError, OverflowError):
        raise UserError("business.import.not_a_goal") from None
    goal.signoffs = []
    for item in goal.checklist:
        item.status, item.answer, item.date = "open", "", ""
    return goal
