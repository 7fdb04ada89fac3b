"""The "Briefing pack" section of the Next committee page: Word and PDF, built on request.

Nothing is built while the page draws: the officer fills in the report's details (agenda item,
report of, author, contact officer, the standard sections' wording) in a form that is saved
for the committee, decides about exempt items, and presses a button; the file is then built
(with a spinner) and offered for download. The built file is kept in the session with the
choices it was built from, so the download survives reruns, and a file built with other
choices or details is never offered.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from sqlalchemy import Connection

from charts.briefing import briefing_charts
from data_access.committee_settings import InvalidReportDetails, save_report_details
from data_access.filters import Filters
from data_access.permissions import NotAllowed, ensure_allowed
from data_access.queries.briefing import briefing_contents, report_details
from data_access.queries.committee import DueBack
from data_access.users import record_event
from domain.access import Action, may
from domain.briefing import REPORT_DETAIL_FIELDS, BriefingContents, ReportDetails
from domain.formatting import long_date, plural
from exports.briefing_docx import briefing_docx
from exports.briefing_pdf import NO_PDF, PdfUnavailable, briefing_pdf, pdf_engine
from exports.briefing_report import EXEMPT_HEADER, briefing_file_name, chart_images
from ui.identity import current_person
from ui.shell import WriteFailed, run_query, write
from ui.text import plain

__all__ = [
    "KEY_BUILD_PDF",
    "KEY_BUILD_WORD",
    "KEY_INCLUDE_EXEMPT",
    "KEY_SAVE_DETAILS",
    "detail_key",
    "show_briefing_pack",
]

KEY_INCLUDE_EXEMPT = "briefing_include_exempt"
KEY_BUILD_WORD = "briefing_build_word"
KEY_BUILD_PDF = "briefing_build_pdf"
KEY_SAVE_DETAILS = "briefing_save_details"
KEY_DOWNLOAD_WORD = "briefing_download_word"
KEY_DOWNLOAD_PDF = "briefing_download_pdf"
_BUILT = "_briefing_built"  # session state: {kind: BuiltFile}
_SAVED = "_briefing_details_saved"  # session state: {committee_id: outcome message}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
# The form's tabs: which fields each holds, by name.
_TABS = (
    ("Who and which item", ("item_number", "report_of", "author", "contact")),
    ("Sections 5 to 7", ("reasons", "consultation", "corporate_policies")),
    (
        "8. Implications",
        (
            "financial",
            "financial_verified_by",
            "legal",
            "legal_verified_by",
            "equality",
            "equality_verified_by",
            "other",
        ),
    ),
    ("9. Background papers", ("background_papers",)),
)
_FIELD = {field.name: field for field in REPORT_DETAIL_FIELDS}
assert {name for _, names in _TABS for name in names} == set(_FIELD)


def detail_key(name: str, committee_id: int) -> str:
    """The form widget's key for one detail of one committee's report."""
    return f"briefing_{name}_{committee_id}"


@dataclass(frozen=True)
class BuiltFile:
    """A file built for the officer, with the choices it was built from."""

    choices: tuple
    name: str
    data: bytes


def _contents(committee_id: int, filters: Filters, include_exempt: bool) -> BriefingContents:
    return run_query(briefing_contents, filters, committee_id, include_exempt)


def _build(kind: str, contents: BriefingContents, details: ReportDetails) -> bytes:
    charts = briefing_charts(contents)
    images = chart_images(charts)
    if kind == "docx":
        return briefing_docx(contents, charts, details, images=images)
    return briefing_pdf(contents, charts, details, images=images)


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


def _typed(committee_id: int) -> ReportDetails:
    """What the form holds now; text left as the standard wording is saved as blank, so the
    report follows the standard wording if it is ever improved."""
    values = {}
    for name, field in _FIELD.items():
        text = str(st.session_state.get(detail_key(name, committee_id)) or "").strip()
        values[name] = "" if text == field.default else text
    return ReportDetails(**values)


def _save(committee_id: int) -> None:
    """Form callback: save the details in one transaction and say what happened."""
    details = _typed(committee_id)
    person = current_person()
    try:

        def save(connection: Connection) -> None:
            ensure_allowed(connection, person, Action.BRIEFING_PACK)
            save_report_details(connection, committee_id, details)
            record_event(
                connection,
                person.identity,
                "briefing pack details saved",
                f"committee {committee_id}",
            )

        write(save, "save the details")
    except InvalidReportDetails as refused:
        outcome = ("error", " ".join(refused.problems))
    except NotAllowed as refused:
        outcome = ("error", refused.message)
    except WriteFailed as failed:
        outcome = ("error", f"{failed} What you typed is still here.")
    else:
        outcome = ("saved", "Saved for this committee: every pack built for it uses them.")
    st.session_state[_SAVED] = {committee_id: outcome}


def _details_form(committee_id: int, saved: ReportDetails) -> None:
    """The fields a clerk fills in once, with the standard wording to edit, saved per
    committee."""
    with st.form(key=f"briefing_details_form_{committee_id}", border=True):
        st.markdown("**Report details** (remembered for this committee)")
        tabs = st.tabs([title for title, _ in _TABS])
        for (_, names), tab in zip(_TABS, tabs, strict=True):
            with tab:
                for name in names:
                    field = _FIELD[name]
                    value = getattr(saved, name) or field.default
                    widget = st.text_area if field.multiline else st.text_input
                    options = {"height": 100} if field.multiline else {}
                    widget(
                        field.label,
                        value=value,
                        key=detail_key(name, committee_id),
                        max_chars=field.max_chars,
                        help=field.help or None,
                        **options,
                    )
        st.form_submit_button(
            "Save the report details",
            key=KEY_SAVE_DETAILS,
            icon=":material/save:",
            on_click=_save,
            args=(committee_id,),
        )
    outcome = st.session_state.get(_SAVED, {}).get(committee_id)
    if outcome:
        kind, message = outcome
        if kind == "saved":
            st.success(plain(message), icon=":material/check_circle:")
        else:
            st.error(plain(message), icon=":material/error:")


def show_briefing_pack(committee_id: int, filters: Filters, listing: DueBack) -> None:
    """The expander with the report's details, the exempt choice and the two build buttons.

    The pack's own contents are asked for only when a file is built: drawing the expander
    uses the listing the page already has (`listing`, from `queries.committee.due_back`).
    Offered only to those who may build packs; exempt items only to those cleared."""
    person = current_person()
    if not may(person, Action.BRIEFING_PACK):
        return
    meeting_on = listing.next_meeting
    with st.expander(
        f"Briefing pack for the {long_date(meeting_on)} meeting (Word or PDF)",
        icon=":material/description:",
    ):
        st.caption(
            "A committee report: the recommendations to the Committee, an introduction, the "
            "items due back by source with their latest update, the overdue summary and "
            "three charts, the standard sections (reasons, consultation, corporate policies, "
            "implications, background papers) and an appendix of the filters used. It "
            "follows the filters in the sidebar."
        )
        saved = run_query(report_details, committee_id)
        _details_form(committee_id, saved)
        include_exempt = may(person, Action.VIEW_EXEMPT) and st.checkbox(
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

        choices = (committee_id, filters, include_exempt, saved)
        engine = pdf_engine()
        word_column, pdf_column = st.columns(2)
        if word_column.button("Build the Word file", key=KEY_BUILD_WORD, icon=":material/build:"):
            _build_and_keep("docx", saved, choices)
        if pdf_column.button(
            "Build the PDF",
            key=KEY_BUILD_PDF,
            icon=":material/picture_as_pdf:",
            disabled=engine is None,
            help=None if engine is None else f"Made with {engine}.",
        ):
            _build_and_keep("pdf", saved, choices)
        if engine is None:
            st.caption(plain(NO_PDF))
        _offer("docx", choices, "Download Word", KEY_DOWNLOAD_WORD, DOCX)
        _offer("pdf", choices, "Download PDF", KEY_DOWNLOAD_PDF, PDF)


def _build_and_keep(kind: str, details: ReportDetails, choices: tuple) -> None:
    what = "Word file" if kind == "docx" else "PDF"
    committee_id, filters, include_exempt, _ = choices
    with st.spinner(f"Building the {what} (charts take a few seconds the first time)…"):
        contents = _contents(committee_id, filters, include_exempt)
        try:
            data = _build(kind, contents, details)
        except PdfUnavailable as problem:
            st.error(plain(str(problem)), icon=":material/error:")
            return
    built = dict(st.session_state.get(_BUILT, {}))
    built[kind] = BuiltFile(choices, briefing_file_name(contents, kind), data)
    st.session_state[_BUILT] = built
