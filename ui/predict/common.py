"""What every Operate tab shares: the model in use, the tabs, the operator's name, labels, charts."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from core.errors import UserError
from core.i18n import fmt_number, has, t
from core.evaluate.record import ensure_decision
from core.i18n import fmt_threshold
from core.predict import DecisionRule, decision_rule, resolve_model
from core.value.metrics import metric_label as core_metric_label
from core.store.model_versions import ModelInfo
from core.store.projects import ProjectInfo
from ui.context import get_store, lang, md, message_text, tr, tr_md

QP_TAB, QP_BATCH = "tab", "batch"
TABS = {"whatif": ":material/tune:", "batch": ":material/table_view:", "monitor": ":material/monitoring:",
        "versions": ":material/history:"}
CONFIG = {"displaylogo": False}


def db_key() -> str:
    """Which database and artefact folder cached reads belong to (part of every cache key)."""
    store = get_store()
    return f"{store.engine.url}|{store.artefacts}"


def tab_label(name: str, language: str) -> str:
    """The label of one tab (icon and translated name)."""
    return f"{TABS[name]} {t(f'predict_ui.tab.{name}', language)}"


def _remember_tab(key: str, labels: dict[str, str]) -> None:
    chosen = st.session_state.get(key)
    st.query_params[QP_TAB] = next((n for n, label in labels.items() if label == chosen), "whatif")


def open_tabs(project_id: int) -> dict[str, Any]:
    """The four tabs; only the open one is run (its name is kept in the link)."""
    labels = {name: tab_label(name, lang()) for name in TABS}
    wanted = st.query_params.get(QP_TAB)
    key = f"pred_tab_{project_id}"
    tabs = st.tabs(list(labels.values()), default=labels[wanted if wanted in TABS else "whatif"], key=key,
                   on_change=_remember_tab, args=(key, labels))
    return dict(zip(TABS, tabs, strict=True))


def operating_model(project: ProjectInfo) -> ModelInfo:
    """The model predictions use (production, else the latest run); stops the page when there is none."""
    try:
        return resolve_model(get_store(), project.id)
    except UserError as exc:
        if exc.key == "predict.error.no_model":
            st.info(tr("predict_ui.no_model"), icon=":material/model_training:")
            st.page_link("pages/train.py", label=tr("nav.train"), icon=":material/model_training:")
            st.page_link("pages/evaluate.py", label=tr("nav.test"), icon=":material/fact_check:")
        else:
            st.error(message_text(exc), icon=":material/warning:")
        st.stop()
    raise AssertionError("unreachable")


def rule_of(project: ProjectInfo, model: ModelInfo) -> DecisionRule | None:
    """The decision rule batches use for this model: the Test step's stored decision (made now when missing)."""
    try:
        with st.spinner(tr("predict_ui.model.deciding")):
            return decision_rule(get_store(), project.id, model.id)
    except UserError as exc:
        st.error(message_text(exc), icon=":material/warning:")
        return None


def _reevaluate(model: ModelInfo) -> None:
    try:
        ensure_decision(get_store(), model.run_id, model.model_name, refresh_stale=True)
    except UserError as exc:
        st.session_state["pred_decision_error"] = message_text(exc)


def model_line(model: ModelInfo, rule: DecisionRule | None) -> None:
    """Which model makes the predictions, with which decision rule, and whether that decision is current."""
    if model.is_production:
        text = tr("predict_ui.model.production", version=model.version_number, run=model.run_id,
                  model=model.model_name, by=model.promoted_by or "—",
                  when=model.promoted_at.strftime("%Y-%m-%d") if model.promoted_at else "—",
                  verdict=verdict_label(model.verdict))
        st.caption(f":material/verified: {md(text)}")
    else:
        st.warning(tr("predict_ui.model.latest_run", run=model.run_id, model=model.model_name),
                   icon=":material/new_releases:")
    if rule is None:
        return
    if rule.kind == "threshold":
        st.caption(":material/tune: " + tr_md("predict_ui.model.threshold", value=fmt_threshold(rule.value, lang()),
                                              source=tr(f"predict.threshold.source.{rule.source}")))
    elif rule.kind in ("expected_cost", "quantile_shift"):
        st.caption(":material/tune: " + tr_md(f"predict_ui.model.rule_{rule.kind}",
                                              shift=num(rule.params.get("shift"), 2)))
    if rule.source == "test_step":
        st.caption(":material/gavel: " + tr("predict_ui.model.decision", id=rule.decision_id,
                                            verdict=verdict_label(rule.verdict)))
    if rule.source == "default":
        st.warning(tr("predict_ui.model.untested"), icon=":material/fact_check:")
    if rule.stale:
        st.warning(tr("predict_ui.model.stale"), icon=":material/update:")
        st.button(tr("predict_ui.model.reevaluate"), key=f"pred_reeval_{model.id}", icon=":material/refresh:",
                  on_click=_reevaluate, args=(model,))
    failed = st.session_state.pop("pred_decision_error", None)
    if failed:
        st.error(failed, icon=":material/warning:")


def verdict_label(verdict: str | None) -> str:
    """A Test step verdict in words (go, no_go, incomplete, untested)."""
    key = f"predict_ui.verdict.{verdict or 'untested'}"
    return tr(key) if has(key) else str(verdict)


def metric_label(metric: str) -> str:
    """A metric's name in words (a name that is no metric is quoted and flagged, never shown as a key)."""
    for key in (f"predict_ui.metric.{metric}", f"train.metric.name.{metric}"):
        if has(key):
            return tr(key)
    return core_metric_label(metric, lang())


def num(value: Any, digits: int = 3) -> str:
    """A number for display ('—' when missing)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    return fmt_number(float(value), lang(), digits)


def operator_name(project: ProjectInfo, where: str) -> str:
    """'Your name' (kept while switching tabs); recorded with batches, feedback and promotions."""
    keep, key = f"pred_name_{project.id}", f"pred_name_{where}_{project.id}"
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get(keep, project.owner or "")
    value = st.text_input(tr("predict_ui.name.label"), key=key, max_chars=100, help=tr("predict_ui.name.help"))
    st.session_state[keep] = value
    return value.strip()


def chart(fig: Any, key: str) -> None:
    """A Plotly figure, full width."""
    st.plotly_chart(fig, key=key, config=CONFIG, width="stretch")

