"""`python -m bench.report_extract`: how long reading a long committee report takes.

Target (issue 3): extracting the recommendations from a 50-page report in under 2 s. The
report is generated: the seed's layout (numbered sections, "Recommendation N" headings, wording
then response paragraphs) repeated with filler background paragraphs until it is about 50
pages of A4 (roughly 500 words a page). Timed as text, as a Word document and as a PDF (built
here without any extra library: `simple_pdf`).

Accuracy (issue 8): the real-report corpus in tests/fixtures/reports, scored by
`bench.report_corpus` (found / statuses right / invented against the issue's goals), is the
last entry; its `note` carries the figures and it is an error when a goal is missed.
"""

from __future__ import annotations

import io
import time
from typing import Any

from bench.tasks import median_seconds

__all__ = ["fifty_page_report", "measure", "simple_pdf"]

WORDS_PER_PAGE = 500
LINES_PER_PDF_PAGE = 60
_FILLER = (
    "The service continues to work with partners across the borough to improve the quality "
    "of practice, and the information in this section is provided for background only. "
)
_RESPONSES = (
    "Work has been reviewed by the service. This recommendation has now been implemented.",
    "Training is being provided to all staff through the year. Implementation of this "
    "recommendation will be reported to the next committee.",
    "A new procedure is in place and is being monitored. Progress will be reported to the "
    "Overview and Scrutiny Committee.",
)


def fifty_page_report(pages: int = 50, recommendations: int = 60) -> str:
    """A long report in the seed's layout with `recommendations` items over `pages` pages."""
    lines = [
        "12 February 2019\t\tITEM: 8",
        "Children's Services Overview and Scrutiny Committee",
        "Update on Recommendations from a Long Review",
        "",
        "1. Recommendation",
        "",
        "1.1 That the Overview and Scrutiny Committee notes the progress made.",
        "",
        "2. Introduction and Background",
        "",
    ]
    filler_words = len(_FILLER.split())
    total_words = pages * WORDS_PER_PAGE
    per_item = max(1, total_words // recommendations // filler_words)
    for number in range(1, recommendations + 1):
        lines += [
            f"2.{number} Recommendation {number}.",
            "",
            f"Review the arrangements for area {number} and report on their effectiveness.",
            "",
        ]
        for _ in range(per_item):
            lines += [_FILLER, ""]
        lines += [_RESPONSES[number % len(_RESPONSES)], ""]
    lines += ["3. Reasons for Recommendation", "", _FILLER, ""]
    return "\n".join(lines)


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    out = bytearray(b"(")
    for byte in raw:
        if byte in b"()\\":
            out += b"\\" + bytes([byte])
        elif byte > 126 or byte < 32:
            out += f"\\{byte:03o}".encode()
        else:
            out.append(byte)
    return bytes(out + b")")


def simple_pdf(pages: list[list[str]]) -> bytes:
    """A real PDF (Helvetica, A4) with each page's lines as text, for tests and the bench.

    An empty line is a gap. A page with no lines has no text at all, like a scanned page."""
    objects: list[bytes] = []
    page_ids = []
    font_id = 3
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(b"")  # the page tree, filled in below
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                   b"/Encoding /WinAnsiEncoding >>")  # fmt: skip
    for lines in pages:
        stream = bytearray()
        if lines:
            stream += b"BT /F1 10 Tf 12 TL 56 800 Td\n"
            for line in lines:
                stream += _pdf_string(line) + b" Tj T*\n"
            stream += b"ET\n"
        else:
            stream += b"0.5 g 56 56 480 720 re f\n"  # a grey box: an image, no text
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + bytes(stream) + b"endstream")
        content_id = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (content_id, font_id)
        )
        page_ids.append(len(objects))
    kids = b" ".join(b"%d 0 R" % page for page in page_ids)
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_ids))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _wrapped(text: str, width: int = 95) -> list[str]:
    import textwrap

    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines += textwrap.wrap(paragraph, width) if paragraph.strip() else [""]
    return lines


def _docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in text.split("\n"):
        if paragraph.strip():
            document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def measure(repeats: int = 3) -> list[dict[str, Any]]:
    """Median seconds to read a 50-page report's recommendations, as text, .docx and PDF."""
    from data_access.report_import import read_report

    text = fifty_page_report()
    lines = _wrapped(text)
    pdf = simple_pdf(
        [lines[i : i + LINES_PER_PDF_PAGE] for i in range(0, len(lines), LINES_PER_PDF_PAGE)]
    )
    pdf_pages = -(-len(lines) // LINES_PER_PDF_PAGE)
    word_doc = _docx_bytes(text)
    results = []
    for label, data, name in (
        ("text", text.encode(), "report.txt"),
        ("Word document", word_doc, "report.docx"),
        (f"PDF of {pdf_pages} pages", pdf, "report.pdf"),
    ):
        found = len(read_report(data, name).recommendations)
        seconds = median_seconds(lambda data=data, name=name: read_report(data, name), repeats)
        task = "extract recommendations from a 50-page report"
        results.append(
            {
                "task": task if label == "text" else f"{task} ({label})",
                "seconds": round(seconds, 3),
                "recommendations": found,
                "bytes": len(data),
            }
        )
    results.append(corpus_accuracy())
    return results


def corpus_accuracy() -> dict[str, Any]:
    """The reader on the real-report corpus: found, statuses right and invented, as a task
    entry (the time is for reading the whole corpus)."""
    from bench.report_corpus import score_corpus

    started = time.perf_counter()
    score = score_corpus()
    entry: dict[str, Any] = {
        "task": f"read {len(score.documents)} real reports (accuracy)",
        "seconds": round(time.perf_counter() - started, 3),
        "target_s": None,
        "found": score.found,
        "expected": score.expected,
        "statuses_right": score.statuses_right,
        "statuses_judged": score.judged,
        "invented": score.invented,
        "note": score.summary(),
    }
    if not score.meets_goals:
        entry["error"] = "below the issue's goals (run python -m bench.report_corpus for details)"
    return entry


def main() -> int:
    for result in measure():
        if "note" in result:
            print(f"{result['task']}: {result['note']}")
            continue
        print(
            f"{result['task']}: {result['seconds']:.3f} s "
            f"({result['recommendations']} recommendations, {result['bytes']:,} bytes)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
