"""All of the dashboard's caching, in one place.

`st.cache_resource` holds one engine per database URL; `st.cache_data` holds query results,
keyed by the query's name, the URL and its arguments (a frozen `Filters` among them).
Writes call `invalidate()`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from data_access.db import DatabaseProblem, configured_url, error_detail, mask_url
from demo.bootstrap import needs_demo, prepare_database

T = TypeVar("T")
QUERY_TTL_SECONDS = 600
FIGURE_CACHE_ENTRIES = 64


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
    url = configured_url()
    engine()  # surfaces set-up problems (and builds the demo) before any query
    try:
        return _cached_query(function, _query_name(function), url, *args)
    except SQLAlchemyError as error:
        raise could_not_answer(error) from error


def could_not_answer(error: SQLAlchemyError) -> DatabaseProblem:
    """A failed read in plain words: the driver's first line (`error_detail`), never the SQL
    and parameters SQLAlchemy wraps it in, and that nothing was changed."""
    return DatabaseProblem(
        f"The database at {mask_url(configured_url())} could not answer: "
        f"{error_detail(error)}. Nothing was changed."
    )


@st.cache_resource(show_spinner=False, max_entries=FIGURE_CACHE_ENTRIES, ttl=600)
def _cached_figure(
    _builder: Callable[[pd.DataFrame, date], go.Figure], name: str, data: pd.DataFrame, as_at: date
) -> go.Figure:
    return _builder(data, as_at)


def cached_figure(
    builder: Callable[[pd.DataFrame, date], go.Figure], data: pd.DataFrame, as_at: date
) -> go.Figure:
    """`builder(data, as_at)`, built once per distinct (small) data and date.

    Building a plotly figure validates every property and costs tens of milliseconds, more
    than the cached queries behind it; a rerun with the same data reuses the figure. Keyed
    by the data itself, so a write that changes the numbers can never show a stale chart.
    The figure is shared, not copied: callers must not change it (st.plotly_chart does not).
    """
    return _cached_figure(builder, f"{builder.__module__}.{builder.__qualname__}", data, as_at)


def _query_name(function: Callable[..., Any]) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def invalidate() -> None:
    """Forget every cached query result (after a write)."""
    _cached_query.clear()
