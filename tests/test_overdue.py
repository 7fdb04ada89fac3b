"""The Overdue follow-ups page: what is overdue, slipping or gone quiet, and whose it is.

Expected values are worked out here, independently of the queries: rows are read with plain
sqlite3, the state as at an earlier date is replayed with domain.replay, and overdue, slipped,
stale, days and ageing buckets come from domain.rules (the reference definitions). Actions
are open on a day if open now or completed after it. The page is run as dashboard.py runs it.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import create_engine, literal, select
from sqlalchemy.dialects import postgresql

from bench.harness import drawn_charts
from charts.followups import overdue_by_directorate_figure, overdue_by_directorate_text
from charts.style import SEQUENTIAL
from data_access.filters import Filters
from data_access.queries import followups, overdue_items, slipped_and_stale
from data_access.sql_dates import days_between
from data_access.state import needs_replay
from domain import rules
from domain.formatting import long_date
from domain.settings import AGEING_BUCKET_LABELS
from domain.vocabulary import OPEN_ACTION_STATUSES, Status
from tests.oracle import Item, database_path, day, items_as_at
from ui.shell import EMPTY_DATABASE_HELP

PAGE = "pages/overdue.py"
TODAY = date.today()
EARLIER = TODAY - timedelta(days=400)  # well inside the demo's history: state is replayed
SEED_DAY_AFTER = date(2019, 2, 13)
NO_OWNER, NO_DIRECTORATE = followups.NO_OWNER, followups.NO_DIRECTORATE


# -- independent expectations ------------------------------------------------------------


@dataclass(frozen=True)
class OverdueAction:
    description: str
    ref: str
    owner: str
    directorate: str
    days: int


def _items(url: str, as_at: date, directorate: str | None = None) -> list[Item]:
    """Every recommendation made by `as_at` (in one directorate if given), state replayed."""
    items = items_as_at(url, as_at, no_owner=NO_OWNER, no_directorate=NO_DIRECTORATE)
    return [item for item in items if directorate is None or item.directorate == directorate]


def _overdue_actions(url: str, as_at: date, items: list[Item]) -> list[OverdueAction]:
    """Actions open on `as_at` (open now, or completed after it) and due before it."""
    by_id = {item.id: item for item in items}
    open_now = {status.value for status in OPEN_ACTION_STATUSES}
    with sqlite3.connect(database_path(url)) as db:
        db.row_factory = sqlite3.Row
        rows = db.execute(
            "SELECT a.recommendation_id, a.description, a.status, a.due_date, a.completed_on, "
            "o.name AS owner FROM actions a LEFT JOIN officers o ON o.id = a.owner_id"
        ).fetchall()
    found = []
    for row in rows:
        item = by_id.get(row["recommendation_id"])
        due, completed = day(row["due_date"]), day(row["completed_on"])
        was_open = row["status"] in open_now or (completed is not None and completed > as_at)
        if item is None or due is None or not was_open or due >= as_at:
            continue
        owner = row["owner"] or item.owner
        found.append(
            OverdueAction(row["description"], item.ref, owner, item.directorate, (as_at - due).days)
        )
    return found


def _overdue(items: list[Item], as_at: date) -> list[Item]:
    return [item for item in items if rules.is_overdue(item.facts, as_at)]


def _days_overdue(item: Item, as_at: date) -> int:
    return rules.days_overdue(item.facts, as_at)


def _directorate_name(url: str, as_at: date) -> str:
    """The directorate with the most overdue recommendations (but not all of them)."""
    counts = Counter(item.directorate for item in _overdue(_items(url, as_at), as_at))
    name, _ = counts.most_common(1)[0]
    assert counts[name] < sum(counts.values())
    return name


# -- the queries ---------------------------------------------------------------------------


@pytest.mark.parametrize("as_at", [TODAY, EARLIER], ids=["today", "earlier"])
def test_overdue_counts_by_directorate_age_and_owner_follow_the_rules(demo_db, as_at) -> None:
    url, engine = demo_db
    items = _items(url, as_at)
    overdue = _overdue(items, as_at)
    actions = _overdue_actions(url, as_at, items)
    assert overdue and actions, "the demo council should have overdue work to test with"

    with engine.connect() as connection:
        assert needs_replay(connection, as_at) == (as_at == EARLIER)
        overview = overdue_items.overdue_overview(connection, Filters(as_at=as_at))

    assert overview.overdue == len(overdue)
    assert overview.overdue_actions == len(actions)
    assert overview.longest_overdue_days == max(_days_overdue(i, as_at) for i in overdue)

    expected_buckets = Counter(
        (item.directorate, rules.ageing_bucket(_days_overdue(item, as_at))) for item in overdue
    )
    shown_buckets = {
        (row.directorate, row.bucket): row.recommendations
        for row in overview.by_bucket.itertuples()
    }
    assert shown_buckets == dict(expected_buckets)
    # How many of each are exempt (Part 2): what lets chart files hide a directorate only
    # Part 2 items have.
    with sqlite3.connect(database_path(url)) as db:
        exempt_sources = {
            row[0] for row in db.execute("SELECT id FROM sources WHERE confidentiality = 'exempt'")
        }
    expected_exempt = Counter(
        (item.directorate, rules.ageing_bucket(_days_overdue(item, as_at)))
        for item in overdue
        if item.source_id in exempt_sources
    )
    shown_exempt = {
        (row.directorate, row.bucket): row.exempt
        for row in overview.by_bucket.itertuples()
        if row.exempt
    }
    assert expected_exempt, "the demo council has overdue Part 2 items"
    assert shown_exempt == dict(expected_exempt)

    expected_owners: dict[tuple[str, str], list[int]] = {}
    for item in overdue:
        entry = expected_owners.setdefault((item.owner, item.directorate), [0, 0, 0])
        entry[0] += 1
        entry[2] = max(entry[2], _days_overdue(item, as_at))
    for action in actions:
        entry = expected_owners.setdefault((action.owner, action.directorate), [0, 0, 0])
        entry[1] += 1
        entry[2] = max(entry[2], action.days)
    table = overview.by_owner.rows
    assert overview.by_owner.total == len(expected_owners) == len(table)
    shown_owners = {
        (row.owner, row.directorate): [
            row.overdue_recommendations,
            row.overdue_actions,
            row.oldest_days_overdue,
        ]
        for row in table.itertuples()
    }
    assert shown_owners == expected_owners
    assert table["overdue_recommendations"].sum() == overview.overdue
    assert table["overdue_actions"].sum() == overview.overdue_actions
    items_per_owner = (table["overdue_recommendations"] + table["overdue_actions"]).tolist()
    assert items_per_owner == sorted(items_per_owner, reverse=True)


@pytest.mark.parametrize("as_at", [TODAY, EARLIER], ids=["today", "earlier"])
def test_overdue_lists_are_the_overdue_items_longest_first(demo_db, as_at) -> None:
    url, engine = demo_db
    items = _items(url, as_at)
    overdue = _overdue(items, as_at)
    actions = _overdue_actions(url, as_at, items)
    with engine.connect() as connection:
        overview = overdue_items.overdue_overview(connection, Filters(as_at=as_at))
    listing, action_listing = overview.recommendations, overview.actions

    rows = listing.rows
    assert listing.total == len(overdue) == len(rows) and not listing.is_capped
    shown = Counter(zip(rows["ref"], rows["source"], rows["days_overdue"], strict=True))
    expected = Counter((i.ref, i.source, _days_overdue(i, as_at)) for i in overdue)
    assert shown == expected
    assert rows["days_overdue"].tolist() == sorted(rows["days_overdue"], reverse=True)
    assert all(
        rules.ageing_bucket(days) == bucket
        for days, bucket in zip(rows["days_overdue"], rows["ageing_bucket"], strict=True)
    )
    targets = {(i.ref, i.source): i.facts.current_target_date for i in overdue}
    for ref, source, target in zip(
        rows["ref"], rows["source"], rows["current_target_date"], strict=True
    ):
        assert target.date() == targets[(ref, source)]

    action_rows = action_listing.rows
    assert action_listing.total == len(actions) == len(action_rows)
    assert Counter(
        zip(
            action_rows["description"],
            action_rows["recommendation_ref"],
            action_rows["owner"],
            action_rows["days_overdue"],
            strict=True,
        )
    ) == Counter((a.description, a.ref, a.owner, a.days) for a in actions)
    days = action_rows["days_overdue"].tolist()
    assert days == sorted(days, reverse=True)
    assert action_rows["ageing_bucket"].tolist() == [rules.ageing_bucket(d) for d in days]


def test_long_lists_are_capped_worst_first_with_the_total(demo_db) -> None:
    url, engine = demo_db
    items = _items(url, TODAY)
    overdue = _overdue(items, TODAY)
    actions = _overdue_actions(url, TODAY, items)
    owners = {(i.owner, i.directorate) for i in overdue} | {
        (a.owner, a.directorate) for a in actions
    }
    with engine.connect() as connection:
        overview = overdue_items.overdue_overview(connection, Filters(as_at=TODAY), limit=5)
        slipped = slipped_and_stale.slipped_recommendations(
            connection, Filters(as_at=TODAY), limit=5
        )

    listing = overview.recommendations
    assert listing.is_capped and listing.total == len(overdue) == overview.overdue
    worst = sorted((_days_overdue(i, TODAY) for i in overdue), reverse=True)[:5]
    assert listing.rows["days_overdue"].tolist() == worst
    assert overview.actions.is_capped and overview.actions.total == len(actions)
    worst_actions = sorted((a.days for a in actions), reverse=True)[:5]
    assert overview.actions.rows["days_overdue"].tolist() == worst_actions
    assert len(overview.by_owner.rows) == 5 and overview.by_owner.total == len(owners)
    all_slipped = [i for i in items if rules.is_slipped(i.facts, TODAY)]
    assert len(slipped.rows) == 5 and slipped.total == len(all_slipped)
    furthest = sorted((rules.slip_days(i.facts) for i in all_slipped), reverse=True)[:5]
    assert slipped.rows["days_slipped"].tolist() == furthest


@pytest.mark.parametrize("as_at", [TODAY, EARLIER], ids=["today", "earlier"])
def test_slipped_and_stale_lists_follow_the_rules(demo_db, as_at) -> None:
    url, engine = demo_db
    items = _items(url, as_at)
    slipped = [i for i in items if rules.is_slipped(i.facts, as_at)]
    stale = [i for i in items if rules.is_stale(i.facts, as_at)]
    assert slipped and stale
    with engine.connect() as connection:
        slipped_listing = slipped_and_stale.slipped_recommendations(
            connection, Filters(as_at=as_at)
        )
        stale_listing = slipped_and_stale.stale_recommendations(connection, Filters(as_at=as_at))

    rows = slipped_listing.rows
    assert slipped_listing.total == len(slipped) == len(rows)
    assert slipped_listing.twice_or_more == sum(i.facts.revision_count >= 2 for i in slipped)
    assert Counter(
        zip(rows["ref"], rows["source"], rows["revision_count"], rows["days_slipped"], strict=True)
    ) == Counter(
        (i.ref, i.source, i.facts.revision_count, rules.slip_days(i.facts)) for i in slipped
    )
    assert rows["days_slipped"].tolist() == sorted(rows["days_slipped"], reverse=True)
    assert set(rows["status"]) <= {status.label for status in Status}

    rows = stale_listing.rows
    assert stale_listing.total == len(stale) == len(rows)
    assert Counter(
        zip(rows["ref"], rows["source"], rows["days_since_update"], strict=True)
    ) == Counter((i.ref, i.source, rules.days_since_update(i.facts, as_at)) for i in stale)
    assert rows["days_since_update"].tolist() == sorted(rows["days_since_update"], reverse=True)
    for last, days in zip(rows["last_activity_on"], rows["days_since_update"], strict=True):
        assert (as_at - last.date()).days == days


def test_a_filter_narrows_every_count(demo_db) -> None:
    url, engine = demo_db
    name = _directorate_name(url, TODAY)
    with sqlite3.connect(database_path(url)) as db:
        directorate_id = db.execute(
            "SELECT id FROM directorates WHERE name = ?", (name,)
        ).fetchone()[0]
    items = _items(url, TODAY, directorate=name)
    filters = Filters(as_at=TODAY, directorate_ids=(directorate_id,))
    with engine.connect() as connection:
        overview = overdue_items.overdue_overview(connection, filters)
        slipped = slipped_and_stale.slipped_recommendations(connection, filters)
        stale = slipped_and_stale.stale_recommendations(connection, filters)
    assert overview.overdue == len(_overdue(items, TODAY))
    assert overview.overdue_actions == len(_overdue_actions(url, TODAY, items))
    assert set(overview.by_bucket["directorate"]) == {name}
    assert slipped.total == sum(rules.is_slipped(i.facts, TODAY) for i in items)
    assert stale.total == sum(rules.is_stale(i.facts, TODAY) for i in items)


def test_days_between_is_whole_days_in_sqlite_and_postgres() -> None:
    expression = days_between(literal(date(2020, 3, 1)), literal(date(2020, 2, 1)))
    with create_engine("sqlite://").connect() as connection:
        assert connection.execute(select(expression)).scalar() == 29
    compiled = str(select(expression).compile(dialect=postgresql.dialect()))
    assert "julianday" not in compiled and " - " in compiled


# -- the chart -----------------------------------------------------------------------------


def test_the_chart_stacks_the_buckets_in_order_and_adds_up(demo_db) -> None:
    url, engine = demo_db
    overdue = _overdue(_items(url, TODAY), TODAY)
    with engine.connect() as connection:
        by_bucket = overdue_items.overdue_overview(connection, Filters(as_at=TODAY)).by_bucket
    figure = overdue_by_directorate_figure(by_bucket, TODAY)
    assert [trace.name for trace in figure.data] == list(AGEING_BUCKET_LABELS)
    assert [trace.marker.color for trace in figure.data] == list(SEQUENTIAL)
    assert sum(sum(trace.x) for trace in figure.data) == len(overdue)
    assert figure.layout.barmode == "stack"
    assert f"as at {long_date(TODAY)}" in figure.layout.title.text
    per_directorate = Counter(item.directorate for item in overdue)
    top_name, top_count = min(per_directorate.items(), key=lambda kv: (-kv[1], kv[0]))
    assert figure.layout.yaxis.categoryarray[-1] == top_name  # drawn at the top
    text = overdue_by_directorate_text(by_bucket, TODAY)
    assert f"{len(overdue):,} recommendations overdue" in text
    assert f"{top_name} ({top_count:,})" in text
    over_180 = sum(_days_overdue(i, TODAY) > 180 for i in overdue)
    assert f"over 180 days {over_180:,}" in text


# -- the page ------------------------------------------------------------------------------


def _metrics(app) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def _chart_spec(app) -> dict[str, Any]:
    charts = drawn_charts(app)
    assert len(charts) == 1
    return charts[0]["figure"]


def test_the_page_shows_what_is_overdue_and_whose_it_is(demo_db, page_app) -> None:
    url, _ = demo_db
    items = _items(url, TODAY)
    overdue = _overdue(items, TODAY)
    actions = _overdue_actions(url, TODAY, items)
    app = page_app(PAGE, url)

    assert not app.exception
    assert app.title[0].value == "Overdue follow-ups"
    assert long_date(TODAY) in app.caption[0].value
    assert [tab.label for tab in app.tabs] == ["Overdue", "Slipped", "Stale"]
    longest = max(_days_overdue(i, TODAY) for i in overdue)
    assert _metrics(app) == {
        "Overdue recommendations": f"{len(overdue):,}",
        "Overdue actions": f"{len(actions):,}",
        "Longest overdue": f"{longest:,} days",
    }
    spec = _chart_spec(app)
    assert sum(sum(trace["x"]) for trace in spec["data"]) == len(overdue)
    assert long_date(TODAY) in spec["layout"]["title"]["text"]
    assert any(f"{len(overdue):,} recommendations overdue" in c.value for c in app.caption)

    by_owner, listing, action_listing = (frame.value for frame in app.dataframe)
    assert by_owner["overdue_recommendations"].sum() == len(overdue)
    assert by_owner["overdue_actions"].sum() == len(actions)
    # Whose and how many first: on a phone the table scrolls sideways from the left, and at
    # 390 px the directorate (then second) left no number in view.
    assert list(by_owner.columns) == [
        "owner",
        "overdue_recommendations",
        "overdue_actions",
        "oldest_days_overdue",
        "directorate",
    ]
    assert len(listing) == len(overdue)
    assert listing["days_overdue"].iloc[0] == longest
    assert len(action_listing) == len(actions)
    assert not any("Actions keep no history" in caption.value for caption in app.caption)
    assert [header.value for header in app.subheader] == [
        "By owner",
        "Overdue recommendations",
        "Overdue actions",
    ]


def test_the_slipped_and_stale_sections_open_from_the_address(demo_db, page_app) -> None:
    url, _ = demo_db
    items = _items(url, TODAY)
    slipped = [i for i in items if rules.is_slipped(i.facts, TODAY)]
    stale = [i for i in items if rules.is_stale(i.facts, TODAY)]

    app = page_app(PAGE, url, {"section": "Slipped"})
    assert not app.exception
    assert _metrics(app) == {
        "Slipped recommendations": f"{len(slipped):,}",
        "Slipped twice or more": f"{sum(i.facts.revision_count >= 2 for i in slipped):,}",
    }
    (table,) = (frame.value for frame in app.dataframe)
    assert len(table) == len(slipped)
    assert table["days_slipped"].iloc[0] == max(rules.slip_days(i.facts) for i in slipped)

    app = page_app(PAGE, url, {"section": "Stale"})
    assert not app.exception
    assert list(_metrics(app).values()) == [f"{len(stale):,}"]
    (table,) = (frame.value for frame in app.dataframe)
    oldest = max(rules.days_since_update(i.facts, TODAY) for i in stale)
    assert len(table) == len(stale) and table["days_since_update"].iloc[0] == oldest


def test_the_page_as_at_an_earlier_date_replays_the_history(demo_db, page_app) -> None:
    url, _ = demo_db
    items = _items(url, EARLIER)
    overdue = _overdue(items, EARLIER)
    app = page_app(PAGE, url, {"as_at": EARLIER.isoformat()})
    assert not app.exception
    metrics = _metrics(app)
    assert metrics["Overdue recommendations"] == f"{len(overdue):,}"
    assert metrics["Overdue actions"] == f"{len(_overdue_actions(url, EARLIER, items)):,}"
    assert long_date(EARLIER) in _chart_spec(app)["layout"]["title"]["text"]
    assert any("Actions keep no history" in caption.value for caption in app.caption)


def test_a_directorate_in_the_address_narrows_the_page(demo_db, page_app) -> None:
    url, _ = demo_db
    name = _directorate_name(url, TODAY)
    everywhere = len(_overdue(_items(url, TODAY), TODAY))
    items = _items(url, TODAY, directorate=name)
    overdue = _overdue(items, TODAY)
    app = page_app(PAGE, url, {"directorate": [name]})
    assert not app.exception
    metrics = _metrics(app)
    assert metrics["Overdue recommendations"] == f"{len(overdue):,}"
    assert len(overdue) < everywhere
    assert metrics["Overdue actions"] == f"{len(_overdue_actions(url, TODAY, items)):,}"
    by_owner = app.dataframe[0].value
    assert set(by_owner["directorate"]) == {name}
    spec = _chart_spec(app)
    assert [list(trace["y"]) for trace in spec["data"]] == [[name]] * len(AGEING_BUCKET_LABELS)


@pytest.mark.parametrize("section", ["Overdue", "Slipped", "Stale"])
def test_the_seed_the_day_after_its_meeting_has_nothing_to_chase(
    seed_db, page_app, section
) -> None:
    url, _ = seed_db
    items = _items(url, SEED_DAY_AFTER)
    assert not any(rules.is_overdue(i.facts, SEED_DAY_AFTER) for i in items)
    assert not any(rules.is_slipped(i.facts, SEED_DAY_AFTER) for i in items)
    assert not any(rules.is_stale(i.facts, SEED_DAY_AFTER) for i in items)
    app = page_app(PAGE, url, {"as_at": SEED_DAY_AFTER.isoformat(), "section": section})

    assert not app.exception
    assert set(_metrics(app).values()) <= {"0", "–"}
    assert not app.dataframe and not drawn_charts(app)
    (good_news,) = app.success
    opening = {
        "Overdue": "Nothing is overdue as at 13 February 2019",
        "Slipped": "Nothing has slipped as at 13 February 2019",
        "Stale": "Nothing has gone quiet as at 13 February 2019",
    }[section]
    assert good_news.value.startswith(opening)
    assert not app.info and not app.warning and not app.error


def test_filters_that_match_nothing_say_so(seed_db, page_app) -> None:
    url, _ = seed_db
    app = page_app(PAGE, url, {"q": "no recommendation says this", "as_at": "2019-02-13"})
    assert not app.exception
    assert "No recommendations match the filters" in app.info[0].value
    assert not app.tabs and not app.metric


def test_an_empty_database_explains_how_to_bring_data_in(empty_db, page_app) -> None:
    url, _ = empty_db
    app = page_app(PAGE, url)
    assert not app.exception
    assert app.info[0].value == EMPTY_DATABASE_HELP
    assert not app.tabs and not app.metric and not app.dataframe
