"""Reports a user can download and share, and the words and tables they share with the pages.

Plain Python (no UI). Step 1: ``goal_text`` (a business goal in words and tables, used by
the page and the sheet) and ``goal_sheet`` (the Business Goal sheet as self-contained HTML,
Markdown, and JSON that imports into another project as a template). Other steps add their
own modules here (e.g. ``analysis_html`` for Step 2).
"""
