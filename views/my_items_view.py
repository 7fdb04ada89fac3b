"""Drawing "My items": the signed-in officer's items that need an update before their
committees meet (due back at the next meeting, overdue, or stale), with the date each
committee wants updates by and a link to record each one.

A signed-in officer linked to an officer record sees their own items. The embedded
single-user default (and anyone not linked to an officer) chooses whose items to see.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd
import streamlit as st

from domain.exempt import EXEMPT_COLUMN
from domain.formatting import long_date, plural
from domain.people import Person
from ui.text import plain

__all__ = ["MY_ITEMS_COLUMNS", "OWNER_KEY", "choose_owner", "show_my_items"]

OWNER_KEY = "my_items_owner"
TABLE_DATE = "D MMM YYYY"
MY_ITEMS_COLUMNS = {
    "link": st.column_config.LinkColumn("Open", display_text="Record an update", width="small"),
    "ref": st.column_config.TextColumn("Ref", width="small"),
    "why": st.column_config.TextColumn("Why an update is needed", width="medium"),
    "wording": st.column_config.TextColumn("Recommendation", width="large"),
    "committee": st.column_config.TextColumn("Committee"),
    "updates_due_on": st.column_config.DateColumn("Update due by", format=TABLE_DATE),
    "next_meeting": st.column_config.DateColumn("Meeting", format=TABLE_DATE),
    "status": st.column_config.TextColumn("Status"),
    "current_target_date": st.column_config.DateColumn("Current target", format=TABLE_DATE),
    "last_update_on": st.column_config.DateColumn("Last update", format=TABLE_DATE),
    "source": st.column_config.TextColumn("Source", width="medium"),
}


def choose_owner(person: Person, owners: Mapping[int, str]) -> int | None:
    """The officer whose items are shown: the person's own when they are linked to an
    officer record, else the one chosen (kept in the URL as `?my_items_owner=`)."""
    if person.officer_id is not None:
        return person.officer_id
    if not owners:
        st.info(
            "No officers are recorded yet: an import with an owner column brings them in.",
            icon=":material/person:",
        )
        return None
    st.caption(
        f"{plain(person.display_name)} is not linked to an officer record, so choose whose "
        "items to see."
    )
    return st.selectbox(
        "Show the items of",
        list(owners),
        format_func=owners.get,
        index=None,
        placeholder="Choose an officer",
        key=OWNER_KEY,
        bind="query-params",
    )


def show_my_items(items: pd.DataFrame, owner: str, as_at: date) -> None:
    """The tiles and the list, or a plain sentence when nothing needs an update."""
    if items.empty:
        st.success(
            f"Nothing of {plain(owner)}'s needs an update as at {long_date(as_at)}: no item is "
            "due back at its committee's next meeting, overdue, or without an update for a "
            "while.",
            icon=":material/task_alt:",
        )
        return
    due, overdue, stale = st.columns(3)
    due.metric("Due back at the next meeting", f"{int(items['due_back'].sum()):,}")
    overdue.metric("Overdue", f"{int(items['overdue'].sum()):,}")
    stale.metric("No recent update", f"{int(items['stale'].sum()):,}")
    soonest = items["updates_due_on"].dropna()
    if not soonest.empty:
        first = soonest.min().date()
        st.markdown(
            f"{plain(owner)} has {plural(len(items), 'item')} needing an update as at "
            f"{long_date(as_at)}. The first update is due by **{long_date(first)}**."
        )
    shown = items.assign(link=[f"/register?rec={rec_id}" for rec_id in items["id"]])
    st.dataframe(
        shown[list(MY_ITEMS_COLUMNS)],
        hide_index=True,
        column_config=MY_ITEMS_COLUMNS,
        placeholder="–",
    )
    if bool(items[EXEMPT_COLUMN].any()):
        st.caption("Some of these items are exempt (Part 2): keep them out of public papers.")
