"""Streamlit components of Step 5, Train (pages/train.py composes them).

Widgets are keyed ``trn_*_<project>`` (or ``_<run>``). Training runs in a separate worker
process (``core.train``); these components start it, poll its database row in a fragment
while it runs, and show the stored leaderboard, record and artefacts when it has ended. The
run being watched is kept in the link (``?run=ID``) so a refresh or a reopened tab returns to it.
"""
