"""The Recommendations register and the detail view, as officers use them.

Expected values are worked out here, independently of the queries: rows are read with plain
sqlite3, the state as at a date is replayed with domain.replay, and RAG comes from
domain.rules (the reference definitions). The page is run exactly as dashboard.py runs it.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pandas as pd
import pytest

from data_access.filters import Filters
from data_access.queries import register as register_queries
from domain.formatting import long_date
from domain.rules import rag_rating
from domain.vocabulary import RAG_ORDER, Status
from tests.oracle import database_path, day, items_as_at
from ui.text import plain
from views import register_view

PAGE = "pages/register.py"
SEED_DAY_AFTER = date(2019, 2, 13)


# -- independent expectations ------------------------------------------------------------


def _expected(url: str, as_at: date) -> list[dict[str, Any]]:
    """Every recommendation made by `as_at`, its state then and its RAG, worst first."""
    expected = []
    for item in items_as_at(url, as_at):
        rating = rag_rating(item.facts, as_at)
        expected.append(
            {
                "id": item.id,
                "ref": item.ref,
                "wording": item.wording,
                "source": item.source,
                "owner": item.owner,
                "directorate": item.directorate,
                "status": item.facts.status,
                "target": item.facts.current_target_date,
                "rag": rating.rag,
                "reason": rating.reason,
            }
        )
    expected.sort(
        key=lambda e: (
            RAG_ORDER.index(e["rag"]),
            e["target"] is None,
            e["target"] or date.min,
            e["id"],
        )
    )
    return expected


def _showing_line(app) -> str:
    for element in app.markdown:
        if element.value.startswith("Showing "):
            return element.value
    raise AssertionError("no 'Showing …' line on the page")


def _shown_total(app) -> int:
    """The total the page states ("Showing all 6" / "Showing 1–500 of 12,345" /
    "Showing 20 of 406 recommendations (filtered)")."""
    found = re.match(
        r"Showing (?:all ([\d,]+)|[\d,]+–[\d,]+ of ([\d,]+)|([\d,]+) of [\d,]+ \w+ \(filtered\))",
        _showing_line(app),
    )
    assert found, _showing_line(app)
    return int(next(group for group in found.groups() if group).replace(",", ""))


def _table(app):
    return app.dataframe(key=register_view.TABLE_KEY).value


def _texts(app) -> list[str]:
    """Everything the page renders as Markdown (where unescaped HTML would be dangerous)."""
    elements = [*app.markdown, *app.caption, *app.info, *app.warning, *app.error]
    elements += [*app.title, *app.subheader, *app.header]
    return [element.value for element in elements]


def _param(app, key: str) -> list[str]:
    """A URL parameter's values as a list (AppTest gives one value as a plain string)."""
    value = app.query_params[key]
    return value if isinstance(value, list) else [value]


def _directorate_with_most(url: str) -> str:
    with sqlite3.connect(database_path(url)) as db:
        return db.execute(
            "SELECT d.name FROM recommendations r JOIN directorates d ON d.id = r.directorate_id "
            "GROUP BY d.name ORDER BY COUNT(*) DESC LIMIT 1"
        ).fetchone()[0]


# -- the register --------------------------------------------------------------------------


def test_register_lists_every_recommendation_in_view_worst_first(demo_db, page_app) -> None:
    url, _ = demo_db
    today = date.today()
    expected = _expected(url, today)
    app = page_app(PAGE, url)
    assert not app.exception
    assert app.title[0].value == "Recommendations"
    assert _shown_total(app) == len(expected)
    assert long_date(today) in app.markdown[0].value
    table = _table(app)
    assert list(table["id"]) == [e["id"] for e in expected][: register_queries.PAGE_SIZE]
    first = expected[0]
    assert table.iloc[0]["ref"] == first["ref"]
    assert table.iloc[0]["source"] == first["source"]
    assert table.iloc[0]["status"] == first["status"].label


@pytest.mark.parametrize("days_back", [0, 200, 700])
def test_rag_word_and_reason_agree_on_every_row(demo_db, page_app, days_back: int) -> None:
    url, _ = demo_db
    as_at = date.today() - timedelta(days=days_back)
    expected = {e["id"]: e for e in _expected(url, as_at)}
    app = page_app(PAGE, url, {"as_at": as_at.isoformat()})
    assert not app.exception
    table = _table(app)
    assert len(table) == min(len(expected), register_queries.PAGE_SIZE)
    for row in table.itertuples():
        assert row.rag == expected[row.id]["rag"].label, row.id
        assert row.rag_reason == expected[row.id]["reason"], row.id
        assert row.status == expected[row.id]["status"].label, row.id


def _by_status(_url: str) -> tuple[dict, Callable[[dict], bool]]:
    return {"status": "In progress"}, lambda e: e["status"] is Status.IN_PROGRESS


def _by_directorate(url: str) -> tuple[dict, Callable[[dict], bool]]:
    name = _directorate_with_most(url)
    return {"directorate": name}, lambda e: e["directorate"] == name


def _by_rag(_url: str) -> tuple[dict, Callable[[dict], bool]]:
    return {"rag": ["Red", "Amber"]}, lambda e: e["rag"].value in ("red", "amber")


def _search(text: str):
    def build(_url: str) -> tuple[dict, Callable[[dict], bool]]:
        needle = text.lower()
        return {"q": text}, lambda e: any(
            needle in e[field].lower() for field in ("ref", "wording", "owner")
        )

    return build


def _by_target_dates(_url: str) -> tuple[dict, Callable[[dict], bool]]:
    start, end = date.today() - timedelta(days=180), date.today() + timedelta(days=90)
    return (
        {"target_from": start.isoformat(), "target_to": end.isoformat()},
        lambda e: e["target"] is not None and start <= e["target"] <= end,
    )


@pytest.mark.parametrize(
    "make_filter",
    [
        _by_status,
        _by_directorate,
        _by_rag,
        _search("garden"),
        _search("MURPHY"),
        _search("%"),
        _search("90%"),
        _search("_"),
        _search("<script>"),
        _by_target_dates,
    ],
    ids=[
        "status",
        "directorate",
        "rag",
        "search",
        "owner",
        "percent",
        "90-percent",
        "underscore",
        "html",
        "target-dates",
    ],
)
def test_a_filter_in_the_url_narrows_the_register(demo_db, page_app, make_filter) -> None:
    url, _ = demo_db
    params, keep = make_filter(url)
    everything = _expected(url, date.today())
    expected = [e for e in everything if keep(e)]
    assert len(expected) < len(everything)
    app = page_app(PAGE, url, params)
    assert not app.exception
    if not expected:
        assert any("No recommendations match" in info.value for info in app.info)
        assert not app.dataframe
        return
    assert _shown_total(app) == len(expected)
    assert list(_table(app)["id"]) == [e["id"] for e in expected][: register_queries.PAGE_SIZE]
    # A filtered view says so, and out of how many, never "Showing all".
    assert _showing_line(app).startswith(
        f"Showing {len(expected):,} of {len(everything):,} recommendations (filtered) as at"
    )
    for key, value in params.items():
        assert _param(app, key) == (value if isinstance(value, list) else [value])


@pytest.mark.parametrize(
    "search, matches",
    [("10% of", ["7"]), ("in_year", ["7"]), ("1_%", []), ("%", ["7"]), ("_", ["7"])],
)
def test_percent_and_underscore_are_searched_for_literally(
    seed_db, page_app, search: str, matches: list[str]
) -> None:
    url, _ = seed_db
    with sqlite3.connect(database_path(url)) as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(recommendations)")]
        copied = ", ".join(c for c in columns if c not in ("id", "ref", "wording"))
        db.execute(
            f"INSERT INTO recommendations (ref, wording, {copied}) "
            f"SELECT '7', 'Cut agency spend by 10% of the in_year budget', {copied} "
            "FROM recommendations WHERE ref = '1'"
        )
    app = page_app(PAGE, url, {"q": search, "as_at": SEED_DAY_AFTER.isoformat()})
    assert not app.exception
    if matches:
        assert list(_table(app)["ref"]) == matches
    else:
        assert not app.dataframe
        assert any("No recommendations match" in info.value for info in app.info)


def test_paging_through_a_long_register(demo_db, page_app, monkeypatch) -> None:
    url, _ = demo_db
    monkeypatch.setattr(register_queries, "PAGE_SIZE", 100)
    expected = [e["id"] for e in _expected(url, date.today())]
    assert len(expected) > 300
    app = page_app(PAGE, url)
    assert not app.exception
    assert f"Showing 1–100 of {len(expected):,} recommendations" in app.markdown[0].value
    assert list(_table(app)["id"]) == expected[:100]
    page_box = app.number_input(key=register_view.PAGE_KEY)
    assert page_box.max == -(-len(expected) // 100)
    app = page_box.set_value(3).run()
    assert not app.exception
    assert not app.warning
    assert f"Showing 201–300 of {len(expected):,}" in app.markdown[0].value
    assert list(_table(app)["id"]) == expected[200:300]
    last = int(page_box.max)
    app = app.number_input(key=register_view.PAGE_KEY).set_value(last).run()
    assert list(_table(app)["id"]) == expected[(last - 1) * 100 :]
    # A filter that narrows the view starts again from page 1.
    app.text_input(key="q").set_value("e").run()
    narrowed = [
        e["id"]
        for e in _expected(url, date.today())
        if "e" in (e["ref"] + e["wording"] + e["owner"]).lower()
    ]
    assert list(_table(app)["id"]) == narrowed[:100]


@pytest.mark.parametrize("search", ["", "e"])
def test_a_page_past_the_end_gives_the_last_page(demo_db, search: str) -> None:
    url, engine = demo_db
    expected = [
        e["id"]
        for e in _expected(url, date.today())
        if search in (e["ref"] + e["wording"] + e["owner"]).lower()
    ]
    with engine.connect() as connection:
        result = register_queries.register_page(
            connection, Filters(search=search), page=99, page_size=100
        )
    last = -(-len(expected) // 100)
    assert (result.page, result.total) == (last, len(expected))
    assert list(result.rows["id"]) == expected[(last - 1) * 100 :]
    assert (result.first_row, result.last_row) == ((last - 1) * 100 + 1, len(expected))


@pytest.mark.parametrize("as_at", [date(2019, 2, 11), SEED_DAY_AFTER])
def test_the_seed_as_at_a_date(seed_db, page_app, as_at: date) -> None:
    url, _ = seed_db
    expected = _expected(url, as_at)
    assert len(expected) == 6
    app = page_app(PAGE, url, {"as_at": as_at.isoformat()})
    assert not app.exception
    assert _shown_total(app) == 6
    table = _table(app)
    assert dict(zip(table["ref"], table["status"], strict=True)) == {
        e["ref"]: e["status"].label for e in expected
    }
    if as_at == SEED_DAY_AFTER:
        assert sorted(table["status"]) == ["Closed"] * 4 + ["In progress"] * 2


# -- the detail view -----------------------------------------------------------------------


def _seed_id(url: str, ref: str) -> int:
    with sqlite3.connect(database_path(url)) as db:
        return db.execute("SELECT id FROM recommendations WHERE ref = ?", (ref,)).fetchone()[0]


def test_the_detail_of_seed_recommendation_2(seed_db, page_app) -> None:
    url, _ = seed_db
    rec = _seed_id(url, "2")
    with sqlite3.connect(database_path(url)) as db:
        narrative, meeting = db.execute(
            "SELECT u.narrative, m.meeting_date FROM progress_updates u "
            "JOIN meetings m ON m.id = u.meeting_id WHERE u.recommendation_id = ?",
            (rec,),
        ).fetchone()
        next_meeting = db.execute(
            "SELECT MIN(meeting_date) FROM meetings WHERE meeting_date >= ?",
            (SEED_DAY_AFTER.isoformat(),),
        ).fetchone()[0]
    app = page_app(PAGE, url, {"as_at": SEED_DAY_AFTER.isoformat(), "rec": str(rec)})
    assert not app.exception
    texts = _texts(app)
    assert "Recommendation 2" in texts
    assert plain(narrative) in texts
    assert any("Report to the next committee" in text for text in texts)
    assert any(long_date(day(next_meeting)) in info.value for info in app.info)
    assert any(long_date(day(meeting)) in text for text in texts)
    assert "**Status**  \nIn progress" in texts
    # The row of the chosen recommendation is selected in the table.
    assert app.session_state[register_view.TABLE_KEY]["selection"]["rows"] == [
        list(_table(app)["id"]).index(rec)
    ]


def test_the_detail_as_at_an_earlier_date_hides_later_updates(demo_db, page_app) -> None:
    url, _ = demo_db
    with sqlite3.connect(database_path(url)) as db:
        rec = db.execute(
            "SELECT recommendation_id FROM progress_updates GROUP BY recommendation_id "
            "HAVING COUNT(DISTINCT update_date) >= 4 ORDER BY recommendation_id LIMIT 1"
        ).fetchone()[0]
        updates = db.execute(
            "SELECT update_date, narrative FROM progress_updates WHERE recommendation_id = ? "
            "ORDER BY update_date, id",
            (rec,),
        ).fetchall()
    days = sorted({day(when) for when, _ in updates})
    as_at = days[1]  # after the second update day, before the third
    shown = [(d, n) for d, n in updates if day(d) <= as_at]
    hidden = [(d, n) for d, n in updates if day(d) > as_at]
    expected_state = next(e for e in _expected(url, as_at) if e["id"] == rec)
    expected_status = expected_state["status"]

    app = page_app(PAGE, url, {"as_at": as_at.isoformat(), "rec": str(rec)})
    assert not app.exception
    texts = _texts(app)
    entry_dates = [t.split("**")[1] for t in texts if re.match(r"\*\*\d+ \w+ \d{4}\*\*", t)]
    assert entry_dates == [long_date(day(d)) for d, _ in reversed(shown)]
    for _, narrative in hidden:
        if all(narrative != n for _, n in shown):
            assert plain(narrative) not in texts
    assert any(t.startswith(f"**Status**  \n{expected_status.label}") for t in texts)
    assert f"**Why this RAG:** {plain(expected_state['reason'])}" in texts
    assert any(f"RAG: {expected_state['rag'].label}" in t for t in texts)


def test_the_target_history_runs_from_the_original(demo_db, page_app) -> None:
    url, _ = demo_db
    with sqlite3.connect(database_path(url)) as db:
        rec, original = db.execute(
            "SELECT r.id, r.original_target_date FROM recommendations r "
            "WHERE (SELECT COUNT(*) FROM progress_updates u WHERE u.recommendation_id = r.id "
            "AND u.new_target_date IS NOT NULL) >= 2 ORDER BY r.id LIMIT 1"
        ).fetchone()
        revisions = db.execute(
            "SELECT update_date, new_target_date, target_change_reason FROM progress_updates "
            "WHERE recommendation_id = ? AND new_target_date IS NOT NULL ORDER BY update_date, id",
            (rec,),
        ).fetchall()
    expected, previous = [], day(original)
    for changed, new_target, reason in revisions:
        expected.append((day(changed), previous, day(new_target), reason))
        previous = day(new_target)

    app = page_app(PAGE, url, {"rec": str(rec)})
    assert not app.exception
    history = next(
        df.value
        for df in app.dataframe
        if list(df.value.columns)[:3] == ["update_date", "from_date", "to_date"]
    )
    shown = [
        (
            r.update_date.date(),
            r.from_date.date() if r.from_date == r.from_date else None,
            r.to_date.date(),
            r.reason,
        )
        for r in history.itertuples()
    ]
    assert shown == expected
    slip = (previous - day(original)).days
    assert any(
        t.startswith(f"Revised {len(expected)} times") and f"{abs(slip):,} day" in t
        for t in _texts(app)
    )


def test_the_detail_lists_the_actions(demo_db, page_app) -> None:
    url, _ = demo_db
    with sqlite3.connect(database_path(url)) as db:
        rec = db.execute(
            "SELECT recommendation_id FROM actions GROUP BY recommendation_id "
            "HAVING COUNT(*) >= 3 ORDER BY recommendation_id LIMIT 1"
        ).fetchone()[0]
        descriptions = [
            row[0]
            for row in db.execute(
                "SELECT description FROM actions WHERE recommendation_id = ?", (rec,)
            )
        ]
    app = page_app(PAGE, url, {"rec": str(rec)})
    assert not app.exception
    actions = next(df.value for df in app.dataframe if "description" in df.value.columns)
    assert sorted(actions["description"]) == sorted(descriptions)


def test_exempt_sources_and_in_principle_acceptance_are_flagged(demo_db, page_app) -> None:
    url, _ = demo_db
    with sqlite3.connect(database_path(url)) as db:
        exempt = db.execute(
            "SELECT r.id FROM recommendations r JOIN sources s ON s.id = r.source_id "
            "WHERE s.confidentiality = 'exempt' ORDER BY r.id LIMIT 1"
        ).fetchone()[0]
        in_principle = db.execute(
            "SELECT id FROM recommendations WHERE accepted_in_principle AND accepted_on <= ? "
            "ORDER BY id LIMIT 1",
            (date.today().isoformat(),),
        ).fetchone()[0]
    app = page_app(PAGE, url, {"rec": str(exempt)})
    assert not app.exception
    assert any("Exempt (Part 2)" in warning.value for warning in app.warning)
    app = page_app(PAGE, url, {"rec": str(in_principle)})
    assert not app.exception
    assert not any("Exempt (Part 2)" in warning.value for warning in app.warning)
    assert any("Accepted in principle" in text for text in _texts(app))


def test_hostile_text_is_shown_literally(demo_db, page_app) -> None:
    url, _ = demo_db
    with sqlite3.connect(database_path(url)) as db:
        rec, wording = db.execute(
            "SELECT id, wording FROM recommendations WHERE wording LIKE '%<script>%'"
        ).fetchone()
    app = page_app(PAGE, url, {"rec": str(rec), "q": "<script>"})
    assert not app.exception
    assert list(_table(app)["wording"]) == [wording]
    texts = _texts(app)
    assert plain(wording) in texts
    unescaped = re.compile(r"(?<!\\)<\s*/?\s*(script|b)\b", re.IGNORECASE)
    assert not [text for text in texts if unescaped.search(text)]


@pytest.mark.parametrize("rec, message", [("999999", "999999"), ("abc", "abc")])
def test_an_unknown_recommendation_in_the_url_is_explained(
    seed_db, page_app, rec: str, message: str
) -> None:
    url, _ = seed_db
    app = page_app(PAGE, url, {"rec": rec})
    assert not app.exception
    assert len(app.warning) == 1 and message in app.warning[0].value
    assert "Choose a row" in app.warning[0].value
    assert len(_table(app)) == 6


def test_a_recommendation_not_yet_made_is_explained(seed_db, page_app) -> None:
    url, _ = seed_db
    app = page_app(PAGE, url, {"rec": str(_seed_id(url, "1")), "as_at": "2018-01-01"})
    assert not app.exception
    assert any("no recommendation number" in warning.value for warning in app.warning)


def test_an_empty_database_explains_how_to_bring_data_in(empty_db, page_app) -> None:
    url, _ = empty_db
    app = page_app(PAGE, url)
    assert not app.exception
    assert any("no recommendations yet" in info.value for info in app.info)
    assert not app.dataframe


def test_filters_that_match_nothing_say_so(seed_db, page_app) -> None:
    url, _ = seed_db
    app = page_app(PAGE, url, {"q": "no such words anywhere"})
    assert not app.exception
    assert any("No recommendations match" in info.value for info in app.info)
    assert not app.dataframe


def _click_row_harness(entry_script: str) -> None:
    """Does what a click on a row does in the browser (a new selection state, then the
    table's selection callback, which AppTest cannot trigger), then runs dashboard.py."""
    import runpy

    import streamlit as st

    from views import register_view

    row = st.session_state.pop("_test_click_row", None)
    if row is not None:
        st.session_state[register_view.TABLE_KEY] = {"selection": {"rows": [row]}}
        register_view._choose_from_table()
    runpy.run_path(entry_script, run_name="__main__")


def test_choosing_a_row_puts_it_in_the_url_and_keeps_the_filters(demo_db, monkeypatch) -> None:
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    url, _ = demo_db
    monkeypatch.setenv("DATABASE_URL", url)
    app = AppTest.from_function(
        _click_row_harness, args=(str(ROOT / "dashboard.py"),), default_timeout=30
    )
    app.switch_page(str(ROOT / PAGE))
    app.query_params.update({"status": "In progress", "q": "e"})
    app.run()
    assert not app.exception
    ids = list(_table(app)["id"])
    app.session_state["_test_click_row"] = 2
    app.run()
    assert not app.exception
    assert _param(app, "rec") == [str(ids[2])]
    assert _param(app, "status") == ["In progress"]
    assert _param(app, "q") == ["e"]
    assert app.multiselect(key="status").value == ["in_progress"]
    assert list(_table(app)["id"]) == ids
    assert app.session_state[register_view.TABLE_KEY]["selection"]["rows"] == [2]
    assert any(t.startswith("Recommendation ") for t in _texts(app))
    # Going back to the list takes `rec` out of the URL and leaves the filters alone. The
    # button says so: "close" would read as the status a committee gives.
    back = app.button(key=register_view.CLOSE_KEY)
    assert back.label == "Back to the list"
    back.click().run()
    assert "rec" not in app.query_params
    assert _param(app, "status") == ["In progress"]
    assert app.session_state[register_view.TABLE_KEY]["selection"]["rows"] == []


def test_the_detail_carries_its_data_quality_flags(demo_db) -> None:
    """No owner, no target date, accepted in principle: each flag where the data says so."""
    url, engine = demo_db
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        no_owner = db.execute(
            "SELECT id FROM recommendations WHERE owner_id IS NULL ORDER BY id LIMIT 1"
        ).fetchone()[0]
        no_target = db.execute(
            "SELECT id FROM recommendations WHERE current_target_date IS NULL "
            "AND status IN ('not_started', 'in_progress') ORDER BY id LIMIT 1"
        ).fetchone()[0]
        in_principle = db.execute(
            "SELECT id FROM recommendations WHERE accepted_in_principle ORDER BY id LIMIT 1"
        ).fetchone()[0]
        owned_with_target = db.execute(
            "SELECT id FROM recommendations WHERE owner_id IS NOT NULL "
            "AND current_target_date IS NOT NULL AND NOT accepted_in_principle "
            "AND status = 'closed' ORDER BY id LIMIT 1"
        ).fetchone()[0]
    today = date.today()
    with engine.connect() as connection:

        def flags(rec_id: int) -> set[str]:
            detail = register_queries.recommendation_detail(connection, rec_id, today)
            return {flag.label for flag in detail.quality_flags}

        assert "No owner" in flags(no_owner)
        assert "No target date" in flags(no_target)
        assert "Accepted in principle" in flags(in_principle)
        assert flags(owned_with_target) == set()


def test_the_showing_line_says_when_the_view_is_filtered() -> None:
    """All of a view, part of it, and a page of it, with and without filters."""
    as_at = date(2026, 12, 4)
    when = "as at 4 December 2026, worst first: RAG, then the most overdue."

    def page(total: int, shown: int, number: int = 1, size: int = 500):
        rows = pd.DataFrame({"id": range(shown)})
        return register_queries.RegisterPage(rows, total, number, size)

    line = register_view.showing_line
    assert line(page(406, 406), as_at) == f"Showing all 406 recommendations {when}"
    assert line(page(20, 20), as_at, 406) == (
        f"Showing 20 of 406 recommendations (filtered) {when}"
    )
    assert line(page(1, 1), as_at, 406).startswith("Showing 1 of 406 recommendations (filtered)")
    assert line(page(1_234, 500, 2), as_at, 50_000) == (
        f"Showing 501–1,000 of 1,234 recommendations (filtered from 50,000) {when}"
    )
    # A tracker of one (seen in a screenshot of a one-item tracker): not "Showing all 1".
    assert line(page(1, 1), as_at) == f"Showing the one recommendation {when}"
    assert line(page(1, 1), as_at, 1) == f"Showing the one recommendation {when}"
    # Filters that let everything through say "all".
    assert line(page(406, 406), as_at, 406) == f"Showing all 406 recommendations {when}"
