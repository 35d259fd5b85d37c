"""Streamlit components of Step 6, Test (pages/evaluate.py composes them).

Widgets are keyed ``ev_*`` (with the run id where a choice belongs to one run). Metrics,
threshold, value, verdict and slices come from ``core.evaluate``; explanations from
``core.explain``; the report from ``core.report.test_report``.
"""
