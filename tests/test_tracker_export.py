"""Export a source as a tracker, and import it back: nothing changes. The template is every
column with an example row, and imports as one recommendation."""

from __future__ import annotations

import io
import sqlite3
from datetime import date

import openpyxl
import pytest
from sqlalchemy import select

from data_access.import_tracker import ImportOptions, Outcome, apply_import, plan_import
from data_access.models import Recommendation, Source
from data_access.queries.tracker import export_marking, tracker_frame
from data_access.seed import SEED_SOURCE_TITLE
from data_access.writes import UpdateDraft, add_update
from exports.tracker_file import (
    EXPORT_HEADERS,
    template_frame,
    template_xlsx,
    to_csv,
    to_xlsx,
)
from importing.spreadsheet import read_tracker
from tests.test_import_tracker import database_rows

HEADERS = (
    "Ref", "Recommendation", "Lead officer", "Directorate", "Priority", "Accepted",
    "Target date", "Revised target date", "Status", "RAG", "Update", "Update date", "Evidence",
    "Committee",
)  # fmt: skip


def test_export_shows_the_seed_as_a_tracker(seed_db):
    _, engine = seed_db
    with engine.connect() as conn:
        source_id = conn.execute(select(Source.id)).scalar_one()
        frame = tracker_frame(conn, source_id, as_at=date(2026, 11, 26))
    assert tuple(frame.columns) == HEADERS
    assert list(frame["Ref"]) == ["1", "2", "3", "4", "5", "6"]
    by_ref = frame.set_index("Ref")
    assert by_ref.loc["2", "Status"] == "In progress"
    assert by_ref.loc["1", "Status"] == "Closed"
    assert by_ref.loc["2", "Update date"] == date(2019, 2, 12)
    assert by_ref.loc["2", "Update"].endswith("will be reported to the next committee.")


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_export_then_import_changes_nothing(seed_db, kind):
    _, engine = seed_db
    with engine.connect() as conn:
        source_id = conn.execute(select(Source.id)).scalar_one()
        frame = tracker_frame(conn, source_id)
    data = to_xlsx(frame, title=SEED_SOURCE_TITLE) if kind == "xlsx" else to_csv(frame)
    before = database_rows(engine)
    parsed = read_tracker(data, f"export.{kind}")
    with engine.begin() as conn:
        # No source named: the xlsx title row names it; the CSV is matched by --source.
        options = ImportOptions(source_title=None if kind == "xlsx" else SEED_SOURCE_TITLE)
        plan = plan_import(conn, parsed, options)
        assert plan.source_id == source_id
        assert plan.counts == {Outcome.NEW: 0, Outcome.CHANGED: 0, Outcome.UNCHANGED: 6}
        result = apply_import(conn, plan)
    assert result.updates_written == 0
    assert database_rows(engine) == before


def test_every_demo_source_round_trips(demo_db):
    """Revised targets, every status and acceptance, owners and evidence: all read back."""
    _, engine = demo_db
    with engine.connect() as conn:
        source_ids = conn.execute(select(Source.id)).scalars().all()
        for source_id in source_ids:
            # Exempt sources only when asked, and then their files carry the marking.
            frame = tracker_frame(conn, source_id, include_exempt=True)
            marking = export_marking(conn, source_id)
            for data, name in (
                (to_xlsx(frame, marking=marking), "t.xlsx"),
                (to_csv(frame, marking=marking), "t.csv"),
            ):
                plan = plan_import(
                    conn, read_tracker(data, name), ImportOptions(source_id=source_id)
                )
                assert plan.can_apply, (source_id, name, plan.problems[:2])
                assert plan.counts[Outcome.UNCHANGED] == len(frame), (source_id, name)


def test_formula_like_text_is_neutralised_and_read_back(empty_db):
    _, engine = empty_db
    wording = '=HYPERLINK("http://example.org","click")'
    options = ImportOptions(
        source_title="Audit of payments", committee="Audit Committee", date_issued=date(2025, 1, 6)
    )
    data = to_csv(template_frame().assign(Recommendation=wording, Update="-5% spend"))
    assert b"'=HYPERLINK" in data and b"'-5% spend" in data
    parsed = read_tracker(data, "audit.csv")
    with engine.begin() as conn:
        apply_import(conn, plan_import(conn, parsed, options))
    with sqlite3.connect(engine.url.database) as db:
        assert db.execute("SELECT wording FROM recommendations").fetchone() == (wording,)
        assert db.execute("SELECT narrative FROM progress_updates").fetchone() == ("-5% spend",)
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx(template_frame().assign(Update=wording))))
    cell = workbook.active.cell(row=2, column=HEADERS.index("Update") + 1)
    assert cell.value == wording and cell.data_type == "s"  # text, never a formula


def test_template_has_every_column_and_imports_as_one_recommendation(empty_db):
    _, engine = empty_db
    assert EXPORT_HEADERS == HEADERS
    workbook = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    sheet = workbook.worksheets[0]
    assert tuple(cell.value for cell in sheet[1]) == HEADERS
    assert sheet.max_row == 2
    assert workbook.sheetnames[1] == "How to fill it in"
    parsed = read_tracker(template_xlsx(), "template.xlsx")
    options = ImportOptions(
        source_title="Whistleblowing review",
        committee="Corporate Overview and Scrutiny Committee",
        date_issued=date(2026, 10, 1),
        today=date(2026, 11, 26),
    )
    with engine.begin() as conn:
        result = apply_import(conn, plan_import(conn, parsed, options))
    assert result.created == 1
    with sqlite3.connect(engine.url.database) as db:
        row = db.execute(
            "SELECT r.ref, r.priority, r.acceptance, r.status, r.original_target_date, o.name, "
            "d.name FROM recommendations r JOIN officers o ON o.id = r.owner_id "
            "JOIN directorates d ON d.id = r.directorate_id"
        ).fetchone()
    assert row == (
        "1", "high", "accepted", "in_progress", "2027-03-31", "Jane Smith", "Corporate Services",
    )  # fmt: skip


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_text_that_starts_with_an_apostrophe_round_trips(seed_db, kind):
    """An update quoting a phrase ("'Quick wins' agreed") is exported and read back as it is:
    the apostrophe the CSV export adds before formula-like text is the only one removed."""
    _, engine = seed_db
    quoted = "'Quick wins' agreed with the board"
    with engine.begin() as conn:
        source_id = conn.execute(select(Source.id)).scalar_one()
        recommendation_id = conn.execute(
            select(Recommendation.id).where(Recommendation.ref == "2")
        ).scalar_one()
        add_update(
            conn,
            recommendation_id,
            UpdateDraft(update_date=date(2026, 11, 20), author="Sam Officer", narrative=quoted),
        )
    with engine.connect() as conn:
        frame = tracker_frame(conn, source_id)
    data = to_xlsx(frame, title=SEED_SOURCE_TITLE) if kind == "xlsx" else to_csv(frame)
    if kind == "csv":
        assert b"''Quick wins'" in data  # escaped like formula-like text
    parsed = read_tracker(data, f"export.{kind}")
    (row,) = [row for row in parsed.rows if row.ref == "2"]
    assert row.update == quoted
    before = database_rows(engine)
    with engine.begin() as conn:
        plan = plan_import(conn, parsed, ImportOptions(source_id=source_id))
        assert plan.counts == {Outcome.NEW: 0, Outcome.CHANGED: 0, Outcome.UNCHANGED: 6}
        apply_import(conn, plan)
    assert database_rows(engine) == before


def test_a_hand_made_csv_keeps_a_quoted_phrase_and_drops_the_formula_guard():
    data = (
        b"Ref,Recommendation,Update\n"
        b"1,'Quick wins' first,'=SUM(A1:A3) is not run\n"
        b"2,'-5% spend,''Tell us once' launched\n"
    )
    rows = {row.ref: row for row in read_tracker(data, "hand.csv").rows}
    assert rows["1"].wording == "'Quick wins' first"
    assert rows["1"].update == "=SUM(A1:A3) is not run"
    assert rows["2"].wording == "-5% spend"
    assert rows["2"].update == "'Tell us once' launched"
