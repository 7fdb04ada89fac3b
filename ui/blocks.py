"""Small pieces the pages draw the same way: a chart with its words, a capped list.

One place for them keeps every chart in the product's own style (charts.style, not
Streamlit's theme) with its text alternative, and every long list saying how much it shows.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import streamlit as st

from data_access.queries.followups import Listing
from ui.text import plain

CAPPED = "; the first {shown:,} are shown. Narrow the filters in the sidebar to see the others."


def show_chart(figure: go.Figure, words: str, note: str = "", **interaction: Any) -> None:
    """The figure as styled, with its text alternative as `alt` and as a caption under it.

    `note` is trusted product text added after the words (e.g. "Select a bar to ...");
    `interaction` passes on_select, selection_mode and key to st.plotly_chart."""
    st.plotly_chart(figure, alt=words, theme=None, width="stretch", **interaction)
    st.caption(plain(words) + note)


def show_listing(
    listing: Listing, description: str, column_config: dict[str, Any], note: str = ""
) -> None:
    """A list with a caption that says what it holds and, when capped, how much is shown."""
    shown = CAPPED.format(shown=len(listing.rows)) if listing.is_capped else "."
    st.caption(description + shown + note)
    st.dataframe(listing.rows, column_config=column_config, hide_index=True)
