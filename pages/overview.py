"""Overview: the directors' glance at the recommendations in view, as at the chosen date.

The tiles come first and need one query; the charts follow in a fragment of their own
(views.overview_charts), so the numbers are on screen before any chart is asked for.
"""

import streamlit as st

from data_access.queries import overview
from domain.formatting import long_date, plural
from ui.shell import nothing_in_view, page_filters, run_query, stop_if_empty
from ui.styles import TILE_GRID_KEY, TILE_ROW_KEY
from views import overview_links as links
from views.overview_charts import overview_charts

filters = page_filters()
when = long_date(filters.as_at)
st.title("Overview")
stop_if_empty()

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

tiles = links.tiles(summary, filters)
with st.container(key=TILE_ROW_KEY), st.container(key=TILE_GRID_KEY):
    for tile in tiles:
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

overview_charts(filters, tiles=len(tiles))
