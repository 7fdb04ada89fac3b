"""The shared filters: links that carry them, and links that carry something unusable."""

from __future__ import annotations

import sqlite3

from data_access.db import mask_url

REGISTER = "pages/register.py"


def _total(database: str, where: str = "1=1", *params: object) -> int:
    with sqlite3.connect(database) as db:
        return db.execute(f"SELECT count(*) FROM recommendations WHERE {where}", params).fetchone()[
            0
        ]


def test_a_link_with_unknown_values_says_what_it_ignored(seed_db, page_app) -> None:
    url, _ = seed_db
    app = page_app(
        REGISTER,
        url,
        {"committee": ["No such committee"], "status": ["Foo", "In progress"], "as_at": "soon"},
    )
    assert not app.exception
    warning = app.sidebar.warning[0].value.replace("\\", "")
    assert "No such committee" in warning
    assert "Status “Foo”" in warning
    assert "as-at date “soon”" in warning
    # The usable part of the link still applies: only the two in-progress items are listed.
    in_progress = _total(url.removeprefix("sqlite:///"), "status = ?", "in_progress")
    assert in_progress == 2
    assert len(app.dataframe[0].value) == in_progress


def test_a_clean_link_gives_no_warning(seed_db, page_app) -> None:
    url, _ = seed_db
    app = page_app(REGISTER, url, {"status": ["Closed"], "as_at": "2019-02-13"})
    assert not app.exception
    assert not app.sidebar.warning
    closed = _total(url.removeprefix("sqlite:///"), "status = ?", "closed")
    assert len(app.dataframe[0].value) == closed == 4


def test_a_date_before_anything_was_made_says_so(seed_db, page_app) -> None:
    url, _ = seed_db
    app = page_app(REGISTER, url, {"as_at": "2010-01-01"})
    assert not app.exception
    assert not app.dataframe
    assert "No recommendations had been made by 1 January 2010" in app.info[0].value


def test_an_old_as_at_date_in_a_link_is_honoured(seed_db, page_app) -> None:
    """Streamlit's date input allows only today ± 10 years unless told otherwise."""
    url, _ = seed_db
    app = page_app(REGISTER, url, {"as_at": "2011-06-01"})
    assert not app.sidebar.warning
    assert app.date_input(key="as_at").value.isoformat() == "2011-06-01"


def test_passwords_in_the_query_string_are_masked() -> None:
    masked = mask_url("postgresql+psycopg://tracker@db.example/t?password=S3cret&sslmode=require")
    assert "S3cret" not in masked
    assert masked.endswith("?password=***&sslmode=require")
    assert "zz" not in mask_url("postgresql+psycopg://u:p@h/db?sslpassword=zz")
