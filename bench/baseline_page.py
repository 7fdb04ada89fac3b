"""Streamlit's own one-line page: the floor the Overview's first glance is measured against.

`python -m bench --browser` serves this beside the dashboard, through the same harness
(bench.live.StreamlitServer, same config, same browser), and times it to its one tile: what
any Streamlit page costs on this machine before the product does anything.
"""

import streamlit as st

st.metric("Recommendations", "50,000")
