"""Operate: what-if demo, batch predictions with the column guard, feedback, monitoring, model versions."""

import streamlit as st

from core.store import predictions as store_p
from ui.context import tr
from ui.page import step_page
from ui.predict import batches, feedback, monitor, versions, whatif
from ui.predict.common import model_line, open_tabs, operating_model, operator_name, rule_of
from ui.predict.upload import upload

project = step_page("predict")
model = operating_model(project)  # stops with "finish Train (and Test) first" when there is none
rule = rule_of(project, model)  # the Test step's stored decision (evaluated now when the model has none)
model_line(model, rule)
tabs = open_tabs(project.id)  # only the open tab runs

if tabs["whatif"].open:
    with tabs["whatif"]:
        whatif.show(project, model, rule)

if tabs["batch"].open:
    with tabs["batch"]:
        by = operator_name(project, "batch")
        st.subheader(f":material/upload_file: {tr('predict_ui.batch.title')}")
        upload(project, model, by)
        st.divider()
        st.subheader(f":material/table_view: {tr('predict_ui.batches.title')}")
        batch = batches.pick_batch(project)
        if batch is not None and batch.status in store_p.ACTIVE:
            batches.live(batch.id)
        elif batch is not None and batches.ended(batch) and (table := batches.table_of(batch)) is not None:
            batches.summary(batch)
            batches.downloads(batch)
            if model.card["target"]["problem_type"] != "regression":
                with st.expander(tr("predict_ui.batches.distribution"), icon=":material/bar_chart:"):
                    batches.probability(batch, table)
            st.markdown(f"#### :material/thumbs_up_down: {tr('predict_ui.feedback.title')}")
            feedback.feedback_table(batch, table, by)
            st.markdown(f"#### :material/fact_check: {tr('predict_ui.outcomes.title')}")
            feedback.outcomes(batch, model.card["target"].get("column"), by)
        if batch is not None:
            batches.delete(batch)

if tabs["monitor"].open:
    with tabs["monitor"]:
        monitor.show(project, model)

if tabs["versions"].open:
    with tabs["versions"]:
        versions.show(project, model)
