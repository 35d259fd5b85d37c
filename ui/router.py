"""Make every page run inside ``app.py``, also when Streamlit is in its legacy folder mode.

Streamlit keeps its legacy "pages/ folder" mode until some session has called
``st.navigation`` (and ``AppTest`` resets to that mode on every run): in it, a request for
``/business`` runs ``pages/business.py`` alone, without the sidebar, language switch and
layout of ``app.py``. Each page calls :func:`ensure_router` first; in legacy mode it leaves
that mode and runs ``app.py`` in place (which routes the same URL to this page again), then
stops the outer run. Running in place, not rerunning, keeps the widget event (a click) that
started this run.
"""

from __future__ import annotations

import runpy
from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

APP = Path(__file__).resolve().parent.parent / "app.py"


def ensure_router() -> None:
    """Run the page through ``app.py`` when Streamlit started it in legacy folder mode."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        runpy.run_path(str(APP), run_name="__main__")
        st.stop()
