"""Audit trail: every change, by person and time, filterable and downloadable.

Scrutiny officers and admins (domain.access). Progress updates, imports and their undo,
edits, committees and calendars, users and roles: each names the person who made it (the
signed-in person, never a typed name, once sign-in is set up). See ui/audit_view.py.
"""

import streamlit as st

from data_access.queries.audit import audit_trail
from domain.access import Action
from ui.shell import page_filters, refuse_unless, run_query
from views import audit_view as view

page_filters()
refuse_unless(Action.VIEW_AUDIT)
st.title("Audit trail")
st.markdown(
    "Every change to the tracker, newest first: who made it, when, and to what. Exempt (Part "
    "2) items are named only for people cleared for them."
)
filters = view.audit_filters()
view.audit_table(run_query(audit_trail, filters, view.SHOWN))
view.download(filters)
