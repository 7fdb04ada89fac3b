"""The Overview's tiles and bars as ways in: each leads to the page that lists those items.

The shared filters are widgets bound to the URL (ui/filters.py), and Streamlit refuses to
set a bound parameter through `st.switch_page(..., query_params=...)`. So a link sets the
filter widgets' own state in a callback (which runs before the widgets are drawn) and then
switches page with no parameters of its own: every other filter keeps its value, and the
bound widgets write the whole filtered view back into the address bar of the new page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import streamlit as st

from charts.overview import NO_ID
from data_access.filters import Filters
from data_access.queries.overview import Headline, status_by_source
from domain.formatting import count
from domain.settings import AGEING_BUCKETS
from domain.vocabulary import COMPLETE_STATUSES, OPEN_STATUSES, Status
from ui.filters import (
    KEY_DIRECTORATE,
    KEY_NOT_SOURCE,
    KEY_RAG,
    KEY_SOURCE,
    KEY_STATUS,
    KEY_TARGET_FROM,
    KEY_TARGET_TO,
    current_filters,
)
from ui.navigation import page_by_url
from ui.shell import run_query
from views.committee_view import KEY_ALL_COMMITTEES

__all__ = [
    "AGEING_CHART",
    "NEXT_COMMITTEE",
    "OVERDUE",
    "OVERDUE_SECTION",
    "RAG_CHART",
    "REGISTER",
    "STATUS_CHART",
    "Tile",
    "ageing_filters",
    "narrowed_statuses",
    "on_ageing_bar_selected",
    "on_rag_bar_selected",
    "on_status_bar_selected",
    "open_list",
    "other_sources_filters",
    "tiles",
]

REGISTER = page_by_url("register").file
OVERDUE = page_by_url("overdue").file
NEXT_COMMITTEE = page_by_url("next_committee").file
# The Overdue follow-ups page's section tabs, bound to this URL parameter (pages/overdue.py).
OVERDUE_SECTION = "section"

# Widget keys of the two charts whose bars lead to lists.
STATUS_CHART = "overview_status_by_source"
RAG_CHART = "overview_rag_by_directorate"
AGEING_CHART = "overview_overdue_by_age"

_ORDERED_STATUSES = [s.value for s in Status]


def narrowed_statuses(wanted: Iterable[str], current: Sequence[str]) -> list[str]:
    """The statuses a link should filter by: those wanted, within any status filter already
    in force (so a link never widens the view the tile counted). In the product's order."""
    wanted_set = set(wanted)
    if current:
        wanted_set &= set(current)
    return [status for status in _ORDERED_STATUSES if status in wanted_set]


@dataclass(frozen=True)
class Tile:
    """One headline number, and the link under it to the list of those recommendations."""

    label: str
    value: str
    help: str
    link_label: str
    link_help: str
    page: Path
    filter_changes: dict[str, list] = field(default_factory=dict)
    has_items: bool = True
    page_params: dict[str, str] = field(default_factory=dict)
    # Widget state the page opens with, not kept in the address bar.
    page_state: dict[str, object] = field(default_factory=dict)


def tiles(summary: Headline, filters: Filters) -> list[Tile]:
    """The six tiles of the Overview, in reading order."""
    complete = narrowed_statuses((s.value for s in COMPLETE_STATUSES), filters.statuses)
    still_open = narrowed_statuses((s.value for s in OPEN_STATUSES), filters.statuses)
    return [
        Tile(
            "Recommendations",
            count(summary.recommendations),
            "",
            "See all",
            "Open the Recommendations page with these filters.",
            REGISTER,
        ),
        Tile(
            "Implemented",
            summary.percent_implemented,
            f"{summary.implemented:,} of {summary.recommendations:,} implemented (awaiting "
            "sign-off) or closed by the committee.",
            "See implemented",
            "Open the Recommendations page showing those implemented or closed.",
            REGISTER,
            {KEY_STATUS: complete},
            summary.implemented > 0,
        ),
        Tile(
            "Open",
            count(summary.open),
            "Not started or in progress.",
            "See open",
            "Open the Recommendations page showing those not started or in progress.",
            REGISTER,
            {KEY_STATUS: still_open},
            summary.open > 0,
        ),
        Tile(
            "Overdue",
            count(summary.overdue),
            "Open, with the current target date before the as-at date.",
            "See overdue",
            "Open the Overdue follow-ups page.",
            OVERDUE,
            has_items=summary.overdue > 0,
            page_params={OVERDUE_SECTION: "Overdue"},
        ),
        Tile(
            "Slipped",
            count(summary.slipped),
            "Target revised at least once, or open with the original target passed.",
            "See slipped",
            "Open the slipped recommendations on the Overdue follow-ups page.",
            OVERDUE,
            has_items=summary.slipped > 0,
            page_params={OVERDUE_SECTION: "Slipped"},
        ),
        Tile(
            "Due back",
            count(summary.due_back),
            "Across all committees, items due back at each one's next meeting: a report-back "
            "promised, target by the meeting, overdue, awaiting sign-off, or a response due.",
            "See by committee",
            "Open the Next committee page at the count for every committee.",
            NEXT_COMMITTEE,
            has_items=summary.due_back > 0,
            page_state={KEY_ALL_COMMITTEES: True},
        ),
    ]


def open_list(
    page: str | Path,
    filter_changes: dict[str, list] | None = None,
    page_params: dict[str, str] | None = None,
    page_state: dict[str, object] | None = None,
) -> None:
    """Callback: set the given filters (keeping every other one) and open `page`, with
    `page_params` for that page's own widgets (e.g. which section of it to show) and
    `page_state` for those not in the address bar (e.g. an expander to open)."""
    for key, value in (filter_changes or {}).items():
        st.session_state[key] = list(value)
    for key, value in (page_state or {}).items():
        st.session_state[key] = value
    # The target page's widget may remember an earlier choice (the default tab would then
    # lose to it, since a default never appears in the URL): set both.
    for key, value in (page_params or {}).items():
        st.session_state[key] = value
    st.switch_page(page, query_params=dict(page_params or {}))


def _selected_bar(chart_key: str) -> dict | None:
    """The bar just selected in the chart with `chart_key` (its x, y, customdata), if any."""
    event = st.session_state.get(chart_key)
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    return points[0] if points else None


def ageing_filters(bucket: str, filters: Filters) -> dict[str, object] | None:
    """The filters that list exactly the recommendations in an ageing bucket as at the
    filters' date: open, with the current target between the bucket's first and last day
    overdue (kept within any target dates already filtered by). None for an unknown bucket.
    """
    for label, first_day, last_day in AGEING_BUCKETS:
        if label != bucket:
            continue
        latest = filters.as_at - timedelta(days=first_day)
        earliest = None if last_day is None else filters.as_at - timedelta(days=last_day)
        if filters.target_to is not None:
            latest = min(latest, filters.target_to)
        if filters.target_from is not None:
            earliest = (
                filters.target_from if earliest is None else max(earliest, filters.target_from)
            )
        return {
            KEY_STATUS: narrowed_statuses((s.value for s in OPEN_STATUSES), filters.statuses),
            KEY_TARGET_FROM: earliest,
            KEY_TARGET_TO: latest,
        }
    return None


def on_ageing_bar_selected() -> None:
    """Callback for "Overdue by how long": list the recommendations overdue by that long."""
    bar = _selected_bar(AGEING_CHART)
    changes = ageing_filters(str(bar.get("x")), current_filters()) if bar else None
    if not changes:
        return
    statuses = changes.pop(KEY_STATUS)
    open_list(REGISTER, {KEY_STATUS: statuses}, page_state=changes)


def _selected_point(chart_key: str) -> list | None:
    """The customdata of the bar just selected in the chart with `chart_key`, if any."""
    event = st.session_state.get(chart_key)
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    for point in points:
        data = point.get("customdata")
        if data:
            return list(data)
    return None


def on_rag_bar_selected() -> None:
    """Callback for "RAG by directorate": list that directorate's items with that rating."""
    selected = _selected_point(RAG_CHART)
    if not selected:
        return
    directorate_id, rag = int(selected[0]), str(selected[1])
    if directorate_id == NO_ID:
        st.toast("Recommendations with no directorate cannot be filtered by directorate.")
        return
    open_list(REGISTER, {KEY_DIRECTORATE: [directorate_id], KEY_RAG: [rag]})


def other_sources_filters(status: str, filters: Filters) -> dict[str, list]:
    """The filters that list exactly the items of the "All other sources" bar with
    `status`: that status, every source in view except the ones the chart names (the
    "Sources left out" filter), within the filters already in force."""
    by_source = run_query(status_by_source, filters)
    named = by_source["source_id"].dropna().astype(int).unique().tolist()
    left_out = sorted(set(named) | set(filters.excluded_source_ids))
    return {KEY_STATUS: [status], KEY_NOT_SOURCE: left_out}


def on_status_bar_selected() -> None:
    """Callback for "status by source": list the items with that status from that source,
    or, for "All other sources", from every source in view but those the chart names."""
    selected = _selected_point(STATUS_CHART)
    if not selected:
        return
    source_id, status = int(selected[0]), str(selected[1])
    if source_id == NO_ID:
        open_list(REGISTER, other_sources_filters(status, current_filters()))
        return
    open_list(REGISTER, {KEY_STATUS: [status], KEY_SOURCE: [source_id]})


def show_source_button(source_id: int, label: str = "See them in Recommendations") -> None:
    """A button opening Recommendations filtered to one source (after an import, say)."""
    st.button(
        label,
        icon=":material/list_alt:",
        on_click=open_list,
        args=(REGISTER, {KEY_SOURCE: [source_id]}),
        help="Opens Recommendations showing this source only.",
    )
