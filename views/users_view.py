"""The Users page's parts: the list of users and the form that adds or changes one.

Every save goes through `data_access.users.save_user` in one transaction, which checks the
admin's right again, refuses bad input with what to fix, never leaves the tracker without an
admin, and records the change in the audit trail.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from data_access.db import DatabaseProblem, error_detail
from data_access.permissions import NotAllowed
from data_access.queries.options import FilterOptions
from data_access.users import UserChangeRefused, UserDraft, save_user
from domain.people import Role
from ui import cache
from ui.identity import current_person, forget_person
from ui.text import plain

__all__ = ["show_result", "user_form", "users_list"]

KEY_RESULT = "users.result"
KEY_PICK = "users.pick"
NEW_USER = "A new user"
NOBODY = 0

ROLE_HELP = (
    "Viewer: reads public items. Officer: also records updates on items they own or their "
    "directorate's. Scrutiny officer: updates on every item, sign-off, committees and "
    "calendars, briefing packs, the audit trail. Admin: also users and roles, imports and "
    "undo."
)


def show_result() -> None:
    outcome = st.session_state.pop(KEY_RESULT, None)
    if outcome is None:
        return
    kind, message = outcome
    if kind == "saved":
        st.success(plain(message), icon=":material/check_circle:")
    else:
        st.error(plain(message), icon=":material/error:")


def users_list(users: pd.DataFrame) -> None:
    if users.empty:
        st.info(
            "Nobody has signed in yet. People are added when they first sign in, or here.",
            icon=":material/group:",
        )
        return
    st.dataframe(
        users[
            [
                "display_name",
                "email",
                "role",
                "cleared_for_exempt",
                "officer",
                "directorate",
                "last_signed_in_at",
            ]
        ],
        hide_index=True,
        width="stretch",
        column_config={
            "display_name": "Name",
            "email": "Email address",
            "role": "Role",
            "cleared_for_exempt": st.column_config.CheckboxColumn("Cleared for exempt"),
            "officer": "Officer (owns items)",
            "directorate": "Directorate",
            "last_signed_in_at": st.column_config.DatetimeColumn(
                "Last signed in (UTC)", format="D MMM YYYY, HH:mm"
            ),
        },
    )


def user_form(users: pd.DataFrame, options: FilterOptions) -> None:
    """Choose a user (or a new one), then set their name, role, clearance and links."""
    emails = list(users["email"]) if not users.empty else []
    picked = st.selectbox("User to add or change", [NEW_USER, *emails], key=KEY_PICK)
    row = None if picked == NEW_USER else users[users["email"] == picked].iloc[0]
    officers = {NOBODY: "Not linked", **options.owners}
    directorates = {NOBODY: "Not linked", **options.directorates}
    suffix = picked if row is not None else "new"
    with st.form(f"users.form.{suffix}", border=True):
        if row is None:
            email = st.text_input("Email address they sign in with", max_chars=320)
        else:
            email = picked
            st.markdown(f"**{plain(picked)}**")
        name = st.text_input(
            "Name", value="" if row is None else str(row["display_name"]), max_chars=200
        )
        roles = list(Role)
        role = st.selectbox(
            "Role",
            roles,
            index=0 if row is None else roles.index(Role(row["role"])),
            format_func=lambda r: r.value.capitalize(),
            help=ROLE_HELP,
        )
        cleared = st.checkbox(
            "Cleared for exempt (Part 2) items",
            value=False if row is None else bool(row["cleared_for_exempt"]),
            help="Only people cleared see exempt items, their titles, wording, owners and "
            "counts; everyone else sees that some items are withheld.",
        )
        officer = st.selectbox(
            "Officer (the items they own)",
            list(officers),
            index=list(officers).index(_id(row, "officer_id")),
            format_func=lambda i: officers[i],
        )
        directorate = st.selectbox(
            "Directorate (its items too)",
            list(directorates),
            index=list(directorates).index(_id(row, "directorate_id")),
            format_func=lambda i: directorates[i],
        )
        submitted = st.form_submit_button("Save user", type="primary", icon=":material/save:")
    if submitted:
        _save(
            UserDraft(
                email=email,
                display_name=name,
                role=role,
                cleared_for_exempt=cleared,
                officer_id=officer or None,
                directorate_id=directorate or None,
            )
        )


def _id(row, column: str) -> int:
    if row is None or pd.isna(row[column]):
        return NOBODY
    return int(row[column])


def _save(draft: UserDraft) -> None:
    person = current_person()
    try:
        with cache.engine().begin() as connection:
            save_user(connection, person, draft)
    except UserChangeRefused as refused:
        outcome = ("error", "Not saved; nothing was changed. " + " ".join(refused.problems))
    except NotAllowed as refused:
        outcome = ("error", refused.message + " Nothing was changed.")
    except (DatabaseProblem, SQLAlchemyError) as error:
        outcome = (
            "error",
            f"The database could not save the user ({error_detail(error)}). Nothing was "
            "changed: try again in a moment.",
        )
    else:
        cache.invalidate()
        forget_person()  # if they changed themselves, it shows at once
        outcome = ("saved", f"Saved {draft.email.strip().lower()} as {draft.role.value}.")
    st.session_state[KEY_RESULT] = outcome
    st.rerun()
