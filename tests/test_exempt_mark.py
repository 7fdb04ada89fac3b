"""The exempt (Part 2) mark is one typed column, named in domain/exempt.py and nowhere else
(read, set and dropped through exports/exempt.py).

Queries put it on their tables as bool (also when nothing matches, so a download of an empty
list still knows it has no exempt row); the screens never show it; files read it."""

from __future__ import annotations

import ast
import sqlite3
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from data_access.filters import Filters
from data_access.queries import overdue_items, slipped_and_stale
from data_access.queries.overview import status_by_source
from data_access.queries.register import register_page
from domain.exempt import EXEMPT_COLUMN
from exports.exempt import exempt_mask, has_exempt_mark, mark_exempt, without_exempt_mark

ROOT = Path(__file__).resolve().parent.parent
CODE = ("data_access", "domain", "charts", "exports", "importing", "ui", "views", "pages", "cli")


def _exempt_source_titles(url: str) -> set[str]:
    """Read with plain sqlite3, not through the queries under test."""
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        return {
            title
            for (title,) in db.execute("SELECT title FROM sources WHERE confidentiality = 'exempt'")
        }


def _marked_frames(connection, filters: Filters) -> dict[str, pd.DataFrame]:
    overdue = overdue_items.overdue_overview(connection, filters)
    return {
        "register": register_page(connection, filters).rows,
        "overdue recommendations": overdue.recommendations.rows,
        "overdue actions": overdue.actions.rows,
        "slipped": slipped_and_stale.slipped_recommendations(connection, filters).rows,
        "stale": slipped_and_stale.stale_recommendations(connection, filters).rows,
        "status by source": status_by_source(connection, filters),
    }


def test_no_module_spells_the_mark_but_domain_exempt() -> None:
    spelled = []
    for package in CODE:
        for path in sorted((ROOT / package).rglob("*.py")):
            if path == ROOT / "domain" / "exempt.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and node.value == EXEMPT_COLUMN:
                    spelled.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not spelled, f"use domain.exempt.EXEMPT_COLUMN instead: {spelled}"


def test_every_marked_table_carries_a_bool_mark_true_for_exempt_sources(demo_db) -> None:
    url, engine = demo_db
    exempt_titles = _exempt_source_titles(url)
    assert exempt_titles, "the demo council should hold exempt sources"
    with engine.connect() as connection:
        frames = _marked_frames(connection, Filters(as_at=date.today()))
    for name, frame in frames.items():
        assert frame[EXEMPT_COLUMN].dtype == bool, name
        title = frame["source_title"] if "source_title" in frame.columns else frame["source"]
        assert list(frame[EXEMPT_COLUMN]) == [t in exempt_titles for t in title], name
    assert frames["register"][EXEMPT_COLUMN].any()


def test_a_table_with_no_rows_still_has_a_bool_mark(demo_db) -> None:
    _, engine = demo_db
    nothing = Filters(as_at=date.today(), search="no recommendation says this zqxj")
    with engine.connect() as connection:
        frames = _marked_frames(connection, nothing)
    for name, frame in frames.items():
        assert frame.empty, name
        assert frame[EXEMPT_COLUMN].dtype == bool, name


def test_marking_reading_and_hiding() -> None:
    rows = pd.DataFrame({"ref": ["1", "2", "3"]}, index=[10, 11, 12])
    assert not has_exempt_mark(rows)
    assert list(exempt_mask(rows)) == [False, False, False]
    assert list(exempt_mask(rows).index) == [10, 11, 12]

    one_source = mark_exempt(rows, True)
    assert list(exempt_mask(one_source)) == [True, True, True]
    assert EXEMPT_COLUMN not in rows.columns  # the caller's frame is left alone

    per_row = mark_exempt(rows, pd.Series([None, True, False], dtype=object))
    assert per_row[EXEMPT_COLUMN].dtype == bool
    assert list(exempt_mask(per_row)) == [False, True, False]
    assert list(without_exempt_mark(per_row).columns) == ["ref"]


@pytest.mark.parametrize("flags", [[1, 0], ["yes", ""]])
def test_a_mark_given_as_other_than_bool_is_stored_as_bool(flags) -> None:
    marked = mark_exempt(pd.DataFrame({"ref": ["1", "2"]}), flags)
    assert marked[EXEMPT_COLUMN].dtype == bool
    assert list(marked[EXEMPT_COLUMN]) == [True, False]
