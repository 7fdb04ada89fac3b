"""Reading committee reports: every layout councils use, and every broken file, gives the
officer a faithful proposal or one clear sentence."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import docx
import pytest

from bench.report_extract import fifty_page_report, simple_pdf
from cli.report_import import main as report_import_main
from data_access.report_import import read_report
from domain.vocabulary import Status
from importing.report_parse import parse_report
from importing.report_sentences import status_from_words
from importing.report_text import MAX_REPORT_BYTES, ReportUnreadable, report_text
from importing.words import find_date

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed" / "social-care-review-update-2019-02-12.txt"
if not SEED.exists():  # the seed as the project ships it
    SEED = Path("/work/shared/seed/social-care-review-update-2019-02-12.txt")
SEED_TEXT = SEED.read_text(encoding="utf-8")


def _paragraph_after(heading: str) -> str:
    """The seed's paragraph following a heading line, read independently of the parser."""
    lines = SEED_TEXT.split("\n")
    index = next(i for i, line in enumerate(lines) if line.strip() == heading)
    return next(line.strip() for line in lines[index + 1 :] if line.strip())


# DOMAIN.md: 1, 4, 5, 6 closed at the 12 February 2019 meeting; 2 and 3 in progress, both
# coming back to committee.
SEED_STATUSES = {
    "1": Status.CLOSED,
    "2": Status.IN_PROGRESS,
    "3": Status.IN_PROGRESS,
    "4": Status.CLOSED,
    "5": Status.CLOSED,
    "6": Status.CLOSED,
}


def test_seed_gives_exactly_its_six_recommendations_with_domain_statuses() -> None:
    report = parse_report(SEED_TEXT)

    found = report.recommendations
    assert [row.ref for row in found] == ["1", "2", "3", "4", "5", "6"]
    assert {row.ref: row.status for row in found} == {k: v.value for k, v in SEED_STATUSES.items()}
    assert {row.ref for row in found if row.report_back} == {"2", "3"}
    # Wording is the paragraph under each heading, exactly.
    assert found[0].text == _paragraph_after("2.1 Recommendation 1.")
    assert found[1].text == _paragraph_after("2.2 **Recommendation 2.**")
    assert found[5].text == _paragraph_after("2.6 Recommendation 6")
    # Each status is justified by words that are in the report.
    for row in found:
        assert row.evidence and row.evidence in SEED_TEXT, row
        assert row.response.split("\n")[0][:60] in SEED_TEXT
    assert "has now been implemented" in found[0].evidence
    assert found[1].response.endswith(
        "Implementation of this recommendation will be reported to the next committee."
    )
    assert "This recommendation is implemented." in found[4].response
    # The report's own recommendation to the committee is named, and not tracked.
    assert report.committee_recommendation.startswith("That the Overview and Scrutiny")
    assert not any(row.text.startswith("That the") for row in found)
    assert report.committee == "Children's Services Overview and Scrutiny Committee"
    assert report.report_date.isoformat() == "2019-02-12"
    # Nothing invented: the seed names no owner or date for any recommendation.
    assert all(row.owner == "" and row.due == "" for row in found)


def test_seed_before_the_meeting_keeps_implemented_items_awaiting_sign_off() -> None:
    found = parse_report(SEED_TEXT, committee_met=False).recommendations
    assert [row.status for row in found] == [
        "implemented", "in_progress", "in_progress", "implemented", "implemented", "implemented",
    ]  # fmt: skip


def test_command_prints_the_seed_as_json(capsys) -> None:
    assert report_import_main([str(SEED), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    rows = payload["recommendations"]
    assert [set(row) for row in rows] == [
        {"ref", "text", "response", "status", "report_back", "owner", "directorate", "due",
         "acceptance", "evidence"}
    ] * 6  # fmt: skip
    assert [(r["ref"], r["status"], r["report_back"]) for r in rows] == [
        (ref, status.value, ref in {"2", "3"}) for ref, status in SEED_STATUSES.items()
    ]


def test_command_reads_stdin_and_prints_a_table() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "data_access.report_import", "-"],
        input=SEED_TEXT.encode(), capture_output=True, cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    table = result.stdout.decode()
    assert table.startswith("6 recommendation(s) found")
    assert "2  [in_progress] · report back to committee" in table


def test_command_exit_codes_for_bad_input(tmp_path: Path, capsys) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert report_import_main([str(empty), "--json"]) == 1
    assert "empty.txt is empty" in capsys.readouterr().err
    assert report_import_main([str(tmp_path / "missing.pdf")]) == 2
    assert "There is no file" in capsys.readouterr().err


LIST_REPORT = """Housing Scrutiny Panel – 3 March 2025
Temporary accommodation review: response to recommendations

1. Recommendations
1.1 That the Panel notes the Cabinet's response and the progress made.

2. Response to the review's recommendations

R1 – Review the allocation policy so families in temporary accommodation are prioritised by length of stay (Accepted)
Response: The allocation policy was revised and adopted by Cabinet in January 2025. This recommendation has been implemented.
Lead officer: Jane Smith, Head of Housing Needs
Target date: 31/01/2025

R2 – Publish quarterly figures on the use of bed and breakfast accommodation (Accepted)
Response: The first quarterly report is being prepared with the performance team. Progress will be reported to the next meeting of the Panel.
Lead officer: Tom Jones
Target date: June 2025

R3 – Set up a landlord forum (Partially accepted)
Response: The Council will consider this as part of the private sector housing strategy.

R4 – Appoint a children's officer for families in hotels (Not accepted)
Response: This recommendation will not be implemented: the role already exists.

Background papers
None.
"""  # noqa: E501


def test_r_list_layout_with_acceptance_owner_and_dates() -> None:
    report = parse_report(LIST_REPORT, committee_met=False)
    rows = {row.ref: row for row in report.recommendations}

    assert list(rows) == ["R1", "R2", "R3", "R4"]
    assert rows["R1"].text == (
        "Review the allocation policy so families in temporary accommodation are prioritised "
        "by length of stay"
    )
    assert rows["R1"].acceptance == "Accepted"
    assert rows["R1"].status == "implemented"
    assert rows["R1"].evidence == "This recommendation has been implemented."
    assert rows["R1"].owner == "Jane Smith, Head of Housing Needs"
    assert rows["R1"].due == "31/01/2025"
    assert rows["R2"].status == "in_progress" and rows["R2"].report_back
    assert rows["R2"].due == "June 2025"
    # "Will consider" says nothing about progress: unclear, not guessed.
    assert rows["R3"].status == "unclear" and rows["R3"].evidence == ""
    assert rows["R3"].acceptance == "Partially accepted" and rows["R3"].owner == ""
    assert rows["R4"].status == "not_implemented"
    assert "Background papers" not in rows["R4"].response
    assert report.committee_recommendation.startswith("That the Panel notes")


SLASH_REPORT = """Audit Committee 14 November 2018
Internal audit follow-up: procurement cards

14/2018/P – The card administrator should review monthly statements within ten working days.
Status: Implemented
Owner: Finance Manager
Due: 30 September 2018

15/2018/P – Cardholders must attach receipts to every transaction in the expenses system.
Status: In progress
Owner: Head of Procurement
Update: Reminders were sent in October; compliance is being checked monthly.

16/2018/H – Spending limits should be reviewed annually.
Update: Work has not yet started; this will be picked up in the new year.

17/2018/H – Card usage should be reported to the Committee.
Update: Noted.
"""


def test_slash_references_and_status_lines() -> None:
    rows = {row.ref: row for row in parse_report(SLASH_REPORT).recommendations}

    assert list(rows) == ["14/2018/P", "15/2018/P", "16/2018/H", "17/2018/H"]
    assert (rows["14/2018/P"].status, rows["14/2018/P"].evidence) == ("implemented", "Implemented")
    assert rows["14/2018/P"].owner == "Finance Manager"
    assert rows["14/2018/P"].due == "30 September 2018"
    assert rows["15/2018/P"].status == "in_progress"
    assert rows["15/2018/P"].response.startswith("Reminders were sent in October")
    assert rows["16/2018/H"].status == "not_started"
    assert rows["17/2018/H"].status == "unclear"
    # No "That the Committee notes" recommendation: implemented stays awaiting sign-off.
    assert all(row.status != "closed" for row in rows.values())


def _table_docx(rows: list[tuple[str, ...]], header: tuple[str, ...]) -> bytes:
    document = docx.Document()
    document.add_paragraph("Corporate Overview and Scrutiny Committee")
    document.add_paragraph("Peer challenge action plan: progress update")
    document.add_paragraph("1.1 That the Committee notes the progress on the action plan.")
    table = document.add_table(rows=1, cols=len(header))
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    document.add_paragraph("Background papers: none.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_word_table_layout() -> None:
    header = ("Rec No.", "Recommendation", "Lead Officer", "Target Date", "Progress update",
              "Status")  # fmt: skip
    data = _table_docx(
        [
            (
                "1",
                "Refresh the corporate plan.",
                "Chief Executive",
                "31/03/2020",
                "Adopted by Council in February.\nPublished on the website.",
                "Complete",
            ),
            (
                "2",
                "Strengthen member development.",
                "Head of Democratic Services",
                "30 June 2020",
                "A new induction programme is being designed.",
                "On track",
            ),
            (
                "3",
                "Improve the use of performance data.",
                "Director of Resources",
                "",
                "Not reported this quarter.",
                "Amber",
            ),
        ],  # fmt: skip
        header,
    )
    report = read_report(data, "action-plan.docx")
    rows = {row.ref: row for row in report.recommendations}

    assert list(rows) == ["1", "2", "3"]
    assert rows["1"].text == "Refresh the corporate plan."
    assert rows["1"].response == "Adopted by Council in February.\n\nPublished on the website."
    assert rows["1"].owner == "Chief Executive" and rows["1"].due == "31/03/2020"
    # "Complete", reported to a committee asked to note progress: signed off there.
    assert (rows["1"].status, rows["1"].evidence) == ("closed", "Complete")
    assert (rows["2"].status, rows["2"].evidence) == ("in_progress", "On track")
    # A RAG colour is not a status.
    assert rows["3"].status == "unclear"


def test_pdf_of_the_seed_gives_the_same_recommendations() -> None:
    lines: list[str] = []
    for paragraph in SEED_TEXT.split("\n"):
        import textwrap

        lines += textwrap.wrap(paragraph, 95) if paragraph.strip() else [""]
    pdf = simple_pdf([lines[i : i + 55] for i in range(0, len(lines), 55)])

    rows = read_report(pdf, "report.pdf").recommendations

    assert [row.ref for row in rows] == list(SEED_STATUSES)
    assert [row.status for row in rows] == [status.value for status in SEED_STATUSES.values()]
    assert [row.ref for row in rows if row.report_back] == ["2", "3"]
    assert rows[0].text == _paragraph_after("2.1 Recommendation 1.")
    assert rows[5].text == _paragraph_after("2.6 Recommendation 6")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "report.txt", "report.txt is empty"),
        (b"   \n\n  ", "report.txt", "report.txt is empty"),
        (bytes(range(256)) * 40, "report.docx", "is not a Word document"),
        (b"PK\x03\x04" + bytes(range(256)) * 40, "report.docx", "could not be opened as a Word"),
        (bytes(range(256)) * 40, "report.pdf", "is not a PDF"),
        (b"%PDF-1.4\n" + bytes(range(256)) * 40, "report.pdf", "damaged PDF"),
        (bytes(range(256)) * 40, "report.txt", "is not text"),
        (b"some text", "report.xlsx", "choose a .txt, .docx, .pdf or .csv report"),
        (b"some text", "report.doc", "old Word format"),
        (b"x" * (MAX_REPORT_BYTES + 1), "huge.txt", "larger than the 25.0 MB"),
    ],
)
def test_broken_files_get_one_clear_sentence(data: bytes, name: str, message: str) -> None:
    with pytest.raises(ReportUnreadable, match=re.escape(message)):
        report_text(data, name)


def test_scanned_pdf_without_text_is_explained() -> None:
    with pytest.raises(ReportUnreadable, match="looks like a scanned image"):
        report_text(simple_pdf([[], []]), "scan.pdf")


def test_a_document_with_no_recommendations_is_not_a_report() -> None:
    letter = b"Dear resident,\n\nThe bins will be collected on Tuesday.\n\nYours, the council"
    with pytest.raises(ReportUnreadable, match="No recommendations were found in letter.txt"):
        read_report(letter, "letter.txt")


def test_text_from_windows_and_utf16_is_decoded() -> None:
    text = "R1 – Publish the figures (Accepted)\nResponse: This recommendation is implemented.\n"
    for encoded in (text.encode("cp1252"), text.encode("utf-16"), text.encode("utf-8-sig")):
        rows = read_report(encoded, "r.txt").recommendations
        assert [(r.ref, r.text, r.status) for r in rows] == [
            ("R1", "Publish the figures", "implemented")
        ]


@pytest.mark.parametrize(
    ("words", "status"),
    [
        ("This recommendation has now been implemented.", "implemented"),
        ("This recommendation has not yet been implemented.", "unclear"),
        ("Once the policy has been implemented we will review it.", "unclear"),
        ("The policy is being drafted. Phase one has been completed.", "in_progress"),
        ("Work has not yet started.", "not_started"),
        ("This recommendation has been superseded by the 2020 strategy.", "superseded"),
        ("The Committee will consider the matter.", "unclear"),
        ("Completed", "implemented"),
        ("Red", "unclear"),
    ],
)
def test_status_only_from_words_that_say_it(words: str, status: str) -> None:
    assert status_from_words(words)[0] == status


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31/03/2020", (2020, 3, 31)),
        ("12 February 2019", (2019, 2, 12)),
        ("12th Feb 2019", (2019, 2, 12)),
        ("February 2019", (2019, 2, 28)),
        ("2019-02-12", (2019, 2, 12)),
        ("31/02/2020", None),
        ("Q1 2020", None),
    ],
)
def test_uk_dates(text: str, expected: tuple[int, int, int] | None) -> None:
    found = find_date(text)
    assert (found and (found.year, found.month, found.day)) == expected


def test_fifty_page_report_is_read_well_within_two_seconds() -> None:
    text = fifty_page_report()
    assert len(text.split()) >= 50 * 450  # about 50 pages of A4
    started = time.perf_counter()
    rows = parse_report(text).recommendations
    elapsed = time.perf_counter() - started
    assert len(rows) == 60
    assert elapsed < 2.0
