"""Recommendations: the register of every recommendation in view, and one in full.

The table shows one page of the filtered recommendations, worst first. Choosing a row opens
its detail below and puts `?rec=<id>` in the address bar, so the detail can be bookmarked.
The detail has the recommendation's history and a form to record a progress update.
"""

import streamlit as st

from data_access.filters import Filters
from data_access.queries.history import history, reportable_meetings
from data_access.queries.register import (
    PAGE_SIZE,
    recommendation_detail,
    recommendations_in_view,
    register_page,
)
from ui.shell import nothing_in_view, page_filters, run_query, stop_if_empty
from views import register_view as view

filters = page_filters()
chosen = view.chosen_recommendation()

st.title("Recommendations")
stop_if_empty()

result = run_query(register_page, filters, view.requested_page(filters), PAGE_SIZE)
if result.total == 0:
    nothing_in_view(filters)
else:
    unfiltered = (
        run_query(recommendations_in_view, Filters(as_at=filters.as_at))
        if filters.is_narrowed
        else None
    )
    view.paging(result, filters.as_at, unfiltered)
    view.register_table(result, chosen, filters.as_at)

if chosen is not None:
    st.divider()
    detail = (
        run_query(recommendation_detail, chosen.id, filters.as_at)
        if chosen.id is not None
        else None
    )
    if detail is None:
        view.unknown_recommendation(chosen, filters.as_at)
    else:
        view.detail_view(
            detail,
            run_query(history, detail.id, filters.as_at),
            run_query(reportable_meetings, detail.id, filters.as_at),
        )
