"""Drawing the Committees page: the list, the forms that change a committee and its meetings,
and the calendar import with its preview.

Every change goes through `data_access.committees` in one transaction (`_write`), which
clears the cached queries and reruns with a confirmation, or shows what stopped it and that
nothing was changed. Forms (`st.form`) submit with Enter. Everything from the database or a
file is shown as text: in st.dataframe cells or through `plain()`.

The uploaded calendar is kept in session state as (name, bytes) under `KEY_CALENDAR_FILE`,
as the tracker import does, so a rerun (or a test) does not depend on the uploader widget.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st
from sqlalchemy import Connection

from data_access.committee_settings import MAX_REQUEST_DAYS, save_request_days
from data_access.committees import (
    MAX_NAME_LENGTH,
    CalendarPlan,
    CommitteeChangeRefused,
    add_committee,
    add_meeting,
    apply_calendar,
    move_meeting,
    plan_calendar,
    reinstate_committee,
    remove_meeting,
    rename_committee,
    retire_committee,
)
from data_access.permissions import NotAllowed, ensure_allowed
from data_access.users import record_event
from data_access.writes import InvalidUpdate
from domain.access import Action
from domain.formatting import count, long_date, plural, short_date
from importing.calendar_file import (
    MAX_CALENDAR_BYTES,
    CalendarReading,
    events_for_committee,
    read_calendar,
)
from importing.words import EARLIEST_YEAR, LATEST_YEAR
from ui.identity import current_person
from ui.shell import WriteFailed, read_now, write
from ui.text import plain

KEY_COMMITTEE = "committees.committee"
KEY_RESULT = "committees.result"
KEY_CALENDAR_FILE = "committees.calendar_file"
KEY_UPLOADER = "committees.calendar_uploader"
KEY_TITLES = "committees.calendar_titles"
EARLIEST_DAY = date(EARLIEST_YEAR, 1, 1)
LATEST_DAY = date(LATEST_YEAR, 12, 31)
DATE_FORMAT = "DD/MM/YYYY"


def committee_key(name: str, committee_id: int) -> str:
    """A widget key of one committee's form: a widget keeps its value under its key, so a
    form showing another committee's name or meetings needs a key of its own."""
    return f"committees.{name}.{committee_id}"


@dataclass(frozen=True)
class ChosenCommittee:
    id: int
    name: str
    retired_on: date | None


def show_result() -> None:
    """The confirmation of the last change, once, above everything else."""
    message = st.session_state.pop(KEY_RESULT, None)
    if message:
        st.success(message, icon=":material/check_circle:")


AUDIT_KIND = "committees and calendars"


def _write(change: Callable[[Connection], str], *, select_committee: bool = False) -> None:
    """Run `change` in one transaction; on success clear the caches and rerun with its
    confirmation; on refusal or failure say why and that nothing was changed.

    The person's right is checked again in the transaction, and the change is recorded
    against them for the audit trail (its confirmation is the record's subject)."""
    person = current_person()
    try:

        def change_and_record(connection: Connection) -> str:
            ensure_allowed(connection, person, Action.MANAGE_COMMITTEES)
            outcome = change(connection)
            said = outcome[0] if select_committee else outcome  # type: ignore[index]
            record_event(connection, person.identity, AUDIT_KIND, str(said))
            return outcome

        outcome = write(change_and_record, "save the change")
    except (CommitteeChangeRefused, WriteFailed) as refused:
        st.error(plain(str(refused)), icon=":material/error:")
        return
    except NotAllowed as refused:
        st.error(plain(refused.message) + " Nothing was changed.", icon=":material/block:")
        return
    if select_committee:
        message, committee_id = outcome  # type: ignore[misc]
        st.session_state[KEY_COMMITTEE] = committee_id
    else:
        message = outcome
    st.session_state[KEY_RESULT] = message
    st.rerun()


# --- Committees ------------------------------------------------------------------------------


def add_committee_form(first: bool) -> None:
    """A name and a button: Enter adds the committee and selects it."""
    with st.form("committees.add", clear_on_submit=True, border=True):
        st.markdown("**Add a committee**" if not first else "**Add your first committee**")
        name = st.text_input(
            "Name of the committee",
            max_chars=MAX_NAME_LENGTH,
            placeholder="e.g. Audit and Governance Committee",
        )
        if not st.form_submit_button("Add committee", icon=":material/add:"):
            return

    def change(connection: Connection):
        new_id = add_committee(connection, name)
        clean = " ".join(name.split())
        return (
            f"Added {plain(clean)}. Now give it its meeting dates, one at a time or by "
            "importing its calendar.",
            new_id,
        )

    _write(change, select_committee=True)


def show_committees(overview: pd.DataFrame, as_at: date) -> None:
    """Every committee with its calendar and workload, current ones first."""
    table = pd.DataFrame(
        {
            "Committee": overview["name"],
            "State": [
                f"Retired {short_date(day)}" if pd.notna(day) and day else "Current"
                for day in overview["retired_on"]
            ],
            "Meetings recorded": overview["meetings"].astype(int),
            "Previous meeting": pd.to_datetime(overview["previous_meeting"]),
            "Next meeting": pd.to_datetime(overview["next_meeting"]),
            "Recommendations": overview["recommendations"].astype(int),
            "Open": overview["open_recommendations"].astype(int),
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            # Wide enough for "Planning, Transport and Regeneration Overview and Scrutiny
            # Committee" on a wide screen (it was cut at 1920 px).
            "Committee": st.column_config.TextColumn(width=460),
            "State": st.column_config.TextColumn(width=80),
            "Meetings recorded": st.column_config.NumberColumn("Meetings", width=80),
            "Previous meeting": st.column_config.DateColumn(format="D MMM YYYY", width=120),
            "Next meeting": st.column_config.DateColumn(format="D MMM YYYY", width=110),
            "Recommendations": st.column_config.NumberColumn(width=120),
            "Open": st.column_config.NumberColumn(width=60),
        },
    )
    no_future = int((overview["next_meeting"].isna() & overview["retired_on"].isna()).sum())
    if no_future:
        st.caption(
            f"{plural(no_future, 'current committee')} {'has' if no_future == 1 else 'have'} "
            f"no meeting on or after {long_date(as_at)}: Next committee cannot say what is "
            "due back to them until their dates are added."
        )


def choose_committee(overview: pd.DataFrame) -> ChosenCommittee:
    """The committee whose meetings the forms below change."""
    names = dict(zip(overview["id"].astype(int), overview["name"], strict=True))
    retired = dict(zip(overview["id"].astype(int), overview["retired_on"], strict=True))
    options = list(names)
    if st.session_state.get(KEY_COMMITTEE) not in names:
        st.session_state.pop(KEY_COMMITTEE, None)

    def label(committee_id: int) -> str:
        day = retired.get(committee_id)
        return names[committee_id] + (" (retired)" if day is not None and pd.notna(day) else "")

    chosen = st.selectbox(
        "Committee to change",
        options,
        format_func=label,
        key=KEY_COMMITTEE,
        help="The committee whose name, state and meeting dates the forms below change.",
    )
    day = retired.get(chosen)
    return ChosenCommittee(
        chosen, names[chosen], day if day is not None and pd.notna(day) else None
    )


def rename_form(committee: ChosenCommittee) -> None:
    with st.form("committees.rename", border=True):
        st.markdown("**Rename**")
        st.caption(
            "Its meetings, recommendations and history stay with it. Links that name the "
            "committee (the Committee filter in an address) change with the name."
        )
        new_name = st.text_input(
            "New name",
            value=committee.name,
            max_chars=MAX_NAME_LENGTH,
            key=committee_key("new_name", committee.id),
        )
        if not st.form_submit_button("Rename committee", icon=":material/edit:"):
            return

    def change(connection: Connection) -> str:
        old = rename_committee(connection, committee.id, new_name)
        return f"Renamed {plain(old)} to {plain(' '.join(new_name.split()))}."

    _write(change)


def retire_form(committee: ChosenCommittee, open_items: int) -> None:
    """Retire (or bring back) the committee; retiring keeps everything it holds."""
    with st.form("committees.retire", border=True):
        if committee.retired_on is None:
            st.markdown("**Retire**")
            st.caption(
                "For a committee that no longer meets. It keeps its meetings, recommendations "
                "and history, and still appears in the Committee filter, but is no longer "
                "offered for new sources and items, nor briefed on by Next committee unless "
                "asked."
                + (
                    f" It still monitors {plural(open_items, 'open recommendation')}."
                    if open_items
                    else ""
                )
            )
            pressed = st.form_submit_button("Retire committee", icon=":material/archive:")
        else:
            st.markdown("**Bring back into use**")
            st.caption(f"Retired on {long_date(committee.retired_on)}.")
            pressed = st.form_submit_button("Bring back", icon=":material/unarchive:")
        if not pressed:
            return

    def change(connection: Connection) -> str:
        if committee.retired_on is None:
            retire_committee(connection, committee.id, date.today())
            return (
                f"Retired {plain(committee.name)} on {long_date(date.today())}. Its history "
                "is kept; it is no longer offered for new items."
            )
        reinstate_committee(connection, committee.id)
        return f"{plain(committee.name)} is back in use."

    _write(change)


# --- Meetings --------------------------------------------------------------------------------


def _meeting_label(row) -> str:
    links = []
    if row.updates_reported:
        links.append(plural(int(row.updates_reported), "update") + " reported")
    if row.items_closed:
        links.append(plural(int(row.items_closed), "item") + " closed")
    return long_date(row.meeting_date) + (f" ({', '.join(links)})" if links else "")


def show_meetings(committee: ChosenCommittee, meetings: pd.DataFrame, as_at: date) -> None:
    """The committee's meeting dates, with what links to each."""
    if meetings.empty:
        st.info(
            f"No meeting dates are recorded for {plain(committee.name)}. Add them one at a "
            "time below, or import its calendar (.ics or CSV) in **Import a calendar**.",
            icon=":material/event_busy:",
        )
        return
    upcoming = [day for day in meetings["meeting_date"] if day >= as_at]
    st.markdown(
        f"{plural(len(meetings), 'meeting')} recorded, "
        + (
            f"the next on **{long_date(upcoming[0])}**."
            if upcoming
            else f"none on or after {long_date(as_at)}."
        )
    )
    st.dataframe(
        pd.DataFrame(
            {
                "Meeting date": pd.to_datetime(meetings["meeting_date"]),
                "Day": [f"{day:%A}" for day in meetings["meeting_date"]],
                "Updates reported to it": meetings["updates_reported"].astype(int),
                "Items closed at it": meetings["items_closed"].astype(int),
            }
        ),
        hide_index=True,
        column_config={"Meeting date": st.column_config.DateColumn(format="D MMM YYYY")},
        height=min(36 + 35 * len(meetings), 400),
    )


def add_meeting_form(committee: ChosenCommittee) -> None:
    with st.form("committees.add_meeting", border=True):
        st.markdown("**Add a meeting**")
        day = st.date_input(
            "Meeting date",
            value=None,
            min_value=EARLIEST_DAY,
            max_value=LATEST_DAY,
            format=DATE_FORMAT,
            key="committees.add_meeting_date",
        )
        if not st.form_submit_button("Add meeting", icon=":material/event:"):
            return

    def change(connection: Connection) -> str:
        add_meeting(connection, committee.id, day)
        return f"Added a meeting of {plain(committee.name)} on {long_date(day)}."

    _write(change)


def move_meeting_form(committee: ChosenCommittee, meetings: pd.DataFrame) -> None:
    if meetings.empty:
        return
    rows = {int(row.id): row for row in meetings.itertuples(index=False)}
    with st.form("committees.move_meeting", border=True):
        st.markdown("**Move a meeting**")
        st.caption("Updates reported to it and items closed at it stay linked to it.")
        left, right = st.columns(2)
        meeting_id = left.selectbox(
            "Meeting",
            list(rows),
            index=None,
            placeholder="Choose the meeting",
            format_func=lambda key: _meeting_label(rows[key]),
            key=committee_key("move_which", committee.id),
        )
        new_day = right.date_input(
            "New date",
            value=None,
            min_value=EARLIEST_DAY,
            max_value=LATEST_DAY,
            format=DATE_FORMAT,
            key="committees.move_to",
        )
        if not st.form_submit_button("Move meeting", icon=":material/edit_calendar:"):
            return

    def change(connection: Connection) -> str:
        if meeting_id is None:
            raise CommitteeChangeRefused("Choose the meeting to move. Nothing was changed.")
        old = move_meeting(connection, committee.id, meeting_id, new_day)
        return (
            f"Moved the meeting of {plain(committee.name)} from {long_date(old)} to "
            f"{long_date(new_day)}."
        )

    _write(change)


def remove_meeting_form(committee: ChosenCommittee, meetings: pd.DataFrame) -> None:
    if meetings.empty:
        return
    rows = {int(row.id): row for row in meetings.itertuples(index=False)}
    with st.form("committees.remove_meeting", border=True):
        st.markdown("**Remove a meeting**")
        st.caption(
            "For a date entered by mistake. A meeting that an update was reported to, or "
            "where an item was closed, cannot be removed: move it instead."
        )
        meeting_id = st.selectbox(
            "Meeting",
            list(rows),
            index=None,
            placeholder="Choose the meeting",
            format_func=lambda key: _meeting_label(rows[key]),
            key=committee_key("remove_which", committee.id),
        )
        if not st.form_submit_button("Remove meeting", icon=":material/event_busy:"):
            return

    def change(connection: Connection) -> str:
        if meeting_id is None:
            raise CommitteeChangeRefused("Choose the meeting to remove. Nothing was changed.")
        day = remove_meeting(connection, committee.id, meeting_id)
        return f"Removed the meeting of {plain(committee.name)} on {long_date(day)}."

    _write(change)


# --- Importing a calendar --------------------------------------------------------------------


def _keep_upload() -> None:
    """The uploader changed: keep the new file, or forget the old one when it was removed."""
    uploaded = st.session_state.get(KEY_UPLOADER)
    if uploaded is None:
        st.session_state.pop(KEY_CALENDAR_FILE, None)
    else:
        st.session_state[KEY_CALENDAR_FILE] = (uploaded.name, uploaded.getvalue())


def calendar_upload() -> tuple[str, bytes] | None:
    """The calendar file chosen (kept in session state across reruns)."""
    st.file_uploader(
        "Calendar file (.ics or .csv)",
        type=["ics", "csv"],
        key=KEY_UPLOADER,
        help=(
            "An iCalendar file as your committee management system publishes it (in "
            "ModernGov, the calendar or meeting list's iCal/subscribe link), or a CSV with a "
            f"column of dates. At most {MAX_CALENDAR_BYTES // 1_000_000} MB."
        ),
        on_change=_keep_upload,
    )
    return st.session_state.get(KEY_CALENDAR_FILE)


def _chosen_events(reading: CalendarReading, committee: ChosenCommittee) -> list[date]:
    """The meeting days to import: all of a one-committee calendar, else the events whose
    titles the officer keeps (those naming the committee to begin with)."""
    kept, note = events_for_committee(reading, committee.name)
    titles = [title for title in reading.titles if title]
    if len(titles) <= 1:
        return sorted({event.day for event in kept})
    default = list(dict.fromkeys(event.title for event in kept))
    if note:
        st.info(plain(note), icon=":material/filter_alt:")
    chosen = st.multiselect(
        "Events to import, by title",
        titles,
        default=default,
        key=f"{KEY_TITLES}.{committee.id}",
        help="The calendar holds several committees' meetings: keep this committee's.",
    )
    return sorted({event.day for event in reading.events if event.title in set(chosen)})


def _dates_table(rows: list[tuple[date, str]], column: str) -> None:
    rows = sorted(rows)
    st.dataframe(
        pd.DataFrame(
            {
                "Meeting date": pd.to_datetime([day for day, _ in rows]),
                "Day": [f"{day:%A}" for day, _ in rows],
                column: [what for _, what in rows],
            }
        ),
        hide_index=True,
        column_config={"Meeting date": st.column_config.DateColumn(format="D MMM YYYY")},
        height=min(38 + 35 * len(rows), 400),
    )


def calendar_import(committee: ChosenCommittee) -> None:
    """Upload, read, preview against the committee's calendar, and add the new dates."""
    st.markdown(
        f"Add {plain(committee.name)}'s meeting dates from its calendar. Nothing is written "
        "until you press the button; dates already recorded are left alone, and meetings in "
        "the tracker that the file does not list are shown, never deleted."
    )
    chosen = calendar_upload()
    if chosen is None:
        st.caption(
            "A CSV needs one date a row, in a column headed Date (or the first column): "
            "12/03/2025, 12 March 2025 or Wednesday 12 March 2025 7.00 pm."
        )
        return
    name, data = chosen
    reading = read_calendar(data, name)
    if reading.problems:
        _show_file_problems(name, reading)
        return
    st.caption(
        plain(f"{name}: {reading.kind}, {plural(len(reading.events), 'event')} read. ")
        + " ".join(plain(note) for note in reading.notes)
    )
    days = _chosen_events(reading, committee)
    if not days:
        st.warning("No events are chosen, so there is nothing to import.", icon=":material/info:")
        return
    try:
        plan = read_now(plan_calendar, committee.id, days)
    except CommitteeChangeRefused as refused:
        st.error(
            f"The calendar could not be compared: {plain(str(refused))}", icon=":material/error:"
        )
        return
    _show_plan(plan)
    if plan.changes_nothing:
        st.info(
            f"Every date in {plain(name)} is already recorded for {plain(committee.name)}: "
            "importing it changes nothing.",
            icon=":material/task_alt:",
        )
        return
    _add_dates(plan, name, committee)


def _show_file_problems(name: str, reading: CalendarReading) -> None:
    """Why the file cannot be imported (the first 20 problems, and how many more)."""
    shown = "\n".join(f"- {plain(problem)}" for problem in reading.problems[:20])
    more = f"\n- …and {len(reading.problems) - 20} more" if len(reading.problems) > 20 else ""
    st.error(
        f"{plain(name)} cannot be imported; nothing was changed. Correct the file and "
        f"choose it again.\n\n{shown}{more}",
        icon=":material/error:",
    )


def _show_plan(plan: CalendarPlan) -> None:
    """What the import would do: dates to add, dates already there, and dates only in the
    tracker (kept, never deleted)."""
    to_add, there, only = st.columns(3)
    to_add.metric("Dates to add", count(len(plan.to_add)), border=True)
    there.metric("Already in the tracker", count(len(plan.already_there)), border=True)
    only.metric("In the tracker, not in the file", count(len(plan.only_in_tracker)), border=True)
    _dates_table(
        [(day, "Will be added") for day in plan.to_add]
        + [(day, "Already in the tracker: left alone") for day in plan.already_there],
        "What the import does",
    )
    if plan.only_in_tracker:
        only_count = len(plan.only_in_tracker)
        with st.expander(
            f"{plural(only_count, 'meeting')} in the tracker "
            f"{'is' if only_count == 1 else 'are'} not in the file: kept",
            icon=":material/event_note:",
        ):
            st.caption(
                "The import never deletes a meeting. If one of these was cancelled, remove it "
                "on **Meeting dates**."
            )
            _dates_table([(day, "Kept") for day in plan.only_in_tracker], "What happens")


def _add_dates(plan: CalendarPlan, name: str, committee: ChosenCommittee) -> None:
    """The button that adds the new dates, in one transaction."""
    label = f"Add {plural(len(plan.to_add), 'meeting date')} to {plain(committee.name)}"
    if not st.button(label, type="primary", key="committees.import_calendar"):
        return

    def change(connection: Connection) -> str:
        added = apply_calendar(connection, plan)
        return (
            f"Added {plural(added, 'meeting date')} from {plain(name)} to "
            f"{plain(committee.name)}."
            + (
                f" {plural(len(plan.only_in_tracker), 'meeting')} already recorded but not in "
                "the file were kept."
                if plan.only_in_tracker
                else ""
            )
        )

    _write(change)


# --- Update requests ------------------------------------------------------------------------


def request_days_form(committee: ChosenCommittee, days: int, set_here: bool) -> None:
    """How many days before each meeting owners' updates are due (the Update requests page
    and My items show that date)."""
    with st.form(committee_key("request_days_form", committee.id), border=True):
        st.markdown("**Updates due before each meeting**")
        st.caption(
            "Owners are asked for their updates by this many days before each meeting of "
            "the committee"
            + ("." if set_here else f"; the standard setting ({days} days) applies until set.")
        )
        chosen = st.number_input(
            "Days before the meeting",
            min_value=0,
            max_value=MAX_REQUEST_DAYS,
            value=days,
            step=1,
            key=committee_key("request_days", committee.id),
        )
        if not st.form_submit_button("Save", icon=":material/save:"):
            return

    def change(connection: Connection) -> str:
        try:
            save_request_days(connection, committee.id, int(chosen))
        except InvalidUpdate as refused:
            raise CommitteeChangeRefused(" ".join(refused.problems)) from refused
        return (
            f"Updates for {plain(committee.name)} are now due {plural(int(chosen), 'day')} "
            "before each meeting."
        )

    _write(change)
