"""ML Enablement Studio: page configuration, shared sidebar and navigation (router only)."""

import streamlit as st

from ui.auth import sign_in_page, signed_in
from ui.context import tr
from ui.sidebar import render_sidebar

# (section, script, title key, icon, url path); the first page is the default
PAGES = [
    ("nav.section.project", "pages/home.py", "nav.home", ":material/home:", "home"),
    ("nav.section.steps", "pages/business.py", "nav.business", ":material/savings:", "business"),
    ("nav.section.steps", "pages/analyze.py", "nav.analyze", ":material/query_stats:", "analyze"),
    ("nav.section.steps", "pages/prepare.py", "nav.prepare", ":material/inventory_2:", "prepare"),
    ("nav.section.steps", "pages/preprocess.py", "nav.preprocess", ":material/cleaning_services:", "preprocess"),
    ("nav.section.steps", "pages/train.py", "nav.train", ":material/model_training:", "train"),
    ("nav.section.steps", "pages/evaluate.py", "nav.test", ":material/fact_check:", "test"),
    ("nav.section.operate", "pages/predict.py", "nav.predict", ":material/online_prediction:", "predict"),
]

st.set_page_config(page_title="ML Enablement Studio", page_icon=":material/explore:", layout="wide")
if not signed_in():
    # Access control is on (ML_STUDIO_AUTH=users) and nobody signed in: every address shows the
    # sign-in form instead of its page, so a deep link opens its page right after signing in.
    st.navigation([st.Page(sign_in_page, title=tr(title), icon=":material/lock:", url_path=path, default=i == 0)
                   for i, (_, _, title, _, path) in enumerate(PAGES)], position="hidden").run()
    st.stop()
render_sidebar()
sections: dict[str, list] = {}
for i, (section, script, title, icon, path) in enumerate(PAGES):
    sections.setdefault(tr(section), []).append(
        st.Page(script, title=tr(title), icon=icon, url_path=path, default=i == 0))
st.navigation(sections).run()
