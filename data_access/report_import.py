"""Bringing a committee report's recommendations into the tracker.

A library first, the command a thin client of it:

    python -m data_access.report_import FILE [--json] [--before-meeting]

reads a report (.txt, .docx, .pdf, .csv, or `-` for text on standard input) and prints the
proposed recommendations: with `--json` as `{"recommendations": [{"ref", "text", "response",
"status", "report_back", "owner", "directorate", "due", "acceptance", "evidence"}]}`, otherwise
as a table. It never writes. Exit
codes: 0 read, 1 the file is not a readable report (one sentence on stderr), 2 bad usage.

`save_proposal` writes what the officer reviewed, in the caller's one transaction, through
`data_access.writes`: a new ref becomes a recommendation whose first progress update is the
report's response; a ref the source already has gets that response as a new progress update
(the next update report on the same review), and an identical update already recorded is left
alone, so saving the same report twice changes nothing. Acceptance is read from the report's
words with `importing.words`; a recommendation the report reports implemented or closed, with
no word on acceptance, is saved as Accepted (implementing it is accepting it), never left
"awaiting response" (see `acceptance_for`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from sqlalchemy import Connection, insert, select

from data_access.import_batches import REPORT, BatchMark, record_batch, start_batch
from data_access.models import (
    Directorate,
    Meeting,
    Officer,
    ProgressUpdate,
    Recommendation,
    Source,
)
from data_access.names import directorate_id, officer_id
from data_access.writes import (
    InvalidUpdate,
    NewRecommendation,
    NewSource,
    UpdateDraft,
    accept_if_awaiting,
    add_recommendation,
    add_source,
    add_update,
)
from domain.formatting import long_date
from domain.text_rules import storable_problem, without_invisible
from domain.vocabulary import Acceptance, ReportBack, Status
from importing.report_parse import parse_report
from importing.report_text import ReportUnreadable, report_text
from importing.report_types import ParsedReport, ProposedRecommendation
from importing.words import AcceptanceReading, acceptance_of_word, find_date

__all__ = [
    "ProposalRefused",
    "SaveResult",
    "acceptance_for",
    "proposal_problems",
    "read_report",
    "save_proposal",
]


class ProposalRefused(ValueError):
    """The reviewed proposal cannot be saved; `problems` says which rows and why."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__(" ".join(self.problems))


@dataclass(frozen=True)
class SaveResult:
    """What a save wrote: the source, and the refs added, updated and left as they were."""

    source_id: int
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def read_report(data: bytes, filename: str, *, committee_met: bool = True) -> ParsedReport:
    """The proposal for a report's bytes. Raises ReportUnreadable when the file is not a
    readable report, including a readable document with no recommendations in it."""
    parsed = parse_report(report_text(data, filename), committee_met=committee_met)
    if not parsed.recommendations:
        name = Path(filename).name or "The text"
        raise ReportUnreadable(
            f"No recommendations were found in {name}. The tracker looks for headings such as "
            '"Recommendation 1", lists such as "R1 – …", or a table with a Recommendation '
            "column: check this is the report, or paste the recommendations' text."
        )
    return parsed


# Statuses that say the recommendation was carried out: accepting it is implied.
_DONE = frozenset({Status.IMPLEMENTED.value, Status.CLOSED.value})


def acceptance_for(row: ProposedRecommendation) -> AcceptanceReading | None:
    """The acceptance a reviewed row is saved with: the report's (or the officer's) word read
    with `importing.words`; with no word, Accepted when the row is implemented or closed
    (implementing it is accepting it; DOMAIN.md's "response due or late" must not list an item
    the report closed), otherwise Awaiting response. None for a word the tracker does not know.
    """
    words = row.acceptance.replace("_", " ").strip()
    if words:
        return acceptance_of_word(words)
    if row.status in _DONE:
        return AcceptanceReading(Acceptance.ACCEPTED)
    return AcceptanceReading(Acceptance.AWAITING_RESPONSE)


def _label(row: ProposedRecommendation, number: int) -> str:
    return f"row {number} ({row.ref.strip()})" if row.ref.strip() else f"row {number}"


def _ref(row: ProposedRecommendation) -> str:
    """The row's ref as it is saved and matched: invisible characters removed."""
    return " ".join(without_invisible(row.ref).split())


def _unstorable(rows: Sequence[ProposedRecommendation], author: str) -> list[str]:
    """Text the database cannot store (a NUL character) or that is longer than its column,
    found before writing, the same way on SQLite and PostgreSQL (`domain.text_rules`)."""
    problems = []
    author_problem = storable_problem(author, ProgressUpdate.author.type.length, "Your name")
    if author_problem:
        problems.append(author_problem)
    for number, row in enumerate(rows, 1):
        label = _label(row, number)
        for text, limit, what in (
            (_ref(row), Recommendation.ref.type.length, "its reference"),
            (" ".join(row.owner.split()), Officer.name.type.length, "its owner's name"),
            (" ".join(row.directorate.split()), Directorate.name.type.length, "its directorate"),
            (row.text, None, "its wording"),
            (row.response, None, "its response"),
            (row.evidence, None, "its evidence"),
        ):
            problem = storable_problem(text, limit, f"In {label}, {what}")
            if problem:
                problems.append(problem)
    return problems


def proposal_problems(rows: Sequence[ProposedRecommendation], author: str) -> list[str]:
    """Why the reviewed rows cannot be saved yet, naming the rows; empty when they can."""
    problems = []
    if not author.strip():
        problems.append("Enter your name: every progress update records who made it.")
    if not rows:
        problems.append("There are no recommendations to save.")
    blank = [str(number) for number, row in enumerate(rows, 1) if not _ref(row)]
    if blank:
        problems.append(
            f"Give a reference to row {', '.join(blank)}. (A reference made only of invisible "
            "characters, such as a zero-width space, counts as none.)"
        )
    counts = Counter(_ref(row).casefold() for row in rows if _ref(row))
    duplicated = [
        _label(row, number)
        for number, row in enumerate(rows, 1)
        if counts[_ref(row).casefold()] > 1
    ]
    if duplicated:
        problems.append(
            f"References must differ; these repeat one: {', '.join(duplicated)}. (Invisible "
            "characters such as a zero-width space do not count.)"
        )
    problems += _unstorable(rows, author)
    no_text = [_label(row, n) for n, row in enumerate(rows, 1) if not row.text.strip()]
    if no_text:
        problems.append(f"Give the recommendation's wording in {', '.join(no_text)}.")
    valid = {status.value for status in Status}
    unclear = [_label(row, n) for n, row in enumerate(rows, 1) if row.status not in valid]
    if unclear:
        problems.append(f"Choose a status for {', '.join(unclear)}: the report does not say.")
    bad_dates = [
        f"{_label(row, n)} (“{row.due.strip()}”)"
        for n, row in enumerate(rows, 1)
        if row.due.strip() and find_date(row.due) is None
    ]
    if bad_dates:
        problems.append(
            f"These target dates are not dates the tracker can read: {', '.join(bad_dates)}. "
            "Write them like 31/03/2020 or 31 March 2020, or clear them."
        )
    bad_acceptance = [
        f"{_label(row, n)} (“{row.acceptance.strip()}”)"
        for n, row in enumerate(rows, 1)
        if acceptance_for(row) is None
    ]
    if bad_acceptance:
        problems.append(
            f"Choose accepted, partially accepted, not accepted, noted or awaiting response "
            f"for {', '.join(bad_acceptance)}."
        )
    return problems


def _report_back(row: ProposedRecommendation) -> ReportBack | None:
    if not row.report_back:
        return None
    phrase = row.report_back_evidence.lower()
    return ReportBack.TO_COMMITTEE if phrase and "next" not in phrase else ReportBack.NEXT_MEETING


def _meeting_id(conn: Connection, committee_id: int, day: date) -> int:
    """The committee's meeting that day (the report went to it), recorded if missing."""
    found = conn.execute(
        select(Meeting.id).where(Meeting.committee_id == committee_id, Meeting.meeting_date == day)
    ).scalar()
    if found is not None:
        return found
    return conn.execute(
        insert(Meeting).values(committee_id=committee_id, meeting_date=day).returning(Meeting.id)
    ).scalar_one()


def save_proposal(
    conn: Connection,
    source: NewSource | int,
    rows: Sequence[ProposedRecommendation],
    author: str,
    update_date: date,
    *,
    reported_to_meeting: bool = True,
    batch: BatchMark | None = None,
) -> SaveResult:
    """Write the reviewed recommendations, each with the report's response as its progress
    update of `update_date` by `author`, reported to the committee's meeting that day.

    Checks everything before writing; raises ProposalRefused (nothing written by this call)
    when a row is not ready. Run it inside `with engine.begin() as conn:` so that a failure
    part-way leaves the database as it was. The save is recorded as an import batch
    (`data_access.import_batches`): `batch` when the caller started it (with the file's name
    and hash, before writing anything of its own such as the committee), else one started here."""
    committee, made_on = _committee_and_issue_date(conn, source, rows, author, update_date)
    existing_source = None if isinstance(source, NewSource) else source
    batch = batch or start_batch(conn, REPORT, source_id=existing_source, file_name=None,
                                 file_sha256=None, recorded_by=author)  # fmt: skip
    source_id = add_source(conn, source) if isinstance(source, NewSource) else source
    existing = _existing_by_ref(conn, source_id)
    meeting_id = _meeting_id(conn, committee, update_date) if reported_to_meeting else None
    saving = _Saving(source_id, committee, made_on, update_date, author, meeting_id, existing)
    result = SaveResult(source_id=source_id)
    try:
        for row in rows:
            _save_row(conn, saving, row, result)
    except InvalidUpdate as error:
        raise ProposalRefused(error.problems) from error
    record_batch(conn, batch, source_id=source_id, new=len(result.created),
                 changed=len(result.updated), unchanged=len(result.unchanged))  # fmt: skip
    return result


def _committee_and_issue_date(
    conn: Connection,
    source: NewSource | int,
    rows: Sequence[ProposedRecommendation],
    author: str,
    update_date: date,
) -> tuple[int, date]:
    """The committee the recommendations go to and the day their source was issued, once
    every check has passed; ProposalRefused with every problem otherwise (nothing written)."""
    problems = proposal_problems(rows, author)
    if isinstance(source, NewSource):
        if not source.title.strip():
            problems.append("Give the source a title.")
        title_problem = storable_problem(
            source.title.strip(), Source.title.type.length, "The source's title"
        )
        if title_problem:
            problems.append(title_problem)
        committee = source.committee_id
        made_on = source.date_issued
        if made_on > update_date:
            problems.append(
                f"The source cannot be issued ({long_date(made_on)}) after the report's "
                f"update date ({long_date(update_date)})."
            )
    else:
        found = conn.execute(
            select(Source.committee_id, Source.date_issued).where(Source.id == source)
        ).first()
        if found is None:
            raise ProposalRefused([f"There is no source {source} to add to."])
        committee, made_on = found
    if committee is None:
        problems.append("Choose the committee that monitors these recommendations.")
    if problems:
        raise ProposalRefused(problems)
    return committee, made_on


@dataclass(frozen=True)
class _Saving:
    """What every row of one save shares: where it goes, the update it records, and the
    source's recommendations already there (by casefolded ref: id and current target)."""

    source_id: int
    committee_id: int
    made_on: date
    update_date: date
    author: str
    meeting_id: int | None
    existing: dict[str, tuple[int, date | None]]


def _existing_by_ref(conn: Connection, source_id: int) -> dict[str, tuple[int, date | None]]:
    return {
        ref.casefold(): (rec_id, target)
        for rec_id, ref, target in conn.execute(
            select(Recommendation.id, Recommendation.ref, Recommendation.current_target_date).where(
                Recommendation.source_id == source_id
            )
        )
    }


def _save_row(
    conn: Connection, saving: _Saving, row: ProposedRecommendation, result: SaveResult
) -> None:
    """One reviewed row: a new progress update on the recommendation the source already has
    with that ref (none if the same update is already recorded), else a new recommendation
    whose first update is the report's response. Noted in `result`."""
    ref = _ref(row)
    due = find_date(row.due) if row.due.strip() else None
    draft = UpdateDraft(
        update_date=saving.update_date,
        author=saving.author,
        narrative=row.response.strip() or row.evidence.strip() or "Imported from the report.",
        new_status=Status(row.status),
        report_back=_report_back(row),
        evidence=row.evidence or None,
        meeting_id=saving.meeting_id,
    )
    service = directorate_id(conn, row.directorate) if row.directorate.strip() else None
    owner = officer_id(conn, row.owner, directorate_id=service) if row.owner.strip() else None
    if ref.casefold() in saving.existing:
        rec_id, current_target = saving.existing[ref.casefold()]
        if _already_recorded(conn, rec_id, draft):
            result.unchanged.append(ref)
            return
        if due is not None and due != current_target:
            draft = _with_target(draft, due, saving.update_date)
        add_update(conn, rec_id, draft)
        if row.status in _DONE:
            accept_if_awaiting(conn, rec_id, saving.update_date)
        result.updated.append(ref)
        return
    reading = acceptance_for(row) or AcceptanceReading(Acceptance.AWAITING_RESPONSE)
    acceptance, in_principle = reading.acceptance, reading.in_principle
    add_recommendation(
        conn,
        NewRecommendation(
            source_id=saving.source_id,
            committee_id=saving.committee_id,
            ref=ref,
            wording=row.text,
            made_on=min(saving.made_on, saving.update_date),
            acceptance=acceptance,
            accepted_on=(
                saving.update_date if acceptance is not Acceptance.AWAITING_RESPONSE else None
            ),
            accepted_in_principle=in_principle,
            owner_id=owner,
            directorate_id=service,
            original_target_date=due,
        ),
        [draft],
    )
    result.created.append(ref)


def _with_target(draft: UpdateDraft, due: date, update_date: date) -> UpdateDraft:
    return replace(
        draft,
        new_target_date=due,
        target_change_reason=f"Target given in the committee report of {long_date(update_date)}",
    )


def _already_recorded(conn: Connection, recommendation_id: int, draft: UpdateDraft) -> bool:
    """The same words on the same day with the same status: the report was saved before."""
    found = conn.execute(
        select(ProgressUpdate.id).where(
            ProgressUpdate.recommendation_id == recommendation_id,
            ProgressUpdate.update_date == draft.update_date,
            ProgressUpdate.narrative == draft.narrative.strip(),
            ProgressUpdate.new_status == (draft.new_status.value if draft.new_status else None),
        )
    ).first()
    return found is not None


# --- The command ----------------------------------------------------------------------------


if __name__ == "__main__":
    # The command line lives in cli/ (layers point one way): imported only when run.
    from cli.report_import import main

    raise SystemExit(main())
