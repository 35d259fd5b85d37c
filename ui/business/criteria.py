"""Acceptance criteria (metric targets, human baseline) and the preconditions for training."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from core.report.goal_text import acceptance_lines
from core.value import (EXPLANATIONS, INFERENCE_ENVS, PROBLEM_TYPES, SPEED_KINDS, HumanBaseline, MetricTarget,
                        Preconditions, SpeedRequirement)
from core.value.metrics import metric_label, metrics_for
from ui.business.cells import number, text
from ui.business.editor import GoalEditor, save_table, seed
from ui.context import md, tr

def _float(value: float | None) -> float | None:
    return None if value is None else float(value)


def _metric_options(ed: GoalEditor, *stored: str) -> list[str]:
    """The problem type's metric ids, plus stored names that are not ids (so they show, flagged, until changed)."""
    known = list(metrics_for(ed.goal.preconditions.problem_type))
    return known + [m for m in dict.fromkeys(stored) if m and m not in known]


def _metric_label(ed: GoalEditor, metric: str) -> str:
    return metric_label(metric, ed.lang)


def _unknown(ed: GoalEditor) -> None:
    """Flag criteria whose metric names nothing the Test step can measure (typed in an older version)."""
    for name in ed.goal.acceptance.unknown_metrics():
        st.warning(tr("business.acceptance.unknown_metric", name=md(name)), icon=":material/help:")


def _metrics(ed: GoalEditor) -> list[MetricTarget]:
    rows = [m.to_dict() for m in ed.goal.acceptance.metrics]
    df = pd.DataFrame(rows, columns=["metric", "direction", "value"]).astype(
        {"metric": "object", "direction": "object", "value": "float64"})
    options = _metric_options(ed, *df["metric"].tolist())
    config = {
        "metric": st.column_config.SelectboxColumn(tr("business.acceptance.metric"), options=options, required=True,
                                                   format_func=lambda m: _metric_label(ed, m),
                                                   help=tr("business.acceptance.metric_help")),
        "direction": st.column_config.SelectboxColumn(tr("business.acceptance.direction"), options=["min", "max"],
                                                      default="min", required=True,
                                                      format_func=lambda d: ed.tr(f"value.direction.{d}")),
        "value": st.column_config.NumberColumn(tr("business.acceptance.value"), format="localized"),
    }
    edited = st.data_editor(df, key="biz_metrics", num_rows="dynamic", hide_index=True, column_config=config,
                            width="stretch", placeholder="")
    out = []
    for row in edited.to_dict("records"):
        if text(row.get("metric")):
            direction = text(row.get("direction"))
            out.append(MetricTarget(text(row["metric"]), direction if direction in ("min", "max") else "min",
                                    number(row.get("value"))))
    return out


def _baseline(ed: GoalEditor) -> HumanBaseline | None:
    base = ed.goal.acceptance.human_baseline
    seed("biz_base_on", base is not None)
    if not st.toggle(tr("business.acceptance.baseline"), key="biz_base_on",
                     help=tr("business.acceptance.baseline_help")):
        return None
    base = base or HumanBaseline("recall")
    for key, value in (("metric", base.metric), ("novice", _float(base.novice)), ("expert", _float(base.expert)),
                       ("higher", base.higher_is_better)):
        seed(f"biz_base_{key}", value)
    cols = st.columns(4)
    options = _metric_options(ed, base.metric)
    if st.session_state.get("biz_base_metric") not in options:
        st.session_state["biz_base_metric"] = base.metric if base.metric in options else options[0]
    metric = cols[0].selectbox(tr("business.acceptance.metric"), options, key="biz_base_metric",
                               format_func=lambda m: _metric_label(ed, m))
    novice = cols[1].number_input(tr("business.acceptance.novice"), value=None, key="biz_base_novice", step=0.05)
    expert = cols[2].number_input(tr("business.acceptance.expert"), value=None, key="biz_base_expert", step=0.05)
    higher = cols[3].checkbox(tr("business.acceptance.higher"), key="biz_base_higher")
    if novice is not None and expert is not None and (novice >= expert if higher else novice <= expert):
        st.warning(tr("business.acceptance.baseline_order"), icon=":material/warning:")
    return HumanBaseline(metric.strip(), novice, expert, higher)


def acceptance(ed: GoalEditor) -> None:
    """Metric targets, the value target (from the cost section) and an optional human baseline."""
    st.subheader(tr("business.section.acceptance"))
    st.caption(tr("business.acceptance.help"))
    _unknown(ed)
    metrics = _metrics(ed)
    if metrics != ed.goal.acceptance.metrics:
        ed.goal.acceptance.metrics = metrics
        save_table(ed)
    baseline = _baseline(ed)
    if baseline != ed.goal.acceptance.human_baseline:
        ed.goal.acceptance.human_baseline = baseline
        ed.save()
    lines = acceptance_lines(ed.goal, ed.lang)
    if lines:
        st.markdown("\n".join(f"- {md(line)}" for line in lines))


def _speed(ed: GoalEditor) -> SpeedRequirement:
    speed = ed.goal.preconditions.speed
    for key, value in (("kind", speed.kind), ("items", _float(speed.items)), ("window", _float(speed.window_minutes)),
                       ("latency", _float(speed.latency_ms)), ("note", speed.note)):
        seed(f"biz_pre_{key}", value)
    kind = st.radio(tr("business.pre.speed"), SPEED_KINDS, key="biz_pre_kind", horizontal=True,
                    format_func=lambda k: ed.tr(f"value.speed.{k}"))
    cols = st.columns(3)
    if kind == "batch":
        items = cols[0].number_input(tr("business.pre.items"), value=None, key="biz_pre_items", step=1000.0,
                                     format="%.0f")
        window = cols[1].number_input(tr("business.pre.window"), value=None, key="biz_pre_window", step=60.0,
                                      format="%.0f",
                                      help=tr("business.pre.window_help"))
        speed = replace(speed, kind=kind, items=items, window_minutes=window)
    else:
        latency = cols[0].number_input(tr("business.pre.latency"), value=None, key="biz_pre_latency", step=100.0,
                                       format="%.0f")
        speed = replace(speed, kind=kind, latency_ms=latency)
    note = cols[2].text_input(tr("business.pre.note"), key="biz_pre_note", placeholder=tr("business.pre.note_hint"))
    return replace(speed, note=note)


def _choice(ed: GoalEditor, key: str, label: str, options: tuple[str, ...], group: str, value: str) -> str:
    seed(key, value)
    return st.selectbox(label, ["", *options], key=key,
                        format_func=lambda v: ed.tr(f"value.{group}.{v}") if v else ed.tr("business.pre.undecided"))


def preconditions(ed: GoalEditor) -> None:
    """Problem type, target, speed, inference environment and explanation requirement."""
    st.subheader(tr("business.section.preconditions"))
    st.caption(tr("business.pre.help"))
    pre = ed.goal.preconditions
    cols = st.columns(3)
    with cols[0]:
        kind = _choice(ed, "biz_pre_type", tr("business.pre.problem_type"), PROBLEM_TYPES, "problem_type",
                       pre.problem_type)
    with cols[1]:
        env = _choice(ed, "biz_pre_env", tr("business.pre.env"), INFERENCE_ENVS, "env", pre.inference_env)
    with cols[2]:
        expl = _choice(ed, "biz_pre_expl", tr("business.pre.explanation"), EXPLANATIONS, "explanation", pre.explanation)
    seed("biz_pre_target", pre.target_description)
    seed("biz_pre_reason", pre.explanation_reason)
    target = st.text_area(tr("business.pre.target"), key="biz_pre_target", placeholder=tr("business.pre.target_hint"))
    reason = st.text_area(tr("business.pre.reason"), key="biz_pre_reason", placeholder=tr("business.pre.reason_hint"))
    speed = _speed(ed)
    new = Preconditions(kind, target, speed, env, expl, reason)
    if new != pre:
        ed.goal.preconditions = new
        ed.save()
