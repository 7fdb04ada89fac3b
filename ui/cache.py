"""All of the dashboard's caching, in one place.

`st.cache_resource` holds one engine per database URL; `st.cache_data` holds query results,
keyed by the query's name, the URL and its arguments (a frozen `Filters` among them);
`st.cache_resource` also holds views built from several queries (the Overview's charts).
Writes call `invalidate()`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from data_access.db import DatabaseProblem, configured_url, error_detail, mask_url
from demo.bootstrap import needs_demo, prepare_database

T = TypeVar("T")
QUERY_TTL_SECONDS = 600
VIEW_CACHE_ENTRIES = 64


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    return prepare_database(url)


def engine() -> Engine:
    """The engine for the configured database, building the demo on a first start.

    Raises DatabaseProblem when the database cannot be used."""
    url = configured_url()
    if needs_demo(url):
        with st.spinner("Setting up the demo council (first start only, a few seconds)…"):
            return _engine(url)
    return _engine(url)


@st.cache_data(show_spinner=False, ttl=QUERY_TTL_SECONDS, max_entries=512)
def _cached_query(_function: Callable[..., Any], name: str, url: str, *args: Any) -> Any:
    with _engine(url).connect() as connection:
        return _function(connection, *args)


def query(function: Callable[..., T], *args: Any) -> T:
    """Run a named query `function(connection, *args)` through the cache.

    A database that fails mid-query raises DatabaseProblem with a message for the screen."""
    return _answer(_cached_query, function, *args)


@st.cache_resource(show_spinner=False, ttl=QUERY_TTL_SECONDS, max_entries=VIEW_CACHE_ENTRIES)
def _cached_view(_builder: Callable[..., Any], name: str, url: str, *args: Any) -> Any:
    with _engine(url).connect() as connection:
        return _builder(connection, *args)


def view(builder: Callable[..., T], *args: Any) -> T:
    """`builder(connection, *args)`: several queries and what is drawn from them (figures and
    their words), built once per distinct arguments and kept as built.

    For what is costly to rebuild on every run although its queries are cached: building a
    plotly figure validates every property, and keying it by its data meant hashing that
    data on every run. Its queries share one connection (one snapshot). Kept like query
    results (same time to live, forgotten by `invalidate()` after a write), so it is never
    staler than they are. Shared, not copied: callers must not change what it returns
    (the chart component only writes a figure out as JSON). Raises DatabaseProblem like
    `query`.
    """
    return _answer(_cached_view, builder, *args)


def _answer(cached: Callable[..., Any], function: Callable[..., T], *args: Any) -> T:
    url = configured_url()
    engine()  # surfaces set-up problems (and builds the demo) before any query
    try:
        return cached(function, _query_name(function), url, *args)
    except SQLAlchemyError as error:
        raise could_not_answer(error) from error


def could_not_answer(error: SQLAlchemyError) -> DatabaseProblem:
    """A failed read in plain words: the driver's first line (`error_detail`), never the SQL
    and parameters SQLAlchemy wraps it in, and that nothing was changed."""
    return DatabaseProblem(
        f"The database at {mask_url(configured_url())} could not answer: "
        f"{error_detail(error)}. Nothing was changed."
    )


def _query_name(function: Callable[..., Any]) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def invalidate() -> None:
    """Forget every cached query result and view (after a write)."""
    _cached_query.clear()
    _cached_view.clear()
