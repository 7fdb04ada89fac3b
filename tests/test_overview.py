"""The Overview page: tiles, the four charts, and the ways from them to the lists.

Expectations are computed here, independently of the queries: recommendations and their
updates are read with plain sqlite3, their state as at the date is replayed with
domain.replay, and the rules of domain.rules are applied to each one in Python.
"""

from __future__ import annotations

import base64
import sqlite3
from collections import Counter
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest

from bench.harness import drawn_charts
from charts import overview as charts
from charts.style import SEQUENTIAL
from data_access.filters import Filters
from data_access.queries import overview
from data_access.queries.options import FilterOptions
from data_access.state import needs_replay
from domain import rules
from domain.formatting import long_date
from domain.settings import AGEING_BUCKET_LABELS
from domain.vocabulary import RAG_ORDER, Rag, Status
from tests.oracle import Item, database_path, items_as_at
from ui.filters import (
    KEY_DIRECTORATE,
    KEY_NOT_SOURCE,
    KEY_RAG,
    KEY_SOURCE,
    KEY_STATUS,
    KEY_TARGET_FROM,
    KEY_TARGET_TO,
)
from ui.shell import EMPTY_DATABASE_HELP
from views import overview_links as links
from views.first_glance import DRAWING, SHOW_CHARTS_BUTTON

PAGE = "pages/overview.py"
TODAY = date.today()
EARLIER = TODAY - timedelta(days=400)  # inside the demo's history: the state is replayed
SEED_DAY_AFTER = date(2019, 2, 13)
NO_DIRECTORATE = overview.NO_DIRECTORATE


# -- independent expectations ------------------------------------------------------------


def _items(url: str, as_at: date) -> list[Item]:
    return items_as_at(url, as_at, no_directorate=NO_DIRECTORATE)


def _expected_tiles(items: list[Item], as_at: date) -> dict[str, int]:
    return {
        "recommendations": len(items),
        "sources": len({item.source_id for item in items}),
        "implemented": sum(item.facts.status.is_complete for item in items),
        "open": sum(item.facts.status.is_open for item in items),
        "overdue": sum(rules.is_overdue(item.facts, as_at) for item in items),
        "slipped": sum(rules.is_slipped(item.facts, as_at) for item in items),
        "due_back": sum(
            bool(rules.due_back_reasons(item.facts, item.next_meeting, as_at)) for item in items
        ),
    }


def _tiles_of(summary: overview.Headline) -> dict[str, int]:
    return {name: getattr(summary, name) for name in _expected_tiles([], TODAY)}


def _run(url: str, function, filters: Filters):
    from sqlalchemy import create_engine

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return function(connection, filters)
    finally:
        engine.dispose()


# -- the queries ---------------------------------------------------------------------------


@pytest.mark.parametrize("as_at", [TODAY, EARLIER], ids=["today", "earlier"])
def test_the_tiles_count_what_the_rules_say(demo_db, as_at) -> None:
    url, engine = demo_db
    with engine.connect() as connection:
        assert needs_replay(connection, as_at) == (as_at == EARLIER)
    expected = _expected_tiles(_items(url, as_at), as_at)
    assert 0 < expected["overdue"] < expected["open"] < expected["recommendations"]
    assert expected["due_back"] > 0 and expected["slipped"] > 0
    summary = _run(url, overview.headline, Filters(as_at=as_at))
    assert _tiles_of(summary) == expected
    percent = round(100 * expected["implemented"] / expected["recommendations"])
    assert summary.percent_implemented == f"{percent}%"


def test_the_seed_the_day_after_its_meeting(seed_db) -> None:
    """DOMAIN.md: six recommendations, 1, 4, 5 and 6 closed; 2 and 3 in progress and due
    back (2 to the next committee, 3 with progress to be reported); no target dates."""
    url, _ = seed_db
    summary = _run(url, overview.headline, Filters(as_at=SEED_DAY_AFTER))
    assert _tiles_of(summary) == _expected_tiles(_items(url, SEED_DAY_AFTER), SEED_DAY_AFTER)
    assert (summary.recommendations, summary.implemented, summary.open) == (6, 4, 2)
    assert (summary.overdue, summary.slipped, summary.due_back, summary.sources) == (0, 0, 2, 1)
    assert summary.percent_implemented == "67%"


@pytest.mark.parametrize("as_at", [TODAY, EARLIER], ids=["today", "earlier"])
def test_the_breakdowns_follow_the_rules_and_add_up_to_the_tiles(demo_db, as_at) -> None:
    url, _ = demo_db
    items = _items(url, as_at)
    filters = Filters(as_at=as_at)

    by_rag = _run(url, overview.rag_by_directorate, filters)
    expected_rag = Counter(
        (item.directorate, rules.rag_rating(item.facts, as_at).rag.value) for item in items
    )
    got_rag = {(row.directorate, row.rag): row.recommendations for row in by_rag.itertuples()}
    assert got_rag == dict(expected_rag)

    by_age = _run(url, overview.overdue_by_age, filters)
    assert list(by_age["bucket"]) == list(AGEING_BUCKET_LABELS)
    expected_age = Counter(
        rules.ageing_bucket(rules.days_overdue(item.facts, as_at))
        for item in items
        if rules.is_overdue(item.facts, as_at)
    )
    assert dict(zip(by_age["bucket"], by_age["recommendations"], strict=True)) == {
        label: expected_age.get(label, 0) for label in AGEING_BUCKET_LABELS
    }

    by_source = _run(url, overview.status_by_source, filters)
    per_source = Counter(item.source_id for item in items)
    shown = by_source.dropna(subset=["source_id"])
    assert shown["source_id"].nunique() == min(overview.TOP_SOURCES, len(per_source))
    # The named sources are the largest; each row's count is that source's, by status.
    smallest_shown = min(per_source[int(i)] for i in shown["source_id"].unique())
    hidden = set(per_source) - {int(i) for i in shown["source_id"].unique()}
    assert all(per_source[source_id] <= smallest_shown for source_id in hidden)
    expected_by_status = Counter((item.source_id, item.facts.status.value) for item in items)
    for row in shown.itertuples():
        assert row.recommendations == expected_by_status[(int(row.source_id), row.status)]
    others = by_source[by_source["source_id"].isna()]
    assert others["recommendations"].sum() == sum(per_source[i] for i in hidden)
    assert set(others["sources"]) == {len(hidden)}
    assert by_source["source"].iloc[-1] == overview.ALL_OTHER_SOURCES
    assert by_source["recommendations"].sum() == len(items)


@pytest.mark.parametrize("as_at", [TODAY, EARLIER], ids=["today", "earlier"])
def test_the_trend_counts_made_and_first_implemented_by_each_month_end(demo_db, as_at) -> None:
    url, _ = demo_db
    items = _items(url, as_at)
    trend = _run(url, overview.implementation_trend, Filters(as_at=as_at))
    points = list(trend["point"])
    assert len(points) == overview.TREND_MONTHS and points[-1] == as_at
    assert all((day + timedelta(days=1)).day == 1 for day in points[:-1])  # month-ends
    assert points == sorted(points) and points[0] > as_at - timedelta(days=36 * 31)
    for row in trend.itertuples():
        assert row.made == sum(item.facts.made_on <= row.point for item in items)
        assert row.implemented == sum(
            item.facts.status.is_complete
            and (item.first_complete_on or item.facts.last_update_on) <= row.point
            for item in items
        )
    # The last point is the tiles' view.
    assert trend["implemented"].iloc[-1] == sum(item.facts.status.is_complete for item in items)
    assert trend["made"].iloc[-1] == len(items)


def test_every_filter_is_honoured(demo_db) -> None:
    url, _ = demo_db
    items = _items(url, TODAY)
    directorate_id = Counter(item.directorate_id for item in items).most_common(1)[0][0]
    filters = Filters(as_at=TODAY, directorate_ids=(directorate_id,), statuses=("in_progress",))
    narrowed = [
        item
        for item in items
        if item.directorate_id == directorate_id and item.facts.status is Status.IN_PROGRESS
    ]
    summary = _run(url, overview.headline, filters)
    assert _tiles_of(summary) == _expected_tiles(narrowed, TODAY)
    assert 0 < summary.recommendations < len(items)
    by_rag = _run(url, overview.rag_by_directorate, filters)
    assert set(by_rag["directorate_id"]) == {directorate_id}
    assert by_rag["recommendations"].sum() == len(narrowed)
    by_source = _run(url, overview.status_by_source, filters)
    assert set(by_source["status"]) == {"in_progress"}
    assert by_source["recommendations"].sum() == len(narrowed)
    trend = _run(url, overview.implementation_trend, filters)
    assert trend["implemented"].iloc[-1] == 0 and trend["made"].iloc[-1] == len(narrowed)


def test_trend_points_are_month_ends_then_the_date() -> None:
    points = overview.trend_points(date(2024, 3, 15), months=4)
    assert points == [date(2023, 12, 31), date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 15)]


# -- the figures ---------------------------------------------------------------------------


def _demo_frames(url: str, as_at: date = TODAY) -> dict[str, pd.DataFrame]:
    filters = Filters(as_at=as_at)
    return {
        "source": _run(url, overview.status_by_source, filters),
        "rag": _run(url, overview.rag_by_directorate, filters),
        "trend": _run(url, overview.implementation_trend, filters),
        "age": _run(url, overview.overdue_by_age, filters),
    }


def test_figures_say_what_and_as_at_when_and_add_up(demo_db) -> None:
    url, _ = demo_db
    frames = _demo_frames(url)
    total = len(_items(url, TODAY))
    figures = {
        "source": charts.status_by_source_figure(frames["source"], TODAY),
        "rag": charts.rag_by_directorate_figure(frames["rag"], TODAY),
        "trend": charts.trend_figure(frames["trend"], TODAY),
        "age": charts.ageing_figure(frames["age"], TODAY),
    }
    for figure in figures.values():
        assert f"as at {long_date(TODAY)}" in figure.layout.title.text
    assert sum(sum(trace.x) for trace in figures["source"].data) == total
    assert sum(sum(trace.x) for trace in figures["rag"].data) == total
    # RAG: worst first, each trace named by its word.
    rag_names = [trace.name for trace in figures["rag"].data]
    assert rag_names == [r.label for r in RAG_ORDER if r.label in rag_names]
    assert rag_names[0] == Rag.RED.label
    # Status stacks in the product's order, named by label.
    status_names = [trace.name for trace in figures["source"].data]
    assert status_names == [s.label for s in Status if s.label in status_names]
    # Ageing: one bar per bucket, in order, in the sequential palette.
    (bars,) = figures["age"].data
    assert list(bars.x) == list(AGEING_BUCKET_LABELS)
    assert list(bars.marker.color) == list(SEQUENTIAL)
    assert sum(bars.y) == frames["age"]["recommendations"].sum()
    # Trend: made, then implemented, ending at today's numbers.
    made, done = figures["trend"].data
    assert made.y[-1] == total and done.y[-1] == frames["trend"]["implemented"].iloc[-1]


def test_bars_carry_the_ids_the_links_filter_by(demo_db) -> None:
    url, _ = demo_db
    frames = _demo_frames(url)
    with sqlite3.connect(database_path(url)) as db:
        directorates = dict(db.execute("SELECT name, id FROM directorates"))
        titles = dict(db.execute("SELECT id, title FROM sources"))
    rag_figure = charts.rag_by_directorate_figure(frames["rag"], TODAY)
    for trace in rag_figure.data:
        rag = next(r for r in Rag if r.label == trace.name)
        for name, (directorate_id, value) in zip(trace.y, trace.customdata, strict=True):
            assert directorates[name] == directorate_id and value == rag.value
    source_figure = charts.status_by_source_figure(frames["source"], TODAY)
    for trace in source_figure.data:
        status = next(s for s in Status if s.label == trace.name)
        for hover, (source_id, value, said), count in zip(
            trace.hovertext, trace.customdata, trace.x, strict=True
        ):
            assert value == status.value and said == f"{count:,}"
            if source_id == charts.NO_ID:
                assert hover == overview.ALL_OTHER_SOURCES
            else:  # the full name: the title, with its date where two titles are alike
                assert hover.startswith(titles[source_id])


def test_text_alternatives_give_the_key_numbers(demo_db) -> None:
    url, _ = demo_db
    frames = _demo_frames(url)
    items = _items(url, TODAY)
    total = f"{len(items):,}"
    source_text = charts.status_by_source_text(frames["source"], TODAY)
    assert total in source_text and "All other sources" in source_text
    assert f"{overview.TOP_SOURCES} sources with most recommendations" in source_text
    red = sum(rules.rag_rating(i.facts, TODAY).rag is Rag.RED for i in items)
    assert f"{red:,} Red" in charts.rag_by_directorate_text(frames["rag"], TODAY)
    done = sum(item.facts.status.is_complete for item in items)
    trend_text = charts.trend_text(frames["trend"], TODAY)
    assert f"{total} made and {done:,} ({round(100 * done / len(items))}%)" in trend_text
    overdue = sum(rules.is_overdue(item.facts, TODAY) for item in items)
    assert f"{overdue:,} open recommendations were overdue" in charts.ageing_text(
        frames["age"], TODAY
    )


def test_source_bars_are_shares_labelled_with_their_counts(demo_db) -> None:
    url, _ = demo_db
    by_source = _run(url, overview.status_by_source, Filters(as_at=TODAY))
    figure = charts.status_by_source_figure(by_source, TODAY)
    assert figure.layout.barnorm == "percent"
    totals = by_source.groupby("source", sort=False)["recommendations"].sum()
    others = totals[overview.ALL_OTHER_SOURCES]
    assert f"All other sources · {others:,}" in figure.data[0].y


def test_long_and_repeated_source_titles_stay_distinct_on_the_axis() -> None:
    long_title = "An independent review of " + "very " * 20 + "long things"
    frame = pd.DataFrame(
        {
            "source_id": pd.array([1, 2, None], dtype="Int64"),
            "source": [long_title + " (1 Jan 2020)", long_title + " (2 Jan 2020)", "All other"],
            "source_title": [long_title, long_title, "All other"],
            "sources": [1, 1, 5],
            "status": ["closed", "closed", "closed"],
            "recommendations": [3, 2, 9],
        }
    )
    figure = charts.status_by_source_figure(frame, TODAY)
    labels = list(figure.data[0].y)
    assert len(set(labels)) == 3
    assert all(len(label) <= charts.MAX_AXIS_LABEL for label in labels)
    # The issue dates that tell the two apart survive the shortening, with the counts.
    assert labels[0].endswith("(1 Jan 2020) · 3") and labels[1].endswith("(2 Jan 2020) · 2")


# -- the links -----------------------------------------------------------------------------


def test_links_never_widen_the_status_filter() -> None:
    assert links.narrowed_statuses(["not_started", "in_progress"], ()) == [
        "not_started",
        "in_progress",
    ]
    assert links.narrowed_statuses(["in_progress", "not_started"], ("closed", "in_progress")) == [
        "in_progress"
    ]


def _fake_streamlit(monkeypatch, session_state: dict) -> list:
    """Stand in for streamlit inside views.overview_links; returns the pages switched to."""
    switched: list = []
    fake = SimpleNamespace(
        session_state=session_state,
        switch_page=lambda page, query_params=None: switched.append((page, query_params)),
        toast=lambda *args, **kwargs: None,
    )
    monkeypatch.setattr(links, "st", fake)
    return switched


def test_a_rag_bar_opens_the_register_for_that_directorate_and_rating(monkeypatch) -> None:
    state = {links.RAG_CHART: {"selection": {"points": [{"customdata": [3, "red"]}]}}}
    switched = _fake_streamlit(monkeypatch, state)
    links.on_rag_bar_selected()
    assert state[KEY_DIRECTORATE] == [3] and state[KEY_RAG] == ["red"]
    assert switched == [(links.REGISTER, {})]


def test_a_status_bar_opens_the_register_for_that_status_and_source(monkeypatch) -> None:
    options = FilterOptions(committees={}, sources={7: "A review"}, directorates={}, owners={})
    monkeypatch.setattr(links, "run_query", lambda function: options)
    state = {links.STATUS_CHART: {"selection": {"points": [{"customdata": [7, "closed"]}]}}}
    switched = _fake_streamlit(monkeypatch, state)
    links.on_status_bar_selected()
    assert state[KEY_STATUS] == ["closed"] and state[KEY_SOURCE] == [7]
    assert switched == [(links.REGISTER, {})]


def test_a_status_bar_of_an_older_source_still_opens_it(monkeypatch) -> None:
    """A named source older than those the Source filter lists is offered once chosen
    (filter_options adds the chosen ids), so its bar opens it instead of a toast."""
    state = {links.STATUS_CHART: {"selection": {"points": [{"customdata": [8, "open"]}]}}}
    switched = _fake_streamlit(monkeypatch, state)
    links.on_status_bar_selected()
    assert state[KEY_STATUS] == ["open"] and state[KEY_SOURCE] == [8]
    assert switched == [(links.REGISTER, {})]


def test_an_older_chosen_source_is_offered_under_its_title(demo_db) -> None:
    from data_access.queries.options import filter_options

    url, _ = demo_db
    listed = _run(url, lambda connection, _: filter_options(connection), None).sources
    with sqlite3.connect(database_path(url)) as db:
        every = dict(db.execute("SELECT id, title FROM sources").fetchall())
    oldest = min(listed)
    with_more = _run(
        url, lambda connection, _: filter_options(connection, (oldest, 10_000)), None
    ).sources
    assert with_more[oldest] == listed[oldest]
    assert 10_000 not in with_more and set(with_more) == set(listed)
    assert all(every[source_id] in label for source_id, label in with_more.items())


def _bar_counts(figure) -> dict[str, tuple[int, list]]:
    """status -> (its count in the "All other sources" bar, the bar's customdata)."""
    bars = {}
    for trace in figure.data:
        for point in trace.customdata:
            if int(point[0]) == charts.NO_ID:
                bars[str(point[1])] = (int(str(point[2]).replace(",", "")), list(point))
    return bars


@pytest.mark.parametrize("as_at", [TODAY, EARLIER], ids=["today", "earlier"])
@pytest.mark.parametrize("narrowed", [False, True], ids=["all", "with-status-filter"])
def test_all_other_sources_opens_exactly_its_recommendations(
    demo_db, monkeypatch, as_at, narrowed
) -> None:
    """Select a status in "All other sources": the register lists exactly that status's
    recommendations from the sources the chart does not name (the ones with most
    recommendations, ties by id, computed here from the rules), as many as the bar says.
    It used to open every source's items with that status, then only said it could not."""
    from data_access.queries.register import register_page

    url, _ = demo_db
    in_force = ("in_progress", "closed") if narrowed else ()
    filters = Filters(as_at=as_at, statuses=in_force)
    items = [
        item for item in _items(url, as_at) if not in_force or item.facts.status.value in in_force
    ]
    per_source = Counter(item.source_id for item in items)
    assert len(per_source) > overview.TOP_SOURCES
    named = sorted(per_source, key=lambda s: (-per_source[s], s))[: overview.TOP_SOURCES]
    monkeypatch.setattr(links, "current_filters", lambda: filters)
    monkeypatch.setattr(links, "run_query", lambda function, *args: _run(url, function, *args))
    figure = charts.status_by_source_figure(_run(url, overview.status_by_source, filters), as_at)
    bars = _bar_counts(figure)
    assert bars and (not in_force or set(bars) <= set(in_force))
    for status, (bar_count, customdata) in bars.items():
        expected = {
            item.id
            for item in items
            if item.source_id not in named and item.facts.status.value == status
        }
        assert bar_count == len(expected), status
        state = {links.STATUS_CHART: {"selection": {"points": [{"customdata": customdata}]}}}
        if in_force:
            state[KEY_STATUS] = list(in_force)
        switched = _fake_streamlit(monkeypatch, state)
        links.on_status_bar_selected()
        assert switched == [(links.REGISTER, {})]
        assert sorted(state[KEY_NOT_SOURCE]) == sorted(named)
        opened = Filters(
            as_at=as_at,
            statuses=tuple(state[KEY_STATUS]),
            excluded_source_ids=tuple(state[KEY_NOT_SOURCE]),
        )
        listed = _run(url, lambda connection, f: register_page(connection, f, 1, 500), opened)
        assert set(listed.rows["id"]) == expected, status
        assert listed.total == bar_count


@pytest.mark.parametrize("as_at", [TODAY, EARLIER], ids=["today", "earlier"])
def test_every_ageing_bar_opens_exactly_its_recommendations(demo_db, monkeypatch, as_at) -> None:
    """Select a bar of "Overdue by how long": the register it opens lists exactly the
    recommendations overdue by that long (by the rules, computed here), and no others."""
    from data_access.queries.register import register_page

    url, _ = demo_db
    items = _items(url, as_at)
    by_bucket: dict[str, set[int]] = {label: set() for label in AGEING_BUCKET_LABELS}
    for item in items:
        if rules.is_overdue(item.facts, as_at):
            by_bucket[rules.ageing_bucket(rules.days_overdue(item.facts, as_at))].add(item.id)
    assert all(by_bucket.values()), {label: len(ids) for label, ids in by_bucket.items()}
    monkeypatch.setattr(links, "current_filters", lambda: Filters(as_at=as_at))
    for index, label in enumerate(AGEING_BUCKET_LABELS):
        state = {
            links.AGEING_CHART: {"selection": {"points": [{"x": label, "point_index": index}]}}
        }
        switched = _fake_streamlit(monkeypatch, state)
        links.on_ageing_bar_selected()
        assert switched == [(links.REGISTER, {})]
        opened = Filters(
            as_at=as_at,
            statuses=tuple(state[KEY_STATUS]),
            target_from=state[KEY_TARGET_FROM],
            target_to=state[KEY_TARGET_TO],
        )
        listed = _run(url, lambda connection, f: register_page(connection, f, 1, 500), opened)
        assert set(listed.rows["id"]) == by_bucket[label], label
        assert listed.total == len(by_bucket[label])


def test_an_ageing_bar_keeps_the_filters_already_in_force() -> None:
    """A link never widens the view the chart counted: statuses and target dates narrow."""
    as_at = date(2026, 12, 4)
    filters = Filters(
        as_at=as_at,
        statuses=("in_progress", "closed"),
        target_from=date(2026, 11, 20),
    )
    changes = links.ageing_filters("1–30 days", filters)
    assert changes == {
        KEY_STATUS: ["in_progress"],
        KEY_TARGET_FROM: date(2026, 11, 20),
        KEY_TARGET_TO: date(2026, 12, 3),
    }
    assert links.ageing_filters("Over 180 days", Filters(as_at=as_at)) == {
        KEY_STATUS: ["not_started", "in_progress"],
        KEY_TARGET_FROM: None,
        KEY_TARGET_TO: date(2026, 6, 6),
    }
    assert links.ageing_filters("Next week", Filters(as_at=as_at)) is None


def test_a_cleared_selection_goes_nowhere(monkeypatch) -> None:
    state = {links.RAG_CHART: {"selection": {"points": []}}}
    switched = _fake_streamlit(monkeypatch, state)
    links.on_rag_bar_selected()
    assert switched == [] and KEY_RAG not in state


# -- the page ------------------------------------------------------------------------------


def _metrics(app) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def _values(data: Any) -> list:
    """A trace's data array from the JSON spec (plotly writes numpy arrays as base64)."""
    if isinstance(data, dict) and "bdata" in data:
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).tolist()
    return list(data)


def _specs(app) -> list[dict[str, Any]]:
    return [chart["figure"] for chart in drawn_charts(app)]


def _with_charts(app):
    """The page once its charts are drawn. On a session's first visit the charts wait for
    the browser's word that the tiles are painted (views.first_glance), which AppTest cannot
    give: press the button the page offers in its place, as a reader whose browser runs no
    scripts would."""
    app.button(key=SHOW_CHARTS_BUTTON).click().run()
    assert not app.exception
    return app


def test_the_page_shows_the_seed_tiles(seed_db, page_app) -> None:
    url, _ = seed_db
    app = page_app(PAGE, url, {"as_at": SEED_DAY_AFTER.isoformat()})
    assert not app.exception
    assert app.title[0].value == "Overview"
    assert _metrics(app) == {
        "Recommendations": "6",
        "Implemented": "67%",
        "Open": "2",
        "Overdue": "0",
        "Slipped": "0",
        "Due back": "2",
    }
    assert app.caption[0].value == "As at 13 February 2019 · 6 recommendations from 1 source"
    buttons = {button.label: button for button in app.button}
    assert buttons["See overdue"].disabled and buttons["See slipped"].disabled
    assert not buttons["See open"].disabled
    _with_charts(app)
    # Nothing is overdue, so the ageing chart is a sentence, not an empty frame.
    assert len(drawn_charts(app)) == 3
    assert any(
        "No open recommendation was overdue" in note.value.replace("\\", "") for note in app.info
    )


def test_the_page_on_the_demo_shows_the_numbers_and_charts_that_add_up(demo_db, page_app) -> None:
    url, _ = demo_db
    items = _items(url, TODAY)
    expected = _expected_tiles(items, TODAY)
    app = page_app(PAGE, url)
    assert not app.exception
    metrics = _metrics(app)
    assert metrics["Recommendations"] == f"{expected['recommendations']:,}"
    assert metrics["Open"] == f"{expected['open']:,}"
    assert metrics["Overdue"] == f"{expected['overdue']:,}"
    assert metrics["Slipped"] == f"{expected['slipped']:,}"
    assert metrics["Due back"] == f"{expected['due_back']:,}"
    rag, age, trend, by_source = _specs(_with_charts(app))
    for spec in (rag, age, trend, by_source):
        assert f"as at {long_date(TODAY)}" in spec["layout"]["title"]["text"]
    assert sum(sum(_values(t["x"])) for t in rag["data"]) == expected["recommendations"]
    assert sum(sum(_values(t["x"])) for t in by_source["data"]) == expected["recommendations"]
    assert sum(_values(age["data"][0]["y"])) == expected["overdue"]
    assert _values(trend["data"][1]["y"])[-1] == expected["implemented"]
    assert _values(trend["data"][0]["y"])[-1] == expected["recommendations"]
    captions = " ".join(caption.value for caption in app.caption)
    assert "All other sources" in captions


CHART_QUERIES = (
    "rag_by_directorate",
    "overdue_by_age",
    "implementation_trend",
    "status_by_source",
)


def test_the_tiles_come_before_any_chart_query(seed_db, page_app, monkeypatch) -> None:
    """The first run of a session sends the tiles and a line where the charts go, and asks
    no chart's question; the charts follow in their fragment, and later runs draw all."""
    asked: list[str] = []
    for name in CHART_QUERIES:
        question = getattr(overview, name)

        def recorded(connection, *args, _question=question, _name=name):
            asked.append(_name)
            return _question(connection, *args)

        # The cache keys answers by the question's name: keep each its own.
        recorded.__module__, recorded.__qualname__ = question.__module__, question.__qualname__

        monkeypatch.setattr(overview, name, recorded)
    url, _ = seed_db
    app = page_app(PAGE, url, {"as_at": SEED_DAY_AFTER.isoformat()})
    assert not app.exception
    assert len(app.metric) == 6 and not drawn_charts(app)
    assert DRAWING in [caption.value for caption in app.caption]
    assert asked == []
    _with_charts(app)
    assert sorted(asked) == sorted(CHART_QUERIES)
    assert len(drawn_charts(app)) == 3 and DRAWING not in [c.value for c in app.caption]
    # The session has its charts now: a rerun draws them at once.
    app.run()
    assert len(drawn_charts(app)) == 3
    assert SHOW_CHARTS_BUTTON not in [button.key for button in app.button]


def test_a_status_filter_in_the_address_changes_the_tiles(demo_db, page_app) -> None:
    url, _ = demo_db
    closed = sum(item.facts.status is Status.CLOSED for item in _items(url, TODAY))
    app = page_app(PAGE, url, {"status": ["Closed"]})
    assert not app.exception
    metrics = _metrics(app)
    assert metrics["Recommendations"] == f"{closed:,}"
    assert (metrics["Implemented"], metrics["Open"], metrics["Overdue"]) == ("100%", "0", "0")
    assert "filtered" in app.caption[0].value


def test_an_earlier_date_in_the_address_replays_the_history(demo_db, page_app) -> None:
    url, _ = demo_db
    expected = _expected_tiles(_items(url, EARLIER), EARLIER)
    app = page_app(PAGE, url, {"as_at": EARLIER.isoformat()})
    assert not app.exception
    assert _metrics(app)["Recommendations"] == f"{expected['recommendations']:,}"
    assert _metrics(app)["Overdue"] == f"{expected['overdue']:,}"
    assert long_date(EARLIER) in app.caption[0].value


def test_the_tiles_lead_to_the_lists_keeping_the_filters(seed_db, page_app, monkeypatch) -> None:
    import streamlit

    switched: list = []
    monkeypatch.setattr(
        streamlit,
        "switch_page",
        lambda page, query_params=None: switched.append((page, query_params)),
    )
    url, _ = seed_db
    app = page_app(PAGE, url, {"as_at": SEED_DAY_AFTER.isoformat()})
    next(button for button in app.button if button.label == "See open").click().run()
    assert not app.exception
    assert switched == [(links.REGISTER, {})]
    assert app.session_state[KEY_STATUS] == ["not_started", "in_progress"]
    # Filters kept: the date is unchanged, and the tiles now count the open ones.
    assert _metrics(app)["Recommendations"] == "2" and _metrics(app)["Open"] == "2"
    next(button for button in app.button if button.label == "See by committee").click().run()
    assert switched[-1] == (links.NEXT_COMMITTEE, {})
    assert app.session_state[KEY_STATUS] == ["not_started", "in_progress"]


def test_the_slipped_tile_opens_the_slipped_section(demo_db, page_app, monkeypatch) -> None:
    import streamlit

    switched: list = []
    monkeypatch.setattr(
        streamlit,
        "switch_page",
        lambda page, query_params=None: switched.append((page, query_params)),
    )
    url, _ = demo_db
    app = page_app(PAGE, url)
    next(button for button in app.button if button.label == "See slipped").click().run()
    assert not app.exception
    assert switched == [(links.OVERDUE, {links.OVERDUE_SECTION: "Slipped"})]
    next(button for button in app.button if button.label == "See overdue").click().run()
    assert switched[-1] == (links.OVERDUE, {links.OVERDUE_SECTION: "Overdue"})
    assert app.session_state[links.OVERDUE_SECTION] == "Overdue"


def test_filters_that_match_nothing_say_so(seed_db, page_app) -> None:
    url, _ = seed_db
    app = page_app(PAGE, url, {"as_at": SEED_DAY_AFTER.isoformat(), "q": "no such words"})
    assert not app.exception
    assert not app.metric and not drawn_charts(app)
    assert "No recommendations match the filters" in app.info[0].value


def test_a_date_before_anything_was_made_says_so(seed_db, page_app) -> None:
    url, _ = seed_db
    app = page_app(PAGE, url, {"as_at": "2018-01-01"})
    assert not app.exception
    assert not app.metric and not drawn_charts(app)
    assert "No recommendations had been made by 1 January 2018" in app.info[0].value


def test_an_empty_database_explains_how_to_bring_data_in(empty_db, page_app) -> None:
    url, _ = empty_db
    app = page_app(PAGE, url)
    assert not app.exception
    assert not app.metric and not drawn_charts(app)
    assert app.info[0].value == EMPTY_DATABASE_HELP


def test_the_bars_that_list_items_can_be_selected(demo_db, page_app) -> None:
    """Every bar chart of counts on the page can be clicked through, the ageing one too."""
    url, _ = demo_db
    app = _with_charts(page_app(PAGE, url))
    assert not app.exception
    selectable = {
        chart["figure"]["layout"]["title"]["text"].split(",")[0]
        for chart in drawn_charts(app)
        if chart["clickable"]
    }
    assert {"RAG rating by directorate", "Overdue by how long"} <= selectable
    assert any(title.startswith("Recommendations by source") for title in selectable)
