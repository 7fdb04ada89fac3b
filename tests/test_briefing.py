"""The briefing pack as a council report: open what was produced (Word with python-docx, PDF
with pypdf) and check it says what the committee must hear, in the seed report's shape, and
never leaks an exempt item unasked.

Expected items come from the database rows through the pure rules (plain sqlite3 +
domain.replay + domain.rules, with tests/test_next_committee.expected_due_back for the
reasons), never from the queries under test. Each item's row (owner, status, target, RAG and
its reason, why due back, latest update) is worked out here and compared with the Word
tables and with the text of both PDFs (LibreOffice's and Chromium's).
"""

from __future__ import annotations

import io
import re
import shutil
import sqlite3
import subprocess
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import pypdf
import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from sqlalchemy import insert, select, text

from charts.briefing import briefing_charts
from charts.style import RAG_COLOURS, chart_plain_text
from data_access.committee_settings import InvalidReportDetails, save_report_details
from data_access.db import open_tracker
from data_access.filters import Filters
from data_access.models import Officer, ProgressUpdate, Recommendation, Source
from data_access.queries.briefing import briefing_contents, report_details
from data_access.seed import SEED_COMMITTEE
from domain.briefing import REPORT_DETAIL_FIELDS, ReportDetails
from domain.formatting import short_date
from domain.rules import is_overdue, rag_rating
from domain.vocabulary import Acceptance, Status
from exports import briefing_pdf as pdf_module
from exports.briefing_docx import briefing_docx
from exports.briefing_html import briefing_html
from exports.briefing_pdf import CHROMIUM, LIBREOFFICE, PdfUnavailable, briefing_pdf
from exports.briefing_report import (
    EXEMPT_HEADER,
    ITEM_HEADERS,
    SECTION_HEADINGS,
    briefing_file_name,
)
from exports.chromium import chromium_path
from tests.oracle import database_path, items_as_at
from tests.test_next_committee import committee_ids, expected_due_back, latest_update

PAGE = "pages/next_committee.py"
AS_AT = date(2019, 2, 13)  # the day after the seed meeting; next meeting 12 March 2019
EXEMPT_TITLE = "Investigation into a staff grievance (confidential)"
EXEMPT_WORDING = "Review the handling of the grievance raised by the named officer."
DETAILS = ReportDetails(
    item_number="8",
    report_of="Rory Patterson, Corporate Director Children's Services",
    author="Jo Bloggs, Senior Scrutiny Officer",
    contact="Jo Bloggs, 01375 652000, jbloggs@example.gov.uk",
    financial_verified_by="Michelle Hall, Management Accountant",
    legal="Any costs must be met from existing resources.",
    background_papers="Minutes of the 12 February 2019 meeting.",
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def briefing_db(seed_db):
    """The seed, plus an exempt source and a public audit for the same committee, each with
    items due back at the 12 March 2019 meeting (overdue, or targeted before it)."""
    url, engine = seed_db
    committee_id = committee_ids(database_path(url))[SEED_COMMITTEE]
    with engine.begin() as connection:
        owner = connection.execute(
            insert(Officer)
            .values(name="Dana O'Neill", job_title="Head of HR")
            .returning(Officer.id)
        ).scalar_one()

        def source(title: str, confidentiality: str) -> int:
            return connection.execute(
                insert(Source)
                .values(
                    title=title,
                    kind="internal_audit",
                    date_issued=date(2018, 10, 1),
                    response_due_on=date(2018, 12, 1),
                    confidentiality=confidentiality,
                    committee_id=committee_id,
                )
                .returning(Source.id)
            ).scalar_one()

        def recommendation(source_id: int, ref: str, wording: str, target: date) -> None:
            rec_id = connection.execute(
                insert(Recommendation)
                .values(
                    source_id=source_id,
                    committee_id=committee_id,
                    ref=ref,
                    wording=wording,
                    made_on=date(2018, 10, 1),
                    acceptance=Acceptance.ACCEPTED.value,
                    accepted_on=date(2018, 11, 1),
                    owner_id=owner,
                    status=Status.IN_PROGRESS.value,
                    original_target_date=target,
                    current_target_date=target,
                    last_update_on=date(2019, 1, 20),
                )
                .returning(Recommendation.id)
            ).scalar_one()
            connection.execute(
                insert(ProgressUpdate).values(
                    recommendation_id=rec_id,
                    update_date=date(2019, 1, 20),
                    author="Dana O'Neill",
                    narrative=f"Work on {ref} <b>has begun</b> & continues.",
                    new_status=Status.IN_PROGRESS.value,
                )
            )

        exempt = source(EXEMPT_TITLE, "exempt")
        recommendation(exempt, "G1", EXEMPT_WORDING, date(2019, 1, 31))
        recommendation(exempt, "G2", "Brief the panel members in private.", date(2019, 3, 1))
        public = source("Internal audit: payments to care providers", "public")
        recommendation(public, "P1", "Reconcile provider payments monthly.", date(2018, 12, 31))
    return url, engine, committee_id


def _exempt_source_ids(database: str) -> set[int]:
    with sqlite3.connect(database) as db:
        return {i for (i,) in db.execute("SELECT id FROM sources WHERE confidentiality='exempt'")}


def _source_of(database: str) -> dict[int, int]:
    with sqlite3.connect(database) as db:
        return dict(db.execute("SELECT id, source_id FROM recommendations"))


def _expected_refs(database: str, committee_id: int, as_at: date, include_exempt: bool):
    """(title, ref) of every item due back, exempt ones only when included."""
    expected = expected_due_back(database, committee_id, as_at)
    exempt, source_of = _exempt_source_ids(database), _source_of(database)
    return {
        expected.listed_as(rec_id)
        for rec_id in expected.reasons
        if include_exempt or source_of[rec_id] not in exempt
    }


def _expected_rows(
    database: str, committee_id: int, as_at: date, include_exempt: bool
) -> dict[tuple[str, str], tuple[str, ...]]:
    """(source title, ref) -> the item's row as the report must print it: Ref, Recommendation,
    Owner, Status, Target, RAG word, RAG reason, Why due back, and the update row beneath."""
    expected = expected_due_back(database, committee_id, as_at)
    exempt, source_of = _exempt_source_ids(database), _source_of(database)
    items = {item.id: item for item in items_as_at(database, as_at, no_owner="No owner")}
    found = {}
    for rec_id, reasons in expected.reasons.items():
        if source_of[rec_id] in exempt and not include_exempt:
            continue
        item = items[rec_id]
        facts, wording, owner = item.facts, item.wording, item.owner
        rating = rag_rating(facts, as_at)
        latest = latest_update(database, rec_id, as_at)
        update = (
            f"Latest update, {short_date(latest[0])}, {latest[1]}: {latest[2]}"
            if latest
            else "No progress update recorded."
        )
        ref = expected.refs[rec_id] + ("\nExempt" if source_of[rec_id] in exempt else "")
        found[expected.listed_as(rec_id)] = (
            ref,
            wording,
            owner,
            facts.status.label,
            short_date(facts.current_target_date) or "None set",
            rating.rag.label,
            rating.reason,
            "; ".join(reason.label for reason in reasons) + ".",
            update,
        )
    return found


def _open(docx_bytes: bytes):
    return Document(io.BytesIO(docx_bytes))


def _item_tables(document) -> list:
    return [t for t in document.tables if t.rows[0].cells[0].text == ITEM_HEADERS[0]]


def _source_headings(document) -> list[str]:
    """The source titles of section 3, in order ("3.2 Title – EXEMPT (Part 2)" -> "Title")."""
    return [
        p.text.split(" ", 1)[1].removesuffix(" – EXEMPT (Part 2)")
        for p in document.paragraphs
        if p.style.name == "Heading 2" and p.text.startswith("3.")
    ]


def _docx_rows(document) -> dict[tuple[str, str], tuple[str, ...]]:
    """Every item of every items table as (source title, ref) -> its printed row: the seven
    columns (the RAG cell's word and reason apart) and the full-width update row beneath."""
    headings, tables = _source_headings(document), _item_tables(document)
    assert len(tables) == len(headings), "one table under each source heading"
    found = {}
    for title, table in zip(headings, tables, strict=True):
        assert [c.text for c in table.rows[0].cells] == list(ITEM_HEADERS)
        body = table.rows[1:]
        assert len(body) % 2 == 0, "each item row has its update row beneath"
        for item, update in zip(body[::2], body[1::2], strict=True):
            assert len({id(cell._tc) for cell in update.cells}) == 1, "the update is one cell"
            cells = [cell.text for cell in item.cells]
            rag_word, rag_reason = cells[5].split("\n", 1)
            row = (*cells[:5], rag_word, rag_reason, cells[6], update.cells[0].text)
            found[(title, cells[0].removesuffix("\nExempt"))] = row
    return found


def _listed(document) -> set[tuple[str, str]]:
    return set(_docx_rows(document))


def _all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    parts += [p.text for section in document.sections for p in section.header.paragraphs]
    return "\n".join(parts)


def _build(engine, committee_id: int, include_exempt: bool, as_at: date = AS_AT):
    with engine.connect() as connection:
        contents = briefing_contents(connection, Filters(as_at=as_at), committee_id, include_exempt)
    return contents, briefing_charts(contents)


def _no_browser(monkeypatch) -> None:
    """Charts as sentences (fast): the tests of words and tables need no pictures."""
    import exports.chart_files as chart_files

    def refuse(*args, **kwargs):
        raise chart_files.ChartExportUnavailable(
            "Chart images cannot be made on this computer because no Chromium was found."
        )

    monkeypatch.setattr(chart_files, "chart_png", refuse)


# ---------------------------------------------------------------------------------------------
# The Word file.


def test_word_report_has_the_seed_reports_sections_in_order_and_its_masthead(
    briefing_db,
) -> None:
    _, engine, committee_id = briefing_db
    contents, charts = _build(engine, committee_id, include_exempt=False)
    document = _open(briefing_docx(contents, charts, DETAILS))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == list(SECTION_HEADINGS)
    assert headings[1:11] == [
        "1. Recommendation(s)",
        "2. Introduction and background",
        "3. Recommendations due back to this meeting",
        "4. Overdue recommendations and charts",
        "5. Reasons for the recommendation",
        "6. Consultation",
        "7. Impact on corporate policies, priorities, performance and community impact",
        "8. Implications",
        "9. Background papers",
        "10. Appendices",
    ]
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "12 March 2019\tITEM: 8"
    assert paragraphs[1] == SEED_COMMITTEE
    assert paragraphs[2] == f"Progress on recommendations due back to {SEED_COMMITTEE}"
    assert f"Report of: {DETAILS.report_of}" in paragraphs
    assert f"Report author: {DETAILS.author}" in paragraphs
    assert f"Contact officer: {DETAILS.contact}" in paragraphs
    assert "This report is Public" in paragraphs
    implications = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert implications[-4:-1] == ["8.1 Financial", "8.2 Legal", "8.3 Diversity and equality"]
    assert implications[-1].startswith("8.4 Other implications")
    text = _all_text(document)
    assert "Implications verified by: Michelle Hall, Management Accountant" in text
    assert "There are no financial implications arising from this report." in text
    assert DETAILS.legal in text and "There are no legal implications" not in text
    assert "9.1\tMinutes of the 12 February 2019 meeting." in text
    # The background papers name each source the items come from, exempt ones left out.
    assert "Independent investigation into whistleblowing allegations (2018)" in text
    assert "Internal audit: payments to care providers (Internal audit" in text
    assert EXEMPT_TITLE not in text
    # A4 portrait, one section (so the footer and any exempt header are on every page).
    section = document.sections[0]
    assert len(document.sections) == 1
    appendix = next(p for p in document.paragraphs if p.text == SECTION_HEADINGS[-1])
    assert appendix.paragraph_format.page_break_before
    assert not document.element.body.xpath(".//w:br[@w:type='page']")  # no empty-page risk
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith(f"{SEED_COMMITTEE}, 12 March 2019 · Page ")
    instructions = " ".join(node.text for node in footer._p.iter(qn("w:instrText")))
    assert instructions.split() == ["PAGE", "NUMPAGES"]


def test_recommendations_to_the_committee_follow_the_counts(briefing_db) -> None:
    _, engine, committee_id = briefing_db
    contents, charts = _build(engine, committee_id, include_exempt=False)
    document = _open(briefing_docx(contents, charts))
    paragraphs = [p.text for p in document.paragraphs]
    assert (
        "1.1\tThat the Committee notes the progress made in implementing the 3 "
        "recommendations due back to this meeting, set out in section 3."
    ) in paragraphs
    # P1 is overdue (target 31 December 2018); nothing is awaiting sign-off.
    assert any(
        p.startswith("1.2\tThat the Committee considers the 1 overdue recommendation")
        for p in paragraphs
    )
    assert not any("reported as implemented (status" in p for p in paragraphs)
    # Blank details print the standard wording.
    assert "Report of: Scrutiny Officer" in paragraphs
    assert not any(p.startswith("Contact officer") for p in paragraphs)


def test_word_items_tables_match_rows_worked_out_from_the_database(
    briefing_db, monkeypatch
) -> None:
    _no_browser(monkeypatch)
    url, engine, committee_id = briefing_db
    for include_exempt in (False, True):
        contents, charts = _build(engine, committee_id, include_exempt)
        document = _open(briefing_docx(contents, charts))
        expected = _expected_rows(database_path(url), committee_id, AS_AT, include_exempt)
        refs = {ref for _, ref in expected}
        assert refs == ({"2", "3", "P1", "G1", "G2"} if include_exempt else {"2", "3", "P1"})
        assert _docx_rows(document) == expected
    row_2 = expected[("Independent investigation into whistleblowing allegations (2018)", "2")]
    assert row_2[2:4] == ("Sheila Murphy", "In progress")
    assert row_2[8].startswith("Latest update, 12 Feb 2019, Rory Patterson")
    assert "will be reported to the next committee" in row_2[8]


def test_rag_cells_are_coloured_and_carry_their_word(briefing_db, monkeypatch) -> None:
    _no_browser(monkeypatch)
    _, engine, committee_id = briefing_db
    contents, charts = _build(engine, committee_id, include_exempt=False)
    document = _open(briefing_docx(contents, charts))
    words = {value.label: value for value in RAG_COLOURS}
    seen = set()
    for table in _item_tables(document):
        for row in table.rows[1::2][: len(table.rows) // 2]:
            cell = row.cells[5]
            word = cell.text.split("\n")[0]
            fill = cell._tc.tcPr.find(qn("w:shd")).get(qn("w:fill"))
            assert fill == RAG_COLOURS[words[word]].lstrip("#").upper(), word
            seen.add(word)
    assert "Red" in seen  # P1, overdue


def test_counts_are_right_aligned_and_tables_fit_the_page(briefing_db, monkeypatch) -> None:
    _no_browser(monkeypatch)
    _, engine, committee_id = briefing_db
    contents, charts = _build(engine, committee_id, include_exempt=False)
    document = _open(briefing_docx(contents, charts))
    reasons = next(t for t in document.tables if t.rows[0].cells[0].text == "Why due back")
    overdue = next(t for t in document.tables if t.rows[0].cells[0].text == "Directorate")
    for table in (reasons, overdue):
        for row in table.rows:
            for index, cell in enumerate(row.cells):
                aligned = cell.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
                assert aligned == (index > 0), (row.cells[0].text, index)
        assert re.fullmatch(r"[\d,]+", overdue.rows[1].cells[1].text)
    usable = 21.0 - 2 * 2.0
    for table in document.tables:
        width = sum(column.width.cm for column in table.columns)
        assert width <= usable + 0.01, [c.text for c in table.rows[0].cells]


def _schema_order_problems(document) -> list[str]:
    """Children of table, row and cell properties out of the order the Office schema sets
    (ECMA-376 CT_TblPr, CT_TcPr): what makes Word offer to repair a file."""
    orders = {
        "tblPr": [
            "tblStyle",
            "tblpPr",
            "tblOverlap",
            "bidiVisual",
            "tblStyleRowBandSize",
            "tblStyleColBandSize",
            "tblW",
            "jc",
            "tblCellSpacing",
            "tblInd",
            "tblBorders",
            "shd",
            "tblLayout",
            "tblCellMar",
            "tblLook",
        ],
        "tcPr": [
            "cnfStyle",
            "tcW",
            "gridSpan",
            "hMerge",
            "vMerge",
            "tcBorders",
            "shd",
            "noWrap",
            "tcMar",
            "textDirection",
            "tcFitText",
            "vAlign",
            "hideMark",
        ],
    }
    problems = []
    body = document.element.body
    for name, order in orders.items():
        for properties in body.iter(qn(f"w:{name}")):
            tags = [child.tag.split("}")[1] for child in properties]
            positions = [order.index(tag) for tag in tags]
            if positions != sorted(positions):
                problems.append(f"{name}: {tags}")
    return problems


def test_word_file_is_valid_for_word_and_opens_in_libreoffice(
    briefing_db, monkeypatch, tmp_path: Path
) -> None:
    """No repair prompt: table and cell properties in the schema's order, and LibreOffice
    opens and converts the file (skipped where LibreOffice is not installed)."""
    _, engine, committee_id = briefing_db
    contents, charts = _build(engine, committee_id, include_exempt=True)
    data = briefing_docx(contents, charts, DETAILS)
    assert _schema_order_problems(_open(data)) == []
    program = pdf_module.soffice_path()
    if program is None:
        pytest.skip("LibreOffice is not installed here")
    (tmp_path / "pack.docx").write_bytes(data)
    result = subprocess.run(
        [
            program,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "pack.docx"),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "pack.pdf").read_bytes().startswith(b"%PDF")


def test_word_pack_embeds_three_charts_with_their_words_as_alt_text(briefing_db) -> None:
    _, engine, committee_id = briefing_db
    contents, charts = _build(engine, committee_id, include_exempt=False)
    document = _open(briefing_docx(contents, charts))
    shapes = document.inline_shapes
    assert len(shapes) == 3
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    for number, (shape, (_, words), caption) in enumerate(
        zip(shapes, charts, captions, strict=True), start=1
    ):
        assert shape._inline.docPr.get("descr") == words
        assert caption == f"Figure {number}: {words}"
        assert round(shape.width.cm, 1) == 16.0
    assert "3 items due back at the 12 March 2019 meeting" in charts[0][1]


def test_summary_and_introduction_counts_match_the_rules(briefing_db, monkeypatch) -> None:
    _no_browser(monkeypatch)
    url, engine, committee_id = briefing_db
    contents, charts = _build(engine, committee_id, include_exempt=False)
    document = _open(briefing_docx(contents, charts))
    text = _all_text(document)
    database = database_path(url)
    exempt = _exempt_source_ids(database)
    overdue = in_view = 0
    for item in items_as_at(database, AS_AT):
        if item.committee_id != committee_id or item.source_id in exempt:
            continue
        in_view += 1
        facts = item.facts
        overdue += is_overdue(facts, AS_AT)
    assert overdue == 1  # P1 (target 31 December 2018); the seed's items are not overdue
    assert f"The Committee monitors {in_view} recommendations in view" in text
    assert f"{overdue} is overdue" in text
    assert "3 recommendations are due back to this meeting" in text
    reasons = next(t for t in document.tables if t.rows[0].cells[0].text == "Why due back")
    counts = {row.cells[0].text: row.cells[1].text for row in reasons.rows[1:]}
    assert counts["Committed to report back"] == "2"
    assert counts["Overdue"] == "1"
    assert "Since the last meeting on 12 February 2019, none was reported as implemented" in text
    assert "2 exempt (Part 2) recommendations due back are left out of this report" in text


def test_exempt_items_when_asked_are_listed_marked_and_every_page_says_so(
    briefing_db, monkeypatch
) -> None:
    _no_browser(monkeypatch)
    url, engine, committee_id = briefing_db
    contents, charts = _build(engine, committee_id, include_exempt=True)
    document = _open(briefing_docx(contents, charts))
    assert len(document.sections) == 1
    assert document.sections[0].header.paragraphs[0].text == EXEMPT_HEADER
    exempt_refs = {
        row.cells[0].text for table in _item_tables(document) for row in table.rows[1::2]
    } - {"2", "3", "P1"}
    assert exempt_refs == {"G1\nExempt", "G2\nExempt"}
    heading = next(p.text for p in document.paragraphs if EXEMPT_TITLE in p.text)
    assert heading.endswith("– EXEMPT (Part 2)")
    text = _all_text(document)
    assert "not for publication" in text
    assert "This report is Public" not in text
    assert f"{EXEMPT_TITLE} (Internal audit, issued 1 October 2018) – exempt (Part 2)" in text


def test_a_pack_is_made_with_a_sentence_for_each_chart_when_no_browser_can_draw(
    briefing_db, monkeypatch
) -> None:
    _no_browser(monkeypatch)
    _, engine, committee_id = briefing_db
    contents, charts = _build(engine, committee_id, include_exempt=False)
    document = _open(briefing_docx(contents, charts))
    assert len(document.inline_shapes) == 0
    text = _all_text(document)
    assert text.count("Chart images cannot be made on this computer") == 3
    for _, words in charts:
        assert words in text  # the chart's content still reaches the reader


def test_file_names_sort_by_meeting_date_and_are_safe(briefing_db) -> None:
    _, engine, committee_id = briefing_db
    public, _ = _build(engine, committee_id, include_exempt=False)
    exempt, _ = _build(engine, committee_id, include_exempt=True)
    assert briefing_file_name(public, "docx") == "2019-03-12 Children's Services OSC briefing.docx"
    assert briefing_file_name(exempt, "pdf") == (
        "2019-03-12 Children's Services OSC briefing EXEMPT.pdf"
    )
    odd = type(public)(**{**public.__dict__, "committee": 'Audit: "Risk" / Governance?'})
    assert briefing_file_name(odd, "docx") == "2019-03-12 Audit Risk Governance briefing.docx"


def test_demo_council_pack_for_the_busiest_committee_matches_the_rules(
    demo_db, monkeypatch
) -> None:
    _no_browser(monkeypatch)
    url, engine = demo_db
    database = database_path(url)
    today = date.today()
    busiest = max(
        committee_ids(database).values(),
        key=lambda i: len(expected_due_back(database, i, today).reasons),
    )
    for include_exempt in (False, True):
        contents, charts = _build(engine, busiest, include_exempt, as_at=today)
        document = _open(briefing_docx(contents, charts))
        expected = _expected_rows(database, busiest, today, include_exempt)
        assert len(expected) > 10
        assert _docx_rows(document) == expected


# ---------------------------------------------------------------------------------------------
# The HTML page Chromium prints.


def test_html_rendering_escapes_text_from_the_database_and_the_clerk(briefing_db) -> None:
    _, engine, committee_id = briefing_db
    contents, charts = _build(engine, committee_id, include_exempt=False)
    hostile = ReportDetails(report_of="<script>alert(1)</script>", contact='"}</style><b>x')
    html = briefing_html(contents, charts, hostile, images=[(None, w, "no") for _, w in charts])
    assert "<b>has begun</b>" not in html and "&lt;b&gt;has begun&lt;/b&gt; &amp;" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "</style><b>" not in html
    assert EXEMPT_WORDING not in html and "@top-center" not in html
    style = html[html.index("<style>") : html.index("</style>")]
    assert f'content: "{SEED_COMMITTEE}, 12 March 2019 · Page " counter(page)' in style


def test_html_keeps_each_source_heading_and_line_with_its_table(briefing_db) -> None:
    """Chromium breaks pages where CSS lets it: each source's heading and line must not be
    left at a page's foot with the table overleaf, nor an item split from its update."""
    _, engine, committee_id = briefing_db
    contents, charts = _build(engine, committee_id, include_exempt=False)
    html = briefing_html(contents, charts, images=[(None, w, "no") for _, w in charts])
    style = html[html.index("<style>") : html.index("</style>")]
    assert re.search(r"h3 \{[^}]*break-after: avoid", style)
    assert re.search(r"p\.keep \{[^}]*break-after: avoid", style)
    assert re.search(r"tbody\.item \{[^}]*break-inside: avoid", style)
    blocks = re.findall(r"</h3>\s*(<p[^>]*>)[^<]*</p>\s*(<table)", html)
    assert len(blocks) == len(contents.groups) > 0
    assert all(opening == '<p class="keep">' for opening, _ in blocks)


# ---------------------------------------------------------------------------------------------
# The PDF: the same report from either program.


def _pdf_pages(pdf: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [unicodedata.normalize("NFKC", page.extract_text()) for page in reader.pages]


def _squeezed(text: str) -> str:
    """Text with every space and line break gone: table cells wrap differently in each
    program, but their words come out in the same order."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _body_text(pages: list[str], committee: str) -> str:
    """The pages' text without their furniture (footer, exempt header, repeated table header
    rows), squeezed, so a row that runs onto the next page still reads as one."""
    furniture = [
        re.escape(_squeezed(f"{committee}, 12 March 2019 · Page")) + rf"\d+of{len(pages)}",
        re.escape(_squeezed(EXEMPT_HEADER)),
        re.escape(_squeezed(" ".join(ITEM_HEADERS))),
    ]
    body = "".join(_squeezed(page) for page in pages)
    return re.sub("|".join(furniture), "", body)


def _in_order(text: str, parts: list[str]) -> list[str]:
    """The parts not found in `text` in the given order (each after the one before)."""
    missing, at = [], 0
    for part in parts:
        found = text.find(part, at)
        if found < 0:
            missing.append(part)
        else:
            at = found + len(part)
    return missing


@pytest.mark.parametrize("engine_name", [LIBREOFFICE, CHROMIUM])
@pytest.mark.parametrize("include_exempt", [False, True])
def test_pdf_says_what_the_word_file_says(
    briefing_db, engine_name: str, include_exempt: bool
) -> None:
    """Both PDFs against the Word file and the database: every section heading in order,
    every source in order and each of its rows (all seven columns, then the update) read in
    sequence; the committee and "Page N of M" at the foot of every page; the exempt header on
    every page when exempt items are included, and no exempt word when they are not."""
    if engine_name == LIBREOFFICE and pdf_module.soffice_path() is None:
        pytest.skip("LibreOffice is not installed here (CI prints the PDF with Chromium)")
    if engine_name == CHROMIUM and chromium_path() is None:
        pytest.skip("Chromium is not installed here")
    url, engine, committee_id = briefing_db
    contents, charts = _build(engine, committee_id, include_exempt)
    pages = _pdf_pages(briefing_pdf(contents, charts, DETAILS, engine=engine_name))
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert f"{SEED_COMMITTEE}, 12 March 2019 · Page {number} of {len(pages)}" in " ".join(
            page.split()
        )
        assert (EXEMPT_HEADER in " ".join(page.split())) == include_exempt
    body = _body_text(pages, SEED_COMMITTEE)
    assert _in_order(body, [_squeezed(h) for h in SECTION_HEADINGS]) == []

    document = _open(briefing_docx(contents, charts, DETAILS))
    expected = _expected_rows(database_path(url), committee_id, AS_AT, include_exempt)
    assert _docx_rows(document) == expected
    titles = _source_headings(document)
    parts = []
    for title in titles:
        parts.append(_squeezed(title))
        for (source, _), row in expected.items():
            if source == title:
                parts += [_squeezed("".join(row[:8])), _squeezed(row[8])]
    assert _in_order(body, parts) == []
    if not include_exempt:
        assert "EXEMPT" not in body and _squeezed(EXEMPT_TITLE) not in body
    for line in ("ITEM: 8", f"Contact officer: {DETAILS.contact}", "8.1 Financial"):
        assert _squeezed(line) in body


def _lowest_text(page) -> float:
    """How far down the page its lowest line of body text reaches, as a share of the height
    (the footer, in the bottom margin, not counted)."""
    height = float(page.mediabox.height)
    lowest = [height]

    def visit(text, cm, tm, font, size):
        y = tm[5] * cm[3] + cm[5] if cm else tm[5]
        if text.strip() and y > height * 0.06:
            lowest.append(y)

    page.extract_text(visitor_text=visit)
    return 1 - min(lowest) / height


@pytest.mark.parametrize("engine_name", [LIBREOFFICE, CHROMIUM])
def test_pages_are_filled_before_the_appendix(demo_db, engine_name: str, monkeypatch) -> None:
    """No half-empty page: in the demo council's busiest pack every page before the
    appendix's own page runs at least to its lower third (a page ends early only where a
    kept-whole row, table start or figure would not fit)."""
    if engine_name == LIBREOFFICE and pdf_module.soffice_path() is None:
        pytest.skip("LibreOffice is not installed here")
    if engine_name == CHROMIUM and chromium_path() is None:
        pytest.skip("Chromium is not installed here")
    _no_browser(monkeypatch)
    url, engine = demo_db
    database = database_path(url)
    today = date.today()
    busiest = max(
        committee_ids(database).values(),
        key=lambda i: len(expected_due_back(database, i, today).reasons),
    )
    contents, charts = _build(engine, busiest, False, as_at=today)
    pdf = briefing_pdf(contents, charts, DETAILS, engine=engine_name)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    reached = [_lowest_text(page) for page in reader.pages]
    # The page before the appendix ends where the report does; the appendix is last.
    assert reached[0] > 0.75, f"page 1 reaches only {reached[0]:.0%} of the page"
    # The last page of the report proper holds at least section 10 whole, never a stray line.
    body_lines = [
        [line for line in page.extract_text().splitlines() if "· Page" not in line]
        for page in reader.pages
    ]
    assert min(len(lines) for lines in body_lines) >= 4, body_lines[-2]
    assert any(line.startswith("10. Appendices") for line in body_lines[-2])
    short = [(n, f"{r:.0%}") for n, r in enumerate(reached[:-2], start=1) if r < 0.66]
    assert short == []


def test_no_pdf_program_says_so_clearly(briefing_db, monkeypatch) -> None:
    _, engine, committee_id = briefing_db
    contents, charts = _build(engine, committee_id, include_exempt=False)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    assert pdf_module.pdf_engine() is None
    with pytest.raises(PdfUnavailable) as problem:
        briefing_pdf(contents, charts)
    message = str(problem.value)
    assert "cannot be made on this computer" in message
    assert "Nothing was made" in message and "Word" in message


# ---------------------------------------------------------------------------------------------
# The clerk's details, remembered per committee.


def _settings_rows(database: str) -> list[tuple]:
    with sqlite3.connect(database) as db:
        return db.execute(
            "SELECT committee_id, item_number, report_of, contact, financial "
            "FROM committee_report_settings ORDER BY committee_id"
        ).fetchall()


def test_details_are_saved_per_committee_and_read_back(briefing_db) -> None:
    url, engine, committee_id = briefing_db
    with engine.begin() as connection:
        other = connection.execute(
            text("INSERT INTO committees (name) VALUES ('Audit Committee') RETURNING id")
        ).scalar_one()
        save_report_details(connection, committee_id, DETAILS)
        save_report_details(connection, other, ReportDetails(item_number="5"))
    with engine.connect() as connection:
        assert report_details(connection, committee_id) == DETAILS
        assert report_details(connection, other) == ReportDetails(item_number="5")
    # Saving again replaces the committee's row; blanks are stored as NULL (the defaults).
    with engine.begin() as connection:
        save_report_details(connection, committee_id, ReportDetails(item_number=" 9 "))
    assert _settings_rows(database_path(url)) == [
        (committee_id, "9", None, None, None),
        (other, "5", None, None, None),
    ]


@pytest.mark.parametrize(
    "details, words",
    [
        (ReportDetails(item_number="1" * 21), "“Agenda item number” is 21 characters long"),
        (ReportDetails(contact="Jo\nBloggs"), "“Contact officer” must be one line"),
        (ReportDetails(financial="x" * 4001), "at most 4,000 fit"),
    ],
)
def test_bad_details_are_refused_and_nothing_changes(briefing_db, details, words) -> None:
    url, engine, committee_id = briefing_db
    with engine.begin() as connection:
        save_report_details(connection, committee_id, DETAILS)
    before = _settings_rows(database_path(url))
    with pytest.raises(InvalidReportDetails) as refused, engine.begin() as connection:
        save_report_details(connection, committee_id, details)
    assert words in str(refused.value)
    assert _settings_rows(database_path(url)) == before
    with (
        pytest.raises(InvalidReportDetails, match="no committee number 999"),
        engine.begin() as connection,
    ):
        save_report_details(connection, 999, ReportDetails())
    assert _settings_rows(database_path(url)) == before


def test_an_older_database_gains_the_settings_table_empty(seed_db) -> None:
    """A database made before the table (and before migrations) gets it, empty, from the
    upgrade (`python -m data_access.migrate`, docs/migrations.md)."""
    from data_access.migrate import upgrade_database
    from tests.schema_support import as_made_before_migrations

    url, engine = seed_db
    engine.dispose()
    as_made_before_migrations(
        Path(url.removeprefix("sqlite:///")), drop=("committee_report_settings",)
    )
    upgrade_database(url)
    reopened, _ = open_tracker(url)
    with reopened.connect() as connection:
        assert report_details(connection, 1) == ReportDetails()
    reopened.dispose()


def test_every_detail_has_a_form_field_and_defaults_for_the_sections() -> None:
    names = [field.name for field in REPORT_DETAIL_FIELDS]
    assert len(names) == len(set(names))
    blank = ReportDetails()
    for name in ("reasons", "consultation", "corporate_policies", "financial", "legal"):
        assert blank.printed(name), name
    assert blank.printed("item_number") == "" and blank.printed("report_of") == "Scrutiny Officer"


# ---------------------------------------------------------------------------------------------
# The page.


def _pack_buttons(app) -> list:
    """The pack's download buttons (the page's tables have their own CSV and XLSX)."""
    return [button for button in app.download_button if button.key.startswith("briefing_")]


def test_next_committee_page_remembers_the_details_and_builds_the_word_file(
    briefing_db, page_app, monkeypatch
) -> None:
    from views.briefing_view import detail_key

    _no_browser(monkeypatch)
    url, _, committee_id = briefing_db
    app = page_app(PAGE, url, {"as_at": AS_AT.isoformat()})
    assert not app.exception
    key = detail_key("report_of", committee_id)
    assert app.text_input(key=key).value == "Scrutiny Officer"
    assert app.text_area(key=detail_key("financial", committee_id)).value == (
        "There are no financial implications arising from this report."
    )
    assert app.checkbox(key="briefing_include_exempt").value is False
    assert any("2 exempt (Part 2) items due back will be left out" in c.value for c in app.caption)
    assert not _pack_buttons(app)
    assert not app.warning

    app.text_input(key=key).set_value("Jo Bloggs")
    app.text_input(key=detail_key("item_number", committee_id)).set_value("8")
    app.text_area(key=detail_key("legal", committee_id)).set_value("Costs met from budgets.")
    app.button(key="briefing_save_details").click().run()
    assert not app.exception
    assert any("Saved for this committee" in s.value for s in app.success)
    assert _settings_rows(database_path(url)) == [(committee_id, "8", "Jo Bloggs", None, None)]

    app.button(key="briefing_build_word").click().run(timeout=60)
    assert not app.exception
    name = "2019-03-12 Children's Services OSC briefing.docx"
    assert _pack_buttons(app)[0].label == f"Download Word: {name}"
    document = _open(app.session_state["_briefing_built"]["docx"].data)
    text = _all_text(document)
    assert "Report of: Jo Bloggs" in text and "Costs met from budgets." in text
    assert document.paragraphs[0].text == "12 March 2019\tITEM: 8"
    expected = _expected_rows(database_path(url), committee_id, AS_AT, False)
    assert _docx_rows(document) == expected

    # A fresh session reads the saved details back into the form.
    again = page_app(PAGE, url, {"as_at": AS_AT.isoformat()})
    assert again.text_input(key=key).value == "Jo Bloggs"

    # Ticking "include exempt" warns, and the file built before is no longer offered.
    app.checkbox(key="briefing_include_exempt").check().run()
    assert any(EXEMPT_HEADER in w.value for w in app.warning)
    assert not _pack_buttons(app)
    app.button(key="briefing_build_word").click().run(timeout=60)
    assert _pack_buttons(app)[0].label.endswith("briefing EXEMPT.docx")
    document = _open(app.session_state["_briefing_built"]["docx"].data)
    assert document.sections[0].header.paragraphs[0].text == EXEMPT_HEADER


def test_too_long_details_are_refused_on_the_page_and_nothing_is_saved(
    briefing_db, page_app
) -> None:
    from views.briefing_view import detail_key

    url, _, committee_id = briefing_db
    app = page_app(PAGE, url, {"as_at": AS_AT.isoformat()})
    # Pasted text with a line break into a one-line field (a text input keeps what it is given).
    app.text_input(key=detail_key("contact", committee_id)).set_value("Jo\nBloggs")
    app.button(key="briefing_save_details").click().run()
    assert not app.exception
    assert any("must be one line" in e.value for e in app.error)
    assert _settings_rows(database_path(url)) == []


def test_next_committee_page_builds_the_pdf(briefing_db, page_app, monkeypatch) -> None:
    if pdf_module.pdf_engine() is None:
        pytest.skip("no PDF program here")
    _no_browser(monkeypatch)
    url, _, _ = briefing_db
    app = page_app(PAGE, url, {"as_at": AS_AT.isoformat()})
    app.button(key="briefing_build_pdf").click().run(timeout=90)
    assert not app.exception
    assert _pack_buttons(app)[0].label.endswith("briefing.pdf")
    pages = _pdf_pages(app.session_state["_briefing_built"]["pdf"].data)
    assert pages and EXEMPT_TITLE not in " ".join(pages)
    assert "1. Recommendation(s)" in " ".join(pages)


def test_no_pack_when_nothing_is_due_back(seed_db, page_app) -> None:
    url, _ = seed_db
    app = page_app(PAGE, url, {"as_at": (date(2019, 2, 12) - timedelta(days=1)).isoformat()})
    assert not app.exception
    assert not app.button
    assert any("Nothing is due back" in info.value for info in app.info)


def test_chart_figures_carry_the_counts(briefing_db) -> None:
    _, engine, committee_id = briefing_db
    contents, charts = _build(engine, committee_id, include_exempt=False)
    reasons, rag, ageing = (figure for figure, _ in charts)
    assert list(reasons.data[0].x) == [number for _, number in contents.counts.by_reason]
    assert [trace.x[0] for trace in rag.data] == [number for _, number in contents.rag_counts]
    assert sum(ageing.data[0].y) == contents.counts.overdue == 1
    for figure in (reasons, rag, ageing):
        title = chart_plain_text(figure.layout.title.text)
        assert title.endswith("as at 13 February 2019")
        assert SEED_COMMITTEE in title
    with engine.connect() as connection:
        stored = connection.execute(select(Source.title)).scalars().all()
    assert EXEMPT_TITLE in stored  # the fixture does hold an exempt source


# -- a quiet committee: nothing or one item due back (seen in the packs of a 1- and 3-item
# tracker rendered to PDF and looked at page by page) --------------------------------------


def _quiet_contents(due_back: int, overdue: int, slipped: int, groups: tuple = ()):
    from domain.briefing import BriefingContents, ExecutiveCounts
    from domain.settings import AGEING_BUCKET_LABELS
    from domain.vocabulary import RAG_ORDER

    reasons = (("Committed to report back", 0), ("Target date on or before the meeting", due_back))
    return BriefingContents(
        committee_id=1,
        committee="Audit Committee",
        as_at=date(2026, 12, 4),
        next_meeting=date(2026, 12, 15),
        previous_meeting=None,
        counts=ExecutiveCounts(
            recommendations=3,
            open=3,
            due_back=due_back,
            by_reason=reasons,
            implemented_since_last_meeting=0,
            overdue=overdue,
            slipped=slipped,
        ),
        groups=groups,
        rag_counts=tuple((rag.label, 0) for rag in RAG_ORDER),
        overdue_by_bucket=tuple((bucket, 0) for bucket in AGEING_BUCKET_LABELS),
        overdue_by_directorate=(),
        filter_lines=(),
        include_exempt=False,
        exempt_due_back=0,
    )


def _report_text(contents) -> tuple[str, list]:
    from exports.briefing_report import briefing_report

    report = briefing_report(contents, [], images=[])
    paragraphs = [block for block in report.blocks if type(block).__name__ == "Paragraph"]
    text = " ".join(
        f"{block.number} {block.text}" if block.number else block.text for block in paragraphs
    )
    return text, report.blocks


def test_a_pack_with_nothing_due_back_says_so_in_words_not_noughts() -> None:
    text, blocks = _report_text(_quiet_contents(due_back=0, overdue=0, slipped=0))
    assert (
        "No recommendation is due back to the 15 December 2026 meeting of the Audit Committee, "
        "as at 4 December 2026; none of the Committee's recommendations is overdue."
    ) in text
    assert "So far (no earlier meeting is recorded), none was reported as implemented." in text
    assert "None is overdue and none has slipped" in text
    assert "No recommendation is due back to this meeting." in text
    assert not re.search(r"\b0 (recommendations|reported|were|are|of|have)\b", text), text
    # No table of noughts, and no "reports listed below" when none is listed.
    assert not [block for block in blocks if type(block).__name__ == "Table"]
    assert "9.1 None." in text and "listed below" not in text


def test_a_pack_with_one_item_agrees_its_verbs_with_one() -> None:
    text, _ = _report_text(_quiet_contents(due_back=1, overdue=1, slipped=1))
    assert "1 is overdue and 1 has slipped" in text
    assert "none reported as implemented and awaiting the Committee's sign-off" in text
    assert "1 recommendation is due back to this meeting" in text
