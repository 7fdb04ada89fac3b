"""The briefing pack: open what was produced (Word with python-docx, PDF with pypdf) and
check it says what the committee must hear, and never leaks an exempt item unasked.

Expected items come from the database rows through the pure rules
(tests/test_next_committee.expected_due_back: plain sqlite3 + domain.replay + domain.rules),
never from the queries under test.
"""

from __future__ import annotations

import io
import shutil
import sqlite3
from datetime import date, timedelta

import pypdf
import pytest
from docx import Document
from docx.shared import Pt
from sqlalchemy import insert, select

from charts.briefing import briefing_charts
from data_access.filters import Filters
from data_access.models import Officer, ProgressUpdate, Recommendation, Source
from data_access.queries.briefing import briefing_contents
from data_access.seed import SEED_COMMITTEE
from domain.replay import replay
from domain.rules import RecommendationFacts, is_overdue
from domain.vocabulary import Acceptance, Status
from exports import briefing_pdf as pdf_module
from exports.briefing_docx import (
    EXEMPT_HEADER,
    ITEM_HEADERS,
    briefing_docx,
    briefing_file_name,
)
from exports.briefing_html import briefing_html
from exports.briefing_pdf import CHROMIUM, LIBREOFFICE, PdfUnavailable, briefing_pdf
from tests.oracle import day, update_facts_by_recommendation
from tests.test_next_committee import committee_ids, expected_due_back

PAGE = "pages/next_committee.py"
AS_AT = date(2019, 2, 13)  # the day after the seed meeting; next meeting 12 March 2019
EXEMPT_TITLE = "Investigation into a staff grievance (confidential)"
EXEMPT_WORDING = "Review the handling of the grievance raised by the named officer."
SECTION_HEADINGS = [
    "1. Executive summary",
    "2. Items due back",
    "3. Overdue summary",
    "4. Charts",
    "Appendix: filters used",
]

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _path(url: str) -> str:
    return url.removeprefix("sqlite:///")


@pytest.fixture
def briefing_db(seed_db):
    """The seed, plus an exempt source and a public audit for the same committee, each with
    items due back at the 12 March 2019 meeting (overdue, or targeted before it)."""
    url, engine = seed_db
    committee_id = committee_ids(_path(url))[SEED_COMMITTEE]
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


def _open(docx_bytes: bytes):
    return Document(io.BytesIO(docx_bytes))


def _item_tables(document) -> list:
    return [t for t in document.tables if t.rows[0].cells[0].text == ITEM_HEADERS[0]]


def _listed(document) -> set[tuple[str, str]]:
    """(source heading, ref) of every row of every items table, read from the document."""
    headings = [
        p.text.split(" ", 1)[1].removesuffix(" – EXEMPT (Part 2)")
        for p in document.paragraphs
        if p.style.name == "Heading 2"
    ]
    tables = _item_tables(document)
    assert len(tables) == len(headings), "one table under each source heading"
    return {
        (title, row.cells[0].text.removesuffix("\nExempt"))
        for title, table in zip(headings, tables, strict=True)
        for row in table.rows[1:]
    }


def _all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    parts += [p.text for section in document.sections for p in section.header.paragraphs]
    return "\n".join(parts)


def _build(engine, committee_id: int, include_exempt: bool, as_at: date = AS_AT):
    with engine.connect() as connection:
        contents = briefing_contents(connection, Filters(as_at=as_at), committee_id, include_exempt)
    return contents, briefing_charts(contents)


# ---------------------------------------------------------------------------------------------
# The Word file.


def test_word_pack_lists_every_public_item_due_back_and_leaves_exempt_ones_out(
    briefing_db,
) -> None:
    url, engine, committee_id = briefing_db
    contents, charts = _build(engine, committee_id, include_exempt=False)
    document = _open(briefing_docx(contents, charts, report_of="Jo Bloggs, Scrutiny Officer"))

    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == SECTION_HEADINGS
    expected = _expected_refs(_path(url), committee_id, AS_AT, include_exempt=False)
    assert {ref for _, ref in expected} == {"2", "3", "P1"}
    assert _listed(document) == expected
    rows = sum(len(table.rows) - 1 for table in _item_tables(document))
    assert rows == len(expected)

    text = _all_text(document)
    assert EXEMPT_TITLE not in text and EXEMPT_WORDING not in text
    assert EXEMPT_HEADER not in text
    assert "2 exempt (Part 2) items due back are left out of this report" in text
    assert "This report is Public" in text
    assert "Report of: Jo Bloggs, Scrutiny Officer" in text
    assert "12 March 2019" in document.paragraphs[0].text
    assert f"Progress on recommendations due back to {SEED_COMMITTEE}" in text
    # A4 portrait, and the latest update of recommendation 2 printed with its date.
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert "will be reported to the next committee" in text
    assert "12 Feb 2019" in text


def test_word_pack_embeds_three_charts_with_their_words_as_alt_text(briefing_db) -> None:
    _, engine, committee_id = briefing_db
    contents, charts = _build(engine, committee_id, include_exempt=False)
    document = _open(briefing_docx(contents, charts))
    shapes = document.inline_shapes
    assert len(shapes) == 3
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    for shape, (_, words), caption in zip(shapes, charts, captions, strict=True):
        assert shape._inline.docPr.get("descr") == words
        assert caption == f"Figure {captions.index(caption) + 1}: {words}"
        assert round(shape.width.cm, 1) == 16.0
    # The reasons chart's words carry the counts the executive summary gives.
    assert "3 items due back at the 12 March 2019 meeting" in charts[0][1]


def test_executive_summary_counts_match_the_rules(briefing_db) -> None:
    url, engine, committee_id = briefing_db
    contents, charts = _build(engine, committee_id, include_exempt=False)
    text = _all_text(_open(briefing_docx(contents, charts)))
    # Overdue among the committee's public items, worked out from the rows.
    database = _path(url)
    exempt, updates = _exempt_source_ids(database), None
    with sqlite3.connect(database) as db:
        rows = db.execute(
            "SELECT id, source_id, original_target_date, made_on FROM recommendations "
            "WHERE committee_id = ?",
            (committee_id,),
        ).fetchall()
        updates = update_facts_by_recommendation(db)
    overdue = 0
    for rec_id, source_id, original, made_on in rows:
        if source_id in exempt or day(made_on) > AS_AT:
            continue
        state = replay(day(original), updates.get(rec_id, []), AS_AT)
        facts = RecommendationFacts(
            status=state.status,
            made_on=day(made_on),
            original_target_date=day(original),
            current_target_date=state.current_target_date,
            revision_count=state.revision_count,
            last_update_on=state.last_update_on,
        )
        overdue += is_overdue(facts, AS_AT)
    assert overdue == 1  # P1 (target 31 December 2018); the seed's items are not overdue
    assert f"Overdue in all: {overdue}." in text
    assert "Items due back: 3, because" in text
    assert "Committed to report back: 2" in text
    assert "Implemented since the last meeting on 12 February 2019: 0." in text


def test_exempt_items_when_asked_are_listed_marked_and_every_page_says_so(briefing_db) -> None:
    url, engine, committee_id = briefing_db
    contents, charts = _build(engine, committee_id, include_exempt=True)
    document = _open(briefing_docx(contents, charts))
    expected = _expected_refs(_path(url), committee_id, AS_AT, include_exempt=True)
    assert {ref for _, ref in expected} == {"2", "3", "P1", "G1", "G2"}
    assert _listed(document) == expected
    # One section, so its header is on every page.
    assert len(document.sections) == 1
    assert document.sections[0].header.paragraphs[0].text == EXEMPT_HEADER
    exempt_refs = {
        row.cells[0].text for table in _item_tables(document) for row in table.rows[1:]
    } - {"2", "3", "P1"}
    assert exempt_refs == {"G1\nExempt", "G2\nExempt"}
    heading = next(p.text for p in document.paragraphs if EXEMPT_TITLE in p.text)
    assert heading.endswith("– EXEMPT (Part 2)")
    text = _all_text(document)
    assert "not for publication" in text
    assert "This report is Public" not in text


def test_a_pack_is_made_with_a_sentence_for_each_chart_when_no_browser_can_draw(
    briefing_db, monkeypatch
) -> None:
    import exports.chart_files as chart_files

    _, engine, committee_id = briefing_db
    contents, charts = _build(engine, committee_id, include_exempt=False)

    def no_browser(*args, **kwargs):
        raise chart_files.ChartExportUnavailable(
            "Chart images cannot be made on this computer because no Chromium was found."
        )

    monkeypatch.setattr(chart_files, "chart_png", no_browser)
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


def test_demo_council_pack_for_the_busiest_committee_matches_the_rules(demo_db) -> None:
    url, engine = demo_db
    database = _path(url)
    today = date.today()
    busiest = max(
        committee_ids(database).values(),
        key=lambda i: len(expected_due_back(database, i, today).reasons),
    )
    for include_exempt in (False, True):
        contents, charts = _build(engine, busiest, include_exempt, as_at=today)
        document = _open(briefing_docx(contents, charts))
        expected = _expected_refs(database, busiest, today, include_exempt)
        assert len(expected) > 10
        assert _listed(document) == expected
        assert sum(len(t.rows) - 1 for t in _item_tables(document)) == len(expected)
        assert len(document.inline_shapes) == 3


def test_html_rendering_escapes_text_from_the_database(briefing_db) -> None:
    _, engine, committee_id = briefing_db
    contents, _ = _build(engine, committee_id, include_exempt=False)
    html = briefing_html(contents, [], [], report_of="<script>alert(1)</script>")
    assert "<b>has begun</b>" not in html and "&lt;b&gt;has begun&lt;/b&gt; &amp;" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert EXEMPT_WORDING not in html and "@top-center" not in html


def test_html_keeps_each_source_heading_and_line_with_its_table(briefing_db) -> None:
    """Chromium breaks pages where CSS lets it: each source's heading and line must not be
    left at a page's foot with the table overleaf, nor the appendix split."""
    import re

    _, engine, committee_id = briefing_db
    contents, _ = _build(engine, committee_id, include_exempt=False)
    html = briefing_html(contents, [], [])
    style = html[html.index("<style>") : html.index("</style>")]
    assert re.search(r"h3 \{[^}]*break-after: avoid", style)
    assert re.search(r"p\.source \{[^}]*break-after: avoid", style)
    assert re.search(r"\.appendix \{[^}]*break-inside: avoid", style)
    blocks = re.findall(r"</h3>(<p[^>]*>)[^<]*</p>(<table)", html)
    assert len(blocks) == len(contents.groups) > 0
    assert all(opening == '<p class="source">' for opening, _ in blocks)
    assert '<section class="appendix"><h2>Appendix: filters used</h2>' in html


# ---------------------------------------------------------------------------------------------
# The PDF.


def _pdf_pages(pdf: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [page.extract_text() for page in reader.pages]


@pytest.mark.parametrize("engine_name", [CHROMIUM, LIBREOFFICE])
def test_pdf_says_the_committee_and_marks_every_page_when_exempt(
    briefing_db, engine_name: str
) -> None:
    if engine_name == LIBREOFFICE and pdf_module.soffice_path() is None:
        pytest.skip("LibreOffice is not installed here (CI prints the PDF with Chromium)")
    if engine_name == CHROMIUM and pdf_module.chromium_path() is None:
        pytest.skip("Chromium is not installed here")
    _, engine, committee_id = briefing_db
    contents, charts = _build(engine, committee_id, include_exempt=False)
    pages = _pdf_pages(briefing_pdf(contents, charts, engine=engine_name))
    text = " ".join(" ".join(page.split()) for page in pages)
    assert pages
    assert SEED_COMMITTEE.replace("'", "") in text.replace("'", "").replace("’", "")
    assert "EXEMPT" not in text and EXEMPT_TITLE not in text

    contents, charts = _build(engine, committee_id, include_exempt=True)
    pages = _pdf_pages(briefing_pdf(contents, charts, engine=engine_name))
    assert len(pages) > 1
    for page in pages:
        assert EXEMPT_HEADER in " ".join(page.split())
    text = " ".join(" ".join(page.split()) for page in pages)
    assert "G1 Exempt" in text and EXEMPT_WORDING[:40] in text


def test_word_pack_reads_as_a_paper_headings_never_stranded_from_what_follows(
    briefing_db,
) -> None:
    """What LibreOffice and Word lay out: table headings at the tables' size (so "Overdue"
    and "Longest" fit their columns whole), each source's heading and line kept with its
    table, each chart with its caption, the appendix together, the footer on one line."""
    _, engine, committee_id = briefing_db
    contents, charts = _build(engine, committee_id, include_exempt=False)
    document = _open(briefing_docx(contents, charts))

    overdue_table = next(t for t in document.tables if t.rows[0].cells[0].text == "Directorate")
    for table in (overdue_table, _item_tables(document)[0]):
        for cell in table.rows[0].cells:
            sizes = [run.font.size for run in cell.paragraphs[0].runs if run.text]
            assert sizes == [Pt(9.5)], cell.text
    paragraphs = document.paragraphs
    for index, paragraph in enumerate(paragraphs):
        if paragraph.style.name == "Heading 2":
            source_line = paragraphs[index + 1]
            assert "item" in source_line.text and "due back" in source_line.text
            assert source_line.paragraph_format.keep_with_next, source_line.text
        if paragraph._p.xpath(".//pic:pic"):
            assert paragraph.paragraph_format.keep_with_next
            assert paragraphs[index + 1].text.startswith("Figure ")
    appendix = next(i for i, p in enumerate(paragraphs) if p.text.startswith("Appendix"))
    lines = paragraphs[appendix + 1 : -1]
    assert lines and all(p.paragraph_format.keep_with_next for p in lines)
    assert "Source: Recommendation Tracker, as at 13 February 2019" in [p.text for p in lines]
    footer_runs = document.sections[0].footer.paragraphs[0].runs
    assert footer_runs and all(run.font.size.pt <= 9 for run in footer_runs)


def test_word_pack_laid_out_by_libreoffice_keeps_words_whole(briefing_db) -> None:
    if pdf_module.soffice_path() is None:
        pytest.skip("LibreOffice is not installed here")
    _, engine, committee_id = briefing_db
    contents, charts = _build(engine, committee_id, include_exempt=False)
    pages = _pdf_pages(briefing_pdf(contents, charts, engine=LIBREOFFICE))
    words = {word for page in pages for word in page.split()}
    assert {"Overdue", "Longest"} <= words, "a table heading was broken mid-word"
    first_page_lines = pages[0].splitlines()
    assert any("Committee, 12 March 2019 · Page 1 of" in line for line in first_page_lines)


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
# The page.


def _pack_buttons(app) -> list:
    """The pack's download buttons (the page's tables have their own CSV and XLSX)."""
    return [button for button in app.download_button if button.key.startswith("briefing_")]


def test_next_committee_page_offers_the_pack_and_builds_the_word_file(
    briefing_db, page_app
) -> None:
    url, _, committee_id = briefing_db
    app = page_app(PAGE, url, {"as_at": AS_AT.isoformat()})
    assert not app.exception
    assert app.text_input(key="briefing_report_of").value == "Scrutiny Officer"
    assert app.checkbox(key="briefing_include_exempt").value is False
    assert any("2 exempt (Part 2) items due back will be left out" in c.value for c in app.caption)
    assert not _pack_buttons(app)
    # The page's own list is unchanged by the pack's controls.
    assert not app.warning

    app.text_input(key="briefing_report_of").set_value("Jo Bloggs").run()
    app.button(key="briefing_build_word").click().run(timeout=60)
    assert not app.exception
    assert len(_pack_buttons(app)) == 1
    name = "2019-03-12 Children's Services OSC briefing.docx"
    assert _pack_buttons(app)[0].label == f"Download Word: {name}"
    built = app.session_state["_briefing_built"]["docx"]
    document = _open(built.data)
    assert "Report of: Jo Bloggs" in _all_text(document)
    assert _listed(document) == _expected_refs(_path(url), committee_id, AS_AT, False)

    # Ticking "include exempt" warns, and the file built before is no longer offered.
    app.checkbox(key="briefing_include_exempt").check().run()
    assert any(EXEMPT_HEADER in w.value for w in app.warning)
    assert not _pack_buttons(app)
    app.button(key="briefing_build_word").click().run(timeout=60)
    assert _pack_buttons(app)[0].label.endswith("briefing EXEMPT.docx")
    document = _open(app.session_state["_briefing_built"]["docx"].data)
    assert document.sections[0].header.paragraphs[0].text == EXEMPT_HEADER


def test_next_committee_page_builds_the_pdf(briefing_db, page_app) -> None:
    if pdf_module.pdf_engine() is None:
        pytest.skip("no PDF program here")
    url, _, _ = briefing_db
    app = page_app(PAGE, url, {"as_at": AS_AT.isoformat()})
    app.button(key="briefing_build_pdf").click().run(timeout=90)
    assert not app.exception
    assert _pack_buttons(app)[0].label.endswith("briefing.pdf")
    pages = _pdf_pages(app.session_state["_briefing_built"]["pdf"].data)
    assert pages and EXEMPT_TITLE not in " ".join(pages)


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
        assert figure.layout.title.text.endswith("as at 13 February 2019")
        assert SEED_COMMITTEE in figure.layout.title.text
    with engine.connect() as connection:
        stored = connection.execute(select(Source.title)).scalars().all()
    assert EXEMPT_TITLE in stored  # the fixture does hold an exempt source
