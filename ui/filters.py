"""The shared filters: drawn once in the sidebar, kept in the URL, read by every page.

Each widget is bound to a URL query parameter (`bind="query-params"`), so a filtered view
survives moving between pages and can be bookmarked or emailed. Multi-choice filters appear
in the URL by their readable labels (`?status=In+progress&directorate=Place`).
Pages read the values with `current_filters()`, which works even where the sidebar was not
drawn (a page run on its own), falling back to the defaults.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

from data_access.filters import Filters
from data_access.queries.options import MAX_SOURCE_OPTIONS, FilterOptions
from domain.access import Action, may
from domain.formatting import long_date
from domain.vocabulary import RAG_ORDER, Priority, SourceKind, Status
from ui.identity import current_person
from ui.text import plain

# URL parameter names: part of every bookmarked link, so keep them stable.
KEY_AS_AT = "as_at"
KEY_COMMITTEE = "committee"
KEY_SOURCE = "source"
KEY_NOT_SOURCE = "not_source"
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
    KEY_NOT_SOURCE,
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
        excluded_source_ids=_ids(KEY_NOT_SOURCE),
        source_kinds=_values(KEY_KIND),
        directorate_ids=_ids(KEY_DIRECTORATE),
        owner_ids=_ids(KEY_OWNER),
        statuses=_values(KEY_STATUS),
        rags=_values(KEY_RAG),
        priorities=_values(KEY_PRIORITY),
        target_from=target_from,
        target_to=target_to,
        search=(st.session_state.get(KEY_SEARCH) or "").strip(),
        withhold_exempt=not may(current_person(), Action.VIEW_EXEMPT),
    )


def chosen_source_ids() -> tuple[int, ...]:
    """The sources chosen in either source filter (to be offered even when older than the
    most recent ones the filters list)."""
    return tuple(sorted(set(_ids(KEY_SOURCE)) | set(_ids(KEY_NOT_SOURCE))))


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


@dataclass(frozen=True)
class ChoiceFilter:
    """One multi-choice filter: its label, URL key, choices (value -> label) and prompt."""

    label: str
    key: str
    choices: dict[object, str]
    placeholder: str
    help: str | None = None


def _choice_filters(options: FilterOptions, source_count: int) -> tuple[ChoiceFilter, ...]:
    """The multi-choice filters in the order drawn; the first four sit in the sidebar, the
    rest under "More filters"."""
    source_help = (
        f"Lists the {MAX_SOURCE_OPTIONS:,} most recent of {source_count:,} sources; "
        "use Search for older ones."
        if source_count > MAX_SOURCE_OPTIONS
        else None
    )
    return (
        ChoiceFilter("Committee", KEY_COMMITTEE, dict(options.committees), "All committees"),
        ChoiceFilter(
            "Directorate", KEY_DIRECTORATE, dict(options.directorates), "All directorates"
        ),
        ChoiceFilter("Status", KEY_STATUS, {s.value: s.label for s in Status}, "Any status"),
        ChoiceFilter("RAG", KEY_RAG, {r.value: r.label for r in RAG_ORDER}, "Any RAG rating"),
        ChoiceFilter("Source kind", KEY_KIND, {k.value: k.label for k in SourceKind}, "Any kind"),
        ChoiceFilter("Source", KEY_SOURCE, dict(options.sources), "All sources", source_help),
        ChoiceFilter(
            "Sources left out",
            KEY_NOT_SOURCE,
            dict(options.sources),
            "None left out",
            "Every source except these. The Overview's “All other sources” bar opens with "
            "the sources it names here.",
        ),
        ChoiceFilter("Owner", KEY_OWNER, dict(options.owners), "Anyone"),
        ChoiceFilter(
            "Priority", KEY_PRIORITY, {p.value: p.label for p in Priority}, "Any priority"
        ),
    )


FILTERS_IN_SIDEBAR = 4


def _ignored_from_link(filters: tuple[ChoiceFilter, ...]) -> list[str]:
    """What a link asked for that the filters could not use (so the view is wider than the
    link meant): unknown labels, and an as-at date that is not a date in range."""
    ignored = [
        f"{choice.label} “{value}”"
        for choice in filters
        for value in _link_values(choice.key)
        if value not in choice.choices.values()
    ]
    for value in _link_values(KEY_AS_AT):
        try:
            asked = date.fromisoformat(value)
        except ValueError:
            asked = None
        if asked is None or not EARLIEST_DATE <= asked <= LATEST_DATE:
            ignored.append(f"as-at date “{value}”")
    return ignored


def _multiselect(container, choice: ChoiceFilter) -> None:
    container.multiselect(
        choice.label,
        list(choice.choices),
        format_func=lambda value: choice.choices.get(value, f"#{value}"),
        key=choice.key,
        bind="query-params",
        placeholder=choice.placeholder,
        help=choice.help,
    )


def _date_input(container, label: str, key: str, default: date | None, **extra: str) -> None:
    container.date_input(
        label,
        value=default,
        min_value=EARLIEST_DATE,
        max_value=LATEST_DATE,
        key=key,
        bind="query-params",
        format="DD/MM/YYYY",
        **extra,
    )


def draw_filters(options: FilterOptions, source_count: int) -> Filters:
    """Draw the filter widgets in the sidebar and return the filters they set."""
    sidebar = st.sidebar
    choices = _choice_filters(options, source_count)
    ignored = _ignored_from_link(choices)
    _date_input(
        sidebar,
        "As at",
        KEY_AS_AT,
        date.today(),
        help="Show everything as it stood on this date, replaying the progress updates.",
    )
    sidebar.text_input(
        "Search",
        key=KEY_SEARCH,
        bind="query-params",
        placeholder="Words in a recommendation, a ref or an owner",
    )
    for choice in choices[:FILTERS_IN_SIDEBAR]:
        _multiselect(sidebar, choice)
    with sidebar.expander("More filters", expanded=_any_more_filters_set()):
        for choice in choices[FILTERS_IN_SIDEBAR:]:
            _multiselect(st, choice)
        _date_input(st, "Target date from", KEY_TARGET_FROM, None)
        _date_input(st, "Target date to", KEY_TARGET_TO, None)
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


def _any_more_filters_set() -> bool:
    keys = (
        KEY_KIND,
        KEY_SOURCE,
        KEY_NOT_SOURCE,
        KEY_OWNER,
        KEY_PRIORITY,
        KEY_TARGET_FROM,
        KEY_TARGET_TO,
    )
    return any(st.session_state.get(key) for key in keys)
