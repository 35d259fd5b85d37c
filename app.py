"""ML Enablement Studio: page configuration, shared sidebar and navigation (router only)."""

import streamlit as st

from ui.auth import require_sign_in
from ui.context import tr
from ui.sidebar import language_switch, render_sidebar

st.set_page_config(page_title="ML Enablement Studio", page_icon=":material/explore:", layout="wide")
if not require_sign_in():  # only when access control is on (ML_STUDIO_AUTH=users)
    language_switch()
    st.stop()
render_sidebar()

pages = {
    tr("nav.section.project"): [
        st.Page("pages/home.py", title=tr("nav.home"), icon=":material/home:", url_path="home", default=True),
    ],
    tr("nav.section.steps"): [
        st.Page("pages/business.py", title=tr("nav.business"), icon=":material/savings:", url_path="business"),
        st.Page("pages/analyze.py", title=tr("nav.analyze"), icon=":material/query_stats:", url_path="analyze"),
        st.Page("pages/prepare.py", title=tr("nav.prepare"), icon=":material/inventory_2:", url_path="prepare"),
        st.Page("pages/preprocess.py", title=tr("nav.preprocess"), icon=":material/cleaning_services:", url_path="preprocess"),
        st.Page("pages/train.py", title=tr("nav.train"), icon=":material/model_training:", url_path="train"),
        st.Page("pages/evaluate.py", title=tr("nav.test"), icon=":material/fact_check:", url_path="test"),
    ],
    tr("nav.section.operate"): [
        st.Page("pages/predict.py", title=tr("nav.predict"), icon=":material/online_prediction:", url_path="predict"),
    ],
}
st.navigation(pages).run()
