"""Tab "What-if": one input per feature, pre-filled from a test row; prediction, decision and why, live.

Every input is a keyed widget: a change reruns the page and re-scores the row at once (no
submit button). The form's values are also kept outside the widgets, so they survive a
switch to another tab (Streamlit forgets the state of widgets it did not draw).
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from core.explain import plots
from core.i18n import fmt_percent
from core.evaluate.threshold import curve_thresholds
from core.i18n import fmt_threshold
from core.predict import DecisionRule, check_for_model, example_rows, get_inputs_df, score_rows
from core.store.model_versions import ModelInfo
from core.store.projects import ProjectInfo
from ui.context import attempt, get_store, lang, md, message_text, tr, tr_md
from ui.predict.batches import reasons_line
from ui.predict.common import chart, db_key, num
from ui.predict.explain import try_explain

EXAMPLES = 20
NUMERIC = ("number", "integer")


@st.cache_data(ttl=600, max_entries=8, show_spinner=False)
def _fields(db: str, project_id: int, model_id: int) -> pd.DataFrame:
    return get_inputs_df(get_store(), project_id, model_id)


@st.cache_data(ttl=600, max_entries=8, show_spinner=False)
def _examples(db: str, project_id: int, model_id: int) -> pd.DataFrame:
    return example_rows(get_store(), project_id, n=EXAMPLES, model_id=model_id)


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _coerce(value: Any, kind: str) -> Any:
    """A value as its widget holds it (None when missing)."""
    if _missing(value):
        return None
    if kind == "integer":
        return int(round(float(value)))
    if kind == "number":
        return float(value)
    if kind == "boolean":
        return str(value).strip().lower() in ("true", "1", "yes")
    if kind == "date":
        stamp = pd.to_datetime(value, errors="coerce")
        return None if pd.isna(stamp) else stamp.date()
    return str(value)


def _typical(fields: pd.DataFrame) -> dict[str, Any]:
    """Median or most frequent training value per input (when the test set gives no rows)."""
    return {f.name: _coerce(f.median if f.kind in NUMERIC else f.mode, f.kind) for f in fields.itertuples()}


def _fill(model_id: int, fields: pd.DataFrame, values: dict[str, Any]) -> None:
    """Put a row's values in the form (widgets and the kept copy)."""
    form = {f.name: _coerce(values.get(f.name), f.kind) for f in fields.itertuples()}
    st.session_state[f"pw_form_{model_id}"] = form
    for i, f in enumerate(fields.itertuples()):
        st.session_state[f"pw_f_{model_id}_{i}"] = form[f.name]


def _start_row(model_id: int, fields: pd.DataFrame, examples: pd.DataFrame) -> dict[str, Any]:
    choice = st.session_state.get(f"pw_row_{model_id}")
    if choice in examples.index:
        return examples.loc[choice].to_dict()
    return examples.iloc[0].to_dict() if len(examples) else _typical(fields)


def _bounds(f: Any, examples: pd.DataFrame) -> tuple[Any, Any, Any, str | None]:
    """min, max, step and format of a numeric input: the training range (widened to the test rows)."""
    lo, hi = f.min, f.max
    shown = pd.to_numeric(examples[f.name], errors="coerce").dropna() if f.name in examples.columns else pd.Series()
    if len(shown) and not _missing(lo):
        lo, hi = min(lo, shown.min()), max(hi, shown.max())
    if _missing(lo) or _missing(hi):
        return None, None, 1 if f.kind == "integer" else None, None
    if f.kind == "integer":
        return int(math.floor(lo)), int(math.ceil(hi)), 1, None
    span = float(hi) - float(lo)
    step = 10.0 ** math.floor(math.log10(span / 100)) if span > 0 else 1.0
    counts = step >= 1 and len(shown) > 0 and bool((shown % 1 == 0).all())  # e.g. calls stored as decimals
    return float(lo), float(hi), float(step), "%.0f" if counts else f"%.{max(2, -math.floor(math.log10(step)))}f"


def _widget(f: Any, key: str, examples: pd.DataFrame) -> Any:
    """One input widget of the right kind (range, choices) for field ``f``."""
    if f.kind in NUMERIC:
        lo, hi, step, fmt = _bounds(f, examples)
        value = st.session_state.get(key)
        if value is not None and lo is not None and not lo <= value <= hi:
            st.session_state[key] = min(max(value, lo), hi)
        helptext = tr("predict_ui.whatif.range", min=num(f.min), max=num(f.max), median=num(f.median))
        return st.number_input(md(f.name), min_value=lo, max_value=hi, step=step, format=fmt, key=key, help=helptext)
    if f.kind == "boolean":
        return st.selectbox(md(f.name), [True, False], key=key)  # shown as in the data, like categories
    if f.kind == "date":
        return st.date_input(md(f.name), key=key, min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
    choices = list(f.choices or [])
    if not choices:
        return st.text_input(md(f.name), key=key) or None
    current = st.session_state.get(key)
    options = choices + ([current] if current is not None and current not in choices else [])
    return st.selectbox(md(f.name), options, key=key, help=tr("predict_ui.whatif.choices", n=len(choices)))


def _form(model_id: int, fields: pd.DataFrame, examples: pd.DataFrame) -> dict[str, Any]:
    """The inputs in three columns; returns the row as typed."""
    kept = st.session_state.get(f"pw_form_{model_id}") or {}
    cols = st.columns(3)
    values = {}
    for i, f in enumerate(fields.itertuples()):
        key = f"pw_f_{model_id}_{i}"
        if key not in st.session_state:
            st.session_state[key] = kept.get(f.name)
        with cols[i % 3]:
            values[f.name] = _widget(f, key, examples)
    st.session_state[f"pw_form_{model_id}"] = values
    return values


def _picker(model_id: int, fields: pd.DataFrame, examples: pd.DataFrame) -> None:
    """Which test row the form starts from, and a reset to it."""
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    refill = lambda: _fill(model_id, fields, _start_row(model_id, fields, examples))  # noqa: E731
    if len(examples):
        left.selectbox(tr("predict_ui.whatif.row"), list(examples.index), key=f"pw_row_{model_id}",
                       format_func=lambda i: f"#{i}", on_change=refill,
                       help=tr("predict_ui.whatif.row_help"))
    else:
        left.caption(tr("predict_ui.whatif.no_examples"))
    right.button(tr("predict_ui.whatif.reset"), icon=":material/restart_alt:", key=f"pw_reset_{model_id}",
                 on_click=refill)


def _threshold(model_id: int, rule: DecisionRule | None) -> float | None:
    if rule is None or rule.kind != "threshold":
        return None
    options = [float(x) for x in curve_thresholds(min(rule.value, 1.0))]
    key, language = f"pw_thr_{model_id}", lang()
    if st.session_state.get(key) not in options:
        st.session_state[key] = min(options, key=lambda x: abs(x - rule.value))
    value = st.select_slider(tr("predict_ui.whatif.threshold"), options=options, key=key,
                             format_func=lambda x: fmt_threshold(x, language),
                             help=tr("predict_ui.whatif.threshold_help", value=fmt_threshold(rule.value, lang()),
                                     source=tr(f"predict.threshold.source.{rule.source}")))
    return float(value)


def _outcome(model: ModelInfo, scored: pd.DataFrame, cut: float | None) -> None:
    """The prediction for the edited row, with the change from the test row it started from."""
    now, start = scored.iloc[0], scored.iloc[1]
    kind = model.card["target"]["problem_type"]
    cols = st.columns(2)
    if kind == "regression":
        value, before = float(now["prediction"]), float(start["prediction"])
        cols[0].metric(tr("predict_ui.whatif.predicted_value"), num(value, 4),
                       delta=None if value == before else num(value - before, 4))
        if str(now["decision"]):
            cols[1].metric(tr("predict_ui.whatif.decided_quantity"), num(float(now["decision"]), 4))
        return
    p, p0 = float(now["probability"]), float(start["probability"])
    positive = model.card["target"].get("positive_class") or now["prediction"]
    label = tr("predict_ui.whatif.probability_of", cls=md(str(positive)))
    delta = None if abs(p - p0) < 5e-4 else f"{(p - p0) * 100:+.1f} pt"
    cols[0].metric(label, fmt_percent(p, lang()), delta=delta, delta_color="off")
    if kind == "binary":
        cols[1].metric(tr("predict_ui.whatif.decision", threshold=fmt_threshold(cut, lang())), str(now["decision"]))
        st.caption(tr_md("predict_ui.whatif.decision_help", prediction=now["prediction"]))
    else:
        cols[1].metric(tr("predict_ui.whatif.predicted_class"), str(now["prediction"]))
        if str(now["decision"]) != str(now["prediction"]):
            st.caption(tr_md("predict_ui.whatif.decided_class", decision=now["decision"]))


def _why(project: ProjectInfo, model: ModelInfo, row: pd.DataFrame, scored: pd.DataFrame) -> None:
    """The SHAP waterfall of the edited row, else the quick reasons (labelled as such)."""
    st.markdown(f"**{tr('predict_ui.whatif.why')}**")
    with st.spinner(tr("predict_ui.whatif.explaining")):
        found = try_explain(db_key(), project.id, model.id, row, lang())
    if found is not None:
        chart(plots.plot_waterfall(found["table"], found["base"], found["prediction"], found["output"], lang()),
              f"pw_waterfall_{model.id}")
        st.caption(tr(f"predict_ui.whatif.method_{found['method']}"))
        return
    reasons = scored.iloc[0]["reasons"]
    st.caption(tr("predict_ui.whatif.no_shap"))
    st.markdown(md(reasons_line(reasons, lang())) if reasons else tr("predict_ui.whatif.no_reasons"))
    st.caption(tr("predict.reasons.method.importance_x_deviation"))


def show(project: ProjectInfo, model: ModelInfo, threshold: DecisionRule | None) -> None:
    """The what-if form and its live result."""
    st.caption(tr("predict_ui.whatif.help"))
    with st.spinner(tr("predict_ui.whatif.loading")):
        fields = attempt(lambda: _fields(db_key(), project.id, model.id))
        examples = attempt(lambda: _examples(db_key(), project.id, model.id))
    if fields is None or fields.empty:
        return
    examples = examples if examples is not None else pd.DataFrame()
    if f"pw_form_{model.id}" not in st.session_state:
        _fill(model.id, fields, _start_row(model.id, fields, examples))
    left, right = st.columns([3, 2], gap="large")
    with left:
        _picker(model.id, fields, examples)
        values = _form(model.id, fields, examples)
    row = pd.DataFrame([{name: (pd.Timestamp(v) if isinstance(v, date) else v) for name, v in values.items()}])
    start = pd.DataFrame([_start_row(model.id, fields, examples)])[row.columns]
    with right:
        cut = _threshold(model.id, threshold)
        with st.spinner(tr("predict_ui.whatif.scoring")):
            scored = attempt(lambda: score_rows(get_store(), project.id, pd.concat([row, start], ignore_index=True),
                                                model_id=model.id, threshold=cut))
        if scored is None:
            return
        _outcome(model, scored, cut)
        report = attempt(lambda: check_for_model(get_store(), project.id, row, model.id))
        for issue in (report.warnings if report else []):
            if issue.key != "predict.guard.target_present":
                st.caption(":material/info: " + message_text(issue))
        _why(project, model, row, scored)
