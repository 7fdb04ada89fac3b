"""Drawing the Next committee page: the committee picker, the meeting line, the items by source.

Kept out of pages/next_committee.py so the page stays a short script. Everything from the
database is shown as text: in st.dataframe cells, or through `ui.text.plain()`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import pandas as pd
import pyarrow as pa
import streamlit as st

from data_access.filters import Filters
from data_access.queries.committee import CommitteeChoice, DueBack, default_committee
from domain.formatting import count, long_date, plural, short_date
from domain.settings import DEFAULT_THRESHOLDS, Thresholds
from exports.exempt import mark_exempt
from ui.downloads import table_downloads
from ui.navigation import page_by_url
from ui.text import plain

# URL parameter of the committee picker: part of every emailed briefing link, keep it stable.
KEY_MEETING_COMMITTEE = "meeting_committee"
KEY_FULL_TEXT = "meeting_full_text"
KEY_INCLUDE_RETIRED = "meeting_include_retired"
# Whether the all-committees count is open: the Overview's "Due back" tile opens it, so the
# page shows the very number the tile counted (every committee, not the one chosen below).
KEY_ALL_COMMITTEES = "meeting_all_committees"
# The shared Committee filter as last seen, so the picker can follow a change to it.
_SIDEBAR_SEEN = "_meeting_committee_sidebar_seen"

# Tall rows let the long text columns wrap over several lines (Streamlit wraps above 64 px).
ROW_HEIGHT = 118
HEADER_HEIGHT = 36
# A source with more items than this scrolls inside its table.
ROWS_BEFORE_SCROLLING = 8
# The columns on screen, in order, with widths that add up to what a 1280 px laptop with the
# sidebar open (about 820 px) or an 820 px tablet with it folded (about 790 px) leaves for
# the table: who owns it, where it stands, its target and RAG, why it is due back and the
# latest word, all without scrolling sideways (wider screens share out the rest). Status and
# RAG are wide enough for their longest word ("Implemented", "(complete)"), which glide
# would otherwise break in two. The update's author, the RAG's reason and the separate
# update date are in the files and in the full-text list; selecting a cell shows it whole.
SCREEN_COLUMNS = (
    "ref",
    "wording",
    "owner",
    "status",
    "current_target_date",
    "rag",
    "reasons",
    "latest_on_screen",
)

ITEM_TABLE_COLUMNS = {
    "ref": st.column_config.TextColumn("Ref", width=44, pinned=True),
    "wording": st.column_config.TextColumn("Recommendation", width=158),
    # The pack's header, and short enough for its column ("Due back because" was cut).
    "reasons": st.column_config.TextColumn("Why due back", width=108),
    "latest_update": st.column_config.TextColumn("Latest update", width=380),
    "latest_update_on": st.column_config.DateColumn("Update date", format="D MMM YYYY"),
    "latest_update_by": st.column_config.TextColumn("Update by"),
    "rag": st.column_config.TextColumn("RAG", width=82),
    "rag_reason": st.column_config.TextColumn("Why this RAG"),
    "current_target_date": st.column_config.DateColumn("Target", format="D MMM YYYY", width=86),
    "status": st.column_config.TextColumn("Status", width=96),
    "owner": st.column_config.TextColumn("Owner", width=88),
    "latest_on_screen": st.column_config.TextColumn("Latest update", width=114),
}
# The items due back as a file: what a briefing needs first, then the rest of the row.
ITEM_FILE_COLUMNS = {
    "source_title": "Source",
    "source_kind": "Source kind",
    "source_issued": "Source issued",
    **{
        name: ITEM_TABLE_COLUMNS[name]
        for name in (
            "ref",
            "wording",
            "reasons",
            "latest_update",
            "latest_update_on",
            "latest_update_by",
            "rag",
            "rag_reason",
            "current_target_date",
            "status",
            "owner",
        )
    },
}
ITEM_FILE_COLUMNS["current_target_date"] = "Target date"
ALL_COMMITTEES_FILE_COLUMNS = {
    "committee": "Committee",
    "next_meeting": "Next meeting",
    "items": "Items due back",
}
TILES_PER_ROW = 3
# A long briefing shows this many sources at a time: every table is a canvas the browser
# must draw, and hundreds of them take many seconds.
SOURCES_PER_PAGE = 20
KEY_SOURCES_PAGE = "meeting_sources_from"


def choose_committee(
    choices: Sequence[CommitteeChoice], filters: Filters, with_items: Iterable[int] = ()
) -> int | None:
    """The committee picker, bound to the URL so a briefing link can be emailed.

    Defaults to the shared filter's committee when exactly one is picked, else the committee
    meeting soonest among those with items due back (`with_items`). When the shared filter
    changes to a single committee, the picker follows it; otherwise the officer's own choice
    (or the link's) stands.
    """
    if any(choice.retired for choice in choices) and not st.toggle(
        "Include retired committees",
        key=KEY_INCLUDE_RETIRED,
        help="Retired committees keep their history; they are left out of this list unless "
        "you ask for them.",
    ):
        choices = [choice for choice in choices if not choice.retired]
    if not choices:
        return None
    names = {choice.id: choice.name for choice in choices}
    sidebar = tuple(committee_id for committee_id in filters.committee_ids if committee_id in names)
    candidates = [c for c in choices if c.id in sidebar] if len(sidebar) > 1 else choices
    default_id = default_committee(
        candidates, sidebar if len(sidebar) == 1 else (), with_items=with_items
    )
    options = list(names)
    index = options.index(default_id)
    seen = st.session_state.get(_SIDEBAR_SEEN)
    st.session_state[_SIDEBAR_SEEN] = sidebar
    if seen is not None and seen != sidebar and len(sidebar) == 1:
        st.session_state[KEY_MEETING_COMMITTEE] = sidebar[0]
        index = 0  # the value comes from session state this run; no second default
    return st.selectbox(
        "Committee",
        options,
        index=index,
        format_func=lambda committee_id: names.get(committee_id, f"#{committee_id}"),
        key=KEY_MEETING_COMMITTEE,
        bind="query-params",
        help="The committee to brief on. The address bar keeps the choice, so the link can "
        "be shared.",
    )


def show_all_committees(by_committee: pd.DataFrame, as_at: date) -> None:
    """Every committee's count of items due back: the total the Overview's tile shows,
    with the table as CSV and XLSX (counts only: no exempt item is named)."""
    total = int(by_committee["items"].sum())
    with st.expander(
        f"All committees: {plural(total, 'item')} due back at their next meetings",
        icon=":material/table_rows:",
        key=KEY_ALL_COMMITTEES,
        on_change="rerun",
    ):
        st.table(
            pd.DataFrame(
                {
                    "Committee": by_committee["committee"],
                    "Next meeting": [short_date(day.date()) for day in by_committee.next_meeting],
                    "Items due back": [count(items) for items in by_committee["items"]],
                }
            ).set_index("Committee")
        )
        table_downloads(
            by_committee[list(ALL_COMMITTEES_FILE_COLUMNS)],
            "Items due back by committee",
            as_at,
            column_labels=ALL_COMMITTEES_FILE_COLUMNS,
            key="download_all_committees",
        )


def days_until(meeting_on: date, as_at: date) -> str:
    """'today', 'tomorrow' or 'in 27 days'."""
    days = (meeting_on - as_at).days
    return "today" if days == 0 else "tomorrow" if days == 1 else f"in {plural(days, 'day')}"


def show_meetings(briefing: DueBack) -> None:
    """The next meeting with how far off it is, and the previous one; or why there is none."""
    previous = (
        f"Previous meeting: {long_date(briefing.previous_meeting)}."
        if briefing.previous_meeting
        else "No earlier meeting is recorded."
    )
    if briefing.next_meeting is None:
        st.warning(
            f"No meeting of {plain(briefing.committee_name)} is recorded on or after "
            f"{long_date(briefing.as_at)}, so nothing can be listed as due back. Add its "
            "meeting dates on the Committees page (one at a time, or import its calendar), "
            "or choose an earlier as-at date or another committee.",
            icon=":material/event_busy:",
        )
        link_to_committees()
        st.caption(previous)
        return
    st.markdown(
        f"**Next meeting: {long_date(briefing.next_meeting)}** "
        f"({days_until(briefing.next_meeting, briefing.as_at)}). {previous}"
    )
    if next_meeting_is_far_off(briefing.next_meeting, briefing.as_at):
        st.warning(
            f"The next meeting recorded for {plain(briefing.committee_name)} is "
            f"{long_date(briefing.next_meeting)}, "
            f"{plural((briefing.next_meeting - briefing.as_at).days, 'day')} after "
            f"{long_date(briefing.as_at)}: its calendar is probably incomplete, and the list "
            "below is what is due back by then. Add its meeting dates on the Committees page.",
            icon=":material/event_upcoming:",
        )
        link_to_committees()


def next_meeting_is_far_off(
    next_meeting_on: date, as_at: date, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> bool:
    """True when the next meeting is unusually far after the as-at date (a setting)."""
    return (next_meeting_on - as_at).days > thresholds.next_meeting_warning_days


def link_to_committees() -> None:
    committees = page_by_url("committees")
    st.page_link(committees.file, label="Add meeting dates on Committees", icon=committees.icon)


def show_tiles(briefing: DueBack) -> None:
    """Items due back, then how many carry each reason (an item can carry several)."""
    tiles = [("Items due back", briefing.total), *briefing.reason_counts]
    for first in range(0, len(tiles), TILES_PER_ROW):
        row = tiles[first : first + TILES_PER_ROW]
        for column, (label, number) in zip(st.columns(TILES_PER_ROW), row, strict=False):
            column.metric(label, count(number), border=True)


def show_list_note(briefing: DueBack, full_text: bool) -> None:
    """How to read the list, and whether it is the whole of it."""
    notes = [] if full_text else ["Select a cell to read it whole, or switch on full text."]
    if briefing.is_truncated:
        notes.insert(
            0,
            f"Showing the first {count(len(briefing.items))} of {count(briefing.total)} items, "
            "oldest source first. Narrow the list with the filters in the sidebar.",
        )
    if notes:
        st.caption(" ".join(notes))


def items_file_frame(items: pd.DataFrame) -> pd.DataFrame:
    """The items due back as the downloads carry them: the file's columns, and the hidden
    exempt mark (domain.exempt) that `ui.downloads.table_downloads` uses to leave exempt rows
    out unless asked."""
    return mark_exempt(
        items[list(ITEM_FILE_COLUMNS)], items["source_exempt"].fillna(False).astype(bool)
    )


def show_items_download(briefing: DueBack) -> None:
    """Every item due back (not only the sources on show) as CSV and XLSX."""
    if briefing.items.empty or briefing.next_meeting is None:
        return
    note = (
        f"The first {len(briefing.items):,} of {briefing.total:,} items due back are listed, "
        "oldest source first; narrow the filters to list the others."
        if briefing.is_truncated
        else ""
    )
    table_downloads(
        items_file_frame(briefing.items),
        f"Items due back to {briefing.committee_name} on {long_date(briefing.next_meeting)}",
        briefing.as_at,
        column_labels=ITEM_FILE_COLUMNS,
        note=note,
        key=f"download_items_due_back_{briefing.committee_id}",
    )


def _source_heading(first, item_count: int) -> None:
    """The source's title with its kind, issue date and, when exempt, the Part 2 marker.

    One Markdown element per source (a heading and a grey line), since a long briefing
    can hold hundreds of sources and every element costs render time.
    """
    issued = long_date(first.source_issued.date())
    line = plain(f"{first.source_kind}, issued {issued}. {plural(item_count, 'item')} due back.")
    exempt = " :red-badge[:material/lock: Exempt (Part 2)]" if first.source_exempt else ""
    st.markdown(f"### {plain(first.source_title)}\n:gray[{line}]{exempt}")


def _source_runs(items: pd.DataFrame) -> list[tuple[int, int]]:
    """(start, length) of each source's run of rows; the query orders items by source."""
    if items.empty:
        return []
    changes = items["source_id"].ne(items["source_id"].shift()).to_numpy().nonzero()[0].tolist()
    ends = [*changes[1:], len(items)]
    return [(start, end - start) for start, end in zip(changes, ends, strict=True)]


def _page_of_sources(runs: list[tuple[int, int]], committee_id: int) -> list[tuple[int, int]]:
    """The runs of the sources to show now; a picker appears when there are too many."""
    per_page = SOURCES_PER_PAGE
    if len(runs) <= per_page:
        return runs
    first = st.selectbox(
        "Sources shown",
        list(range(0, len(runs), per_page)),
        format_func=lambda start: (
            f"{start + 1:,}–{min(start + per_page, len(runs)):,} of {len(runs):,} sources"
        ),
        key=f"{KEY_SOURCES_PAGE}_{committee_id}",
        width=320,
        help="A long briefing is shown a page of sources at a time, oldest source first.",
    )
    return runs[first : first + per_page]


def show_items_by_source(items: pd.DataFrame, full_text: bool, committee_id: int) -> None:
    """Each source's items under its title: a table, or (full_text) a list to read in full.

    The table columns go to Arrow once and each source gets a zero-copy slice: converting
    hundreds of small DataFrames one by one would take most of the page's time budget.
    """
    table = pa.Table.from_pandas(
        _with_latest_on_screen(items)[list(ITEM_TABLE_COLUMNS)], preserve_index=False
    )
    runs = _page_of_sources(_source_runs(items), committee_id)
    firsts = items.iloc[[start for start, _ in runs]].itertuples(index=False)
    for (start, length), first in zip(runs, firsts, strict=True):
        _source_heading(first, length)
        if full_text:
            _show_item_list(items.iloc[start : start + length])
        else:
            st.dataframe(
                table.slice(start, length),
                column_config=ITEM_TABLE_COLUMNS,
                column_order=SCREEN_COLUMNS,
                hide_index=True,
                placeholder="–",
                row_height=ROW_HEIGHT,
                height=HEADER_HEIGHT + ROW_HEIGHT * min(length, ROWS_BEFORE_SCROLLING) + 2,
                width="stretch",
            )


def _with_latest_on_screen(items: pd.DataFrame) -> pd.DataFrame:
    """The items with the latest update as one cell: its date, then its words."""
    latest = [
        f"{_when(on)}: {_text(words)}" if _when(on) else "None recorded"
        for on, words in zip(items["latest_update_on"], items["latest_update"], strict=True)
    ]
    return items.assign(latest_on_screen=pd.Series(latest, index=items.index, dtype="string"))


def _when(value: object) -> str:
    return "" if pd.isna(value) else short_date(pd.Timestamp(value).date())


def _text(value: object, missing: str = "") -> str:
    """A text cell as a string; pandas may hold a missing one as None or NaN."""
    return missing if value is None or pd.isna(value) else str(value)


def _item_text(item) -> str:
    """One item as Markdown: every database value escaped by `plain()`."""
    target = _when(item.current_target_date) or "none set"
    facts = plain(
        f"Owner: {_text(item.owner, 'none')} · {item.status} · "
        f"RAG {item.rag} ({item.rag_reason}) · Target date: {target}"
    )
    if pd.isna(item.latest_update_on):
        update = "**Latest update:** none recorded."
    else:
        by = f", {_text(item.latest_update_by)}" if _text(item.latest_update_by) else ""
        update = (
            f"**Latest update** ({plain(_when(item.latest_update_on) + by)}): "
            f"{plain(item.latest_update)}"
        )
    return (
        f"**{plain(item.ref)}\\.** {plain(item.wording)}  \n:gray[{facts}]\n\n"
        f"**Due back because:** {plain(item.reasons)}\n\n{update}"
    )


def _show_item_list(group: pd.DataFrame) -> None:
    """The source's items as one Markdown block: cheap to draw however many there are."""
    st.markdown("\n\n---\n\n".join(_item_text(item) for item in group.itertuples(index=False)))
