"""Reports a user can download and share, and the words and tables they share with the pages.

Plain Python (no UI). Every report is a :class:`~core.report.document.Document` (sections of
blocks), rendered by the one HTML renderer (``html``: self-contained, offline, printable) and
the one Markdown renderer (``markdown``). The report modules only build their documents:
``goal_sheet`` (Step 1's Business Goal sheet, plus its JSON template export; its words and
tables in ``goal_text``, shared with the page), ``analysis_html`` (Step 2), ``test_report``
(Step 6); the 5W1H data request (``core.prepare.request``) uses the same model.
"""
