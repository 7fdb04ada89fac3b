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
from exports.exempt import mark_exempt
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


EDIT_FILE_COLUMNS = {
    "effective_on": "Takes effect on",
    "changed_by": "By",
    "what": "What",
    "old": "Was",
    "new": "Now",
    "action": "On the action",
    "changed_at": "Recorded at",
}


def history_view(
    history: pd.DataFrame,
    as_at: date,
    *,
    file_subject: str = "",
    is_exempt: bool = False,
    edits: pd.DataFrame | None = None,
) -> None:
    """The timeline of `data_access.queries.history.history`, with the edits made in the app
    (`data_access.queries.changes.recommendation_changes`), newest first.

    The newest `MAX_ENTRIES` updates are drawn in full, each edit beside them on its day;
    older updates are listed in a table below, so every change can be read. With
    `file_subject` the whole history can be downloaded (an exempt recommendation's only
    when the user asks)."""
    edits = edits if edits is not None and not edits.empty else None
    if history.empty and edits is None:
        st.markdown(f"No progress updates or edits were recorded by {long_date(as_at)}.")
        return
    edit_groups = _edit_groups(edits)
    counted = [plural(len(history), "progress update")]
    if edit_groups:
        counted.append(plural(len(edit_groups), "edit"))
    st.caption(
        f"{' and '.join(counted)} up to {long_date(as_at)}, newest first. Each update and "
        "each edit is kept as recorded, with who made it and what it changed."
    )
    newest_first = history.iloc[::-1]
    drawn = newest_first.head(MAX_ENTRIES)
    timeline = [
        (row.update_date, 0, row.id, "update", row) for row in drawn.itertuples(index=False)
    ]
    oldest_drawn = drawn["update_date"].min() if len(newest_first) > MAX_ENTRIES else None
    for key, rows in edit_groups.items():
        if oldest_drawn is None or key[0] >= oldest_drawn:
            timeline.append((key[0], 1, int(rows["id"].max()), "edit", rows))
    for _, _, _, kind, entry in sorted(timeline, key=lambda t: t[:3], reverse=True):
        if kind == "update":
            _entry(entry)
        else:
            _edit_entry(entry)
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
    if file_subject and not history.empty:
        table_downloads(
            mark_exempt(history[list(HISTORY_FILE_COLUMNS)], is_exempt),
            file_subject,
            as_at,
            column_labels=HISTORY_FILE_COLUMNS,
            key="download_history",
        )
    if file_subject and edits is not None:
        table_downloads(
            edits[list(EDIT_FILE_COLUMNS)].assign(is_exempt=is_exempt),
            file_subject.replace("History", "Edits", 1),
            as_at,
            column_labels=EDIT_FILE_COLUMNS,
            key="download_edits",
        )


def _edit_groups(edits: pd.DataFrame | None) -> dict[tuple, pd.DataFrame]:
    """One entry per save: the changes with the same day, person and moment, together."""
    if edits is None:
        return {}
    keys = ["effective_on", "changed_by", "changed_at"]
    return {key: rows for key, rows in edits.groupby(keys, sort=True, dropna=False)}


def _edit_entry(rows: pd.DataFrame) -> None:
    first = rows.iloc[0]
    with st.container(border=True):
        st.markdown(f"**{long_date(first.effective_on.date())}** · {plain(first.changed_by)}")
        notes = ["Edited in the app"]
        if not _missing(first.action):
            notes.append(f"On the action: {plain(first.action)}")
        if not _missing(first.changed_at):
            notes.append(
                f"Recorded {short_date(first.changed_at.date())} at {first.changed_at:%H:%M}"
            )
        st.caption(" · ".join(notes))
        for change in rows.itertuples(index=False):
            st.markdown(f"- {plain(change.what_changed)}")


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
