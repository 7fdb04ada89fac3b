"""Recent imports, and undoing the latest import of a source (both import pages).

The list is `data_access.import_history.list_batches` (latest first: when, what, who, file and
its SHA-256, counts). Undo is two steps: choose the source's latest import and check it (what
would be removed, or exactly what changed since and stops it), then confirm. The undo
(`data_access.import_undo`) runs in one transaction, re-checked at that moment, and writes
nothing if it cannot be done.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st
from sqlalchemy import Connection

from data_access.import_history import BatchSummary, latest_undoable_batches, list_batches
from data_access.import_undo import (
    UndoPreview,
    UndoRefused,
    UndoResult,
    preview_undo,
    undo_latest_batch,
)
from data_access.permissions import NotAllowed, ensure_allowed
from domain.access import Action
from domain.formatting import plural
from ui.identity import current_person
from ui.shell import WriteFailed, read_now, run_query, write
from ui.source_picker import your_name
from ui.text import plain

LONDON = ZoneInfo("Europe/London")
SHOWN = 20


def _local(moment: datetime | None) -> str:
    """A stored UTC time as a council officer reads it: 4 Dec 2026, 13:45 (UK time)."""
    if moment is None:
        return ""
    local = moment.replace(tzinfo=UTC).astimezone(LONDON)
    return f"{local.day} {local:%b %Y, %H:%M}"


def batches_frame(batches: list[BatchSummary]) -> pd.DataFrame:
    """The list as the pages show it (text columns, so nothing is read as markup)."""
    return pd.DataFrame(
        {
            "When": [_local(b.recorded_at) for b in batches],
            "By": [b.recorded_by or "—" for b in batches],
            "From": [b.kind_label for b in batches],
            "File": [b.file_name or "—" for b in batches],
            "New": [b.new for b in batches],
            "Changed": [b.changed for b in batches],
            "Unchanged": [b.unchanged for b in batches],
            "Skipped": [b.skipped for b in batches],
            "Undone": [
                f"{_local(b.undone_at)} by {b.undone_by}" if b.undone_at else "" for b in batches
            ],
            "Into": [b.source_title + (" (new)" if b.source_created else "") for b in batches],
            "SHA-256": [b.file_sha256[:16] for b in batches],
        }
    )


_COLUMNS = {
    "When": st.column_config.TextColumn("When", width=140),
    "From": st.column_config.TextColumn("From", width="small"),
    "Into": st.column_config.TextColumn("Into", width="medium"),
    "SHA-256": st.column_config.TextColumn(
        "SHA-256", width="small", help="The start of the file's SHA-256 hash: which file it was."
    ),
    **{
        name: st.column_config.NumberColumn(name, width="small", format="%d")
        for name in ("New", "Changed", "Unchanged", "Skipped")
    },
}


def recent_imports(prefix: str) -> None:
    """The recent imports, and the undo of a source's latest import, in one expander."""
    batches = run_query(list_batches, SHOWN)
    done = st.session_state.pop(f"{prefix}.undo.done", None)
    expanded = bool(done) or st.session_state.get(f"{prefix}.undo.confirm") is not None
    with st.expander(
        f"Recent imports ({len(batches):,}{'+' if len(batches) == SHOWN else ''}), and undo",
        expanded=expanded,
        icon=":material/history:",
    ):
        if done:
            st.success(plain(done), icon=":material/undo:")
        if not batches:
            st.caption("No imports yet. Each import is listed here, latest first.")
            return
        st.dataframe(
            batches_frame(batches), hide_index=True, width="stretch", column_config=_COLUMNS
        )
        _undo_block(prefix)


def _undo_block(prefix: str) -> None:
    """Undo in two steps: choose a source's latest import and check it, then confirm."""
    undoable = run_query(latest_undoable_batches)
    st.markdown("**Undo the latest import of a source**")
    if not undoable:
        st.caption("There is no import to undo.")
        return
    batch = _chosen_batch(prefix, undoable)
    if batch is None:
        return
    confirm_key = f"{prefix}.undo.confirm"
    if st.session_state.get(confirm_key) != batch.id:
        if st.button("Check this import can be undone", key=f"{prefix}.undo.check"):
            st.session_state[confirm_key] = batch.id
            st.rerun()
        return
    assert batch.source_id is not None
    preview = read_now(preview_undo, batch.source_id)  # not cached: the state this moment
    if preview is None or preview.batch.id != batch.id:
        st.session_state.pop(confirm_key, None)
        st.warning("That import is no longer the latest of its source.", icon=":material/warning:")
        return
    if not preview.can_undo:
        _show_why_not(prefix, preview)
        return
    st.warning(_what_undo_will_do(batch, preview), icon=":material/undo:")
    _confirm_and_undo(prefix, batch)


def _chosen_batch(prefix: str, undoable: list[BatchSummary]) -> BatchSummary | None:
    """The import chosen to undo, or None (and no check pending) while none is chosen."""
    by_id = {batch.id: batch for batch in undoable}
    chosen = st.selectbox(
        "Import to undo",
        list(by_id),
        index=None,
        format_func=lambda key: by_id[key].describe,
        placeholder="Choose a source's latest import",
        key=f"{prefix}.undo.batch",
        help="Only the latest import of each source can be undone, and only while nothing "
        "has changed since on what it wrote.",
    )
    if chosen is None:
        st.session_state.pop(f"{prefix}.undo.confirm", None)
        return None
    return by_id[chosen]


def _show_why_not(prefix: str, preview: UndoPreview) -> None:
    """What changed since on what the import wrote, which stops the undo."""
    st.error(
        "This import cannot be undone, and nothing was changed: "
        + plural(len(preview.problems), "thing")
        + " changed since on what it wrote.",
        icon=":material/block:",
    )
    for problem in preview.problems:
        st.markdown("- " + plain(problem))
    if st.button("Close", key=f"{prefix}.undo.close"):
        st.session_state.pop(f"{prefix}.undo.confirm", None)
        st.rerun()


def _what_undo_will_do(batch: BatchSummary, preview: UndoPreview) -> str:
    """The warning shown before confirming: what the undo removes and puts back."""
    parts = [
        f"remove {plural(preview.updates_removed, 'progress update')}",
        f"remove {plural(preview.recommendations_removed, 'recommendation')} it added",
    ]
    if preview.recommendations_restored:
        parts.append(
            f"put back {plural(preview.recommendations_restored, 'recommendation')} as they "
            "were before it"
        )
    if preview.source_removed:
        parts.append(f"remove the source “{batch.source_title}” it created")
    return (
        f"Undoing the import of {plain(batch.file_name or 'a file')} into "
        f"“{plain(batch.source_title)}” will " + plain("; ".join(parts)) + "."
    )


def _confirm_and_undo(prefix: str, batch: BatchSummary) -> None:
    """Ask for a name and a yes, then undo in one transaction, re-checked at that moment."""
    confirm_key = f"{prefix}.undo.confirm"
    name = your_name(f"{prefix}.undo")
    left, right = st.columns(2)
    yes = left.button(
        "Yes, undo this import",
        type="primary",
        disabled=not name,
        help=None if name else "Enter your name first.",
        key=f"{prefix}.undo.yes",
    )
    if right.button("Cancel", key=f"{prefix}.undo.cancel"):
        st.session_state.pop(confirm_key, None)
        st.rerun()
    if not yes:
        return
    source_id = batch.source_id

    def undo(connection: Connection) -> UndoResult:
        ensure_allowed(connection, current_person(), Action.UNDO_IMPORT)
        result = undo_latest_batch(connection, source_id, name)
        if result.batch.id != batch.id:
            raise UndoRefused(["Another import of this source was recorded meanwhile."])
        return result

    try:
        result = write(undo, "undo the import")
    except UndoRefused as refused:
        st.error(plain(str(refused)), icon=":material/block:")
        return
    except NotAllowed as refused:
        st.error(plain(refused.message) + " Nothing was undone.", icon=":material/block:")
        return
    except WriteFailed as failed:
        st.error(plain(str(failed)), icon=":material/error:")
        return
    st.session_state.pop(confirm_key, None)
    st.session_state.pop(f"{prefix}.undo.batch", None)
    st.session_state[f"{prefix}.undo.done"] = (
        f"Undone: the import of {batch.file_name or 'a file'} into “{batch.source_title}”"
        f" ({plural(result.updates_removed, 'progress update')} and "
        f"{plural(result.recommendations_removed, 'recommendation')} removed"
        + (", and the source it created" if result.source_removed else "")
        + ")."
    )
    st.rerun()
