"""Streamlit components of Step 2, Analyze (pages/analyze.py composes them).

Widgets are keyed ``ana_*`` (with the project and dataset version ids where a choice belongs
to one of them). Import, versions, target and diagnosis logic live in ``core.data``,
``core.store`` and ``core.analyze``; the HTML export in ``core.report.analysis_html``.
"""
