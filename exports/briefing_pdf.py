"""The briefing pack as PDF, made by whatever this computer has: LibreOffice, else Chromium.

LibreOffice converts the Word file itself, so the PDF is that document exactly. Without it,
headless Chromium prints the HTML rendering of the same contents (`exports.briefing_html`).
With neither, `PdfUnavailable` carries a sentence the page shows: the Word file can still be
downloaded and saved as PDF from Word.

Both programs run in a throwaway folder with their own profile, so two officers building
packs at once never share a LibreOffice or Chromium profile (which would make one fail).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import plotly.graph_objects as go

from domain.briefing import BriefingContents, ReportDetails
from exports.briefing_blocks import ChartImage
from exports.briefing_docx import report_docx
from exports.briefing_html import report_html
from exports.briefing_report import briefing_report
from exports.chromium import chromium_path

__all__ = [
    "LIBREOFFICE",
    "CHROMIUM",
    "PdfUnavailable",
    "briefing_pdf",
    "pdf_engine",
    "pdf_from_docx",
    "pdf_from_html",
    "soffice_path",
]

LIBREOFFICE = "LibreOffice"
CHROMIUM = "Chromium"
CONVERT_TIMEOUT_SECONDS = 120
NO_PDF = (
    "A PDF cannot be made on this computer: neither LibreOffice nor Chromium is installed. "
    "Nothing was made. Download the Word file and save it as PDF from Word, or ask whoever "
    "looks after the dashboard to install LibreOffice (on Debian: apt-get install "
    "libreoffice-writer-nogui) or Chromium (apt-get install chromium)."
)
FAILED = (
    "The PDF could not be made: {program} {reason}. Nothing was made. Try again; if it keeps "
    "failing, download the Word file and save it as PDF from Word."
)


class PdfUnavailable(Exception):
    """Raised when no PDF can be made; the message is a sentence for the user."""


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_engine() -> str | None:
    """Which program would make the PDF here, or None when none can."""
    if soffice_path():
        return LIBREOFFICE
    if chromium_path():
        return CHROMIUM
    return None


def _run(command: list[str], program: str, folder: Path) -> None:
    try:
        result = subprocess.run(
            command,
            cwd=folder,
            capture_output=True,
            timeout=CONVERT_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        reason = f"took longer than {CONVERT_TIMEOUT_SECONDS} seconds"
        raise PdfUnavailable(FAILED.format(program=program, reason=reason)) from error
    except OSError as error:
        reason = f"could not be started ({error.strerror or error})"
        raise PdfUnavailable(FAILED.format(program=program, reason=reason)) from error
    if result.returncode != 0:
        detail = (result.stderr or b"").decode(errors="replace").strip().splitlines()
        reason = f"stopped with an error ({detail[-1][:200] if detail else result.returncode})"
        raise PdfUnavailable(FAILED.format(program=program, reason=reason))


def _read_pdf(path: Path, program: str) -> bytes:
    pdf = path.read_bytes() if path.is_file() else b""
    if not pdf.startswith(b"%PDF"):
        raise PdfUnavailable(FAILED.format(program=program, reason="made no PDF"))
    return pdf


def pdf_from_docx(docx_bytes: bytes) -> bytes:
    """The Word file converted by LibreOffice (`soffice --headless --convert-to pdf`)."""
    program = soffice_path()
    if program is None:
        raise PdfUnavailable(NO_PDF)
    with tempfile.TemporaryDirectory(prefix="briefing-pdf-") as temporary:
        folder = Path(temporary)
        (folder / "briefing.docx").write_bytes(docx_bytes)
        profile = (folder / "profile").as_uri()
        _run(
            [
                program,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder),
                str(folder / "briefing.docx"),
            ],
            LIBREOFFICE,
            folder,
        )
        return _read_pdf(folder / "briefing.pdf", LIBREOFFICE)


def pdf_from_html(html: str) -> bytes:
    """The HTML page printed to PDF by headless Chromium (A4, as its CSS asks)."""
    program = chromium_path()
    if program is None:
        raise PdfUnavailable(NO_PDF)
    with tempfile.TemporaryDirectory(prefix="briefing-pdf-") as temporary:
        folder = Path(temporary)
        page = folder / "briefing.html"
        page.write_text(html, encoding="utf-8")
        output = folder / "briefing.pdf"
        _run(
            [
                program,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={folder / 'profile'}",
                "--no-pdf-header-footer",
                f"--print-to-pdf={output}",
                page.as_uri(),
            ],
            CHROMIUM,
            folder,
        )
        return _read_pdf(output, CHROMIUM)


def briefing_pdf(
    contents: BriefingContents,
    charts: Sequence[tuple[go.Figure, str]],
    details: ReportDetails | None = None,
    *,
    images: Sequence[ChartImage] | None = None,
    engine: str | None = None,
    generated_on: date | None = None,
) -> bytes:
    """The pack as PDF by `engine` (default: LibreOffice if installed, else Chromium): the
    same report as the Word file, converted from it or printed from its HTML rendering.

    Raises PdfUnavailable, with a sentence for the user, when neither can make it.
    """
    engine = engine or pdf_engine()
    if engine is None:
        raise PdfUnavailable(NO_PDF)
    report = briefing_report(contents, charts, details, images=images, generated_on=generated_on)
    if engine == LIBREOFFICE:
        return pdf_from_docx(report_docx(report))
    return pdf_from_html(report_html(report))
