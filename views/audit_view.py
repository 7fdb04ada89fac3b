"""The Audit page's parts: its filters (person, dates, kind), the trail, and its CSV.

The trail itself is one query (`data_access.queries.audit.audit_trail`); exempt items are
named only for people cleared for them.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from data_access.queries.audit import AuditFilters, AuditPage, audit_choices, audit_trail
from domain.access import Action, may
from domain.formatting import long_date, plural
from exports.table_files import table_csv
from ui.identity import current_person
from ui.shell import read_now, run_query

__all__ = ["SHOWN", "audit_filters", "audit_table", "download"]

SHOWN = 1_000
ANYONE = "Anyone"
COLUMN_LABELS = {
    "recorded_at": "When (UTC)",
    "person": "Who",
    "kind": "What kind of change",
    "subject": "Of what",
    "detail": "Detail",
}


def audit_filters() -> AuditFilters:
    """The page's own filters (the sidebar's recommendation filters do not apply here)."""
    people, kinds = run_query(audit_choices)
    who, since, until = st.columns([2, 1, 1])
    person = who.selectbox("Person", [ANYONE, *people], key="audit.person")
    date_from = since.date_input(
        "From", value=None, key="audit.from", format="DD/MM/YYYY", min_value=date(1990, 1, 1)
    )
    date_to = until.date_input(
        "To", value=None, key="audit.to", format="DD/MM/YYYY", min_value=date(1990, 1, 1)
    )
    chosen_kinds = st.multiselect("Kind of change", kinds, key="audit.kinds", placeholder="All")
    return AuditFilters(
        person=None if person == ANYONE else person,
        date_from=date_from,
        date_to=date_to,
        kinds=tuple(chosen_kinds),
        include_exempt=may(current_person(), Action.VIEW_EXEMPT),
    )


def audit_table(trail: AuditPage) -> None:
    if trail.total == 0:
        st.info(
            "No change matches these filters. Choose Anyone, widen the dates or clear the kinds.",
            icon=":material/filter_alt:",
        )
        return
    shown = min(trail.total, SHOWN)
    st.markdown(
        f"Showing the newest {shown:,} of {plural(trail.total, 'change')}"
        + ("; the CSV has them all." if trail.total > SHOWN else ".")
    )
    st.dataframe(
        trail.rows,
        hide_index=True,
        width="stretch",
        column_config={
            "recorded_at": st.column_config.DatetimeColumn(
                COLUMN_LABELS["recorded_at"], format="D MMM YYYY, HH:mm"
            ),
            **{name: label for name, label in COLUMN_LABELS.items() if name != "recorded_at"},
        },
    )


def download(filters: AuditFilters) -> None:
    """The whole filtered trail as CSV, read and built only when the button is pressed (the
    trail grows with every update: hundreds of thousands of rows at 50,000 items)."""
    today = date.today()
    st.download_button(
        "Download the audit trail (CSV)",
        data=lambda: table_csv(
            read_now(audit_trail, filters, None).rows, column_labels=COLUMN_LABELS
        ),
        file_name=f"{today.isoformat()} Audit trail.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
        help=f"Every change these filters let through, as at {long_date(today)}.",
    )
