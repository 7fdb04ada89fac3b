"""Correcting a recommendation in the app: its wording, owner, directorate, priority,
acceptance, source details and actions, each change recorded with who made it and when.

The forms start from the stored values (`queries.changes.editable_recommendation`) and pass
those back as what the officer saw: if someone changed a field since, the save is refused
(`edits.StaleEdit`), their value is shown, what was typed stays, and saving again replaces
it knowingly. Who made the change is the signed-in person (`ui.identity.current_person`),
never a typed name. Saves run in the submit buttons' callbacks, in one transaction each, so
the page drawn next (and every other page: the query cache is cleared) shows the change.
Who may edit (domain.access): a recommendation's and its source's details are corrected by a
scrutiny officer or an admin (`Action.EDIT_DETAILS`); actions and their progress by whoever
may record an update on the item (`Action.RECORD_UPDATE`: an officer on their own items).
The page shows the forms to those who may record updates; each save checks again inside its
transaction (`data_access.permissions.ensure_allowed`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from data_access import edits
from data_access.db import DatabaseProblem, error_detail
from data_access.edits import StaleEdit, field_label
from data_access.permissions import NotAllowed, ensure_allowed
from data_access.queries.changes import EditableRecommendation, describe_value
from data_access.writes import InvalidUpdate, UpdateDraft
from domain.access import Action
from domain.access import refusal as refusal_for
from domain.formatting import long_date
from domain.vocabulary import Acceptance, ActionStatus, Priority
from ui import cache
from ui.identity import current_person
from ui.text import plain

__all__ = ["edit_forms", "edit_key"]

NO_OWNER = 0  # the owner lists' first choice (st.selectbox cannot offer None with a label)
DATE_FORMAT = "DD/MM/YYYY"
EARLIEST_DATE = date(1990, 1, 1)
LATEST_DATE = date(2099, 12, 31)
_OUTCOME_KEY = "_edit_outcome_{}"


def edit_key(recommendation_id: int, name: str) -> str:
    """The widget key of one field of the edit forms for that recommendation."""
    return f"edit_{name}_{recommendation_id}"


def _may_edit() -> str | None:
    """Why the person may not edit anything here, or None (each save checks its own action)."""
    return refusal_for(current_person(), Action.RECORD_UPDATE)


def _action_for(save: Callable[..., int]) -> Action:
    """The permission a save needs: details are a scrutiny officer's; actions the owner's."""
    return (
        Action.EDIT_DETAILS
        if save in (_save_recommendation, _save_source)
        else (Action.RECORD_UPDATE)
    )


def edit_forms(
    record: EditableRecommendation,
    officers: Mapping[int, str],
    directorates: Mapping[int, str],
    as_at: date,
    today: date | None = None,
) -> None:
    """The 'Edit' tab: the recommendation, its source and its actions, each a form."""
    today = today or date.today()
    if as_at != today:
        st.info(
            f"This view shows the recommendation as at {long_date(as_at)}. Changes are made "
            "as of today: set **As at** in the sidebar to today to edit.",
            icon=":material/history:",
        )
        return
    refusal = _may_edit()
    if refusal:
        st.info(refusal, icon=":material/lock:")
        return
    rec = record.id
    _show_outcome(rec, officers, directorates)
    st.caption(
        f"Changes are recorded as made by {plain(current_person().display_name)}, with the "
        "value before and after; the history lists them and views as at an earlier date "
        "show what stood then."
    )
    owner_choices = {NO_OWNER: "No owner", **officers}
    directorate_choices = {NO_OWNER: "No directorate", **directorates}
    _recommendation_form(record, owner_choices, directorate_choices, today)
    _source_form(record, today)
    st.markdown("#### Actions")
    for action in record.actions:
        _action_forms(record, action, owner_choices, today)
    _new_action_form(record, owner_choices, today)


# -- the forms ---------------------------------------------------------------------------


def _recommendation_form(
    record: EditableRecommendation,
    owners: Mapping[int, str],
    directorates: Mapping[int, str],
    today: date,
) -> None:
    rec = record.id
    values = record.recommendation
    _defaults(
        rec,
        {
            "wording": values["wording"],
            "owner_id": values["owner_id"] or NO_OWNER,
            "directorate_id": values["directorate_id"] or NO_OWNER,
            "priority": Priority(values["priority"]),
            "acceptance": Acceptance(values["acceptance"]),
            "accepted_on": values["accepted_on"],
            "accepted_in_principle": bool(values["accepted_in_principle"]),
            "effective_on": today,
        },
    )
    with st.form(f"edit_recommendation_{rec}", enter_to_submit=False):
        st.markdown("#### The recommendation")
        st.text_area("Wording", key=edit_key(rec, "wording"), max_chars=edits.MAX_WORDING)
        owner, directorate, priority = st.columns(3)
        owner.selectbox(
            "Owner", list(owners), format_func=owners.get, key=edit_key(rec, "owner_id")
        )
        directorate.selectbox(
            "Directorate",
            list(directorates),
            format_func=directorates.get,
            key=edit_key(rec, "directorate_id"),
        )
        priority.selectbox(
            "Priority", list(Priority), format_func=_label, key=edit_key(rec, "priority")
        )
        acceptance, answered, principle = st.columns(3)
        acceptance.selectbox(
            "Acceptance", list(Acceptance), format_func=_label, key=edit_key(rec, "acceptance")
        )
        answered.date_input(
            "Date of the response",
            key=edit_key(rec, "accepted_on"),
            min_value=EARLIEST_DATE,
            max_value=LATEST_DATE,
            format=DATE_FORMAT,
            help="When it was accepted (or not). Required unless awaiting a response.",
        )
        principle.checkbox("Accepted in principle", key=edit_key(rec, "accepted_in_principle"))
        _effective_on(rec, "effective_on")
        st.form_submit_button(
            "Save changes",
            type="primary",
            icon=":material/save:",
            key=f"edit_save_recommendation_{rec}",
            on_click=_save,
            args=(
                rec,
                "the recommendation",
                _save_recommendation,
                dict(values),
                record.made_on,
                ("effective_on",),
            ),
        )


def _source_form(record: EditableRecommendation, today: date) -> None:
    rec = record.id
    values = record.source
    _defaults(
        rec,
        {
            "source_title": values["title"],
            "source_author": values["author"] or "",
            "source_accountable_director": values["accountable_director"] or "",
            "source_document_url": values["document_url"] or "",
            "source_effective_on": today,
        },
    )
    with st.expander("Source details"):
        st.caption("The source is shared by all its recommendations: a change shows on each.")
        with st.form(f"edit_source_{rec}", enter_to_submit=False, border=False):
            st.text_input(
                "Title", key=edit_key(rec, "source_title"), max_chars=edits.MAX_SOURCE_TITLE
            )
            author, director = st.columns(2)
            author.text_input("Author or body", key=edit_key(rec, "source_author"), max_chars=300)
            director.text_input(
                "Accountable director",
                key=edit_key(rec, "source_accountable_director"),
                max_chars=300,
            )
            st.text_input(
                "Link to the document", key=edit_key(rec, "source_document_url"), max_chars=1000
            )
            _effective_on(rec, "source_effective_on")
            st.form_submit_button(
                "Save source details",
                icon=":material/save:",
                key=f"edit_save_source_{rec}",
                on_click=_save,
                args=(
                    rec,
                    "the source",
                    _save_source,
                    dict(values),
                    record.made_on,
                    ("source_effective_on",),
                ),
            )


def _action_forms(record: EditableRecommendation, action, owners, today: date) -> None:
    """One action in its own expander: a form to correct it and one to record progress."""
    rec = record.id
    prefix = f"action{action.id}_"
    _defaults(
        rec,
        {
            prefix + "description": action.description,
            prefix + "owner_id": action.owner_id or NO_OWNER,
            prefix + "due_date": action.due_date,
            prefix + "status": ActionStatus(action.status),
            prefix + "completed_on": action.completed_on,
            prefix + "evidence": action.evidence or "",
            prefix + "effective_on": today,
            prefix + "update_date": today,
            prefix + "narrative": "",
        },
    )
    status = ActionStatus(action.status).label
    with st.expander(f"{plain(action.description[:80])} · {status}"):
        _action_details_form(record, action, owners, prefix)
        _action_progress_form(record, action, prefix)


def _action_details_form(record: EditableRecommendation, action, owners, prefix: str) -> None:
    """Correct one action: its wording, owner, due date, status, completion and evidence."""
    rec = record.id
    with st.form(f"edit_action_{action.id}", enter_to_submit=False, border=False):
        st.text_area("Action", key=edit_key(rec, prefix + "description"), height=80)
        owner, due, state = st.columns(3)
        owner.selectbox(
            "Owner",
            list(owners),
            format_func=owners.get,
            key=edit_key(rec, prefix + "owner_id"),
        )
        due.date_input(
            "Due date",
            key=edit_key(rec, prefix + "due_date"),
            min_value=EARLIEST_DATE,
            max_value=LATEST_DATE,
            format=DATE_FORMAT,
        )
        state.selectbox(
            "Status",
            list(ActionStatus),
            format_func=_label,
            key=edit_key(rec, prefix + "status"),
        )
        completed, evidence = st.columns([1, 2])
        completed.date_input(
            "Completed on",
            key=edit_key(rec, prefix + "completed_on"),
            min_value=EARLIEST_DATE,
            max_value=LATEST_DATE,
            format=DATE_FORMAT,
            help="Required to complete the action.",
        )
        evidence.text_input(
            "Evidence of implementation",
            key=edit_key(rec, prefix + "evidence"),
            max_chars=2000,
            help="A document, link or note. Required to complete the action.",
        )
        _effective_on(rec, prefix + "effective_on")
        seen = {
            "description": action.description,
            "owner_id": action.owner_id,
            "due_date": action.due_date,
            "status": action.status,
            "completed_on": action.completed_on,
            "evidence": action.evidence,
        }
        st.form_submit_button(
            "Save the action",
            icon=":material/save:",
            key=f"edit_save_action_{action.id}",
            on_click=_save,
            args=(
                rec,
                "the action",
                _save_action(action.id, prefix),
                seen,
                record.made_on,
                (prefix + "effective_on",),
            ),
        )


def _action_progress_form(record: EditableRecommendation, action, prefix: str) -> None:
    """Record progress on one action (a dated note, as for the recommendation itself)."""
    rec = record.id
    with st.form(f"action_update_{action.id}", enter_to_submit=False, border=False):
        st.markdown("**Progress on this action**")
        when, _ = st.columns([1, 2])
        when.date_input(
            "Date of the update",
            key=edit_key(rec, prefix + "update_date"),
            min_value=EARLIEST_DATE,
            max_value=LATEST_DATE,
            format=DATE_FORMAT,
        )
        st.text_area("What has happened", key=edit_key(rec, prefix + "narrative"), max_chars=10_000)
        st.form_submit_button(
            "Save progress on the action",
            icon=":material/save:",
            key=f"edit_save_action_update_{action.id}",
            on_click=_save,
            args=(
                rec,
                "the update",
                _save_action_update(action.id, prefix),
                {},
                record.made_on,
                (prefix + "update_date",),
            ),
        )


def _new_action_form(record: EditableRecommendation, owners, today: date) -> None:
    rec = record.id
    _defaults(
        rec,
        {"new_description": "", "new_owner_id": NO_OWNER, "new_due_date": None, "new_on": today},
    )
    adding = st.expander("Add an action", expanded=not record.actions)
    with adding, st.form(f"new_action_{rec}", enter_to_submit=False, border=False):
        st.text_area("What will be done", key=edit_key(rec, "new_description"), height=80)
        owner, due = st.columns(2)
        owner.selectbox(
            "Owner", list(owners), format_func=owners.get, key=edit_key(rec, "new_owner_id")
        )
        due.date_input(
            "Due date",
            key=edit_key(rec, "new_due_date"),
            min_value=EARLIEST_DATE,
            max_value=LATEST_DATE,
            format=DATE_FORMAT,
        )
        _effective_on(rec, "new_on")
        st.form_submit_button(
            "Add the action",
            icon=":material/add:",
            key=f"edit_add_action_{rec}",
            on_click=_save,
            args=(
                rec,
                "the new action",
                _save_new_action,
                {},
                record.made_on,
                ("new_on",),
            ),
        )


def _effective_on(rec: int, name: str) -> None:
    st.date_input(
        "Takes effect on",
        key=edit_key(rec, name),
        min_value=EARLIEST_DATE,
        max_value=LATEST_DATE,
        format=DATE_FORMAT,
        help="Views as at an earlier date show what stood before. Not in the future.",
    )


# -- saving --------------------------------------------------------------------------------


def _typed(rec: int, name: str) -> Any:
    return st.session_state.get(edit_key(rec, name))


def _id_or_none(value: Any) -> int | None:
    return None if value in (None, NO_OWNER) else int(value)


def _save_recommendation(conn, rec: int, seen: Mapping[str, Any], who: str) -> int:
    values = {
        "wording": _typed(rec, "wording") or "",
        "owner_id": _id_or_none(_typed(rec, "owner_id")),
        "directorate_id": _id_or_none(_typed(rec, "directorate_id")),
        "priority": Priority(_typed(rec, "priority")).value,
        "acceptance": Acceptance(_typed(rec, "acceptance")).value,
        "accepted_on": _typed(rec, "accepted_on"),
        "accepted_in_principle": bool(_typed(rec, "accepted_in_principle")),
    }
    return len(
        edits.edit_recommendation(
            conn,
            rec,
            values,
            seen=seen,
            changed_by=who,
            effective_on=_typed(rec, "effective_on"),
        )
    )


def _save_source(conn, rec: int, seen: Mapping[str, Any], who: str) -> int:
    values = {name: _typed(rec, f"source_{name}") or "" for name in edits.SOURCE_FIELDS}
    return len(
        edits.edit_source(
            conn,
            rec,
            values,
            seen=seen,
            changed_by=who,
            effective_on=_typed(rec, "source_effective_on"),
        )
    )


def _save_action(action_id: int, prefix: str) -> Callable[..., int]:
    def save(conn, rec: int, seen: Mapping[str, Any], who: str) -> int:
        values = {
            "description": _typed(rec, prefix + "description") or "",
            "owner_id": _id_or_none(_typed(rec, prefix + "owner_id")),
            "due_date": _typed(rec, prefix + "due_date"),
            "status": ActionStatus(_typed(rec, prefix + "status")).value,
            "completed_on": _typed(rec, prefix + "completed_on"),
            "evidence": _typed(rec, prefix + "evidence") or "",
        }
        return len(
            edits.edit_action(
                conn,
                action_id,
                values,
                seen=seen,
                changed_by=who,
                effective_on=_typed(rec, prefix + "effective_on"),
            )
        )

    return save


def _save_action_update(action_id: int, prefix: str) -> Callable[..., int]:
    def save(conn, rec: int, seen: Mapping[str, Any], who: str) -> int:
        draft = UpdateDraft(
            update_date=_typed(rec, prefix + "update_date"),
            author=who,
            narrative=_typed(rec, prefix + "narrative") or "",
        )
        edits.add_action_update(conn, action_id, draft)
        return 1

    return save


def _save_new_action(conn, rec: int, seen: Mapping[str, Any], who: str) -> int:
    edits.add_action(
        conn,
        rec,
        _typed(rec, "new_description") or "",
        owner_id=_id_or_none(_typed(rec, "new_owner_id")),
        due_date=_typed(rec, "new_due_date"),
        changed_by=who,
        effective_on=_typed(rec, "new_on"),
    )
    return 1


def _date_problems(rec: int, date_fields: tuple[str, ...], made_on: date, today: date) -> list[str]:
    """The form's dates must be given, not in the future, and not before the recommendation."""
    problems = []
    for name in date_fields:
        when = _typed(rec, name)
        if when is None:
            problems.append("Enter the date the change takes effect (or of the update).")
        elif when > today:
            problems.append(f"A date cannot be in the future: today is {long_date(today)}.")
        elif when < made_on:
            problems.append(
                f"A date cannot be before the recommendation was made ({long_date(made_on)})."
            )
    return problems


def _save(
    rec: int,
    what: str,
    save: Callable[..., int],
    seen: Mapping[str, Any],
    made_on: date,
    date_fields: tuple[str, ...],
) -> None:
    """Submit callback: check, write in one transaction, note the outcome, and start the
    form again from the stored values when saved."""
    outcome_key = _OUTCOME_KEY.format(rec)
    today = date.today()
    refusal = _may_edit()
    problems = [refusal] if refusal else _date_problems(rec, date_fields, made_on, today)
    if problems:
        st.session_state[outcome_key] = ("problems", what, tuple(problems))
        return
    person = current_person()
    who = person.identity
    try:
        with cache.engine().begin() as conn:
            ensure_allowed(conn, person, _action_for(save), rec)
            changed = save(conn, rec, seen, who)
    except NotAllowed as refused:
        st.session_state[outcome_key] = ("problems", what, (refused.message,))
        return
    except StaleEdit as stale:
        st.session_state[outcome_key] = ("stale", what, (stale.field, stale.now))
        cache.invalidate()  # the next run shows their value and passes it as seen
        return
    except InvalidUpdate as refused:
        st.session_state[outcome_key] = ("problems", what, refused.problems)
        return
    except (DatabaseProblem, SQLAlchemyError) as error:
        st.session_state[outcome_key] = (
            "problems",
            what,
            (
                f"The database could not record the change ({error_detail(error)}). Nothing "
                "was changed and what you typed is still here: try again in a moment.",
            ),
        )
        return
    cache.invalidate()
    st.session_state[outcome_key] = ("saved", what, (changed,))
    _clear_fields(rec)


def _defaults(rec: int, values: Mapping[str, Any]) -> None:
    for name, value in values.items():
        st.session_state.setdefault(edit_key(rec, name), value)


def _clear_fields(rec: int) -> None:
    """Drop every field of this recommendation's forms: the next run starts them again from
    the stored values, which now include the change."""
    suffix = f"_{rec}"
    for name in [k for k in st.session_state if isinstance(k, str)]:
        if name.startswith("edit_") and name.endswith(suffix) and not name.startswith("edit_save"):
            del st.session_state[name]


def _label(option: Any) -> str:
    return option.label


def _show_outcome(rec: int, officers: Mapping[int, str], directorates: Mapping[int, str]) -> None:
    outcome = st.session_state.get(_OUTCOME_KEY.format(rec))
    if outcome is None:
        return
    kind, what, details = outcome
    if kind == "saved":
        del st.session_state[_OUTCOME_KEY.format(rec)]  # said once
        if details[0]:
            st.success(
                f"Your change to {what} was saved. The history lists it.",
                icon=":material/check_circle:",
            )
        else:
            st.info(f"Nothing differed from what is recorded for {what}: nothing was saved.")
    elif kind == "problems":
        lines = "\n".join(f"- {plain(problem)}" for problem in details)
        st.error(
            f"Your change to {what} was not saved; nothing was changed. Put this right and "
            f"save again:\n\n{lines}",
            icon=":material/error:",
        )
    else:
        field, now = details
        value = describe_value(field, now, officers, directorates)
        st.warning(
            f"Someone else changed {plain(field_label(field).lower())} after you opened the "
            f"form (it now reads: {plain(value)}). Your change to {what} was not saved and "
            "what you typed is still in the form: check theirs, then save again to replace it.",
            icon=":material/group:",
        )
