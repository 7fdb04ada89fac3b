"""Bringing a council's tracker spreadsheet into the store, safely and repeatably.

Two steps, so a dry run is simply the first:

- `plan_import(conn, parsed, options)` compares the file (read by `importing.spreadsheet`) with
  the source's recommendations and says, row by row, what would happen: *new* (a
  recommendation and its first update), *unchanged* (nothing written), or *changed* (the exact
  progress updates it would record). Rows are matched on source and ref (trimmed, any case).
  Every problem (row, column, value, what is wrong) is collected before anything is written.
- `apply_import(conn, plan)` writes the plan through `data_access.writes`, inside the caller's
  transaction (`with engine.begin() as conn:`), so a failure anywhere writes nothing.

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

Command line (a thin client of the library):

    python -m data_access.import_tracker FILE [--source TITLE] [--dry-run]
        [--committee NAME] [--kind KIND] [--issued DATE] [--author NAME]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path, PurePath
from typing import Any

import pandas as pd
from sqlalchemy import Connection, bindparam, func, select, update
from sqlalchemy.exc import IntegrityError

from data_access.import_batches import TRACKER, record_batch, start_batch
from data_access.models import (
    Directorate,
    Officer,
    ProgressUpdate,
    Recommendation,
    Source,
)
from data_access.writes import (
    ConcurrentChange,
    InvalidUpdate,
    NewRecommendation,
    NewSource,
    PendingUpdate,
    UpdateDraft,
    add_recommendations,
    add_source,
    add_updates,
    committee_id,
    directorate_id,
    draft_problems,
    officer_id,
)
from domain.formatting import long_date, plural, short_date
from domain.vocabulary import (
    Acceptance,
    Confidentiality,
    Priority,
    SourceKind,
    Status,
    acceptance_label,
)
from importing.spreadsheet import (
    MAX_FILE_LABEL,
    CellProblem,
    ParsedTracker,
    TrackerRow,
    UnreadableFile,
    read_tracker,
)
from importing.tracker_columns import Field
from importing.words import normalise_words, read_date

__all__ = [
    "DEFAULT_KIND",
    "ImportOptions",
    "ImportPlan",
    "ImportRefused",
    "ImportResult",
    "Outcome",
    "RowPlan",
    "apply_import",
    "default_source_title",
    "describe_plan",
    "main",
    "plan_import",
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
    source_id: int
    source_title: str
    created: int
    changed: int
    unchanged: int
    updates_written: int


class ImportRefused(ValueError):
    """The plan has problems, or the store changed under it; nothing was written."""


# --- Planning --------------------------------------------------------------------------------


def _key(ref: str) -> str:
    return " ".join(ref.split()).casefold()


def _same_text(a: str | None, b: str | None) -> bool:
    return " ".join((a or "").split()) == " ".join((b or "").split())


def _same_name(a: str | None, b: str | None) -> bool:
    return " ".join((a or "").split()).casefold() == " ".join((b or "").split()).casefold()


def default_source_title(conn: Connection, parsed: ParsedTracker) -> str:
    """The source a file most likely belongs to when the user names none: an existing source
    named in a title row above the header (the export writes one) or by the file's name;
    otherwise the first title row, or the file's name."""
    titles = {
        normalise_words(title): title for title in conn.execute(select(Source.title)).scalars()
    }
    stem = PurePath(parsed.filename).stem
    for candidate in (*parsed.title_lines, stem):
        if normalise_words(candidate) in titles:
            return titles[normalise_words(candidate)]
    return parsed.title_lines[0] if parsed.title_lines else stem


@dataclass
class _Existing:
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


def _existing(conn: Connection, source_id: int) -> dict[str, _Existing]:
    r = Recommendation
    rows = conn.execute(
        select(
            r.id,
            r.ref,
            r.wording,
            r.priority,
            r.acceptance,
            r.accepted_in_principle,
            r.original_target_date,
            r.current_target_date,
            r.status,
            r.last_update_on,
            Officer.name.label("owner"),
            Directorate.name.label("directorate"),
        )
        .outerjoin(Officer, Officer.id == r.owner_id)
        .outerjoin(Directorate, Directorate.id == r.directorate_id)
        .where(r.source_id == source_id)
    ).mappings()
    by_id = {
        row["id"]: _Existing(
            id=row["id"],
            ref=row["ref"],
            wording=row["wording"],
            owner=row["owner"],
            directorate=row["directorate"],
            priority=Priority(row["priority"]),
            acceptance=Acceptance(row["acceptance"]),
            in_principle=bool(row["accepted_in_principle"]),
            original_target_date=row["original_target_date"],
            current_target_date=row["current_target_date"],
            status=Status(row["status"]),
            last_update_on=row["last_update_on"],
        )
        for row in rows
    }
    u = ProgressUpdate
    updates = conn.execute(
        select(u.recommendation_id, u.id, u.narrative, u.evidence)
        .join(r, r.id == u.recommendation_id)
        .where(r.source_id == source_id)
    )
    for recommendation_id, update_id, narrative, evidence in updates:
        item = by_id[recommendation_id]
        item.latest_update_id = max(item.latest_update_id, update_id)
        item.narratives.add(" ".join((narrative or "").split()))
        if evidence:
            item.evidence.add(" ".join(evidence.split()))
    return {_key(item.ref): item for item in by_id.values()}


def _resolve_source(
    conn: Connection, parsed: ParsedTracker, options: ImportOptions
) -> tuple[int | None, str, NewSource | None, str | None, int | None, list[str]]:
    """(source id, title, source to create, committee name, committee id, problems)."""
    problems: list[str] = []
    if options.source_id is not None:
        found = conn.execute(
            select(Source.id, Source.title, Source.committee_id).where(
                Source.id == options.source_id
            )
        ).first()
        if found is None:
            return None, "", None, None, None, [f"There is no source {options.source_id}."]
        return found.id, found.title, None, None, _source_committee(conn, found), []
    title = " ".join((options.source_title or default_source_title(conn, parsed)).split())
    if not title:
        return None, "", None, None, None, ["Give the title of the source the file belongs to."]
    matches = conn.execute(
        select(Source.id, Source.title, Source.committee_id, Source.date_issued).where(
            func.lower(func.trim(Source.title)) == title.lower()
        )
    ).all()
    if len(matches) > 1:
        issued = ", ".join(f"{m.id} (issued {long_date(m.date_issued)})" for m in matches)
        return (
            None,
            title,
            None,
            None,
            None,
            [f'{len(matches)} sources are called "{title}": choose one by its id ({issued}).'],
        )
    if matches:
        found = matches[0]
        committee = _source_committee(conn, found)
        if committee is None and options.committee:
            committee = committee_id(conn, options.committee)
        return found.id, found.title, None, options.committee, committee, []
    # A new source.
    if not (options.committee or "").strip():
        problems.append(
            f'"{title}" is a new source: give the committee that monitors its recommendations.'
        )
    if options.date_issued is None:
        problems.append(f'"{title}" is a new source: give the date it was issued.')
    if problems:
        return None, title, None, options.committee, None, problems
    assert options.committee is not None and options.date_issued is not None
    committee = committee_id(conn, options.committee)
    new = NewSource(
        title=title, kind=options.kind, date_issued=options.date_issued, committee_id=committee,
        confidentiality=options.confidentiality, author=options.source_author,
    )  # fmt: skip
    return None, title, new, " ".join(options.committee.split()), committee, []


def _source_committee(conn: Connection, source: Any) -> int | None:
    if source.committee_id is not None:
        return source.committee_id
    return conn.execute(
        select(Recommendation.committee_id)
        .where(Recommendation.source_id == source.id)
        .group_by(Recommendation.committee_id)
        .order_by(func.count().desc())
        .limit(1)
    ).scalar()


def plan_import(
    conn: Connection, parsed: ParsedTracker, options: ImportOptions | None = None
) -> ImportPlan:
    """What importing the parsed file would do (the dry run). Reads only; writes nothing."""
    options = options or ImportOptions()
    today = options.today or date.today()
    author = " ".join((options.author or f"Imported from {parsed.filename}").split())
    reason = f"imported from {parsed.filename}"
    source_id, title, new_source, committee_name, committee, source_problems = _resolve_source(
        conn, parsed, options
    )
    if new_source is None and source_id is not None and committee is None:
        source_problems.append(
            f'"{title}" has no committee yet: give the committee that monitors it.'
        )
    made_on = (
        new_source.date_issued
        if new_source is not None
        else conn.execute(select(Source.date_issued).where(Source.id == source_id)).scalar()
    )
    existing = _existing(conn, source_id) if source_id is not None else {}
    problems = list(parsed.problems)
    notes = list(parsed.notes)
    if not author:
        source_problems.append("Enter your name: every update records who made it.")
    planner = _RowPlanner(parsed, author, reason, today, made_on, problems, notes)
    rows = []
    for row in parsed.rows:
        if row.ref is None:
            continue
        item = existing.get(_key(row.ref))
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

    def existing(self, row: TrackerRow, item: _Existing) -> RowPlan:
        assert row.ref is not None
        changes: list[str] = []
        said: list[str] = []
        columns: dict[str, Any] = {}
        owner = directorate = None
        if row.wording is not None and not _same_text(row.wording, item.wording):
            columns["wording"] = row.wording
            changes.append("Wording changed")
            said.append(f'wording changed from "{item.wording}" to "{row.wording}"')
        if row.owner is not None and not _same_name(row.owner, item.owner):
            owner = row.owner
            changes.append(f"Lead officer: {item.owner or 'none'} → {row.owner}")
            said.append(f"lead officer changed from {item.owner or 'none'} to {row.owner}")
        if row.directorate is not None and not _same_name(row.directorate, item.directorate):
            directorate = row.directorate
            changes.append(f"Directorate: {item.directorate or 'none'} → {row.directorate}")
            said.append(
                f"directorate changed from {item.directorate or 'none'} to {row.directorate}"
            )
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
        )


# --- Writing ---------------------------------------------------------------------------------


class _Names:
    """Officer and directorate ids by name, found or made once per import."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.directorates: dict[str, int | None] = {}
        self.officers: dict[str, int | None] = {}

    def directorate(self, name: str | None) -> int | None:
        if not name:
            return None
        key = _key(name)
        if key not in self.directorates:
            self.directorates[key] = directorate_id(self.conn, name)
        return self.directorates[key]

    def officer(self, name: str | None, directorate: int | None) -> int | None:
        if not name:
            return None
        key = _key(name)
        if key not in self.officers:
            self.officers[key] = officer_id(self.conn, name, directorate_id=directorate)
        return self.officers[key]


def _insert_new(
    conn: Connection, plan: ImportPlan, source_id: int, committee: int, names: _Names
) -> int:
    """Insert the plan's new recommendations and their first updates (`add_recommendations`,
    a few statements for the whole batch); the updates written. The plan has already checked
    every draft (`draft_problems`) and that no ref is taken; a ref someone added since is
    refused, and the caller's transaction then writes nothing."""
    items = []
    for row in plan.rows:
        if row.outcome is not Outcome.NEW:
            continue
        assert row.new is not None
        directorate = names.directorate(row.directorate)
        new = dataclasses.replace(
            row.new,
            source_id=source_id,
            committee_id=committee,
            directorate_id=directorate,
            owner_id=names.officer(row.owner, directorate),
        )
        items.append((new, row.updates))
    add_recommendations(conn, items)
    return sum(len(updates) for _, updates in items)


def apply_import(conn: Connection, plan: ImportPlan) -> ImportResult:
    """Write the plan inside the caller's transaction; all of it or (on any error) none.

    Raises ImportRefused for a plan with problems, or when the store changed since the plan
    was made (someone updated one of its recommendations, or added one of its refs)."""
    if not plan.can_apply:
        raise ImportRefused(
            "The file has problems, so nothing was imported: "
            + " ".join([*plan.source_problems, *(p.problem for p in plan.problems[:3])])
        )
    batch = start_batch(conn, TRACKER, source_id=plan.source_id, file_name=plan.filename,
                        file_sha256=plan.parsed.file_sha256, recorded_by=plan.author)  # fmt: skip
    source_id = plan.source_id
    committee = plan.committee_id
    if committee is None and plan.committee_name:
        committee = committee_id(conn, plan.committee_name, create=True)
    if plan.new_source is not None:
        source_id = add_source(conn, dataclasses.replace(plan.new_source, committee_id=committee))
    assert source_id is not None and committee is not None
    names = _Names(conn)
    updates_written = 0
    try:
        updates_written += _insert_new(conn, plan, source_id, committee, names)
        pending: list[PendingUpdate] = []
        # Column changes grouped by the columns they set, each group one executemany.
        column_changes: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row in plan.rows:
            if row.outcome is not Outcome.CHANGED:
                continue
            assert row.recommendation_id is not None
            columns = dict(row.column_values)
            if row.directorate is not None:
                columns["directorate_id"] = names.directorate(row.directorate)
            if row.owner is not None:
                columns["owner_id"] = names.officer(row.owner, columns.get("directorate_id"))
            pending += [
                PendingUpdate(
                    row.recommendation_id,
                    draft,
                    row.expected_latest_update_id if number == 0 else None,
                )
                for number, draft in enumerate(row.updates)
            ]
            if columns:
                column_changes.setdefault(tuple(sorted(columns)), []).append(
                    {"recommendation_key": row.recommendation_id, **columns}
                )
        updates_written += len(add_updates(conn, pending))
        for changes in column_changes.values():
            conn.execute(
                update(Recommendation).where(Recommendation.id == bindparam("recommendation_key")),
                changes,
            )
    except ConcurrentChange as error:
        raise ImportRefused(
            "Someone recorded an update to one of these recommendations while the import was "
            "being prepared, so nothing was imported. Check the file against the tracker and "
            "import it again."
        ) from error
    except (InvalidUpdate, IntegrityError) as error:
        problems = getattr(error, "problems", None) or ("a ref is already taken",)
        raise ImportRefused(
            "The tracker changed while the import was being prepared, so nothing was imported "
            f"({' '.join(problems)}). Import the file again."
        ) from error
    counts = plan.counts
    record_batch(conn, batch, source_id=source_id, new=counts[Outcome.NEW],
                 changed=counts[Outcome.CHANGED], unchanged=counts[Outcome.UNCHANGED],
                 skipped=len(plan.parsed.skipped))  # fmt: skip
    return ImportResult(
        source_id=source_id,
        source_title=plan.source_title,
        created=counts[Outcome.NEW],
        changed=counts[Outcome.CHANGED],
        unchanged=counts[Outcome.UNCHANGED],
        updates_written=updates_written,
    )


# --- Words for the user ----------------------------------------------------------------------


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
        if parsed.unmapped_statuses:
            words = ", ".join(f"{w} ({n:,})" for w, n in parsed.unmapped_statuses.items())
            lines.append(f"Status words not understood: {words}.")
    elif applied:
        changes = counts[Outcome.NEW] + counts[Outcome.CHANGED]
        lines.append("Imported." if changes else "Nothing changed: the tracker already holds this.")
    else:
        lines.append("Dry run: nothing was written.")
    return lines


# --- Command line ----------------------------------------------------------------------------


def _date_option(text: str) -> date:
    found = read_date(text)
    if not isinstance(found, date):
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (write it like 12/02/2019)")
    return found


def _kind_option(text: str) -> SourceKind:
    wanted = normalise_words(text)
    for kind in SourceKind:
        if wanted in {normalise_words(kind.value), normalise_words(kind.label)}:
            return kind
    choices = ", ".join(kind.value for kind in SourceKind)
    raise argparse.ArgumentTypeError(f"{text!r} is not a kind of source (one of {choices})")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m data_access.import_tracker",
        description=(
            "Import a council's recommendations tracker (.xlsx or .csv, at most "
            f"{MAX_FILE_LABEL}) into the tracker database (DATABASE_URL, or the built-in "
            "database). Rows are matched on source and ref: new rows are added, changed rows "
            "become progress updates, unchanged rows change nothing. The whole file is "
            "checked first; a file with problems writes nothing. Exit status: 0 imported (or "
            "dry run clean), 1 problems in the file (nothing written), 2 usage."
        ),
    )
    parser.add_argument("file", type=Path, help="the tracker, .xlsx or .csv")
    parser.add_argument(
        "--source",
        help="title of the source (report, review, audit) the recommendations belong to; an "
        "existing source is matched in any case. Default: the title row of the file if it "
        "names a source (as the export writes it), else the file's name.",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="check and show what would change; write nothing"
    )
    parser.add_argument(
        "--committee",
        help="for a new source: the committee that monitors it (made if new). Required then.",
    )
    parser.add_argument(
        "--issued",
        type=_date_option,
        help="for a new source: the date it was issued (e.g. 12/02/2019). Required then.",
    )
    parser.add_argument(
        "--kind",
        type=_kind_option,
        default=DEFAULT_KIND,
        help="for a new source: "
        + ", ".join(kind.value for kind in SourceKind)
        + f" (default {DEFAULT_KIND.value})",
    )
    parser.add_argument(
        "--author", help='who the updates are recorded as by (default "Imported from FILE")'
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from data_access.db import DatabaseProblem, configured_url, open_tracker

    args = _parser().parse_args(argv)
    try:
        data = args.file.read_bytes()
    except OSError as error:
        print(f"Cannot read {args.file}: {error.strerror or error}.", file=sys.stderr)
        return 2
    try:
        parsed = read_tracker(data, args.file.name)
    except UnreadableFile as problem:
        print(f"{problem} Nothing was imported.", file=sys.stderr)
        return 1
    try:
        engine, _ = open_tracker(configured_url())
    except DatabaseProblem as problem:
        print(str(problem), file=sys.stderr)
        return 2
    options = ImportOptions(
        source_title=args.source,
        committee=args.committee,
        kind=args.kind,
        date_issued=args.issued,
        author=args.author,
    )
    try:
        with engine.begin() as conn:
            plan = plan_import(conn, parsed, options)
            if plan.source_problems and not plan.problems:
                for line in plan.source_problems:
                    print(line, file=sys.stderr)
                print(
                    "Name an existing source with --source, or describe the new one with "
                    "--committee and --issued. Nothing was imported.",
                    file=sys.stderr,
                )
                return 2
            if not plan.can_apply or args.dry_run:
                print("\n".join(describe_plan(plan)))
                return 0 if plan.can_apply else 1
            apply_import(conn, plan)
    except ImportRefused as refused:
        print(str(refused), file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print("\n".join(describe_plan(plan, applied=True)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
