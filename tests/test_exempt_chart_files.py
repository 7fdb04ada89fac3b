"""Files that leave the dashboard never carry exempt (Part 2) items unless a cleared person
asks: chart files never name an exempt source, nor a directorate only exempt items have; the
"Overdue items by owner" download leaves out an owner only exempt items have; "Download a
source as a tracker" offers no exempt source by default (issue 10)."""

from __future__ import annotations

import io
import sqlite3
from datetime import date

import openpyxl
import pandas as pd
import pytest

from charts.overview import (
    EXEMPT_DIRECTORATE,
    EXEMPT_SOURCE,
    rag_by_directorate_figure,
    rag_by_directorate_text,
    status_by_source_figure,
    status_by_source_text,
    without_exempt_directorates,
    without_exempt_titles,
)
from data_access import names, writes
from data_access.filters import Filters
from data_access.import_tracker import ImportOptions, Outcome, plan_import
from data_access.queries import overdue_items
from data_access.queries.overview import rag_by_directorate, status_by_source
from data_access.queries.tracker import (
    EXEMPT_MARKING,
    ExemptSourceRefused,
    export_choices,
    export_filename,
    export_marking,
    tracker_frame,
)
from data_access.seed import SEED_COMMITTEE
from data_access.writes import NewRecommendation, NewSource
from domain.people import Person, Role
from domain.vocabulary import Confidentiality, SourceKind
from exports.table_files import for_download, table_csv
from exports.tracker_file import to_csv, to_xlsx
from importing.spreadsheet import read_tracker


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


# --- Issue 10: the two routes that leaked ----------------------------------------------------

EXEMPT_TITLE = "Investigation into procurement fraud at the waste depot (Part 2)"
EXEMPT_ONLY_DIRECTORATE = "Counter Fraud Investigations"
EXEMPT_ONLY_OWNER = "Quinn Exempt-Only"
UNCLEARED = Person(
    identity="viewer@example.gov.uk",
    display_name="A viewer",
    role=Role.VIEWER,
    cleared_for_exempt=False,
    signed_in=True,
)


@pytest.fixture
def exempt_db(seed_db):
    """The seed plus the newest source, exempt (Part 2): one overdue recommendation owned
    by an officer, in a directorate, that no public item has."""
    url, engine = seed_db
    with engine.begin() as conn:
        committee = names.committee_id(conn, SEED_COMMITTEE)
        source = writes.add_source(
            conn,
            NewSource(
                title=EXEMPT_TITLE,
                kind=SourceKind.INTERNAL_AUDIT,
                date_issued=date(2025, 6, 1),
                committee_id=committee,
                confidentiality=Confidentiality.EXEMPT,
            ),
        )
        directorate = names.directorate_id(conn, EXEMPT_ONLY_DIRECTORATE)
        writes.add_recommendation(
            conn,
            NewRecommendation(
                source_id=source,
                committee_id=committee,
                ref="F1",
                wording="Suspend the depot's purchasing cards pending the police inquiry.",
                made_on=date(2025, 6, 1),
                owner_id=names.officer_id(conn, EXEMPT_ONLY_OWNER, directorate_id=directorate),
                directorate_id=directorate,
                original_target_date=date(2025, 9, 30),
            ),
        )
    return url, engine, source


def _words_of(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False)


def test_rag_by_directorate_files_do_not_name_a_directorate_only_exempt_items_have(
    exempt_db,
) -> None:
    _, engine, _ = exempt_db
    filters = Filters(as_at=date(2026, 1, 15))
    with engine.connect() as conn:
        by_rag = rag_by_directorate(conn, filters)
    # On screen the officer (cleared) sees it; the counts say which rows are exempt.
    shown = by_rag[by_rag["directorate"] == EXEMPT_ONLY_DIRECTORATE]
    assert shown["recommendations"].sum() == shown["exempt"].sum() == 1
    assert by_rag.loc[by_rag["directorate"] != EXEMPT_ONLY_DIRECTORATE, "exempt"].sum() == 0

    for_files = without_exempt_directorates(by_rag)
    everything = rag_by_directorate_figure(for_files, filters.as_at).to_json()
    everything += rag_by_directorate_text(for_files, filters.as_at)
    assert EXEMPT_ONLY_DIRECTORATE not in everything
    assert EXEMPT_DIRECTORATE in everything
    assert for_files["recommendations"].sum() == by_rag["recommendations"].sum()
    # The seed's public directorate keeps its name.
    assert set(by_rag["directorate"]) - {EXEMPT_ONLY_DIRECTORATE} <= set(for_files["directorate"])


def test_overdue_by_owner_download_leaves_out_an_owner_only_exempt_items_have(exempt_db) -> None:
    _, engine, _ = exempt_db
    with engine.connect() as conn:
        overview = overdue_items.overdue_overview(conn, Filters(as_at=date(2026, 1, 15)))
    rows = overview.by_owner.rows
    flagged = dict(zip(rows["owner"], rows["is_exempt"], strict=True))
    assert flagged[EXEMPT_ONLY_OWNER] is True or flagged[EXEMPT_ONLY_OWNER] == 1
    assert not any(value for owner, value in flagged.items() if owner != EXEMPT_ONLY_OWNER)
    public_file = table_csv(for_download(rows))
    assert EXEMPT_ONLY_OWNER.encode() not in public_file
    assert EXEMPT_ONLY_DIRECTORATE.encode() not in public_file
    marked = table_csv(for_download(rows, include_exempt=True))
    assert EXEMPT_ONLY_OWNER.encode() in marked and b"Exempt (Part 2)" in marked


def test_an_exempt_source_is_not_offered_as_a_tracker_unless_asked(exempt_db) -> None:
    _, engine, exempt_source = exempt_db
    with engine.connect() as conn:
        public = export_choices(conn)
        everything = export_choices(conn, include_exempt=True)
        newest_first = list(everything)
        assert newest_first[0] == exempt_source, "the exempt source is the newest"
        assert exempt_source not in public and list(public)[0] != exempt_source
        assert "exempt" in everything[exempt_source].lower()
        with pytest.raises(ExemptSourceRefused):
            tracker_frame(conn, exempt_source)
        name = export_filename(conn, exempt_source, "xlsx")
        assert "procurement" not in name.lower() and "not for publication" in name
        frame = tracker_frame(conn, exempt_source, include_exempt=True)
        marking = export_marking(conn, exempt_source)
        assert marking == EXEMPT_MARKING
        for data, file in (
            (to_csv(frame, marking=marking), "exempt.csv"),
            (to_xlsx(frame, title=EXEMPT_TITLE, marking=marking), "exempt.xlsx"),
        ):
            assert marking.encode() in data or file.endswith("xlsx")
            plan = plan_import(
                conn,
                read_tracker(data, file),
                ImportOptions(source_id=exempt_source if file.endswith("csv") else None),
            )
            assert plan.source_id == exempt_source, file  # the xlsx finds it by its title row
            assert plan.counts[Outcome.UNCHANGED] == 1, file
        sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(frame, title=EXEMPT_TITLE,
                                                           marking=marking))).active  # fmt: skip
        assert sheet["A1"].value == EXEMPT_MARKING


@pytest.fixture
def offered_files(monkeypatch) -> dict[str, bytes]:
    """Every file the page offers, by name, built as a click would build it."""
    import streamlit
    from streamlit.delta_generator import DeltaGenerator

    offered: dict[str, bytes] = {}
    original = DeltaGenerator.download_button

    def recording(self, label, data, file_name=None, *args, **kwargs):
        offered[file_name] = data() if callable(data) else data
        return original(self, label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", recording)
    main = streamlit.download_button.__self__
    monkeypatch.setattr(
        streamlit, "download_button", lambda *args, **kwargs: recording(main, *args, **kwargs)
    )
    return offered


def test_the_import_page_downloads_no_exempt_source_by_default(
    exempt_db, page_app, offered_files
) -> None:
    url, _, _ = exempt_db
    app = page_app("pages/import_tracker.py", url)
    assert not app.exception
    (box,) = [s for s in app.selectbox if s.label == "Source"]
    assert box.options and all("procurement" not in option.lower() for option in box.options)
    assert box.value != exempt_db[2]
    assert offered_files, "the page offers the template and the chosen source's tracker"
    for name, data in offered_files.items():
        assert "procurement" not in name.lower() and "exempt" not in name.lower()
        assert b"procurement" not in data.lower() and b"Suspend the depot" not in data
    offered_files.clear()
    # Cleared (the embedded user) and asked: offered, marked, named without its title.
    (include,) = [c for c in app.checkbox if c.label == "Include exempt (Part 2) items"]
    include.check().run()
    (box,) = [s for s in app.selectbox if s.label == "Source"]
    box.set_value(exempt_db[2]).run()
    assert not app.exception
    assert any("exempt (Part 2)" in w.value for w in app.warning)
    exempt_files = {n: d for n, d in offered_files.items() if "not for publication" in n}
    assert {name.rsplit(".", 1)[1] for name in exempt_files} == {"csv", "xlsx"}
    assert not [name for name in offered_files if "procurement" in name.lower()]
    csv_file = next(d for n, d in exempt_files.items() if n.endswith(".csv"))
    assert EXEMPT_MARKING.encode() in csv_file and b"Suspend the depot" in csv_file


def test_a_person_not_cleared_is_never_offered_exempt_items(exempt_db, page_app, monkeypatch):
    url, _, _ = exempt_db
    monkeypatch.setattr("ui.downloads.current_person", lambda: UNCLEARED)
    monkeypatch.setattr("views.import_tracker_view.current_person", lambda: UNCLEARED)
    app = page_app("pages/import_tracker.py", url)
    assert not app.exception
    assert not [c for c in app.checkbox if "exempt" in c.label.lower()]
    overdue = page_app("pages/overdue.py", url, {"as_at": "2026-01-15"})
    assert not overdue.exception
    assert not [c for c in overdue.checkbox if "exempt" in c.label.lower()]
    assert any("left out of the file" in caption.value for caption in overdue.caption)
