"""The types of a tracker import's plan: what the officer asks for (`ImportOptions`), what the
store holds (`ResolvedSource`, `ExistingRecommendation`), what each row would do (`RowPlan`),
the whole dry run (`ImportPlan`, with its rows, problems and notes as tables for the preview)
and what an applied import wrote (`ImportResult`).

Pure data, kept apart from the planner (`importing.tracker_plan`) so that the store's side
(`data_access.import_tracker`, which re-exports them for callers) and the preview's words
(`importing.tracker_preview`) share them without the planning rules.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

import pandas as pd

from domain.drafts import NewRecommendation, NewSource, UpdateDraft
from domain.vocabulary import Acceptance, Confidentiality, Priority, SourceKind, Status
from importing.spreadsheet_types import CellProblem, ParsedTracker
from importing.word_readings import WordReadings

__all__ = [
    "DEFAULT_KIND",
    "ExistingRecommendation",
    "ImportOptions",
    "ImportPlan",
    "ImportRefused",
    "ImportResult",
    "Outcome",
    "ResolvedSource",
    "RowPlan",
]

# What most trackers brought to an overview and scrutiny committee follow.
DEFAULT_KIND = SourceKind.SCRUTINY_REVIEW


class Outcome(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class ImportOptions:
    """Which source the file belongs to, and who is importing.

    An existing source is named by `source_id`, or by `source_title` (any case). A title that
    names no source makes a new one, which needs the committee that monitors it and the date
    it was issued; its kind defaults to a scrutiny review."""

    source_id: int | None = None
    source_title: str | None = None
    committee: str | None = None
    kind: SourceKind = DEFAULT_KIND
    date_issued: date | None = None
    confidentiality: Confidentiality = Confidentiality.PUBLIC  # for a new source
    source_author: str | None = None  # for a new source: its author or body
    author: str | None = None  # None: "Imported from FILENAME"
    today: date | None = None  # None: date.today()
    # The officer's readings of words the tracker does not know (`importing.word_readings`);
    # they win over the readings saved with the source.
    readings: WordReadings = field(default_factory=WordReadings)


@dataclass(frozen=True)
class RowPlan:
    """What importing one row would do."""

    row: int
    ref: str
    outcome: Outcome
    changes: tuple[str, ...] = ()  # what changes, in words, for the preview
    recommendation_id: int | None = None
    expected_latest_update_id: int | None = None
    new: NewRecommendation | None = None  # source and committee ids filled in when written
    owner: str | None = None  # names, turned into ids when written
    directorate: str | None = None
    column_values: dict[str, Any] = field(default_factory=dict)  # recommendation columns
    updates: tuple[UpdateDraft, ...] = ()
    committee: str | None = None  # the row's committee by name (made if new), when it names one


@dataclass(frozen=True)
class ImportPlan:
    """The dry run: everything the import would write, and everything that stops it."""

    parsed: ParsedTracker
    author: str
    today: date
    source_id: int | None
    source_title: str
    new_source: NewSource | None
    committee_name: str | None
    committee_id: int | None
    rows: tuple[RowPlan, ...]
    problems: tuple[CellProblem, ...]
    source_problems: tuple[str, ...]
    notes: tuple[CellProblem, ...]
    # The readings that settled this file's unknown words, saved with the source on import.
    readings: WordReadings = field(default_factory=WordReadings)

    @property
    def filename(self) -> str:
        return self.parsed.filename

    @property
    def counts(self) -> dict[Outcome, int]:
        found = Counter(row.outcome for row in self.rows)
        return {outcome: found.get(outcome, 0) for outcome in Outcome}

    @property
    def can_apply(self) -> bool:
        return not self.problems and not self.source_problems

    def rows_frame(self) -> pd.DataFrame:
        """The rows for the preview: row, ref, what happens, and what changes."""
        return pd.DataFrame(
            {
                "Row": [row.row for row in self.rows],
                "Ref": [row.ref for row in self.rows],
                "Outcome": [row.outcome.value.capitalize() for row in self.rows],
                "What changes": ["; ".join(row.changes) for row in self.rows],
            }
        )

    def problems_frame(self) -> pd.DataFrame:
        return _problem_frame(self.problems)

    def notes_frame(self) -> pd.DataFrame:
        return _problem_frame(self.notes).rename(columns={"What is wrong": "Note"})


def _problem_frame(problems: Sequence[CellProblem]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Row": [p.row for p in problems],
            "Column": [p.column for p in problems],
            "Value": [p.value for p in problems],
            "What is wrong": [p.problem for p in problems],
        }
    )


@dataclass(frozen=True)
class ImportResult:
    """What an applied import wrote."""

    source_id: int
    source_title: str
    created: int
    changed: int
    unchanged: int
    updates_written: int


class ImportRefused(ValueError):
    """The plan has problems, or the store changed under it; nothing was written."""


@dataclass(frozen=True)
class ResolvedSource:
    """The source a file is imported into, as found (or proposed) in the store."""

    source_id: int | None  # None: a new source (`new_source`) or none could be resolved
    title: str
    new_source: NewSource | None
    committee_name: str | None
    committee_id: int | None
    made_on: date | None  # the date the source was issued
    problems: tuple[str, ...] = ()
    saved_readings: WordReadings = field(default_factory=WordReadings)  # kept with the source


@dataclass
class ExistingRecommendation:
    """A recommendation already recorded for the source, as the planner compares a row with it
    (read by `data_access.import_tracker`)."""

    id: int
    ref: str
    wording: str
    owner: str | None
    directorate: str | None
    priority: Priority
    acceptance: Acceptance
    in_principle: bool
    original_target_date: date | None
    current_target_date: date | None
    status: Status
    last_update_on: date | None
    latest_update_id: int = 0
    narratives: set[str] = field(default_factory=set)
    evidence: set[str] = field(default_factory=set)
    committee: str | None = None
