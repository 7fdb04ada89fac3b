"""The Overview's four charts, in a fragment drawn once its tiles are on screen.

The page draws its tiles first and calls `overview_charts` last: on a session's first
visit the fragment waits for the browser's word that the tiles are painted
(views.first_glance), so no chart query runs and no chart is sent before them.
"""

from __future__ import annotations

import streamlit as st

from charts import overview as charts
from data_access.filters import Filters
from data_access.queries import overview
from ui.blocks import show_chart
from ui.cache import cached_figure
from ui.shell import run_query
from views import overview_links as links
from views.first_glance import tiles_on_screen

__all__ = ["overview_charts"]


@st.fragment
def overview_charts(filters: Filters) -> None:
    """RAG by directorate, ageing and trend side by side, then status by source; the bars of
    all but the trend open the matching list (views.overview_links)."""
    if not tiles_on_screen():
        return
    as_at = filters.as_at
    by_rag = run_query(overview.rag_by_directorate, filters)
    show_chart(
        cached_figure(charts.rag_by_directorate_figure, by_rag, as_at),
        charts.rag_by_directorate_text(by_rag, as_at),
        " Select a bar to list that directorate's recommendations with that rating.",
        key=links.RAG_CHART,
        on_select=links.on_rag_bar_selected,
        selection_mode="points",
    )

    left, right = st.columns(2)
    with left:
        by_age = run_query(overview.overdue_by_age, filters)
        show_chart(
            cached_figure(charts.ageing_figure, by_age, as_at),
            charts.ageing_text(by_age, as_at),
            " Select a bar to list those recommendations.",
            key=links.AGEING_CHART,
            on_select=links.on_ageing_bar_selected,
            selection_mode="points",
        )
    with right:
        trend = run_query(overview.implementation_trend, filters)
        show_chart(
            cached_figure(charts.trend_figure, trend, as_at), charts.trend_text(trend, as_at)
        )

    by_source = run_query(overview.status_by_source, filters)
    for_papers = charts.without_exempt_titles(by_source)
    show_chart(
        cached_figure(charts.status_by_source_figure, by_source, as_at),
        charts.status_by_source_text(by_source, as_at),
        " Select a bar to list those recommendations.",
        for_files=(
            cached_figure(charts.status_by_source_figure, for_papers, as_at),
            charts.status_by_source_text(for_papers, as_at),
        ),
        key=links.STATUS_CHART,
        on_select=links.on_status_bar_selected,
        selection_mode="points",
    )
