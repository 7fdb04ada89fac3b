"""Bringing a council's tracker spreadsheet into the store, safely and repeatably.

Two steps, so a dry run is simply the first:

- `plan_import(conn, parsed, options)` reads what the plan needs from the store (the source,
  its committee, its recommendations and their history) and hands it to the pure planner,
  `importing.tracker_plan.build_plan`, which says row by row what would happen and collects
  every problem before anything is written.
- `apply_import(conn, plan)` writes the plan through `data_access.writes`, inside the caller's
  transaction (`with engine.begin() as conn:`), so a failure anywhere writes nothing.

The plan's types (`importing.tracker_plan_types`) and its preview words (`describe_plan`,
`importing.tracker_preview`) are re-exported here. The command line is `cli.import_tracker`;
this module stays runnable as before (the README and users call it):

    python -m data_access.import_tracker FILE [--source TITLE] [--dry-run]
        [--committee NAME] [--kind KIND] [--issued DATE] [--author NAME]
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import PurePath
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, update
from sqlalchemy.exc import IntegrityError

from data_access.import_batches import TRACKER, record_batch, start_batch
from data_access.models import (
    Committee,
    ProgressUpdate,
    Recommendation,
    Source,
    SourceWordReading,
)
from data_access.names import committee_id, directorate_id, officer_id
from data_access.queries.tracker import source_recommendations
from data_access.writes import (
    ConcurrentChange,
    InvalidUpdate,
    NewSource,
    PendingUpdate,
    add_recommendations,
    add_source,
    add_updates,
    save_word_readings,
)
from domain.formatting import long_date
from domain.text_rules import storable_problem
from domain.vocabulary import Acceptance, Priority, Status
from importing.spreadsheet_types import PRIORITY_WORD, STATUS_WORD, ParsedTracker
from importing.tracker_plan import build_plan, ref_key
from importing.tracker_plan_types import (
    DEFAULT_KIND,
    ExistingRecommendation,
    ImportOptions,
    ImportPlan,
    ImportRefused,
    ImportResult,
    Outcome,
    ResolvedSource,
    RowPlan,
)
from importing.tracker_preview import describe_plan
from importing.word_readings import OTHER_COLUMNS, StatusChoice, WordReadings
from importing.words import normalise_words

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
    "plan_import",
    "saved_word_readings",
]


# --- Reading what the plan needs ---------------------------------------------------------------


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


def _existing(conn: Connection, source_id: int) -> dict[str, ExistingRecommendation]:
    r = Recommendation
    rows = conn.execute(source_recommendations(source_id)).mappings()
    by_id = {
        row["id"]: ExistingRecommendation(
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
            committee=row["committee"],
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
    return {ref_key(item.ref): item for item in by_id.values()}


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
    too_long = _unstorable_names(title, options.committee, parsed.filename)
    if too_long:
        return None, title[:80], None, None, None, too_long
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


def _unstorable_names(title: str, committee: str | None, file_name: str) -> list[str]:
    """The source title and committee name checked against the schema's column sizes (and for
    NUL characters) before anything is looked up or written: PostgreSQL refuses what does not
    fit, SQLite would keep it, and the same check refuses it on both."""
    problems = []
    for text, column, what in (
        (title, Source.title, "The source's title"),
        (" ".join((committee or "").split()), Committee.name, "The committee's name"),
    ):
        shown = f'{what} "{text[:60]}…"' if len(text) > 60 else f'{what} "{text}"'
        problem = storable_problem(text, column.type.length, shown)
        if problem:
            problems.append(f"{file_name}: {problem}")
    return problems


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
    named = Counter(row.committee for row in parsed.rows if row.committee)
    if not (options.committee or "").strip() and named:
        # A new source monitored by the committee most of the file's rows name.
        options = dataclasses.replace(options, committee=named.most_common(1)[0][0])
    source_id, title, new_source, committee_name, committee, source_problems = _resolve_source(
        conn, parsed, options
    )
    made_on = (
        new_source.date_issued
        if new_source is not None
        else conn.execute(select(Source.date_issued).where(Source.id == source_id)).scalar()
    )
    existing = _existing(conn, source_id) if source_id is not None else {}
    source = ResolvedSource(
        source_id=source_id,
        title=title,
        new_source=new_source,
        committee_name=committee_name,
        committee_id=committee,
        made_on=made_on,
        problems=tuple(source_problems),
        saved_readings=saved_word_readings(conn, source_id) if source_id else WordReadings(),
    )
    return build_plan(parsed, source, existing, options)


def saved_word_readings(conn: Connection, source_id: int) -> WordReadings:
    """The readings of unknown words kept with the source by earlier imports."""
    statuses: dict[str, StatusChoice] = {}
    priorities: dict[str, Priority] = {}
    rows = conn.execute(
        select(SourceWordReading.kind, SourceWordReading.word, SourceWordReading.reading).where(
            SourceWordReading.source_id == source_id
        )
    )
    for kind, word, reading in rows:
        if kind == STATUS_WORD:
            statuses[word] = OTHER_COLUMNS if reading == OTHER_COLUMNS else Status(reading)
        elif kind == PRIORITY_WORD:
            priorities[word] = Priority(reading)
    return WordReadings(statuses=statuses, priorities=priorities)


# --- Writing ---------------------------------------------------------------------------------


class _Names:
    """Officer and directorate ids by name, found or made once per import."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.directorates: dict[str, int | None] = {}
        self.officers: dict[str, int | None] = {}
        self.committees: dict[str, int | None] = {}

    def committee(self, name: str | None) -> int | None:
        """The committee a row names (made if new); None when the row names none."""
        if not name:
            return None
        key = ref_key(name)
        if key not in self.committees:
            self.committees[key] = committee_id(self.conn, name, create=True)
        return self.committees[key]

    def directorate(self, name: str | None) -> int | None:
        if not name:
            return None
        key = ref_key(name)
        if key not in self.directorates:
            self.directorates[key] = directorate_id(self.conn, name)
        return self.directorates[key]

    def officer(self, name: str | None, directorate: int | None) -> int | None:
        if not name:
            return None
        key = ref_key(name)
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
            committee_id=names.committee(row.committee) or committee,
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
    save_word_readings(conn, source_id, plan.readings)
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
            if row.committee is not None:
                columns["committee_id"] = names.committee(row.committee)
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


if __name__ == "__main__":
    # The command line lives in cli/ (argparse and print stay out of the data layer); this
    # entry point is kept because the README and users run `python -m data_access.import_tracker`.
    # The import is inside the block so the data layer never imports cli/ when used as a library.
    from cli.import_tracker import main

    raise SystemExit(main())
