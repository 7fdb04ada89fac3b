"""Committees: the committees that monitor recommendations, and their meeting dates.

Next committee can only say what is due back when a committee's calendar is in the tracker:
this page adds, renames and retires committees, adds, moves and removes meetings one at a
time, and imports a calendar file (.ics or CSV) with a preview. Every change is one
transaction through data_access/committees.py (see views/committees_view.py).
"""

import streamlit as st

from data_access.committees import committee_overview, meetings_of
from domain.formatting import long_date
from ui.shell import page_filters, run_query
from views import committees_view as view

filters = page_filters()
st.title("Committees and their meeting dates")
st.markdown(
    "Next committee lists what must come back to each committee's next meeting, so each "
    "committee needs its calendar here. Add meetings one at a time, or import the calendar "
    f"your committee management system publishes. Next meetings are as at "
    f"{long_date(filters.as_at)}."
)
view.show_result()

overview = run_query(committee_overview, filters.as_at)
if overview.empty:
    st.info(
        "No committees are recorded yet. Add the committees that monitor your "
        "recommendations (an import that names a new committee adds it too), then give each "
        "its meeting dates.",
        icon=":material/groups:",
    )
    view.add_committee_form(first=True)
    st.stop()

view.show_committees(overview, filters.as_at)
view.add_committee_form(first=False)

st.header("Change a committee", divider="gray")
committee = view.choose_committee(overview)
meetings = run_query(meetings_of, committee.id)
open_items = int(overview.loc[overview["id"] == committee.id, "open_recommendations"].iloc[0])

# Tracked (on_change="rerun"), so the tab chosen stays chosen when a form or the uploader
# reruns the page; every tab's content is still drawn (it is cheap).
dates_tab, import_tab, committee_tab = st.tabs(
    ["Meeting dates", "Import a calendar", "Rename or retire"],
    key="committees.tab",
    on_change="rerun",
)
with dates_tab:
    view.show_meetings(committee, meetings, filters.as_at)
    view.add_meeting_form(committee)
    view.move_meeting_form(committee, meetings)
    view.remove_meeting_form(committee, meetings)
with import_tab:
    view.calendar_import(committee)
with committee_tab:
    view.rename_form(committee)
    view.retire_form(committee, open_items)
