"""Tab "Explanations": how the SHAP values were computed, importance, beeswarm, dependence, one row."""

from __future__ import annotations

import streamlit as st

from core.errors import UserError
from core.evaluate import Evaluation
from core.explain import plots, service, summary
from core.explain.engine import Explanation
from core.store import runs
from ui.auth import still_allowed
from ui.context import attempt, get_store, lang, md, message_text, tr
from ui.evaluate.common import chart, num, table


def cached(ev: Evaluation) -> Explanation | None:
    """The run's cached explanation, if computed."""
    return service.load_cached(get_store(), ev.data.run, ev.data.model)


def show(ev: Evaluation) -> Explanation | None:
    """Compute (inline or in the background) or show the explanations."""
    expl = cached(ev)
    if expl is None:
        _compute(ev)
        return None
    _method(expl)
    X = ev.data.X_test
    chart(plots.plot_importance(expl, lang()), "ev_importance")
    chart(plots.plot_beeswarm(expl, X, lang()), "ev_beeswarm")
    features = summary.get_importance_df(expl)["feature"].tolist()
    feature = st.selectbox(tr("explain.ui.dependence_feature"), features, key=f"ev_dep_{ev.data.run.id}")
    chart(plots.plot_dependence(summary.get_dependence_df(expl, X, feature), feature, expl.output, lang()),
          "ev_dependence")
    _local(ev, expl)
    return expl


def _method(expl: Explanation) -> None:
    key = f"explain.ui.method_{expl.method}"
    text = tr(key, share=f"{expl.exact_share:.0%}", rows=expl.background_rows, seconds=num(expl.seconds, 1))
    (st.info if expl.method != "exact" else st.success)(text, icon=":material/science:")
    parts = "; ".join(f"{md(p['member'])}: {tr('explain.method.' + p['method'])} ({p['weight']:.0%})"
                      for p in expl.parts)
    st.caption(tr("explain.ui.parts", parts=parts, base=num(expl.base, 4)))


def _compute(ev: Evaluation) -> None:
    run, model = ev.data.run, ev.data.model
    state = service.status(get_store(), run.id, model)
    rows = len(ev.data.X_test)
    if state.get("state") == service.RUNNING:
        _poll(run.id, model)
        return
    if state.get("state") == service.FAILED:
        st.error(tr(state.get("error") or "explain.error.unexpected", **(state.get("params") or {})),
                 icon=":material/error:")
    st.info(tr("explain.ui.none", rows=f"{rows:,}"), icon=":material/science:")
    if st.button(tr("explain.ui.compute"), type="primary", icon=":material/play_arrow:", key=f"ev_explain_{run.id}"):
        if service.runs_inline(ev.data):
            with st.spinner(tr("explain.ui.computing", rows=f"{rows:,}")):
                if attempt(lambda: service.explain_run(get_store(), run.id, model, data=ev.data)) is not None:
                    st.rerun()
        else:
            attempt(lambda: service.explain_in_background(get_store(), run.id, model))
            st.rerun()


@st.fragment(run_every=2)
def _poll(run_id: int, model: str) -> None:
    state = service.status(get_store(), run_id, model)
    run = runs.get_run(get_store(), run_id)
    if state.get("state") != service.RUNNING or run is None or not still_allowed(run.project_id):
        st.rerun()  # the whole page
    st.info(tr("explain.ui.running"), icon=":material/hourglass_top:")


def _local(ev: Evaluation, expl: Explanation) -> None:
    st.markdown(f"#### {tr('explain.ui.local_title')}")
    data, run_id = ev.data, ev.data.run.id
    ids = [int(i) for i in expl.values.index]
    left, right = st.columns(2)
    row = left.number_input(tr("explain.ui.row_id"), min_value=0, value=ids[0], step=1, key=f"ev_row_{run_id}",
                            help=tr("explain.ui.row_help", first=ids[0], last=ids[-1]))
    with right:
        raw = data.raw_test
        columns = sorted((c for c in raw.columns if c != data.target), key=lambda c: raw[c].nunique() < len(raw))
        column = st.selectbox(tr("explain.ui.search_column"), columns, key=f"ev_search_col_{run_id}")
        value = st.text_input(tr("explain.ui.search_value"), key=f"ev_search_value_{run_id}")
    if value.strip():
        found = attempt(lambda: service.find_row(data, column, value))
        if found is None:
            return
        row = int(found)
    try:
        one = service.explain_row(data, int(row), expl)
        df = summary.get_row_df(one, data.X_test, int(row), lang=lang())
    except UserError as exc:
        st.error(message_text(exc), icon=":material/search_off:")
        return
    prediction = float(one.prediction.loc[int(row)])
    st.caption(tr(f"explain.ui.row_line_{one.output}", row=int(row), prediction=num(prediction, 4),
                  base=num(one.base, 4), actual=md(str(data.y_test.loc[int(row)]))))
    chart(plots.plot_waterfall(df, one.base, prediction, one.output, lang()), "ev_waterfall")
    table(df.rename(columns={"feature": tr("explain.ui.feature"), "value": tr("explain.ui.value"),
                             "contribution": tr("explain.ui.contribution")}))
