"""Reading a tracker's rows: each row's cells through the column mapping into a `TrackerRow`,
and each row's ref as the tracker will match it.

`read_rows` reads the rows under the header (`importing.spreadsheet` found them), passing
over a row with no ref or wording and one repeating the title; every cell that cannot be read
becomes a `CellProblem` naming the row, column and value (`importing.words` reads the
council's words and dates). `derive_refs` makes the refs when the file gives none per
recommendation, and `report_look_alike_refs` catches two refs that differ only by invisible
characters. Pure: sheet rows in, typed rows and problems out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from domain.text_rules import has_invisible, storable_problem, without_invisible
from domain.vocabulary import Status
from importing.spreadsheet_types import (
    PRIORITY_WORD,
    STATUS_WORD,
    CellProblem,
    ParsedTracker,
    SheetRow,
    SkippedRow,
    TrackerRow,
    row_text,
)
from importing.tracker_columns import Field
from importing.words import (
    StatusReading,
    ValueProblem,
    blank,
    cell_text,
    normalise_words,
    read_acceptance,
    read_date,
    read_priority,
    read_status,
)

__all__ = [
    "MAX_REF_LENGTH",
    "MAX_TEXT_LENGTH",
    "RowsRead",
    "derive_refs",
    "read_rows",
    "report_look_alike_refs",
]

MAX_TEXT_LENGTH = 20_000


@dataclass
class RowsRead:
    """What reading the rows under the header found, beside the problems (which the caller
    collects, after its own about missing columns)."""

    rows: list[TrackerRow] = field(default_factory=list)
    notes: list[CellProblem] = field(default_factory=list)  # values read with a caveat
    skipped: list[SkippedRow] = field(default_factory=list)
    unmapped_statuses: Counter[str] = field(default_factory=Counter)  # word -> rows
    unmapped_priorities: Counter[str] = field(default_factory=Counter)
    cleaned_refs: set[int] = field(default_factory=set)  # rows whose ref lost invisible chars


def read_rows(
    parsed: ParsedTracker,
    body: list[SheetRow],
    titles: set[str],
    status_words: Mapping[str, Status] | None,
    problems: list[CellProblem],
) -> RowsRead:
    """Each of the `body` rows read through `parsed`'s columns, its problems added to
    `problems`; a row with neither ref nor wording, or whose wording is one of the `titles`
    above the table (as `normalise_words` gives them), is skipped, not read."""
    read = RowsRead()
    for sheet_row in body:
        reader = _RowReader(
            parsed,
            sheet_row,
            status_words,
            problems,
            read.notes,
            read.unmapped_statuses,
            read.unmapped_priorities,
        )
        reader.cleaned_refs = read.cleaned_refs
        if blank(reader.raw(Field.REF)) and blank(reader.raw(Field.WORDING)):
            read.skipped.append(
                SkippedRow(sheet_row.number, row_text(sheet_row.cells), "no ref or wording")
            )
            continue
        wording = cell_text(reader.raw(Field.WORDING))
        if wording and normalise_words(wording) in titles:
            read.skipped.append(
                SkippedRow(
                    sheet_row.number,
                    row_text(sheet_row.cells),
                    "its wording repeats the title above the table, so it is not a recommendation",
                )
            )
            continue
        read.rows.append(reader.read())
    return read


MAX_REF_LENGTH = 50
# GAO's recommendations end "(Recommendation 3)": the number the report gave it.
_STATED_NUMBER = re.compile(r"\(\s*recommendation\s+(\d+)\s*\)\s*\.?\s*$", re.IGNORECASE)
# Headers that name the report a row comes from rather than the recommendation itself.
_REPORT_WORDS = frozenset({"report", "publication", "audit", "review", "inspection", "source"})


def _ref_key(ref: str) -> str:
    return " ".join(ref.split()).casefold()


def report_look_alike_refs(
    parsed: ParsedTracker,
    rows: list[TrackerRow],
    cleaned_refs: set[int],
    problems: list[CellProblem],
) -> None:
    """A ref that equals another only once its invisible characters are removed ("R1" and
    "R1" with a zero-width space) is a problem, whatever the file's refs are otherwise: the
    two looked different to whoever typed them, so which is meant cannot be guessed."""
    if not cleaned_refs:
        return
    first_row: dict[str, int] = {}
    for row in rows:
        if row.ref is not None:
            first_row.setdefault(_ref_key(row.ref), row.row)
    counts = Counter(_ref_key(row.ref) for row in rows if row.ref is not None)
    for row in rows:
        if row.row in cleaned_refs and row.ref is not None and counts[_ref_key(row.ref)] > 1:
            first = first_row[_ref_key(row.ref)]
            other = f"the ref in row {first}" if first != row.row else "a later row's ref"
            problems.append(
                CellProblem(
                    row.row,
                    parsed.column_label(Field.REF),
                    row.ref,
                    f"Ref {row.ref} is the same as {other} once the invisible characters in "
                    "it (such as a zero-width space) are removed: give each recommendation "
                    "its own reference.",
                )
            )


def _names_report(parsed: ParsedTracker) -> bool:
    index = parsed.mapping.get(Field.REF)
    header = parsed.headers[index] if index is not None and index < len(parsed.headers) else ""
    return bool(set(normalise_words(header).split()) & _REPORT_WORDS)


def derive_refs(
    parsed: ParsedTracker, rows: list[TrackerRow], problems: list[CellProblem]
) -> tuple[list[TrackerRow], str | None]:
    """Each row's ref as the tracker will match it, and how refs were made when the file does
    not give one per recommendation.

    - No ref column: the row's order among the recommendations (1, 2, 3…).
    - A ref column that names the report, not the recommendation (several rows share a value,
      and its header says report, publication or audit, or rows average two or more a value):
      the report's ref and the recommendation's order within it ("GAO-21-123 #2"), or the
      number each row states, "(Recommendation 4)", when every row of the report states a
      different one.
    - Otherwise each row's own ref, and a ref used twice is a problem to correct.

    The same file always gives the same refs, so importing it again changes nothing."""
    column = parsed.column_label(Field.REF)
    if Field.REF not in parsed.mapping:
        numbered = [replace(row, ref=str(order)) for order, row in enumerate(rows, start=1)]
        note = (
            "The file has no ref column, so each recommendation's ref is its order in the file "
            "(1, 2, 3…). Keep the rows in this order when you import a newer copy, or add a "
            "Ref column."
        )
        return numbered, note if numbered else None
    groups: dict[str, list[int]] = {}
    for position, row in enumerate(rows):
        if row.ref is None:
            if any(p.row == row.row and p.column == column for p in problems):
                continue  # already said what is wrong with this ref
            problems.append(
                CellProblem(
                    row.row,
                    column,
                    "",
                    "The ref is blank: every recommendation needs its reference, so a later "
                    "import can find it again.",
                )
            )
            continue
        groups.setdefault(_ref_key(row.ref), []).append(position)
    shared = any(len(positions) > 1 for positions in groups.values())
    with_ref = sum(len(positions) for positions in groups.values())
    if shared and (len(groups) * 2 <= with_ref or _names_report(parsed)):
        return _report_refs(parsed, rows, groups, problems)
    for positions in groups.values():
        first = rows[positions[0]]
        for position in positions[1:]:
            row = rows[position]
            problems.append(
                CellProblem(
                    row.row,
                    column,
                    row.ref or "",
                    f"Ref {row.ref} is used twice (first in row {first.row}): each "
                    "recommendation needs its own reference.",
                )
            )
    return rows, None


def _report_refs(
    parsed: ParsedTracker,
    rows: list[TrackerRow],
    groups: dict[str, list[int]],
    problems: list[CellProblem],
) -> tuple[list[TrackerRow], str]:
    column = parsed.column_label(Field.REF)
    derived = list(rows)
    example = ""
    for positions in groups.values():
        stated = [_STATED_NUMBER.search(rows[p].wording or "") for p in positions]
        numbers = [int(found[1]) if found else None for found in stated]
        use_stated = None not in numbers and len(set(numbers)) == len(numbers)
        for order, position in enumerate(positions, start=1):
            row = rows[position]
            assert row.ref is not None
            ref = f"{' '.join(row.ref.split())} #{numbers[order - 1] if use_stated else order}"
            if len(ref) > MAX_REF_LENGTH:
                problems.append(
                    CellProblem(
                        row.row,
                        column,
                        row.ref,
                        f"The ref made from it, {ref}, is longer than {MAX_REF_LENGTH} "
                        "characters: give each recommendation its own short ref.",
                    )
                )
            derived[position] = replace(row, ref=ref)
            example = example or ref
    note = (
        f"Column {column} names the report, not each recommendation (several rows share it), "
        "so each recommendation's ref is the report's ref and its order within the report, or "
        f'the number the row states, e.g. "{example}". Keep the rows in this order when you '
        "import a newer copy."
    )
    return derived, note


def _shown(text: str) -> str:
    """The text with its invisible characters made visible, as <U+200B>, for messages."""
    return "".join(f"<U+{ord(ch):04X}>" if has_invisible(ch) else ch for ch in text)[:80]


# What trackers put in a comment or evidence cell that says nothing yet.
_PLACEHOLDERS = frozenset({"", "tbc", "tba", "tbd", "na", "n a", "none", "nil", "to be confirmed"})


class _RowReader:
    """Reads one sheet row's cells through the mapping, collecting problems and notes."""

    def __init__(
        self,
        parsed: ParsedTracker,
        row: SheetRow,
        status_words: Mapping[str, Status] | None,
        problems: list[CellProblem],
        notes: list[CellProblem],
        unmapped: Counter[str],
        unmapped_priorities: Counter[str],
    ) -> None:
        self.parsed = parsed
        self.row = row
        self.status_words = status_words
        self.problems = problems
        self.notes = notes
        self.unmapped = unmapped
        self.unmapped_priorities = unmapped_priorities
        self.cleaned_refs: set[int] = set()

    def raw(self, field_: Field) -> object:
        index = self.parsed.mapping.get(field_)
        if index is None or index >= len(self.row.cells):
            return None
        return self.row.cells[index]

    def problem(
        self, field_: Field, value: object, message: str, word_kind: str | None = None
    ) -> None:
        self.problems.append(
            CellProblem(
                self.row.number,
                self.parsed.column_label(field_),
                cell_text(value) or "",
                message,
                word_kind,
            )
        )

    def text(self, field_: Field) -> str | None:
        value = self.raw(field_)
        text = cell_text(value)
        placeholder = text is not None and normalise_words(text) in _PLACEHOLDERS
        if field_ in {Field.UPDATE, Field.EVIDENCE} and placeholder:
            return None  # "TBC" in a comment column is no update (Tasmania's PAC tracker)
        if text is not None and len(text) > MAX_TEXT_LENGTH:
            self.problem(field_, text[:60] + "…", f"Longer than {MAX_TEXT_LENGTH:,} characters.")
            return None
        if text is not None and (nul := storable_problem(text, what="The cell")):
            self.problem(field_, text[:60], nul)
            return None
        if text is not None and field_ in {
            Field.REF,
            Field.OWNER,
            Field.DIRECTORATE,
            Field.COMMITTEE,
        }:
            visible = " ".join(without_invisible(text).split())
            if visible != " ".join(text.split()):
                if not visible:
                    self.problem(
                        field_,
                        _shown(text),
                        "The cell holds only invisible characters (such as a zero-width "
                        "space or a right-to-left mark): type the "
                        f"{'ref' if field_ is Field.REF else 'name'} again.",
                    )
                    return None
                if field_ is Field.REF:
                    self.cleaned_refs.add(self.row.number)
                self.notes.append(
                    CellProblem(
                        self.row.number,
                        self.parsed.column_label(field_),
                        _shown(text),
                        f"Invisible characters (such as a zero-width space or a right-to-left "
                        f'mark) were removed, so it reads "{visible}".',
                    )
                )
            text = visible
            if len(text) > 50 and field_ is Field.REF:
                self.problem(field_, text, "A ref can be at most 50 characters.")
                return None
            if len(text) > 200:
                self.problem(field_, text, "A name can be at most 200 characters.")
                return None
        return text

    def value(self, field_: Field, reader):
        raw = self.raw(field_)
        result = reader(raw)
        if isinstance(result, ValueProblem):
            self.problem(field_, raw, result.message)
            return None
        return result

    def read(self) -> TrackerRow:
        status_raw = self.raw(Field.STATUS)
        status = read_status(status_raw, self.status_words)
        status_word = None
        if isinstance(status, ValueProblem):
            self.problem(Field.STATUS, status_raw, status.message, STATUS_WORD)
            status_word = cell_text(status_raw) or ""
            self.unmapped[status_word] += 1
            status = None
        elif isinstance(status, StatusReading) and status.note:
            self.notes.append(
                CellProblem(
                    self.row.number,
                    self.parsed.column_label(Field.STATUS),
                    cell_text(status_raw) or "",
                    status.note,
                )
            )
        priority_raw = self.raw(Field.PRIORITY)
        priority = read_priority(priority_raw)
        priority_word = None
        if isinstance(priority, ValueProblem):
            self.problem(Field.PRIORITY, priority_raw, priority.message, PRIORITY_WORD)
            priority_word = cell_text(priority_raw) or ""
            self.unmapped_priorities[priority_word] += 1
            priority = None
        return TrackerRow(
            row=self.row.number,
            ref=self.text(Field.REF),
            wording=self.text(Field.WORDING),
            owner=self.text(Field.OWNER),
            directorate=self.text(Field.DIRECTORATE),
            priority=priority,
            acceptance=self.value(Field.ACCEPTED, read_acceptance),
            target_date=self.value(Field.TARGET_DATE, read_date),
            revised_target_date=self.value(Field.REVISED_TARGET_DATE, read_date),
            status=status.status if isinstance(status, StatusReading) else None,
            update=self.text(Field.UPDATE),
            update_date=self.value(Field.UPDATE_DATE, read_date),
            evidence=self.text(Field.EVIDENCE),
            committee=self.text(Field.COMMITTEE),
            status_word=status_word,
            priority_word=priority_word,
        )
