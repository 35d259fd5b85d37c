"""Tab "Performance", issue 13's checks: test rows beyond the training range; a model too good to be true."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from core.evaluate import Evaluation
from core.evaluate.extrapolation import get_extrapolation_df, measure_extrapolation
from core.evaluate.suspicion import find_suspicions, message
from ui.context import get_store, lang, md, tr
from ui.evaluate.common import num, table


def extrapolation(ev: Evaluation) -> None:
    """Regression: how many test targets lie outside the training range, and the error there vs elsewhere."""
    ex = measure_extrapolation(ev.data) if ev.data.problem_type == "regression" else None
    if ex is None:
        return
    digits = 0 if max(abs(ex.low), abs(ex.high)) >= 100 else 3
    params = {"rows": f"{ex.rows:,}", "target": md(ev.data.target), "low": num(ex.low, digits),
              "high": num(ex.high, digits)}
    if not ex.n_outside:
        st.caption(tr("evaluate_checks.extrapolation.none", **params))
        return
    st.markdown(f"#### {tr('evaluate_checks.extrapolation.title')}")
    st.warning(tr("evaluate_checks.extrapolation.warning", count=f"{ex.n_outside:,}", below=f"{ex.below:,}",
                  above=f"{ex.above:,}", max_pred=num(ex.max_prediction, digits), **params), icon=":material/warning:")
    df = get_extrapolation_df(ex, lang())
    table(pd.DataFrame({tr("evaluate_checks.col.part"): df["part"], tr("evaluate_checks.col.rows"): df["rows"],
                        tr("evaluate.metric.rmse"): [num(v, digits) for v in df["rmse"]],
                        tr("evaluate.metric.mae"): [num(v, digits) for v in df["mae"]]}))
    if ex.filtered:
        st.caption(tr("evaluate_checks.extrapolation.filtered"))


@st.cache_data(max_entries=8, show_spinner=False)
def _found(_ev: Evaluation, url: str, run_id: int, model: str) -> dict[str, Any]:
    """The suspicion checks, once per run and model (permutation importance is the costly part)."""
    try:
        return {"found": find_suspicions(_ev.data, _ev.performance.metrics)}
    except Exception as exc:  # noqa: BLE001 - an optional check must never break the Test page
        return {"error": str(getattr(exc, "key", exc))[:300]}


def suspicions(ev: Evaluation) -> None:
    """Warnings naming the features when the model looks too good to be true."""
    url = get_store().engine.url.render_as_string(hide_password=False)
    with st.spinner(tr("evaluate.run.spinner")):
        result = _found(ev, url, ev.data.run.id, ev.data.model)
    if "error" in result:
        st.caption(tr("evaluate_checks.suspicion.failed", detail=md(result["error"])))
        return
    if not result["found"]:
        st.caption(tr("evaluate_checks.suspicion.none"))
        return
    st.markdown(f"#### {tr('evaluate_checks.suspicion.title')}")
    for found in result["found"]:
        st.warning(md(message(found, lang())), icon=":material/report:")
