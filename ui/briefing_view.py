"""The "Briefing pack" section of the Next committee page: Word and PDF, built on request.

Nothing is built while the page draws: the officer fills in "Report of", decides about
exempt items, and presses a button; the file is then built (with a spinner) and offered for
download. The built file is kept in the session with the choices it was built from, so the
download survives reruns, and a file built with other choices is never offered.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from charts.briefing import briefing_charts
from data_access.filters import Filters
from data_access.queries.briefing import BriefingContents, briefing_contents
from data_access.queries.committee import DueBack
from domain.formatting import long_date, plural
from exports.briefing_docx import (
    DEFAULT_REPORT_OF,
    EXEMPT_HEADER,
    briefing_docx,
    briefing_file_name,
    chart_images,
)
from exports.briefing_pdf import NO_PDF, PdfUnavailable, briefing_pdf, pdf_engine
from ui.shell import run_query
from ui.text import plain

__all__ = [
    "KEY_BUILD_PDF",
    "KEY_BUILD_WORD",
    "KEY_INCLUDE_EXEMPT",
    "KEY_REPORT_OF",
    "show_briefing_pack",
]

KEY_REPORT_OF = "briefing_report_of"
KEY_INCLUDE_EXEMPT = "briefing_include_exempt"
KEY_BUILD_WORD = "briefing_build_word"
KEY_BUILD_PDF = "briefing_build_pdf"
KEY_DOWNLOAD_WORD = "briefing_download_word"
KEY_DOWNLOAD_PDF = "briefing_download_pdf"
_BUILT = "_briefing_built"  # session state: {kind: BuiltFile}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


@dataclass(frozen=True)
class BuiltFile:
    """A file built for the officer, with the choices it was built from."""

    choices: tuple
    name: str
    data: bytes


def _contents(committee_id: int, filters: Filters, include_exempt: bool) -> BriefingContents:
    return run_query(briefing_contents, filters, committee_id, include_exempt)


def _build(kind: str, contents: BriefingContents, report_of: str) -> bytes:
    charts = briefing_charts(contents)
    images = chart_images(charts)
    if kind == "docx":
        return briefing_docx(contents, charts, report_of, images=images)
    return briefing_pdf(contents, charts, report_of, images=images)


def _offer(kind: str, choices: tuple, label: str, key: str, mime: str) -> None:
    built = st.session_state.get(_BUILT, {}).get(kind)
    if built is None or built.choices != choices:
        return
    st.download_button(
        f"{label}: {built.name}",
        data=built.data,
        file_name=built.name,
        mime=mime,
        key=key,
        on_click="ignore",
        icon=":material/download:",
    )


def show_briefing_pack(committee_id: int, filters: Filters, listing: DueBack) -> None:
    """The expander with the pack's choices and its two build buttons.

    The pack's own contents are asked for only when a file is built: drawing the expander
    uses the listing the page already has (`listing`, from `queries.committee.due_back`)."""
    meeting_on = listing.next_meeting
    with st.expander(
        f"Briefing pack for the {long_date(meeting_on)} meeting (Word or PDF)",
        icon=":material/description:",
    ):
        st.caption(
            "A paper shaped like a committee report: executive summary, the items due back "
            "by source with their latest update, the overdue summary, three charts with their "
            "words, and the filters used. It follows the filters in the sidebar."
        )
        report_of = st.text_input(
            "Report of",
            value=DEFAULT_REPORT_OF,
            key=KEY_REPORT_OF,
            max_chars=200,
            help="Who presents the report, as printed under its title.",
        ).strip()
        include_exempt = st.checkbox(
            "Include exempt (Part 2) items",
            key=KEY_INCLUDE_EXEMPT,
            help="Left out unless ticked. When included, every page is headed "
            f"“{EXEMPT_HEADER}” and each exempt item is marked.",
        )
        exempt_listed = int(listing.items["source_exempt"].fillna(False).astype(bool).sum())
        if include_exempt:
            st.warning(
                f"The pack will include exempt (Part 2) items: every page is headed "
                f"“{EXEMPT_HEADER}”. Keep it out of public papers and the published agenda.",
                icon=":material/lock:",
            )
        elif exempt_listed:
            how_many = (
                "Exempt (Part 2) items"
                if listing.is_truncated
                else plural(exempt_listed, "exempt (Part 2) item")
            )
            st.caption(f"{how_many} due back will be left out.")
        if listing.total == 0 or (not include_exempt and exempt_listed == listing.total):
            left_out = "" if include_exempt else " once exempt items are left out"
            st.caption(
                f"No item is due back at this meeting{left_out}: the pack would list none, "
                "but still gives the summary and the overdue picture."
            )

        choices = (committee_id, filters, include_exempt, report_of or DEFAULT_REPORT_OF)
        engine = pdf_engine()
        word_column, pdf_column = st.columns(2)
        if word_column.button("Build the Word file", key=KEY_BUILD_WORD, icon=":material/build:"):
            _build_and_keep("docx", report_of, choices)
        if pdf_column.button(
            "Build the PDF",
            key=KEY_BUILD_PDF,
            icon=":material/picture_as_pdf:",
            disabled=engine is None,
            help=None if engine is None else f"Made with {engine}.",
        ):
            _build_and_keep("pdf", report_of, choices)
        if engine is None:
            st.caption(plain(NO_PDF))
        _offer("docx", choices, "Download Word", KEY_DOWNLOAD_WORD, DOCX)
        _offer("pdf", choices, "Download PDF", KEY_DOWNLOAD_PDF, PDF)


def _build_and_keep(kind: str, report_of: str, choices: tuple) -> None:
    what = "Word file" if kind == "docx" else "PDF"
    committee_id, filters, include_exempt, _ = choices
    with st.spinner(f"Building the {what} (charts take a few seconds the first time)…"):
        contents = _contents(committee_id, filters, include_exempt)
        try:
            data = _build(kind, contents, report_of)
        except PdfUnavailable as problem:
            st.error(plain(str(problem)), icon=":material/error:")
            return
    built = dict(st.session_state.get(_BUILT, {}))
    built[kind] = BuiltFile(choices, briefing_file_name(contents, kind), data)
    st.session_state[_BUILT] = built
