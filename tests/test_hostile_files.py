"""Hostile and malformed files (issue 10), the fast part of `python -m bench --reliability`.

Every kind of file in `bench.hostile_files` is given to the command that reads it, as an
officer would: refused ones must exit 1 (or 2) with a message naming the file and what was
wrong, leave the whole database as it was, and never show a traceback; the others must be
read. The bombs (small files that are huge once opened) run in a process of their own, each
measured for peak memory (<= 500 MB) and processor time (<= 10 s). Specific tests then check
what an officer relies on with values worked out by hand: the row far below the blank rows
is imported, the UTF-16 file's cells are read, look-alike refs are reported.
"""

from __future__ import annotations

import csv
import io
import shutil
import sqlite3
from pathlib import Path

import pytest

from bench import hostile_files, reliability
from bench.hostile_files import CALENDAR, READ, REFUSED, REPORT, TRACKER, Case
from domain.text_rules import storable_problem, without_invisible
from importing.spreadsheet import read_sheet, read_tracker
from importing.spreadsheet_types import UnreadableFile

CASES = hostile_files.cases()
# Files that take a few seconds to make or read even though they are not bombs: the bench
# tries them; the suite keeps to the quick ones.
SLOW_TO_MAKE = {"csv-too-big", "txt-too-big", "pdf-large-text-stream", "xlsx-far-last-row"}
# Bombs measured in a child process in the suite (the others are in the bench only): one of
# each kind of resource they attack.
MEASURED_BOMBS = ("xlsx-huge-cell", "xlsx-two-million-rows", "docx-bomb", "pdf-stream-bomb")


def _main(command: str):
    if command == TRACKER:
        from cli.import_tracker import main
    elif command == REPORT:
        from cli.report_import import main
    else:
        from cli.import_calendar import main
    return main


def _dump(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        return "\n".join(connection.iterdump())
    finally:
        connection.close()


@pytest.fixture(scope="module")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return reliability.make_template_database(tmp_path_factory.mktemp("hostile"))


@pytest.fixture
def tracker_database(seeded_template: Path, tmp_path: Path) -> Path:
    """A copy of a database holding the seed report (made once, copied for each test)."""
    path = tmp_path / "tracker.db"
    shutil.copy(seeded_template, path)
    return path


def _run(case: Case, folder: Path, database: Path, monkeypatch, capsys) -> tuple[int, str]:
    file = folder / case.filename
    file.write_bytes(case.make())
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")
    arguments = reliability.command_for(case, file)[5:]  # after "python -X utf8 -m MODULE"
    code = _main(case.command)(arguments)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_the_report_tries_at_least_80_kinds_with_unique_names() -> None:
    kinds = [case.kind for case in CASES]
    assert len(kinds) >= 80
    assert len(set(kinds)) == len(kinds)
    assert {case.command for case in CASES} == {TRACKER, REPORT, CALENDAR}


@pytest.mark.parametrize(
    "case",
    [case for case in CASES if not case.bomb and case.kind not in SLOW_TO_MAKE],
    ids=lambda case: case.kind,
)
def test_each_malformed_file_is_refused_or_read_never_a_traceback(
    case: Case, tmp_path: Path, tracker_database: Path, monkeypatch, capsys
) -> None:
    before = _dump(tracker_database)
    code, output = _run(case, tmp_path, tracker_database, monkeypatch, capsys)
    lowered = output.lower()
    if case.expect == REFUSED:
        assert code in (1, 2), output
        assert _dump(tracker_database) == before, "a refused file changed the database"
        assert case.filename.lower() in lowered, output
    else:
        assert case.expect == READ
        assert code == 0, output
    for word in case.says + case.stdout_has:
        assert word.lower() in lowered, output


@pytest.mark.parametrize("kind", MEASURED_BOMBS)
def test_a_bomb_is_refused_within_500_mb_and_10_seconds(
    kind: str, tmp_path: Path, seeded_template: Path
) -> None:
    case = next(case for case in CASES if case.kind == kind)
    assert case.bomb
    outcome = reliability.run_case(case, tmp_path, seeded_template)
    assert outcome.failures == (), reliability.format_line(outcome)
    assert outcome.peak_mb <= reliability.PEAK_LIMIT_MB
    assert outcome.seconds <= reliability.TIME_LIMIT_S
    assert outcome.database_unchanged


def _recommendations(database: Path) -> dict[str, str]:
    connection = sqlite3.connect(database)
    try:
        return dict(connection.execute("SELECT ref, wording FROM recommendations"))
    finally:
        connection.close()


def test_a_row_far_below_a_thousand_blank_rows_is_imported(
    tmp_path: Path, tracker_database: Path, monkeypatch, capsys
) -> None:
    case = next(case for case in CASES if case.kind == "csv-row-after-blanks")
    code, output = _run(case, tmp_path, tracker_database, monkeypatch, capsys)
    assert code == 0, output
    stored = _recommendations(tracker_database)
    assert stored["R1"] == "First"
    assert stored["R2"] == "Far below"  # line 1,503 of the file, after 1,500 blank lines


def test_a_workbook_row_below_the_blank_rows_is_read_with_its_number() -> None:
    data = hostile_files.workbook(
        hostile_files.tracker_rows(2) + hostile_files.inline_row(3000, ("R9", "Far", "Jo"))
    )
    parsed = read_tracker(data, "gap.xlsx")
    assert [(row.row, row.ref, row.wording) for row in parsed.rows][-1] == (3000, "R9", "Far")
    assert not parsed.problems


def test_excel_unicode_text_is_read_cell_by_cell() -> None:
    text = "Ref\tRecommendation\tResponsible Officer\r\nR1\tPublish the register\tJo Bloggs\r\n"
    for encoding in ("utf-16", "utf-16-le"):
        parsed = read_tracker(text.encode(encoding), "unicode.csv")
        assert [(r.ref, r.wording, r.owner) for r in parsed.rows] == [
            ("R1", "Publish the register", "Jo Bloggs")
        ]


def test_refs_that_only_look_different_are_reported_as_the_same_ref() -> None:
    lines = [
        "Ref,Recommendation",
        "R1,First",
        "R1\u200b,Second",
        "\u200fR1,Third",
        "R2\ufeff,Fourth",
    ]
    parsed = read_tracker("\r\n".join(lines).encode(), "refs.csv")
    same = [(p.row, p.value) for p in parsed.problems if "once the invisible" in p.problem]
    assert same == [(3, "R1"), (4, "R1")]
    assert all("the ref in row 2" in p.problem for p in parsed.problems)
    assert {note.row for note in parsed.notes if "Invisible" in note.problem} == {3, 4, 5}


def test_a_ref_of_invisible_characters_only_is_a_problem_not_a_ref() -> None:
    parsed = read_tracker(
        "Ref,Recommendation\r\nR1,First\r\n\u200b\u200e,Second\r\n".encode(), "x.csv"
    )
    [problem] = parsed.problems
    assert problem.row == 3
    assert "only invisible characters" in problem.problem
    assert problem.value == "<U+200B><U+200E>"


def test_an_unclosed_quote_names_the_lines_it_swallowed() -> None:
    lines = [",".join(hostile_files.HEADER), 'R1,"Improve it,Jo,,Open', "R2,Second,Al,,Open",
             'R3,Third ",Al,,Open', "R4,Fourth,Al,,Open"]  # fmt: skip
    data = "\r\n".join(lines).encode()
    # What the csv module makes of it: three rows, R2 and R3 lost inside R1's wording.
    assert [row[0] for row in csv.reader(io.StringIO(data.decode()))] == ["Ref", "R1", "R4"]
    with pytest.raises(UnreadableFile) as refused:
        read_sheet(data, "quote.csv")
    assert "opens a cell on line 2" in str(refused.value)
    assert "lines 3 to 4" in str(refused.value)


def test_a_cell_with_its_own_line_breaks_is_not_taken_for_a_quoting_error() -> None:
    lines = [
        "Ref,Recommendation,Owner",
        'R1,"The council should:\r\n(a) review, by March, the',
        'policy, the procedures, and the training; and\r\n(b) report back.",Jo',
        "R2,Second,Al",
    ]
    [sheet] = read_sheet("\r\n".join(lines).encode(), "breaks.csv")
    assert [row.cells[0] for row in sheet.rows] == ["Ref", "R1", "R2"]


def test_a_damaged_cell_is_named_by_its_reference() -> None:
    bad_number = hostile_files._cell_row(4, '<c r="D4"><v>soon</v></c>')
    with pytest.raises(UnreadableFile) as refused:
        read_sheet(hostile_files.workbook(hostile_files.tracker_rows(2) + bad_number), "n.xlsx")
    assert 'sheet "Tracker" of n.xlsx is damaged: cell D4' in str(refused.value)
    assert "'soon'" in str(refused.value)


def test_the_text_check_refuses_nul_and_lengths_the_schema_cannot_hold() -> None:
    from data_access.models import Committee, Source

    assert storable_problem("fine", 10) is None
    assert "NUL" in storable_problem("a\x00b")
    assert "at most 500" in storable_problem("x" * 501, Source.title.type.length)
    assert storable_problem("x" * 200, Committee.name.type.length) is None
    assert without_invisible("\ufeffR\u200b1\u200f") == "R1"


def test_the_reader_limits_match_the_schema() -> None:
    """The spreadsheet reader refuses refs and names the database columns cannot hold."""
    from data_access.models import Committee, Directorate, Officer, Recommendation
    from importing.tracker_rows import MAX_REF_LENGTH

    assert Recommendation.ref.type.length == MAX_REF_LENGTH
    lines = ["Ref,Recommendation,Responsible Officer,Service,Committee",
             f"R1,First,{'J' * 201},{'D' * 201},{'C' * 201}"]  # fmt: skip
    parsed = read_tracker("\r\n".join(lines).encode(), "long.csv")
    limits = {Officer.name.type.length, Directorate.name.type.length, Committee.name.type.length}
    assert limits == {200}
    assert len([p for p in parsed.problems if "at most 200" in p.problem]) == 3


@pytest.mark.parametrize(
    "kind",
    [
        "xlsx-month-13",
        "xlsx-external-entity",
        "xlsx-huge-cell",
        "csv-unclosed-quote",
        "csv-named-xls",
    ],
)
def test_the_import_page_says_what_is_wrong_without_a_traceback(kind: str, page_app, seed_db):
    """The page calls the same reader: the refusal is one message, the database untouched."""
    from tests.test_import_tracker import database_rows
    from views.import_tracker_view import KEY_FILE

    case = next(case for case in CASES if case.kind == kind)
    url, engine = seed_db
    before = database_rows(engine)
    app = page_app("pages/import_tracker.py", url)
    app.session_state[KEY_FILE] = (case.filename, case.make())
    app.run()
    assert not app.exception
    # The page escapes Markdown so the file's text shows as typed (ui.text.plain).
    shown = " ".join(element.value for element in app.error).replace("\\", "")
    assert case.filename in shown
    assert "Nothing was changed" in shown
    assert database_rows(engine) == before
