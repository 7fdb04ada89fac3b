"""Next committee: the scrutiny officer's briefing on what must come back to a meeting, and why."""

import streamlit as st

from data_access.queries import committee as queries
from domain.formatting import long_date
from ui.shell import no_matches, page_filters, run_query, stop_if_empty
from ui.text import plain
from views import committee_view as view
from views.briefing_view import show_briefing_pack

filters = page_filters()
st.title(f"Due back at the next committee, as at {long_date(filters.as_at)}")
stop_if_empty()

choices = run_query(queries.committee_choices, filters.as_at)
by_committee = run_query(queries.due_back_by_committee, filters)
busy = by_committee.loc[by_committee["items"] > 0, "committee_id"].tolist()
committee_id = view.choose_committee(choices, filters, with_items=busy)
if committee_id is None:
    st.info(
        "No current committees are recorded. Add the committees that monitor your "
        "recommendations, with their meeting dates, on the Committees page to see what is "
        "due back.",
        icon=":material/groups:",
    )
    view.link_to_committees()
    st.stop()

if not by_committee.empty:
    view.show_all_committees(by_committee, filters.as_at)
briefing = run_query(queries.due_back, filters, committee_id)
st.header(plain(briefing.committee_name), divider="gray")
view.show_meetings(briefing)
if briefing.next_meeting is None:
    st.stop()

view.show_tiles(briefing)
if briefing.total == 0:
    if filters.with_changes(committee_ids=()).is_narrowed:
        no_matches("items due back")
    else:
        st.info(
            f"Nothing is due back at the {long_date(briefing.next_meeting)} meeting as at "
            f"{long_date(filters.as_at)}: no item has a report-back pending, a target date by "
            "the meeting, an overdue target, an implementation awaiting sign-off, or a response "
            "due.",
            icon=":material/task_alt:",
        )
    st.stop()

show_briefing_pack(committee_id, filters, briefing)
full_text = st.toggle(
    "Show full text",
    key=view.KEY_FULL_TEXT,
    help="List every item with its whole wording and latest update, for reading or printing.",
)
view.show_list_note(briefing, full_text)
view.show_items_download(briefing)
view.show_items_by_source(briefing.items, full_text, committee_id)
