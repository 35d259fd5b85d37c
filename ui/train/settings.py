"""Preconditions from the business goal, turned into settings a user understands; the Train button."""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.store.projects import ProjectInfo
from core.train import PRESETS, TrainSettings, choose_metric, start_training
from core.train.settings import METRICS, env_overrides, options_from_goal, with_env_overrides
from core.value.goal import Preconditions
from ui.analyze.data import created_by_default
from ui.context import attempt, flash, get_store, md, tr, tr_md
from ui.train.runs import show_run

SELF_EXPLAINING = ("train.metric.why.f1_default", "train.metric.why.accuracy_default",
                   "train.metric.why.rmse_default", "train.metric.why.roc_auc_costs")


def _speed_line(pre: Preconditions) -> str:
    s = pre.speed
    if s.kind == "online" and s.latency_ms:
        return tr("business.pre.online_line", ms=f"{s.latency_ms:,.0f}")
    if s.items and s.window_minutes:
        return tr("business.pre.batch_line", items=f"{s.items:,.0f}", minutes=f"{s.window_minutes:,.0f}")
    return tr(f"value.speed.{s.kind}") if s.kind else "—"


def preconditions(goal: dict[str, Any], problem_type: str) -> dict[str, bool]:
    """What Step 1 decided, each with the setting it leads to; returns the suggested options."""
    options = options_from_goal(goal)
    if not goal:
        st.info(tr("train_ui.pre.no_goal"), icon=":material/savings:")
        st.page_link("pages/business.py", label=tr("nav.business"), icon=":material/savings:")
        return options
    pre = Preconditions.from_dict(goal.get("preconditions"))
    undecided = tr("business.pre.undecided")
    kind = tr(f"value.problem_type.{pre.problem_type}") if pre.problem_type else undecided
    lines = [
        (tr("business.pre.problem_type"), kind, tr("train_ui.pre.to_problem",
                                                   kind=tr(f"value.problem_type.{problem_type}"))),
        (tr("business.pre.speed"), _speed_line(pre),
         tr("train_ui.pre.to_fast_on" if options["fast_predictions"] else "train_ui.pre.to_fast_off")),
        (tr("business.pre.env"), tr(f"value.env.{pre.inference_env}") if pre.inference_env else undecided,
         tr("train_ui.pre.to_env")),
        (tr("business.pre.explanation"),
         tr(f"value.explanation.{pre.explanation}") if pre.explanation else undecided,
         tr("train_ui.pre.to_explain_on" if options["explainable_only"] else "train_ui.pre.to_explain_off")),
    ]
    st.markdown("\n".join(f"- **{md(name)}**: {md(value)} → {md(effect)}" for name, value, effect in lines))
    if pre.problem_type and pre.problem_type != problem_type:
        st.warning(tr("train_ui.pre.kind_differs", goal=kind, recipe=tr(f"value.problem_type.{problem_type}")),
                   icon=":material/rule:")
    return options


def choose_settings(project: ProjectInfo, problem_type: str, goal: dict[str, Any],
                    options: dict[str, bool], strategy: str | None = None) -> TrainSettings:
    """Preset, options and metric widgets → TrainSettings (test overrides applied and announced).

    ``strategy`` is the split's: a time split validates on the latest rows, which the presets' captions say.
    """
    pid = project.id
    names = {p: tr(f"train.preset.{p}") for p in PRESETS}
    captions = [tr(f"train_ui.preset.{p}_help" + ("_time" if strategy == "time" else "")) for p in PRESETS]
    left, right = st.columns(2)
    preset = left.radio(tr("train_ui.settings.preset"), list(PRESETS), format_func=names.__getitem__,
                        key=f"trn_preset_{pid}", captions=captions)
    explainable = right.checkbox(tr("train.option.explainable"), value=options["explainable_only"],
                                 key=f"trn_explainable_{pid}", help=tr("train.option.explainable_help"))
    fast = right.checkbox(tr("train.option.fast"), value=options["fast_predictions"], key=f"trn_fast_{pid}",
                          help=tr("train.option.fast_help"))
    choice = choose_metric(problem_type, goal)
    metrics = list(METRICS[problem_type])
    labels = {m: tr(f"train.metric.name.{m}") for m in metrics}
    metric = right.selectbox(tr("train_ui.settings.metric"), metrics, index=metrics.index(choice.name),
                             format_func=labels.__getitem__, key=f"trn_metric_{pid}_{problem_type}")
    why = choice.why_key if metric == choice.name else "train.metric.why.user"
    about = "" if why in SELF_EXPLAINING else " " + tr(f"train_ui.metric_about.{metric}")
    right.caption(tr(why) + about)
    settings = TrainSettings(preset=preset, metric=None if metric == choice.name else metric,
                             explainable_only=bool(explainable), fast_predictions=bool(fast))
    overrides = env_overrides()
    if overrides:
        st.caption(":material/science: " + tr_md("train_ui.settings.overrides", names=", ".join(sorted(overrides))))
    return with_env_overrides(settings)


def train_button(project: ProjectInfo, settings: TrainSettings, active_id: int | None) -> None:
    """Start a run in the background (a second start while one runs is refused with a message)."""
    if active_id is not None:
        st.caption(tr("train_ui.start.busy", run=active_id))
    if st.button(tr("train_ui.start.button"), type="primary", icon=":material/play_arrow:",
                 key=f"trn_start_{project.id}"):
        run_id = attempt(lambda: start_training(get_store(), project.id, settings, created_by_default(project)))
        if run_id is not None:
            show_run(run_id)
            flash(tr("train_ui.start.started", run=run_id), ":material/model_training:")
            st.rerun()
