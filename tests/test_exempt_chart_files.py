"""Chart files for committee papers never name an exempt (Part 2) source."""

from __future__ import annotations

import sqlite3

from charts.overview import (
    EXEMPT_SOURCE,
    status_by_source_figure,
    status_by_source_text,
    without_exempt_titles,
)
from data_access.filters import Filters
from data_access.queries.overview import status_by_source


def _exempt_titles(url: str) -> set[str]:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        return {
            title
            for (title,) in db.execute("SELECT title FROM sources WHERE confidentiality = 'exempt'")
        }


def _figure_text(figure) -> str:
    return figure.to_json()


def test_the_file_version_of_the_source_chart_names_no_exempt_source(demo_db) -> None:
    url, engine = demo_db
    exempt_titles = _exempt_titles(url)
    filters = Filters()
    with engine.connect() as conn:
        by_source = status_by_source(conn, filters, top=100)
    shown_exempt = set(by_source.loc[by_source["is_exempt"], "source_title"])
    assert shown_exempt, "the demo council should have an exempt source among those charted"
    assert shown_exempt <= exempt_titles
    assert not (set(by_source.loc[~by_source["is_exempt"], "source_title"]) & exempt_titles)

    masked = without_exempt_titles(by_source)
    figure = status_by_source_figure(masked, filters.as_at)
    words = status_by_source_text(masked, filters.as_at)
    everything = _figure_text(figure) + words
    assert not [title for title in exempt_titles if title in everything]
    assert EXEMPT_SOURCE in _figure_text(figure)
    # Same counts: only the names changed.
    assert masked["recommendations"].tolist() == by_source["recommendations"].tolist()
    assert masked["source"].nunique() == by_source["source"].nunique()


def test_without_exempt_sources_the_chart_data_is_untouched(seed_db) -> None:
    url, engine = seed_db
    with engine.connect() as conn:
        by_source = status_by_source(conn, Filters())
    assert not by_source["is_exempt"].any()
    assert without_exempt_titles(by_source) is by_source
