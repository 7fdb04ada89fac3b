"""The Overview's four charts, in a fragment drawn once its tiles are on screen.

The page draws its tiles first and calls `overview_charts` last: on a session's first
visit the fragment waits for the browser's word that the tiles are painted
(views.first_glance), so no chart query runs and no chart is sent before them.

The charts and their words are built together, from one connection, once per filters
(`ui.cache.view`): a run of the fragment then only sends them.
"""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go
import streamlit as st
from sqlalchemy import Connection

from charts import overview as charts
from data_access.db import DatabaseProblem
from data_access.filters import Filters
from data_access.queries import overview
from ui import cache
from ui.blocks import show_chart
from ui.long_lived import exempt_long_lived_objects
from ui.shell import show_problem
from ui.styles import CHART_FIRST_KEY, CHART_GRID_KEY, CHART_SECOND_KEY
from views import overview_links as links
from views.first_glance import tiles_on_screen

# How to choose a bar without a mouse (ui/js/chart.js), after each clickable chart's note.
BY_KEYBOARD = " (by keyboard: Tab to the chart, choose a bar with the arrow keys, then Enter)."

__all__ = ["OverviewCharts", "build_overview_charts", "overview_charts"]


@dataclass(frozen=True)
class Chart:
    """A figure and its text alternative."""

    figure: go.Figure
    words: str


@dataclass(frozen=True)
class OverviewCharts:
    """What the fragment draws: the four charts, and the RAG and sources charts as they go
    into files (directorates only exempt items have, and exempt titles, left out)."""

    by_rag: Chart
    by_rag_for_files: Chart
    by_age: Chart
    trend: Chart
    by_source: Chart
    by_source_for_files: Chart


def build_overview_charts(connection: Connection, filters: Filters) -> OverviewCharts:
    """The Overview's charts and their words for `filters`, from one connection."""
    as_at = filters.as_at
    by_rag = overview.rag_by_directorate(connection, filters)
    rag_for_papers = charts.without_exempt_directorates(by_rag)
    by_age = overview.overdue_by_age(connection, filters)
    trend = overview.implementation_trend(connection, filters)
    by_source = overview.status_by_source(connection, filters)
    for_papers = charts.without_exempt_titles(by_source)
    return OverviewCharts(
        by_rag=Chart(
            charts.rag_by_directorate_figure(by_rag, as_at),
            charts.rag_by_directorate_text(by_rag, as_at),
        ),
        by_rag_for_files=Chart(
            charts.rag_by_directorate_figure(rag_for_papers, as_at),
            charts.rag_by_directorate_text(rag_for_papers, as_at),
        ),
        by_age=Chart(charts.ageing_figure(by_age, as_at), charts.ageing_text(by_age, as_at)),
        trend=Chart(charts.trend_figure(trend, as_at), charts.trend_text(trend, as_at)),
        by_source=Chart(
            charts.status_by_source_figure(by_source, as_at),
            charts.status_by_source_text(by_source, as_at),
        ),
        by_source_for_files=Chart(
            charts.status_by_source_figure(for_papers, as_at),
            charts.status_by_source_text(for_papers, as_at),
        ),
    )


@st.fragment
def overview_charts(filters: Filters, tiles: int = 1) -> None:
    """RAG by directorate, ageing and trend side by side, then status by source; the bars of
    all but the trend open the matching list (views.overview_links)."""
    if not tiles_on_screen(tiles):
        return
    try:
        drawn = cache.view(build_overview_charts, filters)
    except DatabaseProblem as problem:
        show_problem(problem)
        raise  # unreachable: st.stop() ends the run
    # On screen one under another; on paper the two wide charts side by side (ui.styles).
    with st.container(key=CHART_GRID_KEY):
        with st.container(key=CHART_FIRST_KEY):
            show_chart(
                drawn.by_rag.figure,
                drawn.by_rag.words,
                " Select a bar to list that directorate's recommendations with that rating"
                + BY_KEYBOARD,
                for_files=(drawn.by_rag_for_files.figure, drawn.by_rag_for_files.words),
                key=links.RAG_CHART,
                on_select=links.on_rag_bar_selected,
            )

        left, right = st.columns(2)
        with left:
            show_chart(
                drawn.by_age.figure,
                drawn.by_age.words,
                " Select a bar to list those recommendations" + BY_KEYBOARD,
                key=links.AGEING_CHART,
                on_select=links.on_ageing_bar_selected,
            )
        with right:
            show_chart(drawn.trend.figure, drawn.trend.words)

        with st.container(key=CHART_SECOND_KEY):
            show_chart(
                drawn.by_source.figure,
                drawn.by_source.words,
                " Select a bar to list those recommendations" + BY_KEYBOARD,
                for_files=(drawn.by_source_for_files.figure, drawn.by_source_for_files.words),
                key=links.STATUS_CHART,
                on_select=links.on_status_bar_selected,
            )
    exempt_long_lived_objects()  # a fragment's run does not end in dashboard.py
