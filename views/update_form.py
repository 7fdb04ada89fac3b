"""Recording a progress update from a recommendation's detail view.

Every change to a recommendation is a progress update saying who, when and why (DOMAIN.md),
written through `data_access.writes.add_update` in one transaction. Two officers may have the
same recommendation open: the id of the newest update is captured when the form is first
shown, and a save is refused if someone recorded an update since. Their change is then shown,
what was typed stays in the form, and the next save goes through ("Save mine anyway").

The save runs in the submit button's callback, before the page is drawn again, so the
detail view, the history and every other page read the new state on that same run (the
query cache is cleared), and the form can be emptied after a save.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import streamlit as st
from sqlalchemy import Connection

from data_access.permissions import NotAllowed, ensure_allowed
from data_access.queries.register import RecommendationDetail
from data_access.writes import (
    ConcurrentChange,
    InvalidUpdate,
    UpdateDraft,
    add_update,
    draft_problems,
    latest_update_id,
)
from domain.access import Action, ItemScope, may, refusal
from domain.formatting import long_date, short_date
from domain.people import Person
from domain.vocabulary import ReportBack, Status
from ui import cache
from ui.identity import current_person
from ui.shell import WriteFailed, read_now, write
from ui.text import plain

__all__ = [
    "CONFLICT_MESSAGE",
    "FIELDS",
    "NO_CHANGE",
    "SAVE_KEY",
    "field_key",
    "update_form",
]

CONFLICT_MESSAGE = "Someone else updated this recommendation after you opened the form"
FIELDS = (
    "author",
    "update_date",
    "narrative",
    "new_status",
    "new_target_date",
    "target_change_reason",
    "report_back",
    "evidence",
    "meeting_id",
)
SAVE_KEY = "update_save"
# The first choice of the status and report-back lists (a None option would show as empty).
NO_CHANGE = "No change"
NO_MEETING = "Not reported to a meeting"
DATE_FORMAT = "DD/MM/YYYY"
MAX_NARRATIVE = 10_000
MAX_EVIDENCE = 2_000
MAX_REASON = 1_000
# Wide bounds on the date pickers: a date outside a picker's bounds is silently replaced, so
# the real limits (not in the future, not before the recommendation) are checked on saving,
# where a wrong date gets a message instead.
EARLIEST_DATE = date(1990, 1, 1)
LATEST_DATE = date(2099, 12, 31)
_AUTHOR_KEY = "_update_author"  # the name typed last, offered again for the session
_OUTCOME_KEY = "_update_outcome_{}"
_EXPECTED_KEY = "_update_expected_{}"


def field_key(recommendation_id: int, name: str) -> str:
    """The widget key of one field of the form for that recommendation."""
    return f"update_{name}_{recommendation_id}"


@dataclass(frozen=True)
class _Outcome:
    """What the last press of Save led to, shown next to the form until the next one."""

    kind: str  # "saved", "problems" or "conflict"
    problems: tuple[str, ...] = ()
    newer_updates: tuple[Mapping[str, Any], ...] = field(default_factory=tuple)
    saved_date: date | None = None


def update_form(
    detail: RecommendationDetail,
    meetings: tuple[tuple[int, date], ...] = (),
    today: date | None = None,
) -> None:
    """The 'Record a progress update' form for the recommendation in view.

    `meetings` are (id, date) of the committee meetings the update may have gone to
    (`data_access.queries.history.reportable_meetings`). An update is always recorded as of
    now, so the form is offered only when the view is as at today; an earlier view says how
    to get to the form."""
    today = today or date.today()
    if detail.as_at != today:
        st.info(
            f"This view shows the recommendation as at {long_date(detail.as_at)}. Updates "
            "are recorded as of today: set **As at** in the sidebar to today to record one.",
            icon=":material/history:",
        )
        return
    person = current_person()
    item = ItemScope(detail.owner_id, detail.directorate_id, detail.is_exempt)
    refused = refusal(person, Action.RECORD_UPDATE, item)
    if refused is not None:
        st.info(plain(refused), icon=":material/visibility:")
        return
    rec = detail.id
    _capture_expected_on_first_show(rec)
    _show_outcome(rec)
    current = detail.status.label
    target = long_date(detail.current_target_date) if detail.current_target_date else "none"
    st.markdown(f"Currently **{current}**; current target date: {target}.")
    _set_defaults(rec, today)
    conflict = _outcome(rec) is not None and _outcome(rec).kind == "conflict"
    statuses = [s for s in Status if s is not Status.CLOSED or may(person, Action.SIGN_OFF)]
    with st.form(f"update_form_{rec}", enter_to_submit=False, border=True):
        _author_and_date_fields(rec, person)
        st.text_area(
            "What has happened since the last update",
            key=field_key(rec, "narrative"),
            max_chars=MAX_NARRATIVE,
            height=140,
        )
        _status_and_target_fields(rec, statuses)
        _report_back_fields(rec, meetings)
        st.text_area(
            "Evidence of implementation (optional)",
            key=field_key(rec, "evidence"),
            max_chars=MAX_EVIDENCE,
            height=80,
            help="A document, link or where the evidence is kept.",
        )
        st.form_submit_button(
            "Save mine anyway" if conflict else "Save update",
            key=f"{SAVE_KEY}_{rec}",
            type="primary",
            icon=":material/save:",
            on_click=_save,
            args=(rec, detail.made_on, detail.current_target_date, today, person),
        )


# -- the form's fields (drawn inside the form, values kept under field_key) -------------------


def _author_and_date_fields(rec: int, person: Person) -> None:
    """Who records the update, and the date it is of."""
    name, when = st.columns([2, 1])
    if person.signed_in:
        # Signed in, the update is recorded against the person, never a typed name.
        name.markdown(f"Recorded as **{plain(person.display_name)}** ({plain(person.identity)})")
    else:
        name.text_input(
            "Your name",
            key=field_key(rec, "author"),
            max_chars=200,
            help="Recorded with the update. Remembered while this browser tab is open.",
        )
    when.date_input(
        "Date of the update",
        key=field_key(rec, "update_date"),
        min_value=EARLIEST_DATE,
        max_value=LATEST_DATE,
        format=DATE_FORMAT,
        help="Not in the future, and not before the recommendation was made.",
    )


def _status_and_target_fields(rec: int, statuses: list[Status]) -> None:
    """The new status (only those the person may set) and a revised target with its reason."""
    status, new_target = st.columns(2)
    status.selectbox(
        "New status",
        [NO_CHANGE, *statuses],
        key=field_key(rec, "new_status"),
        format_func=_label,
        help="Leave as No change unless the status has moved. A closed recommendation "
        "can be reopened."
        + (
            ""
            if len(statuses) == len(Status)
            else " Closing is the committee's sign-off, recorded by a scrutiny officer."
        ),
    )
    new_target.date_input(
        "New target date (optional)",
        key=field_key(rec, "new_target_date"),
        min_value=EARLIEST_DATE,
        max_value=LATEST_DATE,
        format=DATE_FORMAT,
        help="Only when the target is revised; the original target is always kept.",
    )
    st.text_input(
        "Reason for changing the target date",
        key=field_key(rec, "target_change_reason"),
        max_chars=MAX_REASON,
        help="Required when the target date changes.",
    )


def _report_back_fields(rec: int, meetings: tuple[tuple[int, date], ...]) -> None:
    """The report-back commitment, and the committee meeting the update went to."""
    report_back, meeting = st.columns(2)
    report_back.selectbox(
        "Report back to committee",
        [NO_CHANGE, *ReportBack],
        key=field_key(rec, "report_back"),
        format_func=_label,
    )
    meeting_dates = dict(meetings)
    meeting.selectbox(
        "Reported to the committee meeting of",
        [NO_MEETING, *meeting_dates],
        key=field_key(rec, "meeting_id"),
        format_func=lambda m: m if m == NO_MEETING else long_date(meeting_dates[m]),
        help="Choose the meeting when this update went to committee: that meets a "
        "report-back commitment, and names the meeting that closed the recommendation.",
    )


# -- state kept between runs --------------------------------------------------------------


def _outcome(rec: int) -> _Outcome | None:
    return st.session_state.get(_OUTCOME_KEY.format(rec))


def _capture_expected_on_first_show(rec: int) -> None:
    """Note the newest update when the form appears (not at submit time).

    A field of the form missing from session_state means the form was not on screen in the
    last run (Streamlit drops the state of widgets not drawn), so this is a fresh opening."""
    if field_key(rec, "narrative") in st.session_state:
        return
    st.session_state[_EXPECTED_KEY.format(rec)] = read_now(latest_update_id, rec)


def _defaults(today: date) -> dict[str, Any]:
    return {
        "author": st.session_state.get(_AUTHOR_KEY, ""),
        "update_date": today,
        "narrative": "",
        "new_status": NO_CHANGE,
        "new_target_date": None,
        "target_change_reason": "",
        "report_back": NO_CHANGE,
        "evidence": "",
        "meeting_id": NO_MEETING,
    }


def _set_defaults(rec: int, today: date) -> None:
    """Fill the fields not yet on screen (the widgets then take their value from here)."""
    for name, value in _defaults(today).items():
        st.session_state.setdefault(field_key(rec, name), value)


def _clear_fields(rec: int, today: date) -> None:
    for name, value in _defaults(today).items():
        st.session_state[field_key(rec, name)] = value


# -- saving ---------------------------------------------------------------------------------


def _typed(rec: int, name: str) -> Any:
    return st.session_state.get(field_key(rec, name))


def _chosen(rec: int, name: str) -> Any:
    """A choice from a list that offers 'No change' first: None for that."""
    value = _typed(rec, name)
    return None if value is None or value == NO_CHANGE else value


def _label(option: Any) -> str:
    return option if option == NO_CHANGE else option.label


def _draft(rec: int, current_target: date | None, person: Person) -> UpdateDraft:
    """The update as typed. A 'new' target equal to the current one is no revision."""
    new_target = _typed(rec, "new_target_date")
    meeting = _typed(rec, "meeting_id") or NO_MEETING
    if new_target == current_target:
        new_target = None
    return UpdateDraft(
        update_date=_typed(rec, "update_date"),
        author=person.identity if person.signed_in else (_typed(rec, "author") or ""),
        narrative=_typed(rec, "narrative") or "",
        new_status=_chosen(rec, "new_status"),
        new_target_date=new_target,
        target_change_reason=(_typed(rec, "target_change_reason") or "") if new_target else None,
        report_back=_chosen(rec, "report_back"),
        evidence=_typed(rec, "evidence") or None,
        meeting_id=None if meeting == NO_MEETING else meeting,
    )


def date_problems(
    update_date: date | None, new_target: date | None, made_on: date, today: date
) -> list[str]:
    """The checks on dates that depend on the recommendation and the day (draft_problems
    checks the rest)."""
    problems = []
    if update_date is None:
        problems.append("Enter the date of the update.")
    elif update_date > today:
        problems.append(
            f"The update date cannot be in the future: today is {long_date(today)}. "
            "Record what has happened so far."
        )
    elif update_date < made_on:
        problems.append(
            f"The update date cannot be before the recommendation was made ({long_date(made_on)})."
        )
    if new_target is not None and new_target < made_on:
        problems.append(
            "The new target date cannot be before the recommendation was made "
            f"({long_date(made_on)})."
        )
    return problems


def _save(
    rec: int, made_on: date, current_target: date | None, today: date, person: Person
) -> None:
    """Submit callback: check, write in one transaction, and note the outcome.

    The person's right to write is checked again inside the transaction (their role read
    afresh), whatever the form showed."""
    outcome_key = _OUTCOME_KEY.format(rec)
    if not person.signed_in:
        st.session_state[_AUTHOR_KEY] = (_typed(rec, "author") or "").strip()
    draft = _draft(rec, current_target, person)
    problems = date_problems(draft.update_date, draft.new_target_date, made_on, today)
    if draft.update_date is not None:
        problems += draft_problems(draft, current_target)
    if problems:
        st.session_state[outcome_key] = _Outcome("problems", tuple(problems))
        return
    expected = st.session_state.get(_EXPECTED_KEY.format(rec))
    try:

        def record(connection: Connection) -> int:
            ensure_allowed(connection, person, Action.RECORD_UPDATE, rec)
            if draft.new_status is Status.CLOSED or draft.new_status == Status.CLOSED.value:
                ensure_allowed(connection, person, Action.SIGN_OFF, rec)
            return add_update(connection, rec, draft, expected_latest_update_id=expected)

        new_id = write(record, "record the update")
    except ConcurrentChange as change:
        theirs = tuple(change.newer_updates)
        # They have now been shown: the next save goes through unless yet another comes.
        st.session_state[_EXPECTED_KEY.format(rec)] = max(int(u["id"]) for u in theirs)
        st.session_state[outcome_key] = _Outcome("conflict", newer_updates=theirs)
        cache.invalidate()  # someone else's write: the views show their change
        return
    except InvalidUpdate as refused:
        st.session_state[outcome_key] = _Outcome("problems", refused.problems)
        return
    except NotAllowed as refused:
        st.session_state[outcome_key] = _Outcome("problems", (refused.message,))
        return
    except WriteFailed as failed:
        st.session_state[outcome_key] = _Outcome(
            "problems", (f"{failed} What you typed is still here.",)
        )
        return
    st.session_state[_EXPECTED_KEY.format(rec)] = new_id
    st.session_state[outcome_key] = _Outcome("saved", saved_date=draft.update_date)
    _clear_fields(rec, today)


# -- messages ----------------------------------------------------------------------------------


def _show_outcome(rec: int) -> None:
    outcome = _outcome(rec)
    if outcome is None:
        return
    if outcome.kind == "saved":
        del st.session_state[_OUTCOME_KEY.format(rec)]  # said once
        st.toast("Progress update saved", icon=":material/check_circle:")
        st.success(
            f"Your update of {long_date(outcome.saved_date)} was saved. The summary and "
            "history show it, and so does every page.",
            icon=":material/check_circle:",
        )
    elif outcome.kind == "problems":
        lines = "\n".join(f"- {plain(problem)}" for problem in outcome.problems)
        st.error(
            f"The update was not saved; nothing was changed. Put this right and save "
            f"again:\n\n{lines}",
            icon=":material/error:",
        )
    else:
        _show_conflict(outcome.newer_updates)


def _show_conflict(theirs: tuple[Mapping[str, Any], ...]) -> None:
    st.warning(
        f"{CONFLICT_MESSAGE}. Your update was not saved, and what you typed is still in the "
        "form. Review their change below (the summary and history now include it), adjust "
        "yours if needed, then choose **Save mine anyway**.",
        icon=":material/group:",
    )
    for update in theirs:
        with st.container(border=True):
            author = f" · {plain(update.get('author'))}" if update.get("author") else ""
            st.markdown(f"Their update of {long_date(update['update_date'])}{author}")
            changed = their_change(update)
            if changed:
                st.caption(plain(changed))
            st.text(str(update.get("narrative") or ""))


def their_change(update: Mapping[str, Any]) -> str:
    """What another writer's update changed, as one line of text."""
    changes = []
    if update.get("new_status"):
        changes.append(f"Status set to {Status(update['new_status']).label}")
    if update.get("new_target_date"):
        reason = update.get("target_change_reason")
        changes.append(
            f"Target set to {short_date(update['new_target_date'])}"
            + (f" (reason: {reason})" if reason else "")
        )
    if update.get("report_back"):
        changes.append(ReportBack(update["report_back"]).label)
    recorded = update.get("recorded_at")
    if isinstance(recorded, datetime):
        changes.append(f"Recorded {short_date(recorded.date())} at {recorded:%H:%M}")
    return "; ".join(changes)
