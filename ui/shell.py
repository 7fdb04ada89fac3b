"""What every page shares: the database check, the sidebar filters, empty states and errors.

`dashboard.py` calls `render_shared()` before running the chosen page; tests do the same
through the same function, so pages are always exercised as users see them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st
from sqlalchemy import Connection
from sqlalchemy.exc import SQLAlchemyError

from data_access.db import (
    DatabaseProblem,
    configured_url,
    error_detail,
    is_embedded_default,
    mask_url,
)
from data_access.filters import Filters
from data_access.queries import options as option_queries
from data_access.queries.summary import tracker_counts
from domain.formatting import long_date
from ui import cache
from ui.filters import chosen_source_ids, current_filters, draw_filters
from ui.navigation import BRING_DATA_IN, PAGES, ensure_router
from ui.styles import apply_styles, page_behaviour
from ui.text import plain

T = TypeVar("T")

EMPTY_DATABASE_HELP = (
    "This database has no recommendations yet. Bring in the tracker you keep in Excel or CSV, "
    "or the recommendations of a committee report, with the pages below. Nothing is saved "
    "until you have checked what was read."
)


def show_problem(problem: DatabaseProblem, heading: bool = False) -> None:
    """Say what went wrong, that nothing changed, and how to fix it; then stop the page."""
    if heading:
        st.title("The tracker cannot use its database")
    st.error(plain(str(problem)), icon=":material/error:")
    url = configured_url()
    where = "the built-in database" if is_embedded_default(url) else plain(mask_url(url))
    st.caption(f"Database in use: {where}")
    st.stop()


def run_query(function: Callable[..., T], *args: Any) -> T:
    """A cached named query; a database failure is shown as a message, never a traceback."""
    try:
        return cache.query(function, *args)
    except DatabaseProblem as problem:
        show_problem(problem)
        raise  # unreachable: st.stop() ends the run


def read_now(function: Callable[..., T], *args: Any) -> T:
    """`function(connection, *args)` as the database stands this moment, not cached.

    For the reads a write depends on (the newest update when a form opens, what an import
    would do, whether an undo is still possible), which a cached answer could get wrong.
    Views never open a connection themselves: a database failure is shown in plain words
    (never SQL) and stops the page, as run_query does."""
    try:
        with cache.engine().connect() as connection:
            return function(connection, *args)
    except SQLAlchemyError as error:
        problem = cache.could_not_answer(error)
    except DatabaseProblem as cannot_open:
        problem = cannot_open
    show_problem(problem)
    raise problem  # unreachable: st.stop() ends the run


class WriteFailed(DatabaseProblem):
    """The database could not make a change, so nothing was changed; the message says so in
    plain words for the screen."""


def write(change: Callable[[Connection], T], action: str) -> T:
    """Run `change(connection)` in one transaction (all of it or nothing) and return its result.

    The one way a view writes. On success every cached query result is forgotten, so each
    page shows the change. A refusal raised by `change` (a write's own exception, such as
    InvalidUpdate) passes through after the rollback, for the view to explain. A database
    failure (it cannot be opened, is locked, the server went away) raises WriteFailed:
    "The database could not <action> (<what the driver said>). Nothing was changed. …",
    with the driver's first line only (`error_detail`), never SQL."""
    try:
        with cache.engine().begin() as connection:
            result = change(connection)
    except (DatabaseProblem, SQLAlchemyError) as error:
        raise WriteFailed(
            f"The database could not {action} ({error_detail(error)}). Nothing was changed. "
            "Try again in a moment; if it keeps failing, ask whoever runs the tracker."
        ) from error
    cache.invalidate()
    return result


def render_shared() -> Filters:
    """Check the database and draw the shared sidebar; returns the filters in force."""
    apply_styles()
    try:
        options = cache.query(option_queries.filter_options, chosen_source_ids())
        source_count = cache.query(option_queries.count_sources)
    except DatabaseProblem as problem:
        show_problem(problem, heading=True)
        raise  # unreachable: st.stop() ends the run
    filters = draw_filters(options, source_count)
    page_behaviour()
    return filters


def page_filters() -> Filters:
    """The filters for the page being drawn. Called first by every page, so it also makes
    sure the page runs under the router (see ui.navigation.ensure_router)."""
    ensure_router()
    return current_filters()


def stop_if_empty() -> None:
    """On a database with no recommendations, explain how to bring data in and stop."""
    counts = run_query(tracker_counts)
    if counts.recommendations == 0:
        st.info(EMPTY_DATABASE_HELP, icon=":material/inbox:")
        for page in PAGES:
            if page.section == BRING_DATA_IN:
                st.page_link(page.file, label=page.title, icon=page.icon)
        st.stop()


def nothing_in_view(filters: Filters, what: str = "recommendations") -> None:
    """The empty state of a list: filters that match nothing, or a date before any data."""
    if filters.is_narrowed:
        no_matches(what)
    else:
        st.info(
            f"No {what} had been made by {long_date(filters.as_at)}. "
            "Choose a later **As at** date.",
            icon=":material/event_busy:",
        )


def no_matches(what: str = "recommendations") -> None:
    """The empty state for filters that match nothing."""
    st.info(
        f"No {what} match the filters in force. Widen them in the sidebar, or use "
        "**Clear filters**.",
        icon=":material/filter_alt:",
    )
