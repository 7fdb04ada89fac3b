"""Drawing the recommendations register and the detail of one recommendation.

The chosen recommendation lives in the URL as `?rec=<id>` so a detail view can be bookmarked
or emailed. The table's row selection and `rec` are kept in step: choosing a row sets `rec`,
and each run selects the row of `rec` when it is on the page shown (or none). Only `rec` is
written to `st.query_params`; the filter parameters belong to their bound widgets.
Everything that came from the database is shown through `st.dataframe` or `plain()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from data_access.filters import Filters
from data_access.queries.changes import EditableRecommendation
from data_access.queries.register import RecommendationDetail, RegisterPage
from domain.formatting import count, long_date, plural
from domain.vocabulary import Rag
from exports.exempt import mark_exempt
from ui.downloads import table_downloads
from ui.text import plain
from views.edit_form import edit_forms
from views.history_view import history_view
from views.update_form import update_form

REC_PARAM = "rec"
TABLE_KEY = "register_table"
PAGE_KEY = "register_page_number"
CLOSE_KEY = "register_close"
BACK_TO_LIST = "Back to the list"
DETAIL_TABS_KEY = "register_detail_tabs"
_ROW_IDS_KEY = "_register_row_ids"
_FILTERS_KEY = "_register_filters"

RAG_BADGE_COLOURS = {
    Rag.RED: "red",
    Rag.AMBER: "orange",
    Rag.GREEN: "green",
    Rag.BLUE: "blue",
    Rag.GREY: "grey",
}
TABLE_DATE = "D MMM YYYY"

TARGET_COLUMNS = {
    "update_date": st.column_config.DateColumn("Changed on", format=TABLE_DATE),
    "from_date": st.column_config.DateColumn("From", format=TABLE_DATE),
    "to_date": st.column_config.DateColumn("To", format=TABLE_DATE),
    "reason": st.column_config.TextColumn("Reason", width="large"),
}
ACTION_COLUMNS = {
    "description": st.column_config.TextColumn("Action", width="large"),
    "owner": st.column_config.TextColumn("Owner"),
    "due_date": st.column_config.DateColumn("Due", format=TABLE_DATE),
    "status": st.column_config.TextColumn("Status"),
    "completed_on": st.column_config.DateColumn("Completed", format=TABLE_DATE),
    "evidence": st.column_config.TextColumn("Evidence", width="medium"),
}
REGISTER_COLUMNS = {
    "ref": st.column_config.TextColumn("Ref", width="small", pinned=True),
    "rag": st.column_config.TextColumn(
        "RAG", width="small", help="Computed from the status, target and updates"
    ),
    "rag_reason": st.column_config.TextColumn("Why this RAG", width="medium"),
    "wording": st.column_config.TextColumn("Recommendation", width="large"),
    "status": st.column_config.TextColumn("Status"),
    "current_target_date": st.column_config.DateColumn("Current target", format=TABLE_DATE),
    "original_target_date": st.column_config.DateColumn("Original target", format=TABLE_DATE),
    "owner": st.column_config.TextColumn("Owner"),
    "directorate": st.column_config.TextColumn("Directorate"),
    "source": st.column_config.TextColumn("Source", width="medium"),
    "last_update_on": st.column_config.DateColumn("Last update", format=TABLE_DATE),
}


@dataclass(frozen=True)
class EditContext:
    """What the Edit tab needs: the stored values, and the owners and directorates offered."""

    record: EditableRecommendation
    officers: dict[int, str]
    directorates: dict[int, str]


@dataclass(frozen=True)
class ChosenRecommendation:
    """What `?rec=` asks for: `raw` as typed in the URL, `id` when it is a whole number."""

    raw: str
    id: int | None


def chosen_recommendation() -> ChosenRecommendation | None:
    """The recommendation named in the URL, if any (read once at the top of the page)."""
    raw = st.query_params.get(REC_PARAM)
    if raw is None or not str(raw).strip():
        return None
    text = str(raw).strip()
    return ChosenRecommendation(text, int(text) if text.isdigit() and len(text) < 12 else None)


def _choose_from_table() -> None:
    """Selection callback: the chosen row's id goes into the URL; no row, no `rec`."""
    state = st.session_state.get(TABLE_KEY) or {}
    rows = (state.get("selection") or {}).get("rows") or []
    row_ids = st.session_state.get(_ROW_IDS_KEY) or ()
    if rows and rows[0] < len(row_ids):
        st.query_params[REC_PARAM] = str(row_ids[rows[0]])
    elif REC_PARAM in st.query_params:
        del st.query_params[REC_PARAM]


def close_detail() -> None:
    """Button callback: forget the chosen recommendation."""
    if REC_PARAM in st.query_params:
        del st.query_params[REC_PARAM]


def requested_page(filters: Filters) -> int:
    """The page asked for; back to page 1 whenever the filters change."""
    if st.session_state.get(_FILTERS_KEY) != filters:
        st.session_state[_FILTERS_KEY] = filters
        st.session_state[PAGE_KEY] = 1
    return int(st.session_state.get(PAGE_KEY) or 1)


def showing_line(result: RegisterPage, as_at: date, unfiltered: int | None = None) -> str:
    """'Showing 1–500 of 12,345 recommendations as at 12 February 2019, worst first.'

    With `unfiltered` (how many there are with no filter but the date) the line says the
    view is filtered and out of how many: 'Showing 20 of 406 recommendations (filtered)'."""
    noun = "recommendation" if result.total == 1 else "recommendations"
    filtered = unfiltered is not None and unfiltered != result.total
    if filtered and result.total <= len(result.rows):
        noun = "recommendation" if unfiltered == 1 else "recommendations"
        shown = f"Showing {count(result.total)} of {count(unfiltered)} {noun} (filtered)"
    elif result.total == 1:
        shown = "Showing the one recommendation"  # not "Showing all 1 recommendation"
    elif result.total <= len(result.rows):
        shown = f"Showing all {count(result.total)} {noun}"
    else:
        shown = (
            f"Showing {count(result.first_row)}–{count(result.last_row)} "
            f"of {count(result.total)} {noun}"
        )
        if filtered:
            shown += f" (filtered from {count(unfiltered)})"
    return f"{shown} as at {long_date(as_at)}, worst first: RAG, then the most overdue."


def paging(result: RegisterPage, as_at: date, unfiltered: int | None = None) -> None:
    """The 'Showing…' line, with a page number when the view spans several pages;
    `unfiltered` is the count with no filter but the date, when the view is filtered."""
    # The query may have moved past-the-end requests back to the last page.
    st.session_state[PAGE_KEY] = result.page
    if result.page_count <= 1:
        st.markdown(showing_line(result, as_at, unfiltered))
        return
    text, page_box = st.columns([4, 1], vertical_alignment="bottom")
    text.markdown(showing_line(result, as_at, unfiltered))
    page_box.number_input(
        f"Page (of {count(result.page_count)})",
        min_value=1,
        max_value=result.page_count,
        step=1,
        key=PAGE_KEY,
    )


def _sync_selection(row_ids: list[int], chosen: ChosenRecommendation | None) -> None:
    """Select the row of `?rec=` when it is on this page, and no row otherwise."""
    st.session_state[_ROW_IDS_KEY] = tuple(row_ids)
    wanted = [row_ids.index(chosen.id)] if chosen and chosen.id in row_ids else []
    current = st.session_state.get(TABLE_KEY)
    current_rows = list(((current or {}).get("selection") or {}).get("rows") or [])
    if current is None and not wanted:
        return
    if current_rows != wanted:
        st.session_state[TABLE_KEY] = {"selection": {"rows": wanted, "columns": []}}


def register_table(result: RegisterPage, chosen: ChosenRecommendation | None, as_at: date) -> None:
    """The page of recommendations; choosing a row opens its detail below."""
    row_ids = [int(value) for value in result.rows["id"]]
    _sync_selection(row_ids, chosen)
    st.dataframe(
        result.rows,
        key=TABLE_KEY,
        on_select=_choose_from_table,
        selection_mode="single-row",
        hide_index=True,
        height=min(36 + 35 * len(result.rows), 560),
        column_order=[
            "ref",
            "rag",
            "rag_reason",
            "wording",
            "status",
            "current_target_date",
            "original_target_date",
            "owner",
            "directorate",
            "source",
            "last_update_on",
        ],
        column_config=REGISTER_COLUMNS,
        placeholder="–",
        alt="Recommendations in view, worst first",
    )
    st.caption("Choose a row to see the recommendation in full below.")
    table_downloads(
        result.rows.drop(columns=["id"]),
        "Recommendations register",
        as_at,
        column_labels=REGISTER_COLUMNS,
        note=(
            f"Recommendations {count(result.first_row)} to {count(result.last_row)} "
            f"of {count(result.total)}."
            if result.total > len(result.rows)
            else ""
        ),
    )


def unknown_recommendation(chosen: ChosenRecommendation, as_at: date) -> None:
    """The message for a `?rec=` that names no recommendation as at the date."""
    if chosen.id is None:
        what = f"“{plain(chosen.raw)}” is not a recommendation number."
    else:
        what = (
            f"There is no recommendation number {chosen.id} in this tracker as at "
            f"{long_date(as_at)}. It may not have been made yet by that date, or the link "
            "may be wrong."
        )
    st.warning(
        f"{what} Choose a row in the table to see a recommendation.",
        icon=":material/search_off:",
    )
    st.button("Clear the link", on_click=close_detail, icon=":material/close:", key=CLOSE_KEY)


def _fact(label: str, value: str | None) -> None:
    st.markdown(f"**{label}**  \n{plain(value) if value else '—'}")


def _when(day: date | None) -> str | None:
    return long_date(day) if day else None


def detail_view(
    detail: RecommendationDetail,
    history: pd.DataFrame,
    meetings: tuple[tuple[int, date], ...] = (),
    edits: pd.DataFrame | None = None,
    editing: EditContext | None = None,
) -> None:
    """One recommendation in full, as at the date in force.

    What identifies it (title, badges, wording) stays above four tabs: the summary, the
    history of every update (`history`) and edit (`edits`, from
    `data_access.queries.changes`), the form to record an update, which offers the
    committee `meetings` (both from `data_access.queries.history`), and the edit forms
    (`editing`: the stored values and the owner and directorate choices)."""
    st.subheader(f"Recommendation {plain(detail.ref)}", anchor=False)
    st.markdown(f"From *{plain(detail.source_title)}*, as at {long_date(detail.as_at)}")
    with st.container(horizontal=True):
        st.badge(
            f"RAG: {detail.rag.label}",
            color=RAG_BADGE_COLOURS[detail.rag],
            help="Computed from the status, target and updates; never typed in.",
        )
        st.badge(detail.status.label, color="grey")
        if detail.is_exempt:
            st.badge(detail.confidentiality.label, color="red", icon=":material/lock:")
        for flag in detail.quality_flags:
            st.badge(
                flag.label,
                color="orange",
                icon=":material/flag:",
                help="A data-quality flag: worth putting right before the next report.",
            )
    if detail.is_exempt:
        st.warning(
            "Exempt (Part 2): this recommendation comes from a confidential source "
            "(Schedule 12A). Do not include it in public papers or exports.",
            icon=":material/lock:",
        )
    with st.container(border=True):
        st.markdown(plain(detail.wording))
    edits = edits if edits is not None else pd.DataFrame()
    saves = ["effective_on", "changed_by", "changed_at"]
    entries = len(history) + (edits.groupby(saves, dropna=False).ngroups if len(edits) else 0)
    summary, timeline, record, edit = st.tabs(
        ["Summary", f"History ({count(entries)})", "Record an update", "Edit"],
        key=DETAIL_TABS_KEY,
    )
    with summary:
        _summary(detail)
    with timeline:
        history_view(
            history,
            detail.as_at,
            file_subject=f"History of recommendation {detail.ref}",
            is_exempt=detail.is_exempt,
            edits=edits,
        )
    with record:
        update_form(detail, meetings)
    with edit:
        if editing is None:
            st.markdown("This recommendation cannot be edited here.")
        else:
            edit_forms(editing.record, editing.officers, editing.directorates, detail.as_at)
    # "Close" would read as the status: in this domain closing is the committee's sign-off.
    st.button(
        BACK_TO_LIST,
        on_click=close_detail,
        icon=":material/arrow_upward:",
        key=CLOSE_KEY,
        help="Hides this recommendation's detail; nothing about it changes.",
    )


def _summary(detail: RecommendationDetail) -> None:
    st.markdown(f"**Why this RAG:** {plain(detail.rag_reason)}")
    _facts(detail)
    if detail.report_back_pending:
        commitment = detail.report_back.label if detail.report_back else "Report back"
        meeting = (
            f"The committee next meets on {long_date(detail.next_meeting)}."
            if detail.next_meeting
            else "The committee has no meeting scheduled."
        )
        st.info(f"Report-back commitment: {commitment}. {meeting}", icon=":material/groups:")
    _target_history(detail)
    _actions(detail)


def _facts(detail: RecommendationDetail) -> None:
    source, responsibility, progress = st.columns(3)
    with source:
        _fact("Source", detail.source_title)
        _fact("Kind", detail.source_kind)
        _fact("Issued", _when(detail.source_issued))
        _fact("Confidentiality", detail.confidentiality.label)
        _fact("Committee", detail.committee)
    with responsibility:
        acceptance = detail.acceptance.label
        if detail.accepted_on:
            acceptance += f" on {long_date(detail.accepted_on)}"
        if detail.accepted_in_principle:
            acceptance += " (in principle)"
        _fact("Acceptance", acceptance)
        owner = detail.owner
        if owner and detail.owner_job_title:
            owner = f"{owner}, {detail.owner_job_title}"
        _fact("Owner", owner or "No owner")
        _fact("Directorate", detail.directorate)
        _fact("Priority", detail.priority)
        _fact("Made", _when(detail.made_on))
    with progress:
        status = detail.status.label
        if detail.closed_at_meeting:
            status += f", signed off at the meeting of {long_date(detail.closed_at_meeting)}"
        _fact("Status", status)
        _fact("Original target", _when(detail.original_target_date) or "No target set")
        _fact("Current target", _when(detail.current_target_date) or "No target set")
        _fact("Last update", _when(detail.last_update_on) or "No updates yet")


def _target_history(detail: RecommendationDetail) -> None:
    st.markdown("#### Target date history")
    if detail.revision_count == 0:
        st.markdown("The target has not been revised.")
        return
    later = plural(abs(detail.slip_days), "day")
    direction = "later" if detail.slip_days >= 0 else "earlier"
    st.markdown(
        f"Revised {plural(detail.revision_count, 'time')}; the current target is {later} "
        f"{direction} than the original."
    )
    st.dataframe(
        detail.target_history, hide_index=True, column_config=TARGET_COLUMNS, placeholder="–"
    )
    _detail_downloads(detail, detail.target_history, "Target date history", TARGET_COLUMNS)


def _actions(detail: RecommendationDetail) -> None:
    st.markdown("#### Actions")
    if detail.actions.empty:
        st.markdown("No actions are recorded under this recommendation.")
        return
    st.dataframe(detail.actions, hide_index=True, column_config=ACTION_COLUMNS, placeholder="–")
    _detail_downloads(detail, detail.actions, "Actions", ACTION_COLUMNS)


def _detail_downloads(
    detail: RecommendationDetail, rows: pd.DataFrame, what: str, columns: dict
) -> None:
    """One of the detail's tables as files; an exempt recommendation's only when asked."""
    table_downloads(
        mark_exempt(rows, detail.is_exempt),
        f"{what} of recommendation {detail.ref}",
        detail.as_at,
        column_labels=columns,
        key=f"download_{what.lower().replace(' ', '_')}",
    )
