"""The shared filters: drawn once in the sidebar, kept in the URL, read by every page.

Each widget is bound to a URL query parameter (`bind="query-params"`), so a filtered view
survives moving between pages and can be bookmarked or emailed. Multi-choice filters appear
in the URL by their readable labels (`?status=In+progress&directorate=Place`).
Pages read the values with `current_filters()`, which works even where the sidebar was not
drawn (a page run on its own), falling back to the defaults.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from data_access.filters import Filters
from data_access.queries.options import MAX_SOURCE_OPTIONS, FilterOptions
from domain.formatting import long_date
from domain.vocabulary import RAG_ORDER, Priority, SourceKind, Status
from ui.text import plain

# URL parameter names: part of every bookmarked link, so keep them stable.
KEY_AS_AT = "as_at"
KEY_COMMITTEE = "committee"
KEY_SOURCE = "source"
KEY_KIND = "kind"
KEY_DIRECTORATE = "directorate"
KEY_OWNER = "owner"
KEY_STATUS = "status"
KEY_RAG = "rag"
KEY_PRIORITY = "priority"
KEY_TARGET_FROM = "target_from"
KEY_TARGET_TO = "target_to"
KEY_SEARCH = "q"

FILTER_KEYS = (
    KEY_COMMITTEE,
    KEY_SOURCE,
    KEY_KIND,
    KEY_DIRECTORATE,
    KEY_OWNER,
    KEY_STATUS,
    KEY_RAG,
    KEY_PRIORITY,
    KEY_TARGET_FROM,
    KEY_TARGET_TO,
    KEY_SEARCH,
)


def _ids(key: str) -> tuple[int, ...]:
    return tuple(int(value) for value in st.session_state.get(key) or ())


def _values(key: str) -> tuple[str, ...]:
    return tuple(str(value) for value in st.session_state.get(key) or ())


def current_filters() -> Filters:
    """The filters in force for this run, from the widgets' state (defaults if none)."""
    as_at = st.session_state.get(KEY_AS_AT) or date.today()
    target_from = st.session_state.get(KEY_TARGET_FROM)
    target_to = st.session_state.get(KEY_TARGET_TO)
    return Filters(
        as_at=as_at,
        committee_ids=_ids(KEY_COMMITTEE),
        source_ids=_ids(KEY_SOURCE),
        source_kinds=_values(KEY_KIND),
        directorate_ids=_ids(KEY_DIRECTORATE),
        owner_ids=_ids(KEY_OWNER),
        statuses=_values(KEY_STATUS),
        rags=_values(KEY_RAG),
        priorities=_values(KEY_PRIORITY),
        target_from=target_from,
        target_to=target_to,
        search=(st.session_state.get(KEY_SEARCH) or "").strip(),
    )


def _labels(names: dict[int, str]):
    return lambda option_id: names.get(option_id, f"#{option_id}")


def _clear_filters() -> None:
    for key in FILTER_KEYS:
        if key in st.session_state:
            st.session_state[key] = (
                None
                if key in (KEY_TARGET_FROM, KEY_TARGET_TO)
                else ("" if key == KEY_SEARCH else [])
            )


# The dates a user can pick or link to (Streamlit's own default is only today ± 10 years).
EARLIEST_DATE = date(1990, 1, 1)
LATEST_DATE = date(2099, 12, 31)


def _link_values(key: str) -> list[str]:
    """The values the address bar gave for a filter, before its widget reads them."""
    return [value for value in st.query_params.get_all(key) if value]


def _ignored_from_link(
    requested: dict[str, list[str]], labels: dict[str, list[str]], as_at_asked: list[str]
) -> list[str]:
    """What a link asked for that the filters could not use (so the view is wider than the
    link meant): unknown labels, and an as-at date that is not a date in range."""
    ignored = [
        f"{name} “{value}”"
        for name, values in requested.items()
        for value in values
        if value not in labels[name]
    ]
    for value in as_at_asked:
        try:
            asked = date.fromisoformat(value)
        except ValueError:
            ignored.append(f"as-at date “{value}”")
            continue
        if not EARLIEST_DATE <= asked <= LATEST_DATE:
            ignored.append(f"as-at date “{value}”")
    return ignored


def draw_filters(options: FilterOptions, source_count: int) -> Filters:
    """Draw the filter widgets in the sidebar and return the filters they set."""
    sidebar = st.sidebar
    label_sets = {
        "Committee": list(options.committees.values()),
        "Directorate": list(options.directorates.values()),
        "Status": [s.label for s in Status],
        "RAG": [r.label for r in RAG_ORDER],
        "Source kind": [k.label for k in SourceKind],
        "Source": list(options.sources.values()),
        "Owner": list(options.owners.values()),
        "Priority": [p.label for p in Priority],
    }
    keys = {
        "Committee": KEY_COMMITTEE,
        "Directorate": KEY_DIRECTORATE,
        "Status": KEY_STATUS,
        "RAG": KEY_RAG,
        "Source kind": KEY_KIND,
        "Source": KEY_SOURCE,
        "Owner": KEY_OWNER,
        "Priority": KEY_PRIORITY,
    }
    ignored = _ignored_from_link(
        {name: _link_values(key) for name, key in keys.items()},
        label_sets,
        _link_values(KEY_AS_AT),
    )
    sidebar.date_input(
        "As at",
        value=date.today(),
        min_value=EARLIEST_DATE,
        max_value=LATEST_DATE,
        key=KEY_AS_AT,
        bind="query-params",
        format="DD/MM/YYYY",
        help="Show everything as it stood on this date, replaying the progress updates.",
    )
    sidebar.text_input(
        "Search",
        key=KEY_SEARCH,
        bind="query-params",
        placeholder="Words in a recommendation, a ref or an owner",
    )
    sidebar.multiselect(
        "Committee",
        list(options.committees),
        format_func=_labels(options.committees),
        key=KEY_COMMITTEE,
        bind="query-params",
        placeholder="All committees",
    )
    sidebar.multiselect(
        "Directorate",
        list(options.directorates),
        format_func=_labels(options.directorates),
        key=KEY_DIRECTORATE,
        bind="query-params",
        placeholder="All directorates",
    )
    sidebar.multiselect(
        "Status",
        [s.value for s in Status],
        format_func=lambda v: Status(v).label,
        key=KEY_STATUS,
        bind="query-params",
        placeholder="Any status",
    )
    sidebar.multiselect(
        "RAG",
        [r.value for r in RAG_ORDER],
        format_func=lambda v: _rag_label(v),
        key=KEY_RAG,
        bind="query-params",
        placeholder="Any RAG rating",
    )
    with sidebar.expander("More filters", expanded=_any_more_filters_set()):
        st.multiselect(
            "Source kind",
            [k.value for k in SourceKind],
            format_func=lambda v: SourceKind(v).label,
            key=KEY_KIND,
            bind="query-params",
            placeholder="Any kind",
        )
        source_help = (
            f"Lists the {MAX_SOURCE_OPTIONS:,} most recent of {source_count:,} sources; "
            "use Search for older ones."
            if source_count > MAX_SOURCE_OPTIONS
            else None
        )
        st.multiselect(
            "Source",
            list(options.sources),
            format_func=_labels(options.sources),
            key=KEY_SOURCE,
            bind="query-params",
            placeholder="All sources",
            help=source_help,
        )
        st.multiselect(
            "Owner",
            list(options.owners),
            format_func=_labels(options.owners),
            key=KEY_OWNER,
            bind="query-params",
            placeholder="Anyone",
        )
        st.multiselect(
            "Priority",
            [p.value for p in Priority],
            format_func=lambda v: Priority(v).label,
            key=KEY_PRIORITY,
            bind="query-params",
            placeholder="Any priority",
        )
        st.date_input(
            "Target date from",
            value=None,
            min_value=EARLIEST_DATE,
            max_value=LATEST_DATE,
            key=KEY_TARGET_FROM,
            bind="query-params",
            format="DD/MM/YYYY",
        )
        st.date_input(
            "Target date to",
            value=None,
            min_value=EARLIEST_DATE,
            max_value=LATEST_DATE,
            key=KEY_TARGET_TO,
            bind="query-params",
            format="DD/MM/YYYY",
        )
    filters = current_filters()
    if ignored:
        sidebar.warning(
            plain("Not used from the link, so the view is wider than the link meant: ")
            + plain("; ".join(ignored))
            + ".",
            icon=":material/link_off:",
        )
    if filters.is_narrowed:
        sidebar.button("Clear filters", on_click=_clear_filters, icon=":material/filter_alt_off:")
    sidebar.caption(f"As at {long_date(filters.as_at)}. The address bar keeps these filters.")
    return filters


def _rag_label(value: str) -> str:
    from domain.vocabulary import Rag

    return Rag(value).label


def _any_more_filters_set() -> bool:
    keys = (KEY_KIND, KEY_SOURCE, KEY_OWNER, KEY_PRIORITY, KEY_TARGET_FROM, KEY_TARGET_TO)
    return any(st.session_state.get(key) for key in keys)
