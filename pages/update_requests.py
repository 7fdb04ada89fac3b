"""Update requests: ask each owner for updates before a committee's next meeting.

One email per owner listing their items due back, overdue or stale, with links; download
them as .eml files and a mail-merge CSV, or send them where a mail server is configured.
"""

import streamlit as st

from data_access.committees import current_committees
from data_access.queries.requests import committee_request_items, request_meeting, requests_sent
from domain.formatting import long_date
from ui.shell import page_filters, run_query, stop_if_empty
from views import update_requests_view as view

filters = page_filters()
st.title(f"Update requests to owners, as at {long_date(filters.as_at)}")
stop_if_empty()

committee_id = view.choose_committee(run_query(current_committees))
if committee_id is None:
    st.stop()
meeting = run_query(request_meeting, committee_id, filters.as_at)
view.show_pack(
    meeting,
    run_query(committee_request_items, filters.as_at, committee_id),
    run_query(requests_sent, committee_id, meeting.meeting_id),
    filters.as_at,
    smtp=view.smtp_settings(),
    link_base=view.app_url(),
)
