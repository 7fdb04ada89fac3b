"""Table files as an officer opens them: the XLSX in openpyxl, the CSV as a spreadsheet
would read it, and exempt (Part 2) rows left out unless asked for, then marked.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from datetime import date, datetime

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import select, update

from data_access.filters import Filters
from data_access.models import Source
from data_access.queries import slipped_and_stale
from data_access.queries.register import register_page
from data_access.queries.tracker import export_filename
from domain.cell_text import unguard_cell
from exports.naming import file_name
from exports.table_files import (
    EXEMPT_BANNER,
    for_download,
    table_csv,
    table_xlsx,
)

AS_AT = date(2026, 11, 26)
LABELS = {
    "ref": {"label": "Ref"},
    "wording": "Recommendation",
    "rag": "RAG",
    "current_target_date": {"label": "Current target"},
    "days_overdue": "Days overdue",
}
GOVUK_RAG = {"Red": "D4351C", "Amber": "F47738", "Green": "00703C", "Blue (complete)": "1D70B8"}


def _frame() -> pd.DataFrame:
    """Four recommendations, one from an exempt (Part 2) source, two with formula-like text."""
    frame = pd.DataFrame(
        {
            "ref": ["R1", "R2", "AFI 3", "-4"],
            "wording": [
                '=HYPERLINK("http://evil.example","click")',
                "Publish the home care charges (£12.40 an hour) for Ysgol Gymraeg café",
                "+Review the Part 2 contract",
                "@SUM(A1:A2)",
            ],
            "rag": ["Red", "Amber", "Green", "Blue (complete)"],
            "current_target_date": ["2026-03-31", "2026-10-01", None, "2025-12-31"],
            "days_overdue": [240, 56, 0, 330],
            "is_exempt": [False, False, True, False],
        }
    )
    frame["current_target_date"] = pd.to_datetime(frame["current_target_date"])
    return frame


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _sheet(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def _header_row(sheet) -> int:
    return next(row for row in range(1, 12) if sheet.cell(row, 1).value == "Ref")


# CSV ----------------------------------------------------------------------------------------


def test_csv_neutralises_formulas_and_keeps_pounds_and_accents() -> None:
    rows = _csv_rows(table_csv(for_download(_frame()), column_labels=LABELS))
    assert rows[0] == ["Ref", "Recommendation", "RAG", "Current target", "Days overdue"]
    by_ref = {row[0]: row for row in rows[1:]}
    assert by_ref["R1"][1] == '\'=HYPERLINK("http://evil.example","click")'
    assert by_ref["'-4"][1] == "'@SUM(A1:A2)"  # a ref that starts with "-" too
    assert "£12.40" in by_ref["R2"][1] and "café" in by_ref["R2"][1]
    assert by_ref["R1"][3] == "2026-03-31"
    assert by_ref["R1"][4] == "240"  # numbers stay numbers
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_csv_leaves_exempt_rows_out_unless_asked_and_then_marks_each() -> None:
    public = _csv_rows(table_csv(for_download(_frame()), column_labels=LABELS))
    assert [row[0] for row in public[1:]] == ["R1", "R2", "'-4"]
    assert "Confidentiality" not in public[0]

    marked = _csv_rows(table_csv(for_download(_frame(), include_exempt=True), column_labels=LABELS))
    assert marked[0][0] == "Confidentiality"
    by_ref = {row[1]: row[0] for row in marked[1:]}
    assert by_ref == {
        "R1": "Public",
        "R2": "Public",
        "AFI 3": "Exempt (Part 2)",
        "'-4": "Public",
    }


# XLSX ---------------------------------------------------------------------------------------


def test_xlsx_has_a_frozen_header_real_dates_and_coloured_rag() -> None:
    frame = for_download(_frame())
    sheet = _sheet(table_xlsx(frame, "Overdue recommendations", AS_AT, column_labels=LABELS))
    header = _header_row(sheet)
    assert sheet.freeze_panes == f"A{header + 1}"
    assert [c.value for c in sheet[header]][:5] == [
        "Ref",
        "Recommendation",
        "RAG",
        "Current target",
        "Days overdue",
    ]
    assert "Overdue recommendations" in sheet["A1"].value
    texts = [sheet.cell(row, 1).value for row in range(1, sheet.max_row + 1)]
    assert "Source: Recommendation Tracker, as at 26 November 2026" in texts

    first = header + 1
    target = sheet.cell(first, 4)
    assert isinstance(target.value, datetime | date)  # a real date, not text
    day = target.value.date() if isinstance(target.value, datetime) else target.value
    assert day == date(2026, 3, 31)
    assert "mmm" in target.number_format
    assert sheet.cell(first, 5).value == 240 and sheet.cell(first, 5).data_type == "n"

    for row in range(first, first + len(frame)):
        rag = sheet.cell(row, 3)
        assert rag.value in GOVUK_RAG  # the word stays in the cell
        assert rag.fill.fgColor.rgb.endswith(GOVUK_RAG[rag.value])

    wording = sheet.column_dimensions["B"].width
    assert wording > sheet.column_dimensions["A"].width  # widths follow the content
    assert wording <= 60


def test_xlsx_text_that_looks_like_a_formula_is_text() -> None:
    sheet = _sheet(table_xlsx(for_download(_frame()), "Overdue", AS_AT, column_labels=LABELS))
    header = _header_row(sheet)
    cell = sheet.cell(header + 1, 2)
    assert cell.value.startswith("=HYPERLINK")
    assert cell.data_type == "s"


def test_xlsx_with_exempt_items_says_so_in_title_sheet_banner_and_rows() -> None:
    frame = for_download(_frame(), include_exempt=True)
    workbook = openpyxl.load_workbook(
        io.BytesIO(table_xlsx(frame, "Overdue recommendations", AS_AT, column_labels=LABELS))
    )
    sheet = workbook.active
    assert sheet.title.startswith("EXEMPT")
    assert "exempt" in sheet["A1"].value.lower()
    banner = next(row for row in range(1, 10) if sheet.cell(row, 1).value == EXEMPT_BANNER)
    assert sheet.cell(banner, 1).fill.fgColor.rgb.endswith("D4351C")
    header = next(r for r in range(1, 12) if sheet.cell(r, 1).value == "Confidentiality")
    marks = {
        sheet.cell(row, 2).value: sheet.cell(row, 1).value
        for row in range(header + 1, header + 1 + len(frame))
    }
    assert marks["AFI 3"] == "Exempt (Part 2)" and marks["R1"] == "Public"

    public = _sheet(table_xlsx(for_download(_frame()), "Overdue", AS_AT, column_labels=LABELS))
    assert not public.title.startswith("EXEMPT")
    values = [c.value for row in public.iter_rows() for c in row]
    assert EXEMPT_BANNER not in values and "AFI 3" not in values


def test_file_names_sort_by_date_and_are_safe() -> None:
    assert (
        file_name(date(2026, 12, 8), "Children's Services OSC briefing", "docx")
        == "2026-12-08 Children's Services OSC briefing.docx"
    )
    assert file_name(AS_AT, 'Overdue: "Place" / Finance?', "csv") == (
        "2026-11-26 Overdue Place Finance.csv"
    )
    names = [file_name(date(2026, m, 1), "Pack", "docx") for m in (11, 2, 12)]
    assert sorted(names) == [names[1], names[0], names[2]]


def test_csv_guards_a_leading_apostrophe_so_the_import_reads_the_text_back() -> None:
    """One guard for every CSV: text that begins with an apostrophe gets one more, which is
    the one the tracker import removes, so "'Quick wins' agreed" reads back as written."""
    frame = pd.DataFrame({"ref": ["1", "2"], "update": ["'Quick wins' agreed", "+44 phone"]})
    rows = _csv_rows(table_csv(frame))
    assert [row[1] for row in rows[1:]] == ["''Quick wins' agreed", "'+44 phone"]
    assert [unguard_cell(row[1]) for row in rows[1:]] == ["'Quick wins' agreed", "+44 phone"]


def test_the_tracker_file_is_named_by_the_same_rule_as_every_download(seed_db) -> None:
    _, engine = seed_db
    title = 'Audit: "Payments" / £ costs?'
    with engine.begin() as conn:
        source_id = conn.execute(select(Source.id)).scalar_one()
        conn.execute(update(Source).where(Source.id == source_id).values(title=title))
        name = export_filename(conn, source_id, "xlsx")
    assert name == "Audit Payments £ costs.xlsx"
    assert file_name(AS_AT, title, "xlsx") == f"{AS_AT.isoformat()} {name}"


# Real listings ------------------------------------------------------------------------------


def _exempt_refs(url: str) -> set[tuple[str, str]]:
    """(ref, source title) of every recommendation from an exempt source, read directly."""
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        return set(
            db.execute(
                "SELECT r.ref, s.title FROM recommendations r JOIN sources s "
                "ON s.id = r.source_id WHERE s.confidentiality = 'exempt'"
            ).fetchall()
        )


def test_listings_know_their_exempt_rows(demo_db) -> None:
    url, engine = demo_db
    exempt = _exempt_refs(url)
    assert exempt, "the demo council should hold exempt sources"
    with engine.connect() as connection:
        page = register_page(connection, Filters(as_at=date.today()))
        stale = slipped_and_stale.stale_recommendations(connection, Filters(as_at=date.today()))
    for frame in (page.rows, stale.rows):
        flagged = {
            (ref, source)
            for ref, source, is_exempt in zip(
                frame["ref"], frame["source"], frame["is_exempt"], strict=True
            )
            if is_exempt
        }
        listed = set(zip(frame["ref"], frame["source"], strict=True))
        assert flagged == exempt & listed
    assert page.rows["is_exempt"].any()

    rows = _csv_rows(table_csv(for_download(page.rows)))
    sources = {row[2] for row in rows[1:]}
    assert not sources & {source for _, source in exempt}
    assert len(rows) - 1 == len(page.rows) - int(page.rows["is_exempt"].sum())


def test_overdue_page_offers_table_and_chart_downloads(demo_db, page_app) -> None:
    url, _ = demo_db
    app = page_app("pages/overdue.py", url)
    assert not app.exception
    buttons = app.get("download_button")
    labels = [button.proto.label for button in buttons]
    assert labels.count("CSV") == 3 and labels.count("Excel (XLSX), formatted") == 3
    assert labels.count("PNG for print (16 cm, 300 dpi)") == 1
    assert all(button.proto.deferred_file_id for button in buttons)  # built on the click

    boxes = [box for box in app.checkbox if box.label == "Include exempt (Part 2) items"]
    assert boxes, "the demo council has overdue items from exempt sources"
    assert any("left out of the file" in caption.value for caption in app.caption)
    boxes[0].check().run()
    assert any("include exempt" in warning.value for warning in app.warning)


@pytest.mark.parametrize("include", [False, True])
def test_exempt_listing_rows_follow_the_choice(demo_db, include: bool) -> None:
    url, engine = demo_db
    with engine.connect() as connection:
        page = register_page(connection, Filters(as_at=date.today()))
    frame = for_download(page.rows, include_exempt=include)
    assert "is_exempt" not in frame.columns
    exempt_count = int(page.rows["is_exempt"].sum())
    if include:
        assert len(frame) == len(page.rows)
        assert (frame["confidentiality"] == "Exempt (Part 2)").sum() == exempt_count
    else:
        assert len(frame) == len(page.rows) - exempt_count
