"""Drawing the committee report import: read a report, review the proposal, save it.

The officer pastes the report or uploads it; `data_access.report_import.read_report` proposes
the recommendations; the officer corrects them in a table (status, report-back, wording,
rows added or deleted) and gives the source's details and their name; Save writes everything
in one transaction through `data_access.report_import.save_proposal`, or nothing.
"""

from __future__ import annotations

import hashlib
from datetime import date

import pandas as pd
import streamlit as st
from sqlalchemy import Connection

from data_access.import_batches import REPORT, start_batch
from data_access.names import committee_id
from data_access.permissions import NotAllowed, ensure_allowed
from data_access.queries.options import filter_options
from data_access.report_import import (
    ProposalRefused,
    SaveResult,
    acceptance_for,
    proposal_problems,
    read_report,
    save_proposal,
)
from data_access.writes import NewSource
from domain.access import Action
from domain.formatting import plural
from domain.vocabulary import (
    IN_PRINCIPLE_LABEL,
    Acceptance,
    Status,
    acceptance_label,
)
from importing.report_text import MAX_REPORT_BYTES, READABLE_SUFFIXES, ReportUnreadable
from importing.report_types import UNCLEAR, ParsedReport, ProposedRecommendation
from ui.identity import current_person
from ui.shell import WriteFailed, run_query, write
from ui.source_picker import Suggestion, forget, source_picker, your_name
from ui.text import plain
from views.overview_links import show_source_button

KEY_PARSED = "import_report.parsed"
KEY_ROWS = "import_report.rows"
KEY_EDITOR = "import_report.editor"
KEY_SAVED = "import_report.saved"
KEY_PASTE = "import_report.paste"
KEY_MET = "import_report.committee_met"
KEY_MEETING = "import_report.meeting"
KEY_SAVE = "import_report.save"
KEY_FILE_INFO = "import_report.file"  # (name, SHA-256) of the report read, for its record
PICKER = "import_report"  # the source picker's and the batches block's session keys

UNCLEAR_LABEL = "Unclear: choose one"
_LABEL_BY_STATUS = {status.value: status.label for status in Status} | {UNCLEAR: UNCLEAR_LABEL}
STATUS_OPTIONS = list(_LABEL_BY_STATUS.values())
_STATUS_BY_LABEL = {label: value for value, label in _LABEL_BY_STATUS.items()}
# The vocabulary's labels, "Accepted in principle" beside Accepted.
ACCEPTANCE_OPTIONS = [
    label
    for acceptance in Acceptance
    for label in (
        [acceptance.label, IN_PRINCIPLE_LABEL]
        if acceptance is Acceptance.ACCEPTED
        else [acceptance.label]
    )
]
COLUMNS = ["ref", "text", "status", "report_back", "response", "owner", "directorate", "due",
           "acceptance", "evidence", "report_back_evidence"]  # fmt: skip


def _acceptance_label(row: ProposedRecommendation) -> str:
    """The acceptance the row would be saved with (implemented or closed with no word on
    acceptance: Accepted), so the table shows what saving will write."""
    found = acceptance_for(row)
    if found is None:
        return "Awaiting response"
    return acceptance_label(found.acceptance, found.in_principle)


def proposal_frame(rows: tuple[ProposedRecommendation, ...]) -> pd.DataFrame:
    """The proposal as the table the officer edits (labels, not stored values)."""
    records = [
        {
            "ref": row.ref,
            "text": row.text,
            "status": _LABEL_BY_STATUS[row.status],
            "report_back": row.report_back,
            "response": row.response,
            "owner": row.owner,
            "directorate": row.directorate,
            "due": row.due,
            "acceptance": _acceptance_label(row),
            "evidence": row.evidence,
            "report_back_evidence": row.report_back_evidence,
        }
        for row in rows
    ]
    return pd.DataFrame(records, columns=COLUMNS)


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    return str(value).strip()


def rows_from_frame(frame: pd.DataFrame) -> list[ProposedRecommendation]:
    """The officer's table back as proposals (blank rows added by mistake are dropped)."""
    rows = []
    for record in frame.to_dict("records"):
        if not any(_text(record.get(name)) for name in ("ref", "text", "response")):
            continue
        acceptance = _text(record.get("acceptance")).lower()
        rows.append(
            ProposedRecommendation(
                ref=_text(record.get("ref")),
                text=_text(record.get("text")),
                response=_text(record.get("response")),
                status=_STATUS_BY_LABEL.get(_text(record.get("status")), UNCLEAR),
                report_back=bool(record.get("report_back") is True),
                owner=_text(record.get("owner")),
                directorate=_text(record.get("directorate")),
                due=_text(record.get("due")),
                evidence=_text(record.get("evidence")),
                acceptance="" if acceptance == "awaiting response" else acceptance,
                report_back_evidence=_text(record.get("report_back_evidence")),
            )
        )
    return rows


# --- Step 1: the report ---------------------------------------------------------------------


def read_step() -> None:
    """Upload or paste, then read: the proposal goes into the session for review."""
    st.write(
        "Bring in the recommendations from a report to committee. The tracker proposes each "
        "recommendation with its status, and you check and correct them before anything is "
        "saved."
    )
    upload_tab, paste_tab = st.tabs(["Upload the report", "Paste its text"])
    with upload_tab:
        uploaded = st.file_uploader(
            "Report (.txt, .docx, .pdf or .csv)",
            type=[suffix.lstrip(".") for suffix in READABLE_SUFFIXES],
            max_upload_size=max(1, MAX_REPORT_BYTES // (1024 * 1024)),
        )
    with paste_tab:
        pasted = st.text_area(
            "Report text",
            key=KEY_PASTE,
            height=220,
            placeholder="Paste the report, or just its recommendations and responses.",
        )
    committee_met = st.checkbox(
        "The committee has met and noted this report",
        value=True,
        key=KEY_MET,
        help="Recommendations the report says are implemented are then proposed as closed, "
        "signed off at that meeting. Untick if the meeting is still to come: they stay "
        "implemented, awaiting the committee's sign-off.",
    )
    if not st.button("Read the report", type="primary", icon=":material/description:"):
        return
    if uploaded is not None:
        data, name = uploaded.getvalue(), uploaded.name
    elif pasted.strip():
        data, name = pasted.encode("utf-8"), "pasted text"
    else:
        st.error("Choose a report file or paste its text first. Nothing was saved.")
        return
    try:
        parsed = read_report(data, name, committee_met=committee_met)
    except ReportUnreadable as problem:
        st.error(f"{plain(problem)} Nothing was saved.", icon=":material/error:")
        return
    digest = hashlib.sha256(data).hexdigest()
    st.session_state[KEY_FILE_INFO] = (name, digest)
    _start_review(parsed, digest[:12])


def _start_review(parsed: ParsedReport, digest: str) -> None:
    """A report read: its proposal to review. The source picker keeps what the officer chose
    or typed (ui/source_picker.py); only the meeting date is the report's."""
    st.session_state[KEY_PARSED] = parsed
    st.session_state[KEY_ROWS] = proposal_frame(parsed.recommendations)
    st.session_state[KEY_EDITOR + ".version"] = digest
    st.session_state.pop(KEY_SAVED, None)
    st.session_state[KEY_MEETING] = parsed.report_date or date.today()
    st.rerun()


# --- Step 2: review -------------------------------------------------------------------------


def review_step(parsed: ParsedReport) -> pd.DataFrame:
    """The proposal in an editable table; returns the table as the officer left it."""
    rows: pd.DataFrame = st.session_state[KEY_ROWS]
    unclear = int((rows["status"] == UNCLEAR_LABEL).sum())
    st.subheader(f"Check the {plural(len(rows), 'recommendation')} found")
    notes = []
    if parsed.committee_recommendation:
        notes.append(
            "Not included: the report's own recommendation to the committee, "
            f"“{plain(parsed.committee_recommendation)}”"
        )
    if parsed.signed_off:
        notes.append(
            "Recommendations the report says are implemented are proposed as closed, because "
            "the report asks the committee to note them."
        )
    if unclear:
        notes.append(
            f"The report does not say the status of {plural(unclear, 'recommendation')}: "
            "choose one for each before saving."
        )
    for note in notes:
        st.caption(note)
    edited = st.data_editor(
        rows,
        key=KEY_EDITOR + st.session_state.get(KEY_EDITOR + ".version", ""),
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_order=[c for c in COLUMNS if c != "report_back_evidence"],
        column_config={
            "ref": st.column_config.TextColumn("Ref", width="small", required=True),
            "text": st.column_config.TextColumn("Recommendation", width="large", required=True),
            "status": st.column_config.SelectboxColumn(
                "Status",
                options=STATUS_OPTIONS,
                required=True,
                default=UNCLEAR_LABEL,
                help="Proposed from the report's words (see Evidence); correct it if need be.",
            ),
            "report_back": st.column_config.CheckboxColumn(
                "Report back",
                default=False,
                help="Must come back to the committee (the next meeting by default).",
            ),
            "response": st.column_config.TextColumn(
                "Response or progress",
                width="large",
                help="Saved as the recommendation's progress update.",
            ),
            "owner": st.column_config.TextColumn("Owner"),
            "directorate": st.column_config.TextColumn(
                "Directorate or service", help="The service the report names as leading it."
            ),
            "due": st.column_config.TextColumn("Target date", help="For example 31/03/2020."),
            "acceptance": st.column_config.SelectboxColumn(
                "Acceptance",
                options=ACCEPTANCE_OPTIONS,
                default="Awaiting response",
                required=True,
            ),
            "evidence": st.column_config.TextColumn(
                "Evidence",
                width="medium",
                help="The report's words behind the status.",
            ),
        },  # fmt: skip
    )
    return edited


# --- Step 3: where it goes, and saving ------------------------------------------------------


def save_step(parsed: ParsedReport, edited: pd.DataFrame) -> None:
    """Where the recommendations go (the shared source picker), the meeting, the officer's
    name, and the Save button, which names the source it writes to."""
    st.subheader("Where these recommendations belong")
    choice = source_picker(
        PICKER,
        Suggestion(
            title=parsed.title, committee=parsed.committee or None, issued=parsed.report_date
        ),
    )
    st.session_state.setdefault(KEY_MEETING, parsed.report_date or date.today())
    meeting = st.date_input(
        "Date of the meeting the report went to",
        key=KEY_MEETING,
        format="DD/MM/YYYY",
        help="The date of each recommendation's progress update.",
    )
    author = your_name(PICKER)
    rows = rows_from_frame(edited)
    label = f"Save {plural(len(rows), 'recommendation')}"
    if not choice.problems and choice.target:
        label += f" into {plain(choice.target)}"
    if not st.button(label, type="primary", icon=":material/save:", key=KEY_SAVE):
        return
    problems = [*choice.problems, *proposal_problems(rows, author)]
    if problems:
        _refused(problems)
        return
    name, digest = st.session_state.get(KEY_FILE_INFO, ("", ""))

    def save(connection: Connection) -> SaveResult:
        ensure_allowed(connection, current_person(), Action.IMPORT)
        # The record first, so the committee a new source needs is part of the batch.
        batch = start_batch(
            connection,
            REPORT,
            source_id=None if choice.is_new else choice.source_id,
            file_name=name,
            file_sha256=digest,
            recorded_by=author,
        )
        source: NewSource | int
        if choice.is_new:
            assert choice.committee is not None and choice.date_issued is not None
            source = NewSource(
                title=choice.source_title,
                kind=choice.kind,
                date_issued=choice.date_issued,
                confidentiality=choice.confidentiality,
                author=choice.body,
                committee_id=committee_id(connection, choice.committee, create=True),
            )
        else:
            assert choice.source_id is not None
            source = choice.source_id
        return save_proposal(connection, source, rows, author, meeting, batch=batch)

    try:
        result = write(save, "save the recommendations")
    except ProposalRefused as refused:
        _refused(refused.problems)
        return
    except NotAllowed as refused:
        _refused([refused.message])
        return
    except WriteFailed as failed:  # e.g. locked by another save, or the server went away
        st.error(plain(str(failed)), icon=":material/error:")
        return
    forget(PICKER)
    st.session_state[KEY_SAVED] = result
    for key in (KEY_PARSED, KEY_ROWS, KEY_FILE_INFO):
        st.session_state.pop(key, None)
    st.rerun()


def _refused(problems: tuple[str, ...] | list[str]) -> None:
    st.error(
        "Nothing was saved. " + " ".join(plain(problem) for problem in problems),
        icon=":material/error:",
    )


def show_saved(result: SaveResult) -> None:
    """What the save wrote, with the way to the register."""
    parts = []
    if result.created:
        parts.append(f"added {plural(len(result.created), 'recommendation')}")
    if result.updated:
        parts.append(f"recorded a progress update on {plural(len(result.updated), 'other')}")
    if result.unchanged:
        parts.append(
            f"left {plural(len(result.unchanged), 'recommendation')} unchanged (already saved)"
        )
    summary = "; ".join(parts) or "changed nothing"
    options = run_query(filter_options)
    label = options.sources.get(result.source_id, "")
    st.success(f"Saved: {summary}, in {plain(label)}.", icon=":material/check_circle:")
    if result.created or result.updated:
        st.caption("Refs: " + plain(", ".join(result.created + result.updated)))
    show_source_button(result.source_id, "See them in the register")
    if st.button("Import another report"):
        st.session_state.pop(KEY_SAVED, None)
        st.rerun()


def current_proposal() -> ParsedReport | None:
    return st.session_state.get(KEY_PARSED)


def saved_result() -> SaveResult | None:
    return st.session_state.get(KEY_SAVED)


def start_again_button() -> None:
    if st.button("Start again with another report", icon=":material/restart_alt:"):
        for key in (KEY_PARSED, KEY_ROWS, KEY_SAVED, KEY_FILE_INFO):
            st.session_state.pop(key, None)
        forget(PICKER)
        st.rerun()


__all__ = [
    "current_proposal",
    "proposal_frame",
    "read_step",
    "review_step",
    "rows_from_frame",
    "save_step",
    "saved_result",
    "show_saved",
    "start_again_button",
]
