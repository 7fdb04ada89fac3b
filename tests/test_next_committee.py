"""The Next committee page: what a scrutiny officer relies on when briefing a committee.

Expected values are computed here, independently of the page's SQL: rows are read with plain
sqlite3, each recommendation's state as at the date comes from domain.replay, and the reasons
from domain.rules.due_back_reasons with the next meeting from domain.rules.next_meeting.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import insert, select

from data_access.filters import Filters
from data_access.models import Committee, Meeting, Recommendation
from data_access.queries.committee import (
    MAX_ITEMS,
    CommitteeChoice,
    default_committee,
    due_back,
    due_back_by_committee,
)
from data_access.seed import SEED_COMMITTEE
from domain.formatting import long_date
from domain.rules import (
    DueBackReason,
    due_back_reasons,
    next_meeting,
)
from domain.vocabulary import Rag, Status
from tests.oracle import database_path, day, items_as_at
from ui.shell import EMPTY_DATABASE_HELP

PAGE = "pages/next_committee.py"
SEED_AS_AT = "2019-02-13"


# ---------------------------------------------------------------------------------------------
# Independent computation, from the database file with plain SQL and the pure rules.


@dataclass(frozen=True)
class Expected:
    committee_id: int
    name: str
    next_meeting: date | None
    previous_meeting: date | None
    reasons: dict[int, list[DueBackReason]]  # recommendation id -> reasons, in rules order
    refs: dict[int, str]
    statuses: dict[int, str]
    titles: dict[int, str]  # the source title each item is listed under

    def listed_as(self, rec_id: int) -> tuple[str, str]:
        """How the page identifies an item: its source's title and its ref."""
        return self.titles[rec_id], self.refs[rec_id]


def expected_due_back(database: str, committee_id: int, as_at: date) -> Expected:
    """Everything due back at the committee's next meeting, derived from the rows alone."""
    with sqlite3.connect(database) as db:
        name = db.execute("SELECT name FROM committees WHERE id = ?", (committee_id,)).fetchone()[0]
        meetings = [
            day(meeting_day)
            for (meeting_day,) in db.execute(
                "SELECT meeting_date FROM meetings WHERE committee_id = ?", (committee_id,)
            )
        ]
    next_on = next_meeting(meetings, as_at)
    earlier = [meeting_day for meeting_day in meetings if meeting_day < as_at]
    reasons, refs, statuses, titles = {}, {}, {}, {}
    for item in items_as_at(database, as_at):
        if item.committee_id != committee_id:
            continue
        found = due_back_reasons(item.facts, next_on, as_at)
        if found:
            reasons[item.id], refs[item.id] = found, item.ref
            statuses[item.id], titles[item.id] = item.facts.status.label, item.source
    previous = max(earlier) if earlier else None
    return Expected(committee_id, name, next_on, previous, reasons, refs, statuses, titles)


def latest_update(database: str, recommendation_id: int, as_at: date) -> tuple | None:
    """The newest update on or before as_at (ties: the one written last), found in Python."""
    with sqlite3.connect(database) as db:
        rows = db.execute(
            "SELECT update_date, id, author, narrative FROM progress_updates "
            "WHERE recommendation_id = ?",
            (recommendation_id,),
        ).fetchall()
    shown = [row for row in rows if day(row[0]) <= as_at]
    if not shown:
        return None
    when, _, author, narrative = max(shown, key=lambda row: (day(row[0]), row[1]))
    return day(when), author, narrative


def committee_ids(database: str) -> dict[str, int]:
    with sqlite3.connect(database) as db:
        return {
            name: committee_id
            for committee_id, name in db.execute("SELECT id, name FROM committees")
        }


# ---------------------------------------------------------------------------------------------
# Reading the page.


def source_headings(app) -> list[str]:
    """The source titles the page shows, in order (one Markdown heading per source)."""
    return [
        element.value.splitlines()[0].removeprefix("### ").replace("\\", "")
        for element in app.markdown
        if element.value.startswith("### ")
    ]


def listed(app) -> pd.DataFrame:
    """Every item row the page lists, with the source title it is listed under."""
    tables = [table.value for table in app.dataframe]
    assert len(tables) == len(source_headings(app)), "one table under each source heading"
    frames = [
        table.assign(source_title=title)
        for table, title in zip(tables, source_headings(app), strict=True)
    ]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def metrics(app) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def markdown_text(app) -> str:
    return "\n".join(element.value for element in app.markdown).replace("\\", "")


def reason_tiles(expected: Expected) -> dict[str, str]:
    tiles = {reason.label: 0 for reason in DueBackReason}
    for reasons in expected.reasons.values():
        for reason in reasons:
            tiles[reason.label] += 1
    return {label: f"{number:,}" for label, number in tiles.items()}


# ---------------------------------------------------------------------------------------------
# The seed: the acceptance test.


def test_seed_briefing_lists_recommendations_2_and_3_with_reasons_and_latest_update(
    seed_db, page_app
) -> None:
    url, _ = seed_db
    app = page_app(PAGE, url, {"as_at": SEED_AS_AT, "meeting_committee": SEED_COMMITTEE})
    assert not app.exception
    assert (
        app.selectbox(key="meeting_committee").value
        == committee_ids(database_path(url))[SEED_COMMITTEE]
    )
    assert "Next meeting: 12 March 2019" in markdown_text(app)
    assert "in 27 days" in markdown_text(app)
    assert "Previous meeting: 12 February 2019" in markdown_text(app)
    items = listed(app)
    assert sorted(items["ref"]) == ["2", "3"]
    assert not {"1", "4", "5", "6"} & set(items["ref"])
    rec_2 = items.set_index("ref").loc["2"]
    assert "Committed to report back" in rec_2["reasons"].split("; ")
    assert "will be reported to the next committee" in rec_2["latest_update"]
    assert rec_2["latest_update_on"] == pd.Timestamp("2019-02-12")
    assert rec_2["owner"] == "Sheila Murphy"
    assert metrics(app)["Items due back"] == "2"
    assert metrics(app)["Committed to report back"] == "2"
    assert any(
        "Independent investigation into whistleblowing allegations"
        in element.value.replace("\\", "")
        for element in app.markdown
    )


def test_before_the_seed_meeting_the_next_meeting_is_that_meeting(seed_db, page_app) -> None:
    url, _ = seed_db
    app = page_app(PAGE, url, {"as_at": "2019-02-11"})
    assert not app.exception
    assert "Next meeting: 12 February 2019" in markdown_text(app)
    assert "Previous meeting: 15 January 2019" in markdown_text(app)
    # As at the day before, recommendations 2 and 3 had no report-back commitment yet.
    assert not app.dataframe
    assert metrics(app)["Items due back"] == "0"
    assert any("Nothing is due back" in info.value for info in app.info)


def test_seed_query_agrees_with_the_rules(seed_db) -> None:
    url, engine = seed_db
    as_at = date.fromisoformat(SEED_AS_AT)
    committee_id = committee_ids(database_path(url))[SEED_COMMITTEE]
    expected = expected_due_back(database_path(url), committee_id, as_at)
    with engine.connect() as connection:
        briefing = due_back(connection, Filters(as_at=as_at), committee_id)
    assert briefing.next_meeting == expected.next_meeting == date(2019, 3, 12)
    assert set(briefing.items["ref"]) == set(expected.refs.values()) == {"2", "3"}


def test_a_committee_with_no_meeting_ahead_says_so_and_lists_nothing(seed_db, page_app) -> None:
    url, engine = seed_db
    with engine.begin() as connection:
        lapsed = connection.execute(
            insert(Committee).values(name="Lapsed Review Panel").returning(Committee.id)
        ).scalar_one()
        connection.execute(
            insert(Meeting).values(committee_id=lapsed, meeting_date=date(2018, 10, 2))
        )
        # Give it an item that would otherwise be due back, to show nothing is listed.
        source_id, made_on = connection.execute(
            select(Recommendation.source_id, Recommendation.made_on).limit(1)
        ).one()
        connection.execute(
            insert(Recommendation).values(
                source_id=source_id,
                committee_id=lapsed,
                ref="LR1",
                wording="Overdue item",
                made_on=made_on,
                acceptance="accepted",
                status="in_progress",
                original_target_date=date(2018, 12, 1),
                current_target_date=date(2018, 12, 1),
            )
        )
    app = page_app(PAGE, url, {"as_at": SEED_AS_AT, "meeting_committee": "Lapsed Review Panel"})
    assert not app.exception
    warning = app.warning[0].value.replace("\\", "")
    assert "No meeting of Lapsed Review Panel is recorded on or after 13 February 2019" in warning
    assert "Add its meeting dates on the Committees page" in warning
    assert any("Previous meeting: 2 October 2018" in c.value for c in app.caption)
    assert not app.dataframe
    assert not app.metric


def test_empty_database_explains_how_to_bring_data_in(empty_db, page_app) -> None:
    url, _ = empty_db
    app = page_app(PAGE, url)
    assert not app.exception
    assert app.info[0].value == EMPTY_DATABASE_HELP
    assert not app.dataframe


# ---------------------------------------------------------------------------------------------
# The demo council: every committee, today and as at an earlier date (the replayed state).


@pytest.mark.parametrize("days_ago", [0, 150])
def test_listed_items_and_reasons_match_the_rules_for_every_committee(demo_db, days_ago) -> None:
    url, engine = demo_db
    as_at = date.today() - timedelta(days=days_ago)
    seen_items = 0
    with engine.connect() as connection:
        for committee_id in committee_ids(database_path(url)).values():
            expected = expected_due_back(database_path(url), committee_id, as_at)
            briefing = due_back(connection, Filters(as_at=as_at), committee_id)
            assert briefing.committee_name == expected.name
            assert briefing.next_meeting == expected.next_meeting
            assert briefing.previous_meeting == expected.previous_meeting
            assert briefing.total == len(expected.reasons)
            if expected.next_meeting is None:
                assert briefing.items.empty
                continue
            assert dict(briefing.reason_counts) == {
                label: int(number.replace(",", ""))
                for label, number in reason_tiles(expected).items()
            }
            assert len(briefing.items) == min(MAX_ITEMS, len(expected.reasons))
            shown = {row.id: row.reasons.split("; ") for row in briefing.items.itertuples()}
            assert shown == {
                rec_id: [reason.label for reason in expected.reasons[rec_id]] for rec_id in shown
            }
            for row in briefing.items.itertuples():
                assert row.ref == expected.refs[row.id]
                assert row.status == expected.statuses[row.id]
            seen_items += len(shown)
    assert seen_items > 20, "the demo council should have items due back"


def test_latest_update_is_the_newest_on_or_before_the_as_at_date(demo_db) -> None:
    url, engine = demo_db
    as_at = date.today() - timedelta(days=60)
    checked = 0
    with engine.connect() as connection:
        for committee_id in committee_ids(database_path(url)).values():
            briefing = due_back(connection, Filters(as_at=as_at), committee_id)
            for row in briefing.items.itertuples():
                found = latest_update(database_path(url), row.id, as_at)
                if found is None:
                    assert pd.isna(row.latest_update_on) and pd.isna(row.latest_update)
                    continue
                when, author, narrative = found
                assert (row.latest_update_on.date(), row.latest_update_by, row.latest_update) == (
                    when,
                    author,
                    narrative,
                )
                checked += 1
    assert checked > 20


def test_committee_chosen_in_the_url_shows_its_items(demo_db, page_app) -> None:
    url, _ = demo_db
    ids = committee_ids(database_path(url))
    expected = max(
        (expected_due_back(database_path(url), i, date.today()) for i in ids.values()),
        key=lambda e: len(e.reasons),
    )
    app = page_app(PAGE, url, {"meeting_committee": expected.name})
    assert not app.exception
    assert app.selectbox(key="meeting_committee").value == expected.committee_id
    assert app.header[0].value.replace("\\", "") == expected.name
    assert f"Next meeting: {long_date(expected.next_meeting)}" in markdown_text(app)
    tiles = metrics(app)
    assert tiles["Items due back"] == f"{len(expected.reasons):,}"
    assert {label: tiles[label] for label in reason_tiles(expected)} == reason_tiles(expected)
    items = listed(app)
    shown = {(row.source_title, row.ref): row.reasons for row in items.itertuples()}
    assert shown == {
        expected.listed_as(rec_id): "; ".join(reason.label for reason in reasons)
        for rec_id, reasons in expected.reasons.items()
    }
    # Each row's latest update, date and author are the newest on or before today.
    rec_ids = {expected.listed_as(rec_id): rec_id for rec_id in expected.reasons}
    for row in items.itertuples():
        found = latest_update(database_path(url), rec_ids[row.source_title, row.ref], date.today())
        if found is None:
            assert pd.isna(row.latest_update_on) and pd.isna(row.latest_update)
            continue
        when, author, narrative = found
        assert (row.latest_update_on.date(), row.latest_update_by) == (when, author)
        assert row.latest_update == narrative


def test_default_is_the_committee_meeting_soonest(demo_db, page_app) -> None:
    url, _ = demo_db
    everyone = [
        expected_due_back(database_path(url), i, date.today())
        for i in committee_ids(database_path(url)).values()
    ]
    soonest = min(
        (e for e in everyone if e.next_meeting), key=lambda e: (e.next_meeting, e.name.lower())
    )
    app = page_app(PAGE, url)
    assert not app.exception
    assert app.selectbox(key="meeting_committee").value == soonest.committee_id
    assert metrics(app)["Items due back"] == f"{len(soonest.reasons):,}"


@pytest.mark.parametrize("days_ago", [0, 150])
def test_every_committee_count_matches_the_rules(demo_db, days_ago: int) -> None:
    """The "All committees" table: each committee's items due back, which add up to the
    Overview's Due back tile."""
    url, engine = demo_db
    as_at = date.today() - timedelta(days=days_ago)
    with engine.connect() as connection:
        table = due_back_by_committee(connection, Filters(as_at=as_at))
    expected = {
        committee_id: expected_due_back(database_path(url), committee_id, as_at)
        for committee_id in committee_ids(database_path(url)).values()
    }
    with_meeting = {i: e for i, e in expected.items() if e.next_meeting is not None}
    assert set(table["committee_id"]) == set(with_meeting)
    for row in table.itertuples():
        assert row.items == len(with_meeting[row.committee_id].reasons), row.committee
        assert row.next_meeting.date() == with_meeting[row.committee_id].next_meeting
    assert list(table["next_meeting"]) == sorted(table["next_meeting"])
    assert table["items"].sum() > 0


def test_default_skips_committees_with_nothing_due() -> None:
    """The soonest meeting with nothing due back is passed over for one that has items."""
    soon, later, latest = date(2026, 12, 1), date(2026, 12, 8), date(2027, 1, 5)
    choices = [
        CommitteeChoice(1, "Audit", soon),
        CommitteeChoice(2, "Housing", later),
        CommitteeChoice(3, "Place", latest),
        CommitteeChoice(4, "Standards", None),
    ]
    assert default_committee(choices) == 1
    assert default_committee(choices, with_items=[2, 3]) == 2
    assert default_committee(choices, with_items=[3]) == 3
    assert default_committee(choices, with_items=[]) == 1  # nothing due anywhere
    assert default_committee(choices, sidebar_committee_ids=[3], with_items=[2]) == 3


def test_default_follows_the_shared_committee_filter(demo_db, page_app) -> None:
    url, _ = demo_db
    everyone = [
        expected_due_back(database_path(url), i, date.today())
        for i in committee_ids(database_path(url)).values()
    ]
    soonest = min(
        (e for e in everyone if e.next_meeting), key=lambda e: (e.next_meeting, e.name.lower())
    )
    other, third = [e for e in everyone if e.committee_id != soonest.committee_id][:2]
    app = page_app(PAGE, url, {"committee": other.name})
    assert not app.exception
    assert app.selectbox(key="meeting_committee").value == other.committee_id
    # Changing the shared filter to another single committee moves the picker with it.
    app.multiselect(key="committee").set_value([third.committee_id]).run()
    assert not app.exception
    assert app.selectbox(key="meeting_committee").value == third.committee_id
    # The picker still chooses freely: the shared committee filter does not narrow it.
    app.selectbox(key="meeting_committee").set_value(other.committee_id).run()
    assert app.selectbox(key="meeting_committee").value == other.committee_id
    assert metrics(app)["Items due back"] == f"{len(other.reasons):,}"


def test_a_shared_filter_narrows_the_briefing(demo_db, page_app) -> None:
    url, _ = demo_db
    ids = committee_ids(database_path(url))
    expected = max(
        (expected_due_back(database_path(url), i, date.today()) for i in ids.values()),
        key=lambda e: len(e.reasons),
    )
    in_progress = {i for i, status in expected.statuses.items() if status == "In progress"}
    assert 0 < len(in_progress) < len(expected.reasons)
    app = page_app(PAGE, url, {"meeting_committee": expected.name, "status": "In progress"})
    assert not app.exception
    assert metrics(app)["Items due back"] == f"{len(in_progress):,}"
    shown = {(row.source_title, row.ref) for row in listed(app).itertuples()}
    assert shown == {expected.listed_as(rec_id) for rec_id in in_progress}


def test_filters_matching_nothing_say_so(demo_db, page_app) -> None:
    url, _ = demo_db
    app = page_app(PAGE, url, {"q": "no recommendation says this zqxj"})
    assert not app.exception
    assert not app.dataframe
    assert any("No items due back match the filters" in info.value for info in app.info)


def test_exempt_sources_carry_the_part_2_marker(demo_db, page_app) -> None:
    url, engine = demo_db
    with sqlite3.connect(database_path(url)) as db:
        exempt = {
            title
            for (title,) in db.execute("SELECT title FROM sources WHERE confidentiality = 'exempt'")
        }
    marked = 0
    with engine.connect() as connection:
        for name, committee_id in committee_ids(database_path(url)).items():
            items = due_back(connection, Filters(), committee_id).items
            assert set(items.loc[items["source_exempt"], "source_title"]) <= exempt
            assert not set(items.loc[~items["source_exempt"], "source_title"]) & exempt
            if items["source_exempt"].any():
                app = page_app(PAGE, url, {"meeting_committee": name})
                headings = [m.value for m in app.markdown if m.value.startswith("### ")]
                marked += sum("Exempt (Part 2)" in h for h in headings)
                assert marked == items.loc[items["source_exempt"], "source_id"].nunique()
                break
    if not marked:
        pytest.skip("no exempt source has items due back in this demo council")


def test_full_text_shows_every_word_of_the_wording_and_latest_update(seed_db, page_app) -> None:
    url, _ = seed_db
    with sqlite3.connect(database_path(url)) as db:
        wording, narrative = db.execute(
            "SELECT r.wording, u.narrative FROM recommendations r "
            "JOIN progress_updates u ON u.recommendation_id = r.id WHERE r.ref = '2'"
        ).fetchone()
    app = page_app(PAGE, url, {"as_at": SEED_AS_AT})
    app.toggle(key="meeting_full_text").set_value(True).run()
    assert not app.exception
    assert not app.dataframe
    text = markdown_text(app)
    assert wording in text
    assert narrative in text
    assert "Due back because:** Committed to report back" in text


def test_an_item_with_no_owner_and_no_update_is_listed_plainly(seed_db, page_app) -> None:
    url, engine = seed_db
    committee_id = committee_ids(database_path(url))[SEED_COMMITTEE]
    with engine.begin() as connection:
        source_id = connection.execute(select(Recommendation.source_id).limit(1)).scalar_one()
        connection.execute(
            insert(Recommendation).values(
                source_id=source_id,
                committee_id=committee_id,
                ref="X1",
                wording="An *unowned* item with [markup](http://example.org) in it.",
                made_on=date(2018, 11, 30),
                acceptance="accepted",
                accepted_on=date(2018, 11, 30),
                status="in_progress",
                original_target_date=date(2019, 1, 31),
                current_target_date=date(2019, 1, 31),
            )
        )
    as_at = date.fromisoformat(SEED_AS_AT)
    expected = expected_due_back(database_path(url), committee_id, as_at)
    new_id = next(i for i, ref in expected.refs.items() if ref == "X1")
    app = page_app(PAGE, url, {"as_at": SEED_AS_AT})
    assert not app.exception
    row = listed(app).set_index("ref").loc["X1"]
    assert row["reasons"] == "; ".join(r.label for r in expected.reasons[new_id])
    assert pd.isna(row["owner"]) and pd.isna(row["latest_update"])
    app.toggle(key="meeting_full_text").set_value(True).run()
    item = next(m.value for m in app.markdown if "unowned" in m.value)
    assert "Owner: none" in item.replace("\\", "")
    assert "**Latest update:** none recorded." in item
    # The wording is shown as typed, not as Markdown.
    assert "\\*unowned\\*" in item and "\\[markup\\]" in item


def test_a_long_briefing_is_capped_and_says_how_many_there_are(
    demo_db, page_app, monkeypatch
) -> None:
    import data_access.queries.committee as committee_queries

    url, _ = demo_db
    expected = max(
        (
            expected_due_back(database_path(url), i, date.today())
            for i in committee_ids(database_path(url)).values()
        ),
        key=lambda e: len(e.reasons),
    )
    cap = 3
    assert len(expected.reasons) > cap
    monkeypatch.setattr(committee_queries, "MAX_ITEMS", cap)
    app = page_app(PAGE, url, {"meeting_committee": expected.name})
    assert not app.exception
    assert len(listed(app)) == cap
    assert metrics(app)["Items due back"] == f"{len(expected.reasons):,}"
    assert any(
        f"Showing the first {cap} of {len(expected.reasons):,} items" in caption.value
        for caption in app.caption
    )


def test_a_briefing_with_many_sources_is_shown_a_page_of_sources_at_a_time(
    demo_db, page_app, monkeypatch
) -> None:
    import views.committee_view as committee_view

    url, _ = demo_db
    expected = max(
        (
            expected_due_back(database_path(url), i, date.today())
            for i in committee_ids(database_path(url)).values()
        ),
        key=lambda e: len(set(e.titles.values())),
    )
    sources = len(set(expected.titles.values()))
    per_page = 2
    assert sources > per_page
    monkeypatch.setattr(committee_view, "SOURCES_PER_PAGE", per_page)
    app = page_app(PAGE, url, {"meeting_committee": expected.name})
    assert not app.exception
    key = f"meeting_sources_from_{expected.committee_id}"
    picker = app.selectbox(key=key)
    assert len(picker.options) == -(-sources // per_page)
    assert picker.options[0] == f"1–{per_page} of {sources} sources"
    shown: dict[tuple[str, str], str] = {}
    for start in range(0, sources, per_page):
        app.selectbox(key=key).set_value(start).run()
        assert not app.exception
        assert len(source_headings(app)) == min(per_page, sources - start)
        shown |= {(row.source_title, row.ref): row.reasons for row in listed(app).itertuples()}
    assert shown == {
        expected.listed_as(rec_id): "; ".join(reason.label for reason in reasons)
        for rec_id, reasons in expected.reasons.items()
    }


# ---------------------------------------------------------------------------------------------
# The items due back, and the all-committees table, as files (CSV and XLSX).


def _exempt_titles(database: str) -> set[str]:
    with sqlite3.connect(database) as db:
        return {
            title
            for (title,) in db.execute("SELECT title FROM sources WHERE confidentiality = 'exempt'")
        }


def _committee_with_exempt_items_due(database: str) -> Expected:
    exempt = _exempt_titles(database)
    for committee_id in committee_ids(database).values():
        expected = expected_due_back(database, committee_id, date.today())
        if set(expected.titles.values()) & exempt:
            return expected
    pytest.skip("no exempt source has items due back in this demo council")


def _items_file(connection, committee_id: int, include_exempt: bool) -> tuple[bytes, bytes]:
    """The CSV and XLSX the page's "Download table" buttons build for the items due back."""
    from exports.table_files import for_download, table_csv, table_xlsx
    from views.committee_view import ITEM_FILE_COLUMNS, items_file_frame

    listing = due_back(connection, Filters(as_at=date.today()), committee_id)
    frame = for_download(items_file_frame(listing.items), include_exempt=include_exempt)
    return (
        table_csv(frame, column_labels=ITEM_FILE_COLUMNS),
        table_xlsx(frame, "Items due back", date.today(), column_labels=ITEM_FILE_COLUMNS),
    )


def test_the_page_offers_the_items_due_back_and_the_all_committees_table_as_files(
    demo_db, page_app
) -> None:
    url, _ = demo_db
    expected = _committee_with_exempt_items_due(database_path(url))
    app = page_app(PAGE, url, {"meeting_committee": expected.name})
    assert not app.exception
    buttons = {button.key: button for button in app.download_button}
    key = f"download_items_due_back_{expected.committee_id}"
    for name in (f"{key}_csv", f"{key}_xlsx", "download_all_committees_csv"):
        assert buttons[name].proto.deferred_file_id, f"{name}: built only on the click"
    include = app.checkbox(key=f"{key}_include_exempt")
    assert include.value is False
    assert any("will be left out of the file" in caption.value for caption in app.caption)


@pytest.mark.parametrize("include_exempt", [False, True])
def test_the_items_due_back_file_lists_them_leaving_exempt_items_out_unless_asked(
    demo_db, include_exempt: bool
) -> None:
    import csv
    import io

    from openpyxl import load_workbook

    url, engine = demo_db
    database = database_path(url)
    expected = _committee_with_exempt_items_due(database)
    exempt_titles = _exempt_titles(database)
    with engine.connect() as connection:
        csv_bytes, xlsx_bytes = _items_file(connection, expected.committee_id, include_exempt)

    rows = list(csv.reader(io.StringIO(csv_bytes.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    source, ref = header.index("Source"), header.index("Ref")
    listed_items = {(row[source], row[ref]) for row in body}
    wanted = {
        expected.listed_as(rec_id)
        for rec_id in expected.reasons
        if include_exempt or expected.titles[rec_id] not in exempt_titles
    }
    assert listed_items == wanted
    assert len(body) == len(wanted)
    if include_exempt:
        marked = {(row[source], row[ref]) for row in body if row[0] == "Exempt (Part 2)"}
        assert marked == {item for item in wanted if item[0] in exempt_titles} != set()
    else:
        assert not {row[source] for row in body} & exempt_titles
        assert "Confidentiality" not in header

    sheet = load_workbook(io.BytesIO(xlsx_bytes)).active
    values = list(sheet.iter_rows(values_only=True))
    header_row = next(i for i, row in enumerate(values, start=1) if row and "Ref" in row)
    assert sheet.freeze_panes == f"A{header_row + 1}"
    headings = list(values[header_row - 1])
    column = headings.index("Target date") + 1
    targets = [
        sheet.cell(r, column).value for r in range(header_row + 1, header_row + 1 + len(body))
    ]
    assert any(isinstance(value, datetime) for value in targets)
    assert all(value is None or isinstance(value, datetime) for value in targets)
    rag_column = headings.index("RAG") + 1
    red = [
        sheet.cell(r, rag_column)
        for r in range(header_row + 1, header_row + 1 + len(body))
        if sheet.cell(r, rag_column).value == "Red"
    ]
    assert red and all(cell.fill.fgColor.rgb.endswith("D4351C") for cell in red)


# ---------------------------------------------------------------------------------------------
# On screen: the table carries what a briefing needs, and fits.

# What a 1280 px laptop with the sidebar open, or an 820 px tablet with it folded, leaves
# for a table (measured in Chromium: 820 px and 788 px).
NARROWEST_TABLE_PX = 788


def test_the_table_on_screen_shows_owner_status_target_and_rag_and_fits(seed_db, page_app) -> None:
    import json

    url, _ = seed_db
    app = page_app(PAGE, url, {"as_at": SEED_AS_AT, "meeting_committee": SEED_COMMITTEE})
    assert not app.exception
    table = app.dataframe[0]
    shown = list(table.proto.column_order)
    config = json.loads(table.proto.columns)
    labels = [config[name]["label"] for name in shown]
    for label in ("Ref", "Recommendation", "Owner", "Status", "Target", "RAG"):
        assert label in labels, labels
    assert "Why due back" in labels  # the pack's header ("Due back because" was cut at 820 px)
    assert any(label.startswith("Latest update") for label in labels)
    # Every column shown has a width, and together they fit without scrolling sideways
    # (the last column used to be cut off).
    widths = [config[name].get("width") for name in shown]
    assert all(isinstance(width, int) for width in widths), dict(zip(shown, widths, strict=True))
    assert sum(widths) <= NARROWEST_TABLE_PX - 4
    # The cells say what the seed says of recommendation 2: owner, status, target, RAG.
    row = table.value.set_index("ref").loc["2"]
    assert row["owner"] == "Sheila Murphy"
    assert row["status"] == Status.IN_PROGRESS.label
    assert row["rag"] in {rag.label for rag in Rag}
    assert row["latest_on_screen"].startswith("12 Feb 2019: ")
    assert "will be reported to the next committee" in row["latest_on_screen"]
