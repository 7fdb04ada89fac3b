"""Streamlit code shared by the pages: navigation, filters, caching, layout helpers.

Only this package and pages/ import streamlit; data_access/, domain/ and charts/ never do."""
