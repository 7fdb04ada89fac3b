"""`python -m cli.import_tracker` (also `python -m data_access.import_tracker`): import a council's
tracker spreadsheet from the command line, a thin client of `data_access.import_tracker`."""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from cli import open_configured_tracker, read_input
from data_access.import_tracker import (
    DEFAULT_KIND,
    ImportOptions,
    ImportRefused,
    apply_import,
    describe_plan,
    plan_import,
)
from domain.vocabulary import Priority, SourceKind, Status
from importing.spreadsheet import read_tracker
from importing.spreadsheet_types import MAX_FILE_LABEL, ParsedTracker, UnreadableFile
from importing.word_readings import (
    OTHER_COLUMNS,
    StatusChoice,
    WordReadings,
    read_priority_choice,
    read_status_choice,
)
from importing.words import normalise_words, read_date

__all__ = ["main"]


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


STATUS_CHOICES = ", ".join([*(status.value for status in Status), OTHER_COLUMNS])
PRIORITY_CHOICES = ", ".join(priority.value for priority in Priority)


def _status_choice(text: str) -> StatusChoice:
    found = read_status_choice(text)
    if found is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a status (one of {STATUS_CHOICES}; {OTHER_COLUMNS} reads the "
            "status from the row's evidence and update)"
        )
    return found


def _word_is(text: str, kind: str, read: Callable[[str], Any]) -> tuple[str, Any]:
    word, equals, meaning = text.rpartition("=")
    if not equals or not word.strip() or not meaning.strip():
        raise argparse.ArgumentTypeError(
            f'{text!r} is not WORD={kind.upper()}: write it like "Undetermined=in_progress"'
        )
    return normalise_words(word), read(meaning)


def _status_word(text: str) -> tuple[str, StatusChoice]:
    return _word_is(text, "status", _status_choice)


def _priority_word(text: str) -> tuple[str, Priority]:
    def priority(meaning: str) -> Priority:
        found = read_priority_choice(meaning)
        if found is None:
            raise argparse.ArgumentTypeError(
                f"{meaning!r} is not a priority (one of {PRIORITY_CHOICES})"
            )
        return found

    return _word_is(text, "priority", priority)


def how_to_read_words(parsed: ParsedTracker, path: str) -> list[str]:
    """What to type so the words the tracker does not know are read, for the refusal."""
    if not (parsed.unmapped_statuses or parsed.unmapped_priorities):
        return []
    example = [f"python -m data_access.import_tracker {shlex.quote(path)}"]
    for word in list(parsed.unmapped_statuses)[:2]:
        example.append("--status " + shlex.quote(f"{word}=in_progress"))
    for word in list(parsed.unmapped_priorities)[:2]:
        example.append("--priority " + shlex.quote(f"{word}=high"))
    lines = [
        "Say what each word means and import again (the readings are kept with the source, "
        "so the next import of this tracker needs none), for example:",
        "  " + " ".join(example),
    ]
    if parsed.unmapped_statuses:
        lines += [
            f'  --status "WORD=STATUS" (repeat it for each word): STATUS is one of '
            f"{STATUS_CHOICES}.",
            f"  {OTHER_COLUMNS} reads each row's status from its other columns: evidence "
            "given is implemented, an update is read for what it says, neither is not started.",
            "  --accept-unknown-as STATUS reads every status word not given with --status as "
            "STATUS.",
        ]
    if parsed.unmapped_priorities:
        lines.append(
            f'  --priority "WORD=PRIORITY" (repeat it for each word): PRIORITY is one of '
            f"{PRIORITY_CHOICES}."
        )
    return lines


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
    parser.add_argument(
        "--status",
        action="append",
        type=_status_word,
        default=[],
        metavar="WORD=STATUS",
        help="read a status word the tracker does not know as STATUS (one of "
        f"{STATUS_CHOICES}); repeatable. The reading is kept with the source.",
    )
    parser.add_argument(
        "--accept-unknown-as",
        type=_status_choice,
        metavar="STATUS",
        help="read every status word the tracker does not know (and --status does not name) "
        "as STATUS",
    )
    parser.add_argument(
        "--priority",
        action="append",
        type=_priority_word,
        default=[],
        metavar="WORD=PRIORITY",
        help=f"read a priority word as PRIORITY (one of {PRIORITY_CHOICES}); repeatable",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    data = read_input(args.file)
    if data is None:
        return 2
    try:
        parsed = read_tracker(data, args.file.name)
    except UnreadableFile as problem:
        print(f"{problem} Nothing was imported.", file=sys.stderr)
        return 1
    engine = open_configured_tracker()
    if engine is None:
        return 2
    options = ImportOptions(
        source_title=args.source,
        committee=args.committee,
        kind=args.kind,
        date_issued=args.issued,
        author=args.author,
        readings=WordReadings(
            statuses=dict(args.status),
            priorities=dict(args.priority),
            accept_unknown_as=args.accept_unknown_as,
        ),
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
                print("\n".join(how_to_read_words(plan.parsed, str(args.file))))
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
