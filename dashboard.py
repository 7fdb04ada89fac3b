"""Recommendation Tracker: the entry point and the one router.

Run with `streamlit run dashboard.py`. The pages are declared once, in ui/navigation.py.
"""

import streamlit as st

from ui.navigation import streamlit_pages
from ui.shell import render_shared

st.set_page_config(
    page_title="Recommendation Tracker",
    page_icon=":material/fact_check:",
    layout="wide",
)

navigation = st.navigation(streamlit_pages())
st.logo("assets/logo.svg", size="large")
render_shared()
navigation.run()
