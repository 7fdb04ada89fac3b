"""Drawing the history of one recommendation: every progress update, newest first.

Updates from imports, the seed and the update form are drawn alike; each says when, who
(an import names its file as the author), what changed (status and target from → to, with
the reason), the report-back commitment, the meeting it went to, the narrative and evidence.
All of it came from people, so it is shown through `plain()`.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from domain.formatting import long_date, plural, short_date
from ui.downloads import table_downloads
from ui.text import plain

__all__ = ["MAX_ENTRIES", "history_view"]

# Entries drawn one by one; older ones are summarised in a line.
MAX_ENTRIES = 50


HISTORY_FILE_COLUMNS = {
    "update_date": "Update date",
    "author": "By",
    "what_changed": "What changed",
    "target_change_reason": "Reason for the new target",
    "narrative": "Update",
    "evidence": "Evidence",
    "meeting_date": "Reported to the meeting of",
    "recorded_at": "Recorded at",
}


def history_view(
    history: pd.DataFrame, as_at: date, *, file_subject: str = "", is_exempt: bool = False
) -> None:
    """The timeline of `data_access.queries.history.history`, newest first.

    The newest `MAX_ENTRIES` are drawn in full; older ones are listed in a table below, so
    every change can be read. With `file_subject` the whole history can be downloaded (an
    exempt recommendation's only when the user asks)."""
    if history.empty:
        st.markdown(f"No progress updates were recorded by {long_date(as_at)}.")
        return
    st.caption(
        f"{plural(len(history), 'progress update')} up to {long_date(as_at)}, newest first. "
        "Each update is kept as recorded; nothing is changed in place."
    )
    newest_first = history.iloc[::-1]
    for entry in newest_first.head(MAX_ENTRIES).itertuples(index=False):
        _entry(entry)
    older = newest_first.iloc[MAX_ENTRIES:]
    if not older.empty:
        with st.expander(f"{plural(len(older), 'older update')}"):
            st.dataframe(
                older[list(HISTORY_FILE_COLUMNS)],
                hide_index=True,
                column_config={
                    name: st.column_config.TextColumn(label)
                    for name, label in HISTORY_FILE_COLUMNS.items()
                },
            )
    if file_subject:
        table_downloads(
            history[list(HISTORY_FILE_COLUMNS)].assign(is_exempt=is_exempt),
            file_subject,
            as_at,
            column_labels=HISTORY_FILE_COLUMNS,
            key="download_history",
        )


def _entry(entry) -> None:
    with st.container(border=True):
        author = f" · {plain(entry.author)}" if not _missing(entry.author) else ""
        st.markdown(f"**{long_date(entry.update_date.date())}**{author}")
        notes = []
        if entry.what_changed:
            notes.append(plain(entry.what_changed))
        if not _missing(entry.meeting_date):
            notes.append(f"Reported to the meeting of {long_date(entry.meeting_date.date())}")
        if not _missing(entry.action):
            notes.append(f"On the action: {plain(entry.action)}")
        if not _missing(entry.recorded_at):
            recorded = entry.recorded_at
            notes.append(f"Recorded {short_date(recorded.date())} at {recorded:%H:%M}")
        st.caption(" · ".join(notes))
        if entry.target_changed and not _missing(entry.target_change_reason):
            st.markdown(f"**Reason for the new target:** {plain(entry.target_change_reason)}")
        st.markdown(plain(entry.narrative))
        if not _missing(entry.evidence):
            st.markdown(f"**Evidence:** {plain(entry.evidence)}")


def _missing(value: object) -> bool:
    return value is None or value != value or value == ""  # None, NaN/NaT, or empty
