"""Users and roles: who may sign in, with what role, and which officer's items are theirs.

Admins only (domain.access). People are registered when they first sign in; here an admin
adds them beforehand, changes roles and the exempt clearance, and links each officer to the
items they own or their directorate's (see ui/users_view.py).
"""

import streamlit as st

from data_access.queries.options import filter_options
from data_access.users import users_table
from domain.access import Action
from ui.identity import sign_in_configured
from ui.shell import page_filters, refuse_unless, run_query
from views import users_view as view

page_filters()
refuse_unless(Action.MANAGE_USERS)
st.title("Users and roles")
st.markdown(
    "Everyone who signs in is listed here with their role. A role decides what they may do; "
    "the exempt clearance decides whether they see exempt (Part 2) items at all. Link an "
    "officer to the officer record whose items they own, so they can record updates on them."
)
if not sign_in_configured():
    st.info(
        "Sign-in is not set up, so this tracker runs for one local user who may do "
        "everything. Roles take effect once sign-in is configured (README, “Sign-in and "
        "roles”).",
        icon=":material/info:",
    )
view.show_result()
users = run_query(users_table)
view.users_list(users)
st.subheader("Add or change a user", anchor=False)
view.user_form(users, run_query(filter_options))
