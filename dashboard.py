"""Recommendation Tracker: the entry point and the one router.

Run with `streamlit run dashboard.py`. The pages are declared once, in ui/navigation.py.
"""

from pathlib import Path

import streamlit as st

from ui.long_lived import exempt_long_lived_objects
from ui.navigation import routed, streamlit_pages
from ui.shell import access_gate, render_shared

ASSETS = Path(__file__).resolve().parent / "assets"

# The tab's icon is served by the app itself: a ":material/...:" icon here would be fetched
# from Google's font host, which an offline council intranet cannot reach.
st.set_page_config(
    page_title="Recommendation Tracker",
    page_icon=str(ASSETS / "favicon.png"),
    layout="wide",
)

# Who is using the app decides which pages it offers (ui.navigation, domain.access); an
# unsigned app served to the network, or a visitor not yet signed in, stops here.
person = access_gate()
navigation = st.navigation(streamlit_pages(person))
st.logo(str(ASSETS / "logo.svg"), size="large")
render_shared()
try:
    with routed():
        navigation.run()
finally:
    exempt_long_lived_objects()  # before Streamlit's collection after the run (see there)
