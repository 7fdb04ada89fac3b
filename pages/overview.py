"""Overview: the directors' glance at the recommendations in view, as at the chosen date."""

import streamlit as st

from charts import overview as charts
from data_access.queries import overview
from domain.formatting import long_date, plural
from ui import overview_links as links
from ui.blocks import show_chart
from ui.cache import cached_figure, prefetch
from ui.shell import nothing_in_view, page_filters, run_query, stop_if_empty
from ui.styles import TILE_GRID_KEY, TILE_ROW_KEY

filters = page_filters()
as_at = filters.as_at
when = long_date(as_at)
st.title("Overview")
stop_if_empty()

# The page's five questions are independent: ask them side by side, then read the cache.
prefetch(
    *[
        (question, (filters,))
        for question in (
            overview.headline,
            overview.implementation_trend,
            overview.rag_by_directorate,
            overview.status_by_source,
            overview.overdue_by_age,
        )
    ]
)
summary = run_query(overview.headline, filters)
if summary.recommendations == 0:
    st.caption(f"As at {when}")
    nothing_in_view(filters)
    st.stop()

narrowed = " · filtered" if filters.is_narrowed else ""
st.caption(
    f"As at {when} · {plural(summary.recommendations, 'recommendation')} from "
    f"{plural(summary.sources, 'source')}{narrowed}"
)

with st.container(key=TILE_ROW_KEY), st.container(key=TILE_GRID_KEY):
    for tile in links.tiles(summary, filters):
        with st.container(gap="small"):
            st.metric(tile.label, tile.value, help=tile.help or None, border=True)
            st.button(
                tile.link_label,
                key=f"overview_link_{tile.label}",
                help=tile.link_help,
                on_click=links.open_list,
                args=(tile.page, tile.filter_changes, tile.page_params, tile.page_state),
                disabled=not tile.has_items,
                type="tertiary",
                icon=":material/arrow_forward:",
            )

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
    show_chart(cached_figure(charts.trend_figure, trend, as_at), charts.trend_text(trend, as_at))

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
