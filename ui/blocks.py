"""Small pieces the pages draw the same way: a chart with its words, a capped list.

One place for them keeps every chart in the product's own style (charts.style, not
Streamlit's theme) with its text alternative and its downloads (PNG and SVG for print), and
every long list saying how much it shows, with its downloads (CSV and XLSX).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from charts.style import has_something_to_show
from data_access.queries.followups import Listing
from exports.exempt import without_exempt_mark
from ui.chart_component import draw_chart
from ui.downloads import chart_downloads, subject_and_date, table_downloads
from ui.text import plain

CAPPED = "; the first {shown:,} are shown. Narrow the filters in the sidebar to see the others."
CAPPED_FILE = "The first {shown:,} of {total:,} are listed; narrow the filters to list the others."


def show_chart(
    figure: go.Figure,
    words: str,
    note: str = "",
    *,
    for_files: tuple[go.Figure, str] | None = None,
    key: str | None = None,
    on_select: Callable[[], None] | None = None,
) -> None:
    """The figure as styled, with its text alternative as `alt` and as a caption under it,
    and a popover to download it as PNG or SVG.

    `note` is trusted product text added after the words (e.g. "Select a bar to ...");
    with `on_select` (and a `key`) a click on a bar calls it (ui.chart_component). The file's
    subject and date come from the chart's title. `for_files` is the (figure, words) to put
    in the files instead, e.g. with the titles of exempt (Part 2) sources left out.

    A chart with nothing to show (no bars, or bars of nought) is not drawn: an empty frame
    with an axis of noughts tells a reader nothing, so its title and words say so instead.
    """
    if not has_something_to_show(figure):
        subject, _ = subject_and_date(figure.layout.title.text or "")
        st.info(plain(f"{subject}: {words}"), icon=":material/bar_chart:")
        return
    draw_chart(figure, words, key=key, on_select=on_select)
    st.caption(plain(words) + note)
    file_figure, file_words = for_files or (figure, words)
    chart_downloads(file_figure, file_words)


def show_listing(
    listing: Listing,
    description: str,
    column_config: dict[str, Any],
    note: str = "",
    *,
    subject: str | None = None,
    as_at: date | None = None,
) -> None:
    """A list with a caption that says what it holds and, when capped, how much is shown.

    With `subject` and `as_at` (e.g. "Overdue recommendations", the filters' date) it also
    offers the list as CSV and XLSX; exempt (Part 2) rows are left out of those unless the
    user asks. The hidden exempt mark (domain.exempt) is never shown."""
    shown = CAPPED.format(shown=len(listing.rows)) if listing.is_capped else "."
    st.caption(description + shown + note)
    visible = without_exempt_mark(listing.rows)
    st.dataframe(visible, column_config=column_config, hide_index=True)
    if subject and as_at is not None and not listing.rows.empty:
        file_note = (
            CAPPED_FILE.format(shown=len(listing.rows), total=listing.total)
            if listing.is_capped
            else ""
        )
        table_downloads(
            listing.rows,
            subject,
            as_at,
            column_labels=column_config,
            note=file_note,
        )


__all__ = ["show_chart", "show_listing"]
