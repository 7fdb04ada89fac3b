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
from domain.access import Action, may, refusal
from domain.formatting import long_date
from domain.people import Person
from ui import cache
from ui.filters import chosen_source_ids, current_filters, draw_filters
from ui.identity import (
    SIGNED_OUT,
    current_person,
    network_refusal,
    sign_in_configured,
    unsigned_network_forced,
)
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


LOCAL_AND_UNSIGNED = (
    "**Local and unsigned.** This tracker runs on this computer only (127.0.0.1), for the "
    "person at it: nobody is signed in, and changes record the name typed. To share it, "
    "set up sign-in (README, “Sign-in and roles”)."
)
FORCED_UNSIGNED = (
    "**Unsigned, on the network.** Sign-in is not set up and serving without it was forced: "
    "anyone who can reach this address can read every item, exempt ones included, and "
    "change the record under any name."
)
WITHHELD = (
    "Some items are withheld: exempt (Part 2) items are shown only to people cleared for them."
)


def access_gate() -> Person:
    """Before anything is drawn: refuse an unsigned app served to the network, ask for
    sign-in where it is configured, and return the person using the app."""
    refused = network_refusal()
    if refused is not None:
        st.title("This tracker needs sign-in to be served on a network")
        st.error(plain(refused), icon=":material/lock:")
        st.stop()
    if sign_in_configured() and not st.user.is_logged_in:
        st.title("Recommendation Tracker")
        st.markdown("Sign in with your council account to see and record progress.")
        st.button("Log in", type="primary", icon=":material/login:", on_click=st.login)
        st.stop()
    try:
        person = current_person()
    except DatabaseProblem as problem:
        show_problem(problem, heading=True)
        raise  # unreachable: st.stop() ends the run
    except SQLAlchemyError as error:
        show_problem(
            DatabaseProblem(
                f"The database could not say who you are ({error_detail(error)}). Nothing "
                "was changed: try again in a moment."
            ),
            heading=True,
        )
        raise  # unreachable: st.stop() ends the run
    if person is SIGNED_OUT:
        st.title("Your sign-in did not say who you are")
        st.error(
            "The sign-in provider did not give an email address, which the tracker records "
            "against every change. Ask whoever runs sign-in to include the email claim.",
            icon=":material/error:",
        )
        st.button("Log out", on_click=st.logout)
        st.stop()
    return person


def _who(person: Person) -> None:
    """Who is using the app, at the top of the sidebar on every page."""
    sidebar = st.sidebar
    if person.signed_in:
        cleared = " · cleared for exempt items" if person.cleared_for_exempt else ""
        sidebar.markdown(
            f":material/account_circle: **{plain(person.display_name)}**  \n"
            f":gray[{plain(person.identity)} · {plain(person.role.value)}{cleared}]"
        )
        sidebar.button("Log out", on_click=st.logout, icon=":material/logout:", key="log_out")
    elif unsigned_network_forced() and not sign_in_configured():
        sidebar.markdown(":red-badge[:material/warning: Unsigned, on the network]")
        sidebar.markdown(FORCED_UNSIGNED)
    else:
        sidebar.markdown(":orange-badge[:material/lock_open: Local and unsigned]")
        sidebar.markdown(LOCAL_AND_UNSIGNED)


def refuse_unless(action: Action) -> None:
    """First thing on a page only some roles may open: say why not, and stop."""
    person = current_person()
    reason = refusal(person, action)
    if reason is not None:
        st.error(plain(reason), icon=":material/block:")
        st.caption("Ask an admin of this tracker if you need it.")
        st.stop()


def render_shared() -> Filters:
    """Check the database and draw the shared sidebar; returns the filters in force."""
    apply_styles()
    person = current_person()
    public_only = not may(person, Action.VIEW_EXEMPT)
    try:
        options = cache.query(option_queries.filter_options, chosen_source_ids(), public_only)
        source_count = cache.query(option_queries.count_sources, public_only)
        withheld = public_only and cache.query(option_queries.has_exempt_items)
    except DatabaseProblem as problem:
        show_problem(problem, heading=True)
        raise  # unreachable: st.stop() ends the run
    _who(person)
    if withheld:
        st.sidebar.caption(f":material/lock: {WITHHELD}")
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
