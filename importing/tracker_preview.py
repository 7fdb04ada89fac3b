"""A tracker import's plan in words: what was read, what would happen, and what is wrong.

`describe_plan` gives the lines the command line prints (and the preview's summary);
`unknown_word_lines` the status and priority words the tracker does not know. The plan itself
is made by `importing.tracker_plan`; its rows, problems and notes as tables are methods of
`importing.tracker_plan_types.ImportPlan`.
"""

from __future__ import annotations

from domain.formatting import long_date, plural
from importing.spreadsheet_types import ParsedTracker
from importing.tracker_columns import Field
from importing.tracker_plan_types import ImportPlan, Outcome

__all__ = ["describe_plan", "unknown_word_lines"]


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
