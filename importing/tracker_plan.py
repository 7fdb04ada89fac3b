"""Planning a tracker import: what each row of a council's spreadsheet would do to the store.

Pure code (no SQL, no streamlit): `build_plan` takes the parsed file (`importing.spreadsheet`),
the source it belongs to and the recommendations already recorded for it (both read by
`data_access.import_tracker.plan_import`) and says, row by row, what would happen: *new* (a
recommendation and its first update), *unchanged* (nothing written), or *changed* (the exact
progress updates it would record). Rows are matched on ref (trimmed, any case). Every problem
(row, column, value, what is wrong) is collected before anything is written. The plan's
types are in `importing.tracker_plan_types`, its words for the preview in
`importing.tracker_preview`.

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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from domain.drafts import NewRecommendation, UpdateDraft, draft_problems
from domain.formatting import long_date, short_date
from domain.vocabulary import Acceptance, Priority, Status, acceptance_label
from importing.spreadsheet_types import CellProblem, ParsedTracker, SkippedRow, TrackerRow
from importing.tracker_columns import Field
from importing.tracker_plan_types import (
    ExistingRecommendation,
    ImportOptions,
    ImportPlan,
    Outcome,
    ResolvedSource,
    RowPlan,
)
from importing.word_readings import WordReadings, apply_readings
from importing.words import normalise_words

__all__ = ["build_plan", "ref_key"]


# --- Planning --------------------------------------------------------------------------------


def ref_key(ref: str) -> str:
    return " ".join(ref.split()).casefold()


def same_text(a: str | None, b: str | None) -> bool:
    return " ".join((a or "").split()) == " ".join((b or "").split())


def same_name(a: str | None, b: str | None) -> bool:
    return " ".join((a or "").split()).casefold() == " ".join((b or "").split()).casefold()


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


@dataclass
class _Edits:
    """What a row changes in the recommendation itself: `changes` for the preview, `said` for
    the update that records them, and the values to write."""

    changes: list[str] = field(default_factory=list)
    said: list[str] = field(default_factory=list)
    columns: dict[str, Any] = field(default_factory=dict)
    owner: str | None = None
    directorate: str | None = None
    committee: str | None = None


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
        """A row whose ref is already recorded: what it changes in the recommendation itself
        (written with an update saying what changed from what), then in its progress."""
        assert row.ref is not None
        edits = _Edits()
        self.edit_names(row, item, edits)
        self.edit_priority(row, item, edits)
        self.edit_acceptance(row, item, edits)
        updates: list[UpdateDraft] = []
        if edits.said:
            updates.append(
                UpdateDraft(
                    update_date=self.today, author=self.author, narrative=self.generated(edits.said)
                )
            )
        progress = self.progress_update(row, item, edits.changes)
        if progress is not None:
            updates.append(progress)
        self.check_drafts(row, updates, item.current_target_date)
        return RowPlan(
            row=row.row,
            ref=row.ref,
            outcome=Outcome.CHANGED if updates else Outcome.UNCHANGED,
            changes=tuple(edits.changes),
            recommendation_id=item.id,
            expected_latest_update_id=item.latest_update_id,
            owner=edits.owner,
            directorate=edits.directorate,
            column_values=edits.columns,
            updates=tuple(updates),
            committee=edits.committee,
        )

    @staticmethod
    def edit_names(row: TrackerRow, item: ExistingRecommendation, edits: _Edits) -> None:
        """The wording (spacing aside), lead officer, directorate and committee (any case), when
        the file gives them and they differ from those recorded."""
        if row.wording is not None and not same_text(row.wording, item.wording):
            edits.columns["wording"] = row.wording
            edits.changes.append("Wording changed")
            edits.said.append(f'wording changed from "{item.wording}" to "{row.wording}"')
        if row.owner is not None and not same_name(row.owner, item.owner):
            edits.owner = row.owner
            edits.changes.append(f"Lead officer: {item.owner or 'none'} → {row.owner}")
            edits.said.append(f"lead officer changed from {item.owner or 'none'} to {row.owner}")
        if row.directorate is not None and not same_name(row.directorate, item.directorate):
            edits.directorate = row.directorate
            edits.changes.append(f"Directorate: {item.directorate or 'none'} → {row.directorate}")
            edits.said.append(
                f"directorate changed from {item.directorate or 'none'} to {row.directorate}"
            )
        if row.committee is not None and not same_name(row.committee, item.committee):
            edits.committee = row.committee
            edits.changes.append(f"Committee: {item.committee or 'none'} → {row.committee}")
            edits.said.append(
                f"committee changed from {item.committee or 'none'} to {row.committee}"
            )

    @staticmethod
    def edit_priority(row: TrackerRow, item: ExistingRecommendation, edits: _Edits) -> None:
        if row.priority is not None and row.priority is not item.priority:
            edits.columns["priority"] = row.priority.value
            edits.changes.append(f"Priority: {item.priority.label} → {row.priority.label}")
            edits.said.append(
                f"priority changed from {item.priority.label} to {row.priority.label}".lower()
            )

    def edit_acceptance(self, row: TrackerRow, item: ExistingRecommendation, edits: _Edits) -> None:
        """A different acceptance (or in principle) is recorded as accepted today; awaiting a
        response has no acceptance date."""
        if row.acceptance is None or (
            row.acceptance.acceptance is item.acceptance
            and row.acceptance.in_principle == item.in_principle
        ):
            return
        was = acceptance_label(item.acceptance, item.in_principle)
        now = acceptance_label(row.acceptance.acceptance, row.acceptance.in_principle)
        edits.columns.update(
            acceptance=row.acceptance.acceptance.value,
            accepted_in_principle=row.acceptance.in_principle,
            accepted_on=(
                None if row.acceptance.acceptance is Acceptance.AWAITING_RESPONSE else self.today
            ),
        )
        edits.changes.append(f"Acceptance: {was} → {now}")
        edits.said.append(f"acceptance changed from {was} to {now}".lower())

    def progress_update(
        self, row: TrackerRow, item: ExistingRecommendation, changes: list[str]
    ) -> UpdateDraft | None:
        """The progress the row records: a new status, target date, update text or evidence,
        as one update (its changes added to `changes` for the preview); None when it brings
        none. An update text or evidence already in the history is not new."""
        status = row.status
        if status is Status.IMPLEMENTED and item.status is Status.CLOSED:
            status = None  # the committee's sign-off stands
        new_status = status if status is not None and status is not item.status else None
        new_target = self.new_target(row, item)
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
        if not (new_status or new_target or text or evidence):
            return None
        when = self.progress_date(row, item, moves_status=bool(new_status or new_target))
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
        return UpdateDraft(
            update_date=when,
            author=self.author,
            narrative=text or self.generated(parts or ["new evidence"]),
            new_status=new_status,
            new_target_date=new_target,
            target_change_reason=self.reason if new_target else None,
            evidence=evidence,
        )

    def new_target(self, row: TrackerRow, item: ExistingRecommendation) -> date | None:
        """The file's current target (revised, else original) when it differs from the one
        recorded. A different original target beside a revised one is only noted: an
        original target is never changed."""
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
        return new_target

    def progress_date(
        self, row: TrackerRow, item: ExistingRecommendation, *, moves_status: bool
    ) -> date:
        """The update's date; one before the latest update recorded is a problem when the
        update moves the status or target (they would not be the current ones)."""
        when = self.update_date(row)
        if moves_status and item.last_update_on and when < item.last_update_on:
            self.problem(
                row,
                Field.UPDATE_DATE,
                when,
                "The update date is before the latest update already recorded "
                f"({long_date(item.last_update_on)}), so its status and target would not be "
                "the current ones. Correct the date, or leave it blank to use today.",
            )
        return when
