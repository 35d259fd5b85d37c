"""The Test Report (Step 6's deliverable) as one self-contained HTML file and as Markdown.

:func:`report_sections` turns an :class:`~core.evaluate.Evaluation` into titled sections of
blocks, :func:`report_document` into a whole :class:`~core.report.document.Document`, which
:mod:`core.report.html` and :mod:`core.report.markdown` render (the same renderers as every
report), so both files say the same thing. Charts are the page's own Plotly figures; every
user text drawn inside a chart (column names, group values) is escaped first because Plotly
renders a subset of HTML in labels.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from core.db import Store
from core.evaluate import Evaluation
from core.evaluate import metrics as mt
from core.evaluate import plots, slices
from core.evaluate.checklist import get_checklist_df, get_reviews_df
from core.evaluate.performance import main_metric
from core.evaluate.decision import decided_test_labels
from core.evaluate.extrapolation import get_extrapolation_df, measure_extrapolation
from core.evaluate.money import (get_class_money_df, get_decisions_df, get_quantities_df, rule_text,
                                 value_formula_text)
from core.evaluate.record import record_decision
from core.evaluate.suspicion import find_suspicions
from core.evaluate.suspicion import message as suspicion_message
from core.evaluate.value import get_roi_df, planned_gap
from core.evaluate.verdict import get_verdict_df, no_model_reason, reason_text, verdict_paragraph
from core.explain import plots as xplots
from core.explain.engine import Explanation
from core.explain.service import load_cached
from core.explain.summary import get_directions_df, get_importance_df
from core.i18n import fmt_cost, fmt_number, fmt_threshold
from core.report.document import Block, Document, Section, chart_text, phrase_of, t
from core.messages import Message
from core.report.goal_text import acceptance_lines
from core.report.html import render_html
from core.report.markdown import render_markdown
from core.store import reviews as review_store
from core.store.paths import project_dir
from core.store.test_reports import TestReportInfo, add_test_report, set_html_path
from core.value import SIGNOFF_KIND, SIGNOFF_STEP, current_signoffs, label, signoffs_from_reviews

SECTIONS = ("verdict", "goal", "data", "recipe", "training", "metrics", "value", "explanations", "slices",
            "reviews")
MAX_SLICE_COLUMNS = 3


def _n(value: Any, lang: str, digits: int = 4) -> str:
    return "—" if value is None or (isinstance(value, float) and pd.isna(value)) else fmt_number(value, lang, digits)


def _money(ev: Evaluation, value: Any, lang: str) -> str:
    return "—" if value is None or pd.isna(value) else fmt_cost(value, ev.data.goal.currency, lang)


def _h(key: str, lang: str, **params: Any) -> list[str]:
    return [t(f"evaluate.col.{k}", lang, **params) for k in key.split()]


# --------------------------------------------------------------------------- sections


def _verdict(ev: Evaluation, lang: str) -> list[Block]:
    v, cur = ev.verdict, ev.data.goal.currency
    tone = {"go": "ok", "no_go": "bad"}.get(v.overall, "info")
    df = get_verdict_df(v, lang, cur)
    rows = [(r.criterion, r.target, r.measured, r.status_text) for r in df.itertuples()]
    lead = t("evaluate.report.lead", lang, verdict=t(f"evaluate.overall.{v.overall}", lang),
             paragraph=verdict_paragraph(v, lang, cur))
    out = [Block("alert", lead, tone=tone)]
    return out + ([Block("table", rows=rows, header=_h("criterion target measured status", lang))] if rows else [])


def _goal(ev: Evaluation, lang: str) -> list[Block]:
    goal = ev.data.goal
    s = goal.statement
    pairs = [(t(f"business.statement.{f}", lang), getattr(s, f) or "—") for f in ("as_a", "i_want", "so_that")]
    formula = goal.value_formula()
    if formula is not None:
        pairs.append((t("business.roi.formula", lang), f"{formula.name} = {formula.expression}"))
    if goal.cost_matrix is not None:
        pairs += [(t(f"business.costs.{c}", lang), _money(ev, getattr(goal.cost_matrix, c), lang))
                  for c in ("tp", "fp", "fn", "tn")]
    return [Block("pairs", rows=pairs), Block("list", rows=acceptance_lines(goal, lang) or ["—"])]


def _data(ev: Evaluation, lang: str) -> list[Block]:
    rec = ev.data.run.record
    ds, train = rec.get("dataset") or {}, rec.get("training_data") or {}
    pairs = [(t("evaluate.report.dataset", lang), f"#{ds.get('id', '—')} {ds.get('label', '')}".strip()),
             (t("evaluate.report.size", lang), t("evaluate.report.size_value", lang, rows=_n(ds.get("rows"), lang, 0),
                                                   columns=_n(ds.get("columns"), lang, 0))),
             (t("evaluate.report.hash", lang), str(ds.get("content_hash", ""))[:16] or "—"),
             (t("evaluate.report.train_rows", lang), _n(train.get("rows"), lang, 0)),
             (t("evaluate.report.test_rows", lang), _n(len(ev.data.y_test), lang, 0))]
    counts = train.get("class_counts") or {}
    if counts:
        pairs.append((t("evaluate.report.classes", lang), ", ".join(f"{k}: {v:,}" for k, v in counts.items())))
    return [Block("pairs", rows=pairs)]


def _recipe(ev: Evaluation, lang: str) -> list[Block]:
    recipe, split = ev.data.recipe, ev.data.run.record.get("split") or {}
    pairs = [(t("evaluate.report.recipe", lang), str((ev.data.run.record.get("recipe") or {}).get("number", "—"))),
             (t("evaluate.report.target", lang), f"{recipe.target.column} ({recipe.target.problem_type or '—'})"),
             (t("evaluate.report.dropped", lang), ", ".join(recipe.dropped()) or "—"),
             (t("evaluate.report.types", lang), ", ".join(f"{o['column']} → {o['to']}" for o in recipe.type_overrides)
              or "—"),
             (t("evaluate.report.split", lang), t(
                 "evaluate.report.split_value", lang, strategy=split.get("strategy", "—"),
                 share=_n(split.get("test_share"), lang, 2), seed=split.get("seed", "—"),
                 train=_n(split.get("train"), lang, 0), test=_n(split.get("test"), lang, 0)))]
    return [Block("pairs", rows=pairs)]


def _training(ev: Evaluation, lang: str) -> list[Block]:
    run = ev.data.run
    rec, versions = run.record, run.record.get("versions") or {}
    pairs = [(t("evaluate.report.run", lang), f"#{run.id}"), (t("evaluate.report.model", lang), ev.data.model),
             (t("evaluate.report.preset", lang), str((run.settings or {}).get("preset", "—"))),
             (t("evaluate.report.metric", lang), t(f"evaluate.metric.{mt.canonical(rec.get('metric', ''))}", lang)),
             (t("evaluate.report.models", lang), _n(len(run.leaderboard), lang, 0)),
             (t("evaluate.report.fit_time", lang), _n((rec.get("timings") or {}).get("fit_s"), lang, 1)),
             (t("evaluate.report.seed", lang), str(rec.get("seed", "—"))),
             (t("evaluate.report.versions", lang), ", ".join(f"{k} {v}" for k, v in versions.items() if v) or "—"),
             (t("evaluate.report.code", lang), rec.get("code_version") or "—"),
             (t("evaluate.report.by", lang), f"{run.created_by or '—'} · {run.created_at:%Y-%m-%d %H:%M}")]
    return [Block("pairs", rows=pairs)]


def _metrics(ev: Evaluation, lang: str) -> list[Block]:
    data, perf = ev.data, ev.performance
    df = mt.get_metrics_df(perf.metrics, data.problem_type, lang)
    blocks = [Block("text", t("evaluate.perf.help", lang, rows=f"{len(data.y_test):,}", model=data.model))]
    blocks += [Block("alert", t(k, lang), tone="bad") for k in perf.warnings]
    blocks.append(Block("table", rows=[(r.name, _n(r.value, lang), r.meaning) for r in df.itertuples()],
                        header=_h("metric value meaning", lang)))
    if data.problem_type == "binary":
        y, p = data.y01(), data.scores
        conf = mt.get_confusion_df(mt.confusion_counts(y, p, ev.threshold_in_use), data.goal.cost_matrix)
        blocks += [Block("figure", figure=plots.plot_confusion(conf, lang, data.goal.currency)),
                   Block("figure", figure=plots.plot_roc(mt.get_roc_df(y, p), perf.metrics.get("roc_auc"), lang)),
                   Block("figure", figure=plots.plot_calibration(mt.get_calibration_df(y, p), lang))]
    elif data.problem_type == "regression":
        y = data.y_test.to_numpy(dtype=float)
        blocks += [Block("figure", figure=plots.plot_predicted_vs_actual(y, data.scores, lang)),
                   Block("figure", figure=plots.plot_histograms(y, data.scores, lang))]
    else:
        per = mt.get_per_class_df(data.y_test, decided_test_labels(data, ev.decision), data.class_labels)
        blocks.append(Block("table", rows=[(r[0], _n(r[1], lang), _n(r[2], lang), _n(r[3], lang), str(r[4]))
                                           for r in per.itertuples(index=False)],
                            header=_h("class precision recall f1 support", lang)))
    blocks += _checks(ev, lang)
    base = ev.baselines
    if not base.empty:
        rows = [(r.model, t("evaluate.yes", lang) if r.is_baseline else "", _n(r.validation, lang), _n(r.test, lang))
                for r in base.itertuples()]
        blocks.append(Block("heading", t("evaluate.compare.title", lang)))
        blocks.append(Block("table", rows=rows, header=_h("model baseline validation test", lang)))
    return blocks


def _decisions(ev: Evaluation, lang: str) -> list[Block]:
    decision, currency = ev.decision, ev.data.goal.currency
    if decision is None:
        missing = ev.decision_error or Message("evaluate.value.error.no_costs")
        return [Block("alert", phrase_of(missing, lang), tone="info")]
    rival = no_model_reason(ev.verdict)
    lead = reason_text(rival, lang, currency) if rival is not None else \
        t("evaluate.money.beats_all", lang, saving=_money(ev, decision.value_added, lang))
    df = get_decisions_df(decision, lang, currency)
    header = [t(f"evaluate.money.col.{c}", lang) for c in ("decision", "validation", "test", "saving", "status")]
    blocks = [Block("text", t("evaluate.money.help", lang, validation=f"{decision.validation_rows:,}",
                              test=f"{decision.test_rows:,}")),
              Block("text", t(f"evaluate.threshold.source_{decision.source}", lang, rows=f"{decision.validation_rows:,}")),
              Block("text", rule_text(decision, lang, currency)),
              Block("alert", lead, tone="bad" if rival is not None else "ok"),
              Block("table", rows=[(r.decision, r.validation, r.test, r.saving, r.status) for r in df.itertuples()],
                    header=header),
              Block("figure", figure=plots.plot_decision_costs(decision, currency, lang,
                                                               ev.data.goal.acceptance.max_cost_per_case))]
    if decision.rule["kind"] == "expected_cost":
        money_df = get_class_money_df(ev.data, decision).assign(actual=lambda d: d["actual"].map(chart_text),
                                                               decided=lambda d: d["decided"].map(chart_text))
        blocks.append(Block("figure", figure=plots.plot_class_money(money_df, currency, lang)))
    if ev.data.problem_type == "regression":
        q = get_quantities_df(ev.data, decision)
        cols = ("row", "actual", "prediction", "decided", "cost")
        blocks.append(Block("heading", t("evaluate.money.quantities_title", lang)))
        blocks.append(Block("table", rows=[(str(r.row), _n(r.actual, lang, 2), _n(r.prediction, lang, 2),
                                            _n(r.decided, lang, 2), _money(ev, r.cost, lang)) for r in q.itertuples()],
                            header=[t(f"evaluate.money.col.{c}", lang) for c in cols]))
    return blocks


def _checks(ev: Evaluation, lang: str) -> list[Block]:
    """Issue 13's checks: test rows beyond the training range (regression), a model too good to be true."""
    data, blocks = ev.data, []
    ex = measure_extrapolation(data) if data.problem_type == "regression" else None
    if ex is not None and ex.n_outside:
        digits = 0 if max(abs(ex.low), abs(ex.high)) >= 100 else 3
        blocks.append(Block("alert", t("evaluate_checks.extrapolation.warning", lang, count=f"{ex.n_outside:,}",
                                       below=f"{ex.below:,}", above=f"{ex.above:,}", rows=f"{ex.rows:,}",
                                       target=data.target, low=_n(ex.low, lang, digits), high=_n(ex.high, lang, digits),
                                       max_pred=_n(ex.max_prediction, lang, digits)), tone="bad"))
        df = get_extrapolation_df(ex, lang)
        blocks.append(Block("table", rows=[(r.part, str(r.rows), _n(r.rmse, lang, digits), _n(r.mae, lang, digits))
                                           for r in df.itertuples()],
                            header=[t("evaluate_checks.col.part", lang), t("evaluate_checks.col.rows", lang),
                                    t("evaluate.metric.rmse", lang), t("evaluate.metric.mae", lang)]))
    try:
        found = find_suspicions(data, ev.performance.metrics)
    except Exception:  # noqa: BLE001 - an optional check never stops the report
        found = []
    blocks += [Block("alert", suspicion_message(f, lang), tone="bad") for f in found]
    return blocks


def _value(ev: Evaluation, lang: str) -> list[Block]:
    blocks = _decisions(ev, lang)
    th = ev.threshold
    if th is not None:
        rows = [(t(f"evaluate.threshold.{r.which}", lang, threshold=fmt_threshold(r.threshold, lang)),
                 _money(ev, r.cost_per_case, lang),
                 _n(r.budget_ratio, lang, 2), _n(r.precision, lang, 3), _n(r.recall, lang, 3))
                for r in th.get_comparison_df().itertuples()]
        blocks += [Block("heading", t("evaluate.threshold.title", lang)),
                   Block("table", rows=rows, header=_h("threshold cost budget_ratio precision recall", lang)),
                   Block("figure", figure=plots.plot_threshold(th.validation_curve, th.chosen, None,
                                                               ev.data.goal.currency, lang, th.budget))]
    value = ev.value
    blocks += [Block("heading", t("evaluate.value.title", lang)), Block("text", t("evaluate.value.rule_measured", lang))]
    formula = value_formula_text(value, lang, ev.data.goal.currency, ev.data.goal.practice.unit)
    if formula is not None:
        blocks.append(Block("text", formula))
    if value.error is not None:
        blocks.append(Block("alert", phrase_of(value.error, lang), tone="info"))
    gap = planned_gap(value)
    if gap is not None:
        blocks.append(Block("alert", t("evaluate.value.gap", lang, ratio=_n(gap, lang, 1)), tone="info"))
    roi = get_roi_df(value)
    if not roi.empty:
        rows = [(t(f"evaluate.value.{r.which}", lang), f"{_money(ev, r.value_per_period, lang)} "
                 f"{t(f'value.period.{r.period}', lang)}", _money(ev, r.net_per_day, lang),
                 "—" if pd.isna(r.break_even_day) else str(int(r.break_even_day)),
                 t(f"value.verdict.{r.verdict}", lang)) for r in roi.itertuples()]
        header = [t("evaluate.col.which", lang), t("evaluate.value.per_period_any", lang)] + \
            _h("net_per_day break_even verdict", lang)
        blocks.append(Block("table", rows=rows, header=header))
    if ev.speed is not None:
        blocks.append(Block("text", t("evaluate.speed.line", lang, latency=f"{ev.speed.latency_ms:,.1f}",
                                      throughput=f"{ev.speed.throughput:,.0f}", rows=f"{ev.speed.batch_rows:,}")))
    return blocks


def _escaped(expl: Explanation, X: pd.DataFrame) -> tuple[Explanation, pd.DataFrame]:
    names = {c: chart_text(c) for c in expl.values.columns}
    return replace(expl, values=expl.values.rename(columns=names)), X.rename(columns=names).map(
        lambda v: chart_text(v) if isinstance(v, str) else v)


def _explanations(ev: Evaluation, expl: Explanation | None, lang: str) -> list[Block]:
    if expl is None:
        return [Block("alert", t("explain.report.none", lang), tone="info")]
    blocks = [Block("alert", t(f"explain.ui.method_{expl.method}", lang, share=f"{expl.exact_share:.0%}",
                               rows=expl.background_rows, seconds=_n(expl.seconds, lang, 1)),
                    tone="ok" if expl.method == "exact" else "info")]
    directions = get_directions_df(expl, ev.data.X_test, lang=lang)
    rows = [(r.feature, _n(r.importance, lang), r.direction) for r in directions.itertuples()]
    blocks.append(Block("table", rows=rows, header=_h("feature importance direction", lang)))
    safe, X = _escaped(expl, ev.data.X_test)
    blocks += [Block("figure", figure=xplots.plot_importance(safe, lang)),
               Block("figure", figure=xplots.plot_beeswarm(safe, X, lang))]
    return blocks


def _slices(ev: Evaluation, expl: Explanation | None, lang: str) -> list[Block]:
    data, metric = ev.data, main_metric(ev.data)
    threshold = ev.threshold_in_use or 0.5
    name = t(f"evaluate.metric.{metric}", lang)
    candidates = [c for c in data.raw_test.columns if c != data.target and 2 <= data.raw_test[c].nunique() <= 12]
    blocks = [Block("text", t("evaluate.slices.help", lang))]
    for column in candidates[:MAX_SLICE_COLUMNS]:
        df = slices.get_slices_df(data, column, metric, threshold)
        blocks.append(Block("heading", t("evaluate.report.slices_by", lang, column=column)))
        blocks.append(Block("table", rows=[(r.group, str(r.rows), _n(r.value, lang), "⚠" if r.flagged else "")
                                           for r in df.itertuples()], header=_h("group rows value flagged", lang)))
        escaped = df.assign(group=df["group"].map(chart_text))
        blocks.append(Block("figure", figure=plots.plot_slices(escaped, name, lang)))
    top = get_importance_df(expl)["feature"].head(5).tolist() if expl is not None else list(data.X_test.columns[:5])
    robust = slices.get_robustness_df(data, top, metric, threshold)
    blocks.append(Block("heading", t("evaluate.robust.title", lang)))
    blocks.append(Block("table", rows=[(r.column, _n(r.value, lang), _n(r.change, lang)) for r in robust.itertuples()],
                        header=_h("column value change", lang)))
    return blocks


def _reviews(store: Store, ev: Evaluation, lang: str) -> list[Block]:
    pid = ev.data.run.project_id
    check = get_checklist_df(store, pid, lang)
    blocks = [Block("table", rows=[(r.level_text, r.item, r.role, r.status_text, r.reviewer, r.date, r.comment)
                                   for r in check.itertuples()],
                    header=_h("level item role status reviewer date comment", lang))]
    recorded = get_reviews_df(store, pid, lang)
    if not recorded.empty:
        blocks.append(Block("heading", t("evaluate.review.recorded", lang)))
        blocks.append(Block("table", rows=[(r.what, r.decision_text, r.reviewer, r.role, r.date, r.comment)
                                           for r in recorded.itertuples()],
                            header=_h("item decision reviewer role date comment", lang)))
    logged = review_store.list_reviews(store, pid, SIGNOFF_STEP, SIGNOFF_KIND)
    signoffs = current_signoffs(signoffs_from_reviews(logged))
    blocks.append(Block("heading", t("evaluate.report.signoffs", lang)))
    table = [(s.name, label(s.role, lang), t(f"value.decision.{s.decision}", lang), s.date, s.comment)
             for s in signoffs]
    blocks.append(Block("table", rows=table, header=_h("reviewer role decision date comment", lang))
                  if signoffs else Block("text", t("evaluate.report.no_signoffs", lang)))
    return blocks


def report_sections(store: Store, ev: Evaluation, lang: str, explanation: Explanation | None = None) -> list[Section]:
    """The report's sections in reading order (the verdict first, for the sponsor)."""
    expl = explanation if explanation is not None else load_cached(store, ev.data.run, ev.data.model)
    parts = {"verdict": _verdict(ev, lang), "goal": _goal(ev, lang), "data": _data(ev, lang),
             "recipe": _recipe(ev, lang), "training": _training(ev, lang), "metrics": _metrics(ev, lang),
             "value": _value(ev, lang), "explanations": _explanations(ev, expl, lang),
             "slices": _slices(ev, expl, lang), "reviews": _reviews(store, ev, lang)}
    return [Section(key, t(f"evaluate.report.section.{key}", lang), parts[key]) for key in SECTIONS]


# --------------------------------------------------------------------------- the document


def _title(ev: Evaluation, lang: str) -> str:
    return t("evaluate.report.title", lang, project=ev.data.project.name if ev.data.project else "")


def report_document(store: Store, ev: Evaluation, lang: str, when: str | None = None) -> Document:
    """The whole report: title, the run, model and time (default: now), a table of contents, the sections."""
    when = when or pd.Timestamp.now().strftime("%Y-%m-%d %H:%M")
    meta = t("evaluate.report.meta", lang, run=ev.data.run.id, model=ev.data.model, when=when)
    return Document(_title(ev, lang), lang, report_sections(store, ev, lang), meta=meta, contents=True)


def report_markdown(sections: list[Section], title: str, meta: str = "") -> str:
    """The report as Markdown (charts are in the HTML file only)."""
    return render_markdown(Document(title, "", sections, meta=meta))


def report_html(sections: list[Section], title: str, lang: str, meta: str = "") -> str:
    """The report as one self-contained HTML page (plotly.js inline once; opens offline; printable)."""
    return render_html(Document(title, lang, sections, meta=meta, contents=True))


def report_paths(store: Store, info: TestReportInfo) -> tuple[Path, Path]:
    """Where a saved report's HTML and Markdown files live."""
    folder = project_dir(store, info.project_id) / "reports"
    return folder / f"test-report-{info.run_id}-{info.id}.html", folder / f"test-report-{info.run_id}-{info.id}.md"


def save_test_report(store: Store, ev: Evaluation, lang: str | None = None, by: str = "") -> TestReportInfo:
    """Render the report in ``lang`` (default: the project's language), write both files, add the row.

    The report renders the evaluation's stored decision (recorded first if it was not yet):
    generating a report never changes what Predict or promotion use.
    """
    lang = lang or (ev.data.project.language if ev.data.project else "en")
    decision = record_decision(store, ev, by)
    doc = report_document(store, ev, lang)
    data = {"decision_id": decision.id, "verdict": ev.verdict.to_dict(), "metrics": ev.performance.metrics,
            "lang": lang, "model": ev.data.model, "cost_per_case": ev.cost_per_case,
            "speed": ev.speed.to_dict() if ev.speed else None}
    info = add_test_report(store, ev.data.run.project_id, ev.data.run.id, verdict=decision.verdict, data=data)
    html_path, md_path = report_paths(store, info)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    md_path.write_text(render_markdown(doc), encoding="utf-8")
    html_path.write_text(render_html(doc), encoding="utf-8")
    relative = str(html_path.relative_to(store.artefacts))
    set_html_path(store, info.id, relative)
    return replace(info, html_path=relative)
