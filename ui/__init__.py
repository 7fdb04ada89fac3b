"""The shared chrome every page uses: shell, navigation, filters, caching, layout helpers.

Per-page drawing code is in views/. Only ui/, views/ and pages/ import streamlit;
data_access/, domain/, charts/, importing/ and exports/ never do. ui/ never imports views/."""
