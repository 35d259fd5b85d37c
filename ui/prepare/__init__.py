"""Streamlit components of Step 3, Prepare (pages/prepare.py composes them).

Widgets are keyed ``prep_*``. Answers and checklist confirmations go to the review log
(``core.store.reviews``); the 5W1H request is kept with the project's analysis report
(``core.analyze.saved``, ``core.prepare.requests``); joins create dataset versions (``core.prepare.join``).
"""
