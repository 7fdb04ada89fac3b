"""Planning a tracker import: what each row of a council's spreadsheet would do to the store.

Pure code (no SQL, no streamlit): `build_plan` takes the parsed file (`importing.spreadsheet`),
the source it belongs to and the recommendations already recorded for it (both read by
`data_access.import_tracker.plan_import`) and says, row by row, what would happen: *new* (a
recommendation and its first update), *unchanged* (nothing written), or *changed* (the exact
progress updates it would record). Rows are matched on ref (trimmed, any case). Every problem
(row, column, value, what is wrong) is collected before anything is written. `describe_plan`
and the plan's frames are the preview's words.

History is kept as DOMAIN.md asks: a new status, target date, update text or evidence becomes a
progress update dated as the file says (or today), by "Imported from FILE" or the named user;
a new target date is a revision with the reason "imported from FILE". Changes to the
recommendation itself (wording, lead officer, directorate, priority, acceptance) are written
with a progress update that says what changed from what. An update text already anywhere in
the recommendation's history is not added again, so importing the same file twice, or a
file exported from the tracker, changes nothing.

A status of Implemented in the file does not reopen an item the committee has closed (the
committee's sign-off stands); a file's original target date never overwrites the original
recorded (DOMAIN.md: the original is never overwritten); the file's RAG column is not stored
(RAG is worked out, never typed in).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any

import pandas as pd

from domain.drafts import NewRecommendation, NewSource, UpdateDraft, draft_problems
from domain.formatting import long_date, plural, short_date
from domain.vocabulary import (
    Acceptance,
    Confidentiality,
    Priority,
    SourceKind,
    Status,
    acceptance_label,
)
from importing.spreadsheet_types import CellProblem, ParsedTracker, SkippedRow, TrackerRow
from importing.tracker_columns import Field
from importing.word_readings import WordReadings, apply_readings
from importing.words import normalise_words

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
    "build_plan",
    "describe_plan",
    "ref_key",
    "unknown_word_lines",
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


# --- Planning --------------------------------------------------------------------------------


def ref_key(ref: str) -> str:
    return " ".join(ref.split()).casefold()


def same_text(a: str | None, b: str | None) -> bool:
    return " ".join((a or "").split()) == " ".join((b or "").split())


def same_name(a: str | None, b: str | None) -> bool:
    return " ".join((a or "").split()).casefold() == " ".join((b or "").split()).casefold()


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


def build_plan(
    parsed: ParsedTracker,
    source: ResolvedSource,
    existing: Mapping[str, ExistingRecommendation],
    options: ImportOptions,
) -> ImportPlan:
    """What importing the parsed file would do, given the source and its recorded
    recommendations (keyed by `ref_key`). Pure: the dry run and the preview."""
    today = options.today or date.today()
    author = " ".join((options.author or f"Imported from {parsed.filename}").split())
    reason = f"imported from {parsed.filename}"
    source_id, title, new_source = source.source_id, source.title, source.new_source
    committee_name, committee = source.committee_name, source.committee_id
    source_problems = list(source.problems)
    if new_source is None and source_id is not None and committee is None:
        source_problems.append(
            f'"{title}" has no committee yet: give the committee that monitors it.'
        )
    made_on = source.made_on
    readings = options.readings.merged_over(source.saved_readings)
    used = _readings_used(parsed, readings)
    parsed = _without_title_rows(apply_readings(parsed, readings), title)
    problems = list(parsed.problems)
    notes = list(parsed.notes)
    if not author:
        source_problems.append("Enter your name: every update records who made it.")
    planner = _RowPlanner(parsed, author, reason, today, made_on, problems, notes)
    rows = []
    for row in parsed.rows:
        if row.ref is None:
            continue
        item = existing.get(ref_key(row.ref))
        rows.append(planner.new(row) if item is None else planner.existing(row, item))
    if Field.ACCEPTED not in parsed.mapping and any(r.outcome is Outcome.NEW for r in rows):
        notes.append(
            CellProblem(
                parsed.header_row,
                Field.ACCEPTED.label,
                "",
                "The file has no Accepted column: new recommendations are recorded as accepted "
                "on the date the source was issued.",
            )
        )
    order = {label: index for index, label in enumerate(parsed.headers)}
    problems.sort(key=lambda p: (p.row, order.get(p.column, 0), p.column))
    return ImportPlan(
        parsed=parsed,
        author=author,
        today=today,
        source_id=source_id,
        source_title=title,
        new_source=new_source,
        committee_name=committee_name,
        committee_id=committee,
        rows=tuple(rows),
        problems=tuple(problems),
        source_problems=tuple(source_problems),
        notes=tuple(notes),
        readings=used,
    )


def _readings_used(parsed: ParsedTracker, readings: WordReadings) -> WordReadings:
    """The reading each of the file's unknown words gets (an `--accept-unknown-as` status
    becomes that word's own reading), to be kept with the source."""
    statuses = {}
    for word in parsed.unmapped_statuses:
        key = normalise_words(word)
        choice = readings.statuses.get(key) or readings.accept_unknown_as
        if choice is not None:
            statuses[key] = choice
    priorities = {
        normalise_words(word): readings.priorities[normalise_words(word)]
        for word in parsed.unmapped_priorities
        if normalise_words(word) in readings.priorities
    }
    return WordReadings(statuses=statuses, priorities=priorities)


def _without_title_rows(parsed: ParsedTracker, title: str) -> ParsedTracker:
    """The file without rows whose wording is the source's title: a heading row repeating the
    report's name is not a recommendation (listed as skipped, with the reason)."""
    key = normalise_words(title or "")
    if not key:
        return parsed
    repeats = [row for row in parsed.rows if normalise_words(row.wording or "") == key]
    if not repeats:
        return parsed
    skipped = [
        SkippedRow(
            row.row,
            " | ".join(part for part in (row.ref, row.wording) if part),
            "its wording repeats the source's title, so it is not a recommendation",
        )
        for row in repeats
    ]
    dropped = {row.row for row in repeats}
    return replace(
        parsed,
        rows=tuple(row for row in parsed.rows if row.row not in dropped),
        problems=tuple(p for p in parsed.problems if p.row not in dropped),
        notes=tuple(n for n in parsed.notes if n.row not in dropped),
        skipped=tuple(sorted((*parsed.skipped, *skipped), key=lambda s: s.row)),
    )


class _RowPlanner:
    """Turns each file row into a RowPlan, adding the problems only the store can reveal."""

    def __init__(
        self,
        parsed: ParsedTracker,
        author: str,
        reason: str,
        today: date,
        made_on: date | None,
        problems: list[CellProblem],
        notes: list[CellProblem],
    ) -> None:
        self.parsed = parsed
        self.author = author
        self.reason = reason
        self.today = today
        self.made_on = made_on
        self.problems = problems
        self.notes = notes

    def problem(self, row: TrackerRow, field_: Field, value: object, message: str) -> None:
        shown = short_date(value) if isinstance(value, date) else str(value or "")
        self.problems.append(CellProblem(row.row, self.parsed.column_label(field_), shown, message))

    def update_date(self, row: TrackerRow) -> date:
        if row.update_date is None:
            return self.today
        if row.update_date > self.today:
            self.problem(
                row,
                Field.UPDATE_DATE,
                row.update_date,
                f"The update date is in the future (today is {long_date(self.today)}).",
            )
        return row.update_date

    def new(self, row: TrackerRow) -> RowPlan:
        assert row.ref is not None
        if row.wording is None:
            self.problem(
                row,
                Field.WORDING,
                "",
                f"Recommendation {row.ref} is new to this source, and its wording is blank.",
            )
        if Field.ACCEPTED not in self.parsed.mapping:
            acceptance, in_principle = Acceptance.ACCEPTED, False
        elif row.acceptance is None:
            acceptance, in_principle = Acceptance.AWAITING_RESPONSE, False
        else:
            acceptance, in_principle = row.acceptance.acceptance, row.acceptance.in_principle
        original = row.target_date or row.revised_target_date
        revised = row.revised_target_date if row.revised_target_date != original else None
        status = row.status if row.status not in (None, Status.NOT_STARTED) else None
        updates: list[UpdateDraft] = []
        when = self.update_date(row)
        if self.made_on is not None and when < self.made_on:
            self.problem(
                row,
                Field.UPDATE_DATE,
                when,
                f"The update is dated before the source was issued ({long_date(self.made_on)}).",
            )
        if status or revised or row.update or row.evidence:
            narrative = row.update or self.generated(
                [f"status {status.label}" if status else "", self.target_words(None, revised)]
            )
            updates.append(
                UpdateDraft(
                    update_date=when,
                    author=self.author,
                    narrative=narrative,
                    new_status=status,
                    new_target_date=revised,
                    target_change_reason=self.reason if revised else None,
                    evidence=row.evidence,
                )
            )
        self.check_drafts(row, updates, original)
        changes = [f"New: {(row.wording or '')[:80]}"]
        if status:
            changes.append(f"Status: {status.label}")
        if revised:
            changes.append(f"Target: {short_date(original)} → {short_date(revised)}")
        return RowPlan(
            row=row.row,
            ref=row.ref,
            outcome=Outcome.NEW,
            changes=tuple(changes),
            new=NewRecommendation(
                source_id=0,
                committee_id=0,
                ref=row.ref,
                wording=row.wording or "",
                made_on=self.made_on or self.today,
                acceptance=acceptance,
                accepted_on=(None if acceptance is Acceptance.AWAITING_RESPONSE else self.made_on),
                accepted_in_principle=in_principle,
                priority=row.priority or Priority.MEDIUM,
                original_target_date=original,
            ),
            owner=row.owner,
            directorate=row.directorate,
            updates=tuple(updates),
            committee=row.committee,
        )

    def generated(self, parts: Sequence[str]) -> str:
        said = "; ".join(part for part in parts if part)
        return f"Imported from {self.parsed.filename}: {said}."

    @staticmethod
    def target_words(was: date | None, now: date | None) -> str:
        if now is None:
            return ""
        return f"target date changed from {long_date(was) or 'none'} to {long_date(now)}"

    def check_drafts(
        self, row: TrackerRow, drafts: Sequence[UpdateDraft], target: date | None
    ) -> None:
        for draft in drafts:
            for message in draft_problems(draft, target):
                self.problems.append(CellProblem(row.row, "", "", message))
            target = draft.new_target_date or target

    def existing(self, row: TrackerRow, item: ExistingRecommendation) -> RowPlan:
        assert row.ref is not None
        changes: list[str] = []
        said: list[str] = []
        columns: dict[str, Any] = {}
        owner = directorate = None
        if row.wording is not None and not same_text(row.wording, item.wording):
            columns["wording"] = row.wording
            changes.append("Wording changed")
            said.append(f'wording changed from "{item.wording}" to "{row.wording}"')
        if row.owner is not None and not same_name(row.owner, item.owner):
            owner = row.owner
            changes.append(f"Lead officer: {item.owner or 'none'} → {row.owner}")
            said.append(f"lead officer changed from {item.owner or 'none'} to {row.owner}")
        if row.directorate is not None and not same_name(row.directorate, item.directorate):
            directorate = row.directorate
            changes.append(f"Directorate: {item.directorate or 'none'} → {row.directorate}")
            said.append(
                f"directorate changed from {item.directorate or 'none'} to {row.directorate}"
            )
        committee = None
        if row.committee is not None and not same_name(row.committee, item.committee):
            committee = row.committee
            changes.append(f"Committee: {item.committee or 'none'} → {row.committee}")
            said.append(f"committee changed from {item.committee or 'none'} to {row.committee}")
        if row.priority is not None and row.priority is not item.priority:
            columns["priority"] = row.priority.value
            changes.append(f"Priority: {item.priority.label} → {row.priority.label}")
            said.append(
                f"priority changed from {item.priority.label} to {row.priority.label}".lower()
            )
        if row.acceptance is not None and (
            row.acceptance.acceptance is not item.acceptance
            or row.acceptance.in_principle != item.in_principle
        ):
            was = acceptance_label(item.acceptance, item.in_principle)
            now = acceptance_label(row.acceptance.acceptance, row.acceptance.in_principle)
            columns.update(
                acceptance=row.acceptance.acceptance.value,
                accepted_in_principle=row.acceptance.in_principle,
                accepted_on=(
                    None
                    if row.acceptance.acceptance is Acceptance.AWAITING_RESPONSE
                    else self.today
                ),
            )
            changes.append(f"Acceptance: {was} → {now}")
            said.append(f"acceptance changed from {was} to {now}".lower())
        updates: list[UpdateDraft] = []
        if said:
            updates.append(
                UpdateDraft(
                    update_date=self.today, author=self.author, narrative=self.generated(said)
                )
            )
        # The progress itself: status, target, update text, evidence.
        status = row.status
        if status is Status.IMPLEMENTED and item.status is Status.CLOSED:
            status = None  # the committee's sign-off stands
        new_status = status if status is not None and status is not item.status else None
        file_target = row.revised_target_date or row.target_date
        new_target = (
            file_target
            if file_target is not None and file_target != item.current_target_date
            else None
        )
        if (
            row.target_date is not None
            and row.revised_target_date is not None
            and item.original_target_date is not None
            and row.target_date != item.original_target_date
        ):
            self.notes.append(
                CellProblem(
                    row.row,
                    self.parsed.column_label(Field.TARGET_DATE),
                    short_date(row.target_date),
                    f"The original target recorded is {long_date(item.original_target_date)}; "
                    "an original target is never changed.",
                )
            )
        text = (
            row.update
            if row.update and " ".join(row.update.split()) not in item.narratives
            else None
        )
        evidence = (
            row.evidence
            if row.evidence and " ".join(row.evidence.split()) not in item.evidence
            else None
        )
        if new_status or new_target or text or evidence:
            when = self.update_date(row)
            if (new_status or new_target) and item.last_update_on and when < item.last_update_on:
                self.problem(
                    row,
                    Field.UPDATE_DATE,
                    when,
                    "The update date is before the latest update already recorded "
                    f"({long_date(item.last_update_on)}), so its status and target would not be "
                    "the current ones. Correct the date, or leave it blank to use today.",
                )
            parts = []
            if new_status:
                changes.append(f"Status: {item.status.label} → {new_status.label}")
                parts.append(f"status changed from {item.status.label} to {new_status.label}")
            if new_target:
                changes.append(
                    f"Target: {short_date(item.current_target_date) or 'none'} → "
                    f"{short_date(new_target)}"
                )
                parts.append(self.target_words(item.current_target_date, new_target))
            if text:
                changes.append("New update")
            if evidence:
                changes.append("New evidence")
            updates.append(
                UpdateDraft(
                    update_date=when,
                    author=self.author,
                    narrative=text or self.generated(parts or ["new evidence"]),
                    new_status=new_status,
                    new_target_date=new_target,
                    target_change_reason=self.reason if new_target else None,
                    evidence=evidence,
                )
            )
        self.check_drafts(row, updates, item.current_target_date)
        return RowPlan(
            row=row.row,
            ref=row.ref,
            outcome=Outcome.CHANGED if updates else Outcome.UNCHANGED,
            changes=tuple(changes),
            recommendation_id=item.id,
            expected_latest_update_id=item.latest_update_id,
            owner=owner,
            directorate=directorate,
            column_values=columns,
            updates=tuple(updates),
            committee=committee,
        )


# --- Words for the user ----------------------------------------------------------------------


def unknown_word_lines(parsed: ParsedTracker) -> list[str]:
    """The status and priority words the tracker does not know, each once with its rows."""
    lines = []
    for kind, found in (
        ("Status", parsed.unmapped_statuses),
        ("Priority", parsed.unmapped_priorities),
    ):
        if found:
            words = ", ".join(f'"{w}" ({plural(n, "row")})' for w, n in found.items())
            lines.append(f"{kind} words the tracker does not know: {words}.")
    return lines


def describe_plan(plan: ImportPlan, *, applied: bool = False, max_lines: int = 50) -> list[str]:
    """The plan as lines of plain text: what was read, what happens, what is wrong."""
    parsed = plan.parsed
    sheet = f', sheet "{parsed.sheet_name}"' if parsed.sheet_name else ""
    lines = [f"Read {parsed.filename}{sheet}: header on row {parsed.header_row}."]
    mapped = [
        f"{field_.label} ← {parsed.column_label(field_)}"
        for field_ in Field
        if field_ in parsed.mapping
    ]
    lines.append("Columns: " + "; ".join(mapped) + ".")
    if parsed.ignored_headers:
        lines.append("Columns not imported: " + ", ".join(parsed.ignored_headers) + ".")
    if Field.RAG in parsed.mapping:
        lines.append("RAG is worked out by the tracker, so the file's RAG column is not stored.")
    if parsed.ref_note:
        lines.append(parsed.ref_note)
    if plan.new_source is not None:
        committee = plan.committee_name or ""
        made = "" if plan.committee_id is not None else " (a new committee)"
        lines.append(
            f'Source: "{plan.source_title}", new: {plan.new_source.kind.label}, issued '
            f"{long_date(plan.new_source.date_issued)}, monitored by {committee}{made}."
        )
    elif plan.source_id is not None:
        lines.append(f'Source: "{plan.source_title}".')
    counts = plan.counts
    total = sum(counts.values())
    lines.append(
        f"{plural(total, 'recommendation')}: {counts[Outcome.NEW]:,} new, "
        f"{counts[Outcome.CHANGED]:,} changed, {counts[Outcome.UNCHANGED]:,} unchanged."
    )
    shown = 0
    for row in plan.rows:
        if row.outcome is Outcome.CHANGED and shown < max_lines:
            lines.append(f"  Row {row.row}, ref {row.ref}: " + "; ".join(row.changes))
            shown += 1
    for note in plan.notes[:max_lines]:
        where = ", ".join(
            part for part in (note.column, repr(note.value) if note.value else "") if part
        )
        lines.append(
            f"Note, row {note.row}" + (f" ({where})" if where else "") + f": {note.problem}"
        )
    for skipped in parsed.skipped[:max_lines]:
        lines.append(f"Skipped row {skipped.row} ({skipped.reason}): {skipped.text[:80]}")
    if not plan.can_apply:
        lines.append(
            f"Nothing was imported: the file has {plural(len(plan.problems), 'problem')}"
            + (" and the source needs details" if plan.source_problems else "")
            + "."
        )
        lines += plan.source_problems
        for problem in plan.problems[:max_lines]:
            where = f"Row {problem.row}" + (f", {problem.column}" if problem.column else "")
            value = f" {problem.value!r}" if problem.value else ""
            lines.append(f"  {where}{value}: {problem.problem}")
        if len(plan.problems) > max_lines:
            lines.append(f"  … and {len(plan.problems) - max_lines:,} more.")
        lines += unknown_word_lines(parsed)
    elif applied:
        changes = counts[Outcome.NEW] + counts[Outcome.CHANGED]
        lines.append("Imported." if changes else "Nothing changed: the tracker already holds this.")
    else:
        lines.append("Dry run: nothing was written.")
    return lines
