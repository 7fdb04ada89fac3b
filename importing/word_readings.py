"""What an officer says a tracker's unknown words mean, and applying it to a read file.

A published tracker uses its own words ("Undetermined", "Grey Light", "Closed - Acceptable
Action"). `importing.words` knows many families; a word it does not know becomes a problem on
its row (`CellProblem.word_kind` says which kind of word), never a silent guess. The officer then
reads each word once, for that source:

- as one of DOMAIN.md's statuses (or, for a priority word, high/medium/low);
- or, for a status word, as `OTHER_COLUMNS`: the row's other columns decide
  (`status_from_other_columns`): evidence given means implemented, an update narrative is read
  by `importing.report_sentences.status_from_words`, and otherwise the item is not started. The
  preview says which, row by row.

`WordReadings` carries those choices (keyed by the word as `normalise_words` gives it) and
`accept_unknown_as`, a status for every status word still unknown (the command line's
`--accept-unknown-as`). `apply_readings` is pure: it settles the rows whose words have a reading
and leaves the other problems as they are. The import saves the readings it used with the
source (`data_access.import_tracker`), so the next import of the same tracker asks nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from domain.vocabulary import STATUS_LABELS, Priority, Status
from importing.report_sentences import status_from_words
from importing.report_types import UNCLEAR
from importing.spreadsheet_types import CellProblem, ParsedTracker, TrackerRow
from importing.tracker_columns import Field
from importing.words import normalise_words

__all__ = [
    "OTHER_COLUMNS",
    "OTHER_COLUMNS_LABEL",
    "PRIORITY_WORD",
    "STATUS_WORD",
    "StatusChoice",
    "WordReadings",
    "apply_readings",
    "read_priority_choice",
    "read_status_choice",
    "status_from_other_columns",
]

STATUS_WORD = "status"
PRIORITY_WORD = "priority"
OTHER_COLUMNS: Literal["other_columns"] = "other_columns"
OTHER_COLUMNS_LABEL = "Use the row's other columns"

StatusChoice = Status | Literal["other_columns"]


@dataclass(frozen=True)
class WordReadings:
    """An officer's readings of words the tracker does not know, keyed by normalised word."""

    statuses: Mapping[str, StatusChoice] = field(default_factory=dict)
    priorities: Mapping[str, Priority] = field(default_factory=dict)
    accept_unknown_as: StatusChoice | None = None

    def __bool__(self) -> bool:
        return bool(self.statuses or self.priorities or self.accept_unknown_as)

    def merged_over(self, older: WordReadings) -> WordReadings:
        """These readings, with `older` (a source's saved ones) for words these do not read."""
        return WordReadings(
            statuses={**older.statuses, **self.statuses},
            priorities={**older.priorities, **self.priorities},
            accept_unknown_as=self.accept_unknown_as or older.accept_unknown_as,
        )

    def label(self, choice: StatusChoice) -> str:
        return OTHER_COLUMNS_LABEL if choice == OTHER_COLUMNS else Status(choice).label


def read_status_choice(text: str) -> StatusChoice | None:
    """A status named as the officer or the command line writes it ("in_progress", "In
    progress", "other columns"); None when it names none."""
    words = normalise_words(text)
    if words in {"other columns", "other", "use the row s other columns", "other_columns"}:
        return OTHER_COLUMNS
    for status in Status:
        if words in {normalise_words(status.value), normalise_words(STATUS_LABELS[status])}:
            return status
    return None


def read_priority_choice(text: str) -> Priority | None:
    words = normalise_words(text)
    for priority in Priority:
        if words in {normalise_words(priority.value), normalise_words(priority.label)}:
            return priority
    return None


def status_from_other_columns(row: TrackerRow) -> tuple[Status, str]:
    """The status a row's other columns support, and why (for the preview).

    Evidence of implementation means the owner reports it done (implemented, not closed: only
    the committee closes). An update narrative is read as the report importer reads one. A row
    with neither has no progress claimed: not started."""
    if row.evidence:
        return Status.IMPLEMENTED, "evidence of implementation is given"
    if row.update:
        found, sentence = status_from_words(row.update)
        if found != UNCLEAR:
            quoted = sentence if len(sentence) <= 80 else sentence[:79] + "…"
            return Status(found), f'the update says "{quoted}"'
        return Status.IN_PROGRESS, "there is an update, which does not say it is done"
    return Status.NOT_STARTED, "no evidence or update is given"


def apply_readings(parsed: ParsedTracker, readings: WordReadings) -> ParsedTracker:
    """The parsed file with every unknown word that has a reading settled: the row's status or
    priority set, the word's problem removed, and a note saying how it was read. Words with no
    reading stay problems (and stay in `unmapped_statuses` / `unmapped_priorities`)."""
    if not readings or not (parsed.unmapped_statuses or parsed.unmapped_priorities):
        return parsed
    status_label = parsed.column_label(Field.STATUS)
    priority_label = parsed.column_label(Field.PRIORITY)
    settled: set[tuple[int, str]] = set()
    notes: list[CellProblem] = []
    rows: list[TrackerRow] = []
    still_status: Counter[str] = Counter()
    still_priority: Counter[str] = Counter()
    for row in parsed.rows:
        changes: dict[str, object] = {}
        if row.status_word is not None:
            word = normalise_words(row.status_word)
            choice = readings.statuses.get(word) or readings.accept_unknown_as
            if choice is None:
                still_status[row.status_word] += 1
            else:
                if choice == OTHER_COLUMNS:
                    status, why = status_from_other_columns(row)
                    note = (
                        f'"{row.status_word}" is read from the row\'s other columns: '
                        f"{status.label}, because {why}."
                    )
                else:
                    status = Status(choice)
                    how = "as you chose" if word in readings.statuses else "as unknown words are"
                    note = f'"{row.status_word}" is read as {status.label} ({how}).'
                changes.update(status=status, status_word=None)
                settled.add((row.row, STATUS_WORD))
                notes.append(CellProblem(row.row, status_label, row.status_word, note))
        if row.priority_word is not None:
            word = normalise_words(row.priority_word)
            priority = readings.priorities.get(word)
            if priority is None:
                still_priority[row.priority_word] += 1
            else:
                changes.update(priority=priority, priority_word=None)
                settled.add((row.row, PRIORITY_WORD))
                notes.append(
                    CellProblem(
                        row.row,
                        priority_label,
                        row.priority_word,
                        f'"{row.priority_word}" is read as {priority.label} priority '
                        "(as you chose).",
                    )
                )
        rows.append(replace(row, **changes) if changes else row)
    problems = tuple(
        problem for problem in parsed.problems if (problem.row, problem.word_kind) not in settled
    )
    return replace(
        parsed,
        rows=tuple(rows),
        problems=problems,
        notes=tuple(sorted((*parsed.notes, *notes), key=lambda note: note.row)),
        unmapped_statuses=dict(still_status),
        unmapped_priorities=dict(still_priority),
    )
