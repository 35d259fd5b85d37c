"""Streamlit components of Step 4, Preprocess (pages/preprocess.py composes them).

Widgets are keyed ``pre_*_<project>_<dataset version>``. The recipe, the split and the checks
live in ``core.preprocess``; these components only turn widget values into a ``Recipe`` and
show what ``core`` computes (counts, warnings, errors).
"""
