"""Operate: what-if demo, batch predictions with the column guard, feedback, monitoring, model versions."""

from ui.page import step_page
from ui.predict import batches, monitor, versions, whatif
from ui.predict.common import model_line, open_tabs, operating_model, rule_of

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
        batches.show(project, model)

if tabs["monitor"].open:
    with tabs["monitor"]:
        monitor.show(project, model)

if tabs["versions"].open:
    with tabs["versions"]:
        versions.show(project, model)
