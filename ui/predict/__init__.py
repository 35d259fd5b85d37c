"""Streamlit components of "Operate: Predict" (pages/predict.py composes them).

Tabs: What-if (``whatif``, with the SHAP waterfall from ``explain``), Batch (``upload``:
file → column guard → score; ``batches``: stored batches, live progress, downloads;
``feedback``: per-row marks and an outcomes file), Monitor (``monitor``) and Model versions
(``versions``). Widgets are keyed ``pw_*`` (what-if), ``pb_*`` (batch), ``pm_*`` (monitor)
and ``pv_*`` (versions), with the project, model or batch id. The open tab and the batch
shown are kept in the link (``?tab=…&batch=…``) so a refresh returns to them.
"""
