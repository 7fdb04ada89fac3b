"""Drawing the tracker import: upload, check the columns, choose the source, preview, import.

The officer uploads an .xlsx or .csv tracker; `importing.spreadsheet.read_tracker` reads and
checks it; the columns it recognised are shown as selectboxes the officer can correct (and
the status and priority words it did not know are read once, kept with the source);
`data_access.import_tracker.plan_import` is the dry run shown as the preview. Import plans again
from the same file and writes it in one transaction, or nothing. The template and any source's
recommendations can be downloaded.

The uploaded file is kept in session state as (name, bytes) under `KEY_FILE`, so a rerun (or
a test) does not depend on the uploader widget. Everything from the file or the database is
shown through `st.dataframe` or `plain()`.
"""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import date

import streamlit as st
from sqlalchemy import Connection

from data_access.import_tracker import (
    DEFAULT_KIND,
    ImportOptions,
    ImportPlan,
    ImportRefused,
    ImportResult,
    Outcome,
    apply_import,
    default_source_title,
    plan_import,
    saved_word_readings,
)
from data_access.permissions import NotAllowed, ensure_allowed
from data_access.queries.sources import source_choices
from data_access.queries.tracker import (
    export_choices,
    export_filename,
    export_marking,
    export_title,
    tracker_frame,
)
from domain.access import Action
from domain.formatting import long_date, plural
from domain.vocabulary import Priority, Status
from exports.tracker_file import (
    template_xlsx,
    to_csv,
    to_xlsx,
)
from importing.spreadsheet import read_tracker
from importing.spreadsheet_types import (
    MAX_FILE_BYTES,
    MAX_FILE_LABEL,
    ParsedTracker,
    UnreadableFile,
    column_name,
)
from importing.tracker_columns import Field
from importing.tracker_preview import unknown_word_lines
from importing.word_readings import OTHER_COLUMNS, StatusChoice, WordReadings
from importing.words import normalise_words
from ui.downloads import INCLUDE_EXEMPT
from ui.identity import current_person
from ui.shell import WriteFailed, read_now, run_query, write
from ui.source_picker import (
    EXISTING,
    SourceChoice,
    Suggestion,
    forget,
    source_picker,
    withhold_exempt_sources,
    your_name,
)
from ui.text import plain
from views.overview_links import show_source_button

KEY_FILE = "import_tracker.file"
KEY_UPLOADER = "import_tracker.uploader"
KEY_PARSED = "import_tracker.parsed"
KEY_RESULT = "import_tracker.result"
KEY_EXPORT_SOURCE = "import_tracker.export_source"
KEY_EXPORT_EXEMPT = "import_tracker.export_include_exempt"
PICKER = "import_tracker"  # the source picker's and the batches block's session keys
NOT_IN_FILE = "Not in the file"
LEAVE_WORD = "Leave it: I will correct the file"

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


# --- Downloads -------------------------------------------------------------------------------


def downloads() -> None:
    """The template, and any source's recommendations as a tracker to edit and bring back.

    Each file is built when its button is clicked (`data=callable`, as `ui.downloads` does),
    not on every page draw."""
    left, right = st.columns(2)
    with left:
        st.download_button(
            "Download the template",
            data=template_xlsx,
            file_name="recommendations-tracker-template.xlsx",
            mime=XLSX_MIME,
            icon=":material/download:",
            on_click="ignore",
            help="Every column the import reads, an example row, and notes on each column.",
        )
    with right, st.expander("Download a source as a tracker"):
        _source_download()


def _source_download() -> None:
    """One source's tracker as CSV or XLSX. Exempt (Part 2) sources are not offered (so the
    default, the newest source, is never one) unless the person is cleared for exempt items
    and ticks "Include exempt (Part 2) items", as for every table download (ui.downloads);
    such a file is named without the title and says "not for publication" above it."""
    include = False
    if current_person().cleared_for_exempt and run_query(export_choices, True) != run_query(
        export_choices, False
    ):
        include = st.checkbox(
            INCLUDE_EXEMPT,
            key=KEY_EXPORT_EXEMPT,
            help="Exempt sources are not for publication: their files say so at the top.",
        )
    sources = run_query(export_choices, include)
    if not sources:
        st.caption(
            "There are no sources yet." if not include else "There are no sources to download."
        )
        return
    source_id = st.selectbox(
        "Source",
        list(sources),
        format_func=lambda key: sources[key],
        # A key per list: a choice from the longer list must not outlive the box being unticked.
        key=f"{KEY_EXPORT_SOURCE}.{'with_exempt' if include else 'public'}",
    )
    frame = run_query(tracker_frame, source_id, None, include)
    name = run_query(export_filename, source_id, "xlsx")
    marking = run_query(export_marking, source_id)
    if marking:
        st.warning(
            "This source is exempt (Part 2): the file is marked not for publication and is "
            "named without its title. Keep it out of public papers.",
            icon=":material/lock:",
        )
    st.caption(
        f"{plural(len(frame), 'recommendation')}. Edit the file and import it again: "
        "unchanged rows change nothing."
    )
    csv_col, xlsx_col = st.columns(2)
    # The title row lets the import find the source again; an exempt file carries it under
    # its marking (its name does not).
    title = run_query(export_title, source_id) if marking else name.removesuffix(".xlsx")
    csv_col.download_button(
        "CSV",
        data=lambda: to_csv(frame, marking=marking),
        file_name=name.removesuffix(".xlsx") + ".csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
    )
    xlsx_col.download_button(
        "Excel (.xlsx)",
        data=lambda: to_xlsx(frame, title=title, marking=marking),
        file_name=name,
        mime=XLSX_MIME,
        on_click="ignore",
        icon=":material/download:",
    )


# --- Upload and read -------------------------------------------------------------------------


def _keep_upload() -> None:
    uploaded = st.session_state.get(KEY_UPLOADER)
    if uploaded is None:
        st.session_state.pop(KEY_FILE, None)
    else:
        st.session_state[KEY_FILE] = (uploaded.name, uploaded.getvalue())
    st.session_state.pop(KEY_RESULT, None)


def upload_step() -> tuple[str, bytes] | None:
    """The uploaded file as (name, bytes), or None with a prompt."""
    st.file_uploader(
        f"Tracker file (.xlsx or .csv, at most {MAX_FILE_LABEL})",
        type=["xlsx", "csv"],
        key=KEY_UPLOADER,
        on_change=_keep_upload,
        max_upload_size=MAX_FILE_BYTES // (1024 * 1024),
    )
    return st.session_state.get(KEY_FILE)


def _mapping_key(digest: str, field: Field) -> str:
    return f"import_tracker.map.{digest}.{field.value}"


def _parse(
    name: str, data: bytes, mapping: dict[Field, int] | None, words: dict[str, Status]
) -> ParsedTracker:
    """read_tracker, kept for the session so reruns do not read a big file again.

    The automatic reading (no mapping) and the one with the officer's corrections are kept
    apart: a page draw asks for both, and one kept reading would read the file twice."""
    key = (
        _digest(data),
        name,
        None if mapping is None else tuple(sorted(mapping.items())),
        tuple(sorted(words.items())),
    )
    slot = f"{KEY_PARSED}.{'automatic' if mapping is None else 'corrected'}"
    cached = st.session_state.get(slot)
    if cached is not None and cached[0] == key:
        return cached[1]
    with st.spinner(f"Reading {name}…"):
        parsed = read_tracker(data, name, mapping=mapping, status_words=words)
    st.session_state[slot] = (key, parsed)
    return parsed


def read_step(file: tuple[str, bytes]) -> ParsedTracker | None:
    """Read the file and show the columns (correctable). Words it does not know are read in
    `words_step`, once the source is known (its saved readings ask nothing again)."""
    name, data = file
    digest = _digest(data)
    try:
        automatic = _parse(name, data, None, {})
    except UnreadableFile as problem:
        st.error(f"{plain(str(problem))} Nothing was changed.", icon=":material/error:")
        return None
    mapping = _mapping_step(automatic, digest)
    return automatic if mapping == automatic.mapping else _parse(name, data, mapping, {})


def _mapping_step(parsed: ParsedTracker, digest: str) -> dict[Field, int]:
    sheet = f', sheet "{parsed.sheet_name}"' if parsed.sheet_name else ""
    missing = [f for f in (Field.REF, Field.WORDING) if f not in parsed.mapping]
    with st.expander(
        f"Columns: header found on row {parsed.header_row}{plain(sheet)}. Check them",
        expanded=bool(missing),
    ):
        st.caption(
            "Each of the tracker's fields and the file's column it is read from. Correct any "
            "the import guessed wrongly. RAG is worked out by the tracker, so a RAG column is "
            "read but not stored."
        )
        options: list[int | None] = [None, *range(len(parsed.headers))]

        def label(index: int | None) -> str:
            if index is None:
                return NOT_IN_FILE
            return column_name(index, parsed.headers[index])

        chosen: dict[Field, int] = {}
        columns = st.columns(3)
        for position, field in enumerate(Field):
            default = parsed.mapping.get(field)
            with columns[position % 3]:
                index = st.selectbox(
                    field.label,
                    options,
                    index=options.index(default),
                    format_func=label,
                    key=_mapping_key(digest, field),
                )
            if index is not None:
                chosen[field] = index
        used: dict[int, list[str]] = {}
        for field, index in chosen.items():
            used.setdefault(index, []).append(field.label)
        for index, fields in used.items():
            if len(fields) > 1:
                st.warning(
                    f"Column {plain(label(index))} is chosen for {', '.join(fields)}: each "
                    "column should be read once.",
                    icon=":material/warning:",
                )
        if parsed.title_lines:
            st.caption("Title rows above the header: " + plain(" / ".join(parsed.title_lines)))
    return chosen


def _words_key(kind: str, word: str) -> str:
    # Keyed by the word, not the file: a newer copy of the same tracker keeps the choice.
    return f"import_tracker.word.{kind}.{normalise_words(word)}"


def _saved_readings(source_id: int | None) -> WordReadings:
    if source_id is None:
        return WordReadings()
    return run_query(saved_word_readings, source_id)


def words_step(parsed: ParsedTracker, options: ImportOptions) -> ImportOptions:
    """Each status and priority word the tracker does not know, listed once with a choice;
    the readings go into the options (and are kept with the source when imported). Words the
    source's earlier imports already read are not asked again."""
    saved = _saved_readings(options.source_id)
    statuses = [
        word for word in parsed.unmapped_statuses if normalise_words(word) not in saved.statuses
    ]
    priorities = [
        word for word in parsed.unmapped_priorities if normalise_words(word) not in saved.priorities
    ]
    known = [
        f'"{word}" → {saved.label(saved.statuses[normalise_words(word)])}'
        for word in parsed.unmapped_statuses
        if normalise_words(word) in saved.statuses
    ] + [
        f'"{word}" → {saved.priorities[normalise_words(word)].label}'
        for word in parsed.unmapped_priorities
        if normalise_words(word) in saved.priorities
    ]
    if known:
        st.caption("Read as this source's earlier imports read them: " + plain("; ".join(known)))
    if not statuses and not priorities:
        return options
    st.subheader("Words the tracker does not know")
    st.caption(
        "Choose what each word means for this tracker: it is asked once, and kept with the "
        "source when you import. “Use the row's other columns” reads each row's status from "
        "its evidence (implemented) or its update; a row with neither is not started. Overdue "
        "and RAG colours are worked out by the tracker from the dates, so they are not statuses."
    )
    status_choices: list[StatusChoice | None] = [None, *Status, OTHER_COLUMNS]
    chosen_statuses: dict[str, StatusChoice] = {}
    columns = st.columns(3)
    for position, word in enumerate(statuses):
        rows = parsed.unmapped_statuses[word]
        with columns[position % 3]:
            choice = st.selectbox(
                f'Status "{plain(word)}" ({plural(rows, "row")}) means',
                status_choices,
                format_func=lambda c: LEAVE_WORD if c is None else WordReadings().label(c),
                key=_words_key("status", word),
            )
        if choice is not None:
            chosen_statuses[normalise_words(word)] = choice
    priority_choices: list[Priority | None] = [None, *Priority]
    chosen_priorities: dict[str, Priority] = {}
    for position, word in enumerate(priorities):
        rows = parsed.unmapped_priorities[word]
        with columns[(len(statuses) + position) % 3]:
            choice = st.selectbox(
                f'Priority "{plain(word)}" ({plural(rows, "row")}) means',
                priority_choices,
                format_func=lambda c: LEAVE_WORD if c is None else c.label,
                key=_words_key("priority", word),
            )
        if choice is not None:
            chosen_priorities[normalise_words(word)] = choice
    return dataclasses.replace(
        options,
        readings=WordReadings(statuses=chosen_statuses, priorities=chosen_priorities),
    )


# --- Source and author -----------------------------------------------------------------------


def source_step(parsed: ParsedTracker) -> tuple[SourceChoice, ImportOptions]:
    """Which source the file belongs to (the shared picker) and who imports.

    The file's suggestion (`default_source_title`) only starts the picker; the officer's
    choice is never changed by a later file (see ui/source_picker.py)."""
    st.subheader("Which source the recommendations belong to")
    suggested = read_now(default_source_title, parsed)
    titles = run_query(source_choices, withhold_exempt_sources()).titles
    named = [key for key, title in titles.items() if _same(title, suggested)]
    choice = source_picker(
        PICKER,
        Suggestion(
            source_id=named[0] if len(named) == 1 else None, title=suggested, kind=DEFAULT_KIND
        ),
    )
    author = your_name(PICKER)
    if choice.mode == EXISTING and choice.source_id is not None:
        return choice, ImportOptions(source_id=choice.source_id, author=author)
    return choice, ImportOptions(
        # A blank title (nothing chosen yet) must not fall back to the file's suggestion.
        source_title=choice.source_title or " ",
        committee=choice.committee,
        kind=choice.kind,
        date_issued=choice.date_issued,
        confidentiality=choice.confidentiality,
        source_author=choice.body,
        author=author,
    )


def _same(a: str, b: str) -> bool:
    return normalise_words(a) == normalise_words(b)


# --- Preview and import ----------------------------------------------------------------------


def _plan(parsed: ParsedTracker, options: ImportOptions) -> ImportPlan:
    with st.spinner(f"Checking {plural(len(parsed.rows), 'row')}…"):
        return read_now(plan_import, parsed, options)


def preview_step(parsed: ParsedTracker, options: ImportOptions) -> ImportPlan:
    """The dry run: counts, problems (row, column, value, what is wrong), notes, rows."""
    plan = _plan(parsed, options)
    st.subheader("What the import will do")
    counts = plan.counts
    new, changed, unchanged = st.columns(3)
    new.metric("New recommendations", f"{counts[Outcome.NEW]:,}")
    changed.metric("Changed (progress updates)", f"{counts[Outcome.CHANGED]:,}")
    unchanged.metric("Unchanged", f"{counts[Outcome.UNCHANGED]:,}")
    for message in plan.source_problems:
        st.warning(plain(message), icon=":material/edit:")
    if plan.problems:
        st.error(
            f"The file has {plural(len(plan.problems), 'problem')}, so nothing can be imported "
            "yet and nothing has been changed. Correct them in the file and upload it again, "
            "or correct the columns above.",
            icon=":material/error:",
        )
        st.dataframe(plan.problems_frame(), hide_index=True, width="stretch")
        for line in unknown_word_lines(plan.parsed):
            st.caption(plain(line) + " Choose what each means above, or correct the file.")
    if plan.parsed.ref_note:
        st.info(plain(plan.parsed.ref_note), icon=":material/tag:")
    if plan.notes:
        st.info(
            f"{plural(len(plan.notes), 'value')} read with a note: check they are what you meant.",
            icon=":material/info:",
        )
        st.dataframe(plan.notes_frame(), hide_index=True, width="stretch")
    skipped = plan.parsed.skipped
    if skipped:
        with st.expander(f"{plural(len(skipped), 'row')} passed over"):
            st.dataframe(
                {
                    "Row": [s.row for s in skipped],
                    "Why": [s.reason for s in skipped],
                    "Text": [s.text for s in skipped],
                },
                hide_index=True,
                width="stretch",
            )
    if plan.rows:
        frame = plan.rows_frame()
        worth_seeing = frame[frame["Outcome"] != "Unchanged"]
        if len(worth_seeing):
            st.markdown("**New and changed rows**")
            st.dataframe(worth_seeing, hide_index=True, width="stretch")
    return plan


def _target(plan: ImportPlan) -> str:
    """Where the plan writes, as the Import button names it."""
    if not plan.source_title:
        return ""
    new = " (a new source)" if plan.new_source is not None else ""
    return f"“{plain(plan.source_title)}”{new}"


def _goes_where_chosen(choice: SourceChoice, plan: ImportPlan) -> bool:
    """The plan writes exactly where the officer chose: that source, or a new one."""
    if choice.mode == EXISTING:
        return choice.source_id is not None and plan.source_id == choice.source_id
    return choice.is_new and plan.new_source is not None


def import_step(
    parsed: ParsedTracker, choice: SourceChoice, options: ImportOptions, plan: ImportPlan
) -> None:
    """The Import button, naming the source it writes to: plans again from the same file and
    writes it all, or nothing."""
    counts = plan.counts
    writes = counts[Outcome.NEW] + counts[Outcome.CHANGED]
    reason = None
    if plan.problems:
        reason = "Correct the problems above first."
    elif choice.problems:
        reason = choice.problems[0]
    elif plan.source_problems:
        reason = "Give the source's details above first."
    elif not _goes_where_chosen(choice, plan):
        reason = "Choose where the recommendations go."
    elif not (options.author or "").strip():
        reason = "Enter your name first."
    elif not writes:
        reason = "Nothing in the file is new or changed."
    label = f"Import {plural(writes, 'recommendation')}" if writes else "Import"
    if not choice.problems and _goes_where_chosen(choice, plan) and _target(plan):
        label += f" into {_target(plan)}"
    clicked = st.button(label, type="primary", disabled=reason is not None, help=reason)
    if reason:
        st.caption(plain(reason))
    if not clicked:
        return

    def import_now(connection: Connection) -> ImportResult:
        ensure_allowed(connection, current_person(), Action.IMPORT)
        fresh = plan_import(connection, parsed, options)
        if not _goes_where_chosen(choice, fresh):
            raise ImportRefused(
                f"“{fresh.source_title}” is now a source already in the tracker, so "
                "nothing was imported. Choose it, or give the new source another title."
            )
        return apply_import(connection, fresh)

    try:
        with st.spinner("Importing…"):
            result = write(import_now, "save the import")
    except (ImportRefused, WriteFailed) as refused:
        st.error(plain(str(refused)), icon=":material/error:")
        return
    except NotAllowed as refused:
        st.error(plain(refused.message) + " Nothing was imported.", icon=":material/block:")
        return
    forget(PICKER)  # the next file starts afresh; the officer's name is kept
    st.session_state[KEY_RESULT] = (parsed.filename, result)
    st.rerun()


def show_result() -> None:
    """What the last import wrote (shown above the form until another file is chosen)."""
    saved = st.session_state.get(KEY_RESULT)
    if saved is None:
        return
    filename, result = saved
    assert isinstance(result, ImportResult)
    st.success(
        f"Imported {plain(filename)} into “{plain(result.source_title)}”: "
        f"{plural(result.created, 'new recommendation')}, {result.changed:,} changed and "
        f"{result.unchanged:,} unchanged; "
        f"{plural(result.updates_written, 'progress update')} recorded on "
        f"{long_date(date.today())}.",
        icon=":material/check_circle:",
    )
    # The sidebar's source filter set in session state (the register's own widgets keep the
    # session's filters, so a query parameter on a link would be ignored once they exist).
    show_source_button(result.source_id, "See them in Recommendations")
