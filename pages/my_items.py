"""My items: the officer's own items that need an update before their committees meet.

Due back at the committee's next meeting, overdue, or with no update for a while (DOMAIN.md
rules), each with the date its committee wants updates by and a link to record one.
"""

import streamlit as st

from data_access.queries.options import filter_options
from data_access.queries.requests import my_items
from domain.formatting import long_date
from ui.identity import current_person
from ui.shell import page_filters, run_query, stop_if_empty
from views import my_items_view as view

filters = page_filters()
st.title(f"My items needing an update, as at {long_date(filters.as_at)}")
stop_if_empty()

owners = run_query(filter_options).owners
owner_id = view.choose_owner(current_person(), owners)
if owner_id is None:
    st.stop()
view.show_my_items(
    run_query(my_items, filters.as_at, owner_id), owners.get(owner_id, "You"), filters.as_at
)
