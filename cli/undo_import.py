"""Undo the latest import of a source, or list the recent imports, from the command line.

    python -m cli.undo_import --list
    python -m cli.undo_import --source TITLE --by NAME [--dry-run]

A thin client of `data_access.import_undo` (and `data_access.import_history` for the list): the
undo runs in one transaction and writes nothing when it cannot be done (something changed since
on what the import wrote: the refusal says which recommendation, what and when). Exit status:
0 undone (or listed, or a dry run that could be undone), 1 refused, 2 usage (no such source, or
several with that title).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from sqlalchemy import func, select

from cli import open_configured_tracker
from data_access.import_history import list_batches
from data_access.import_undo import UndoRefused, preview_undo, undo_latest_batch
from data_access.models import Source
from domain.formatting import plural, short_date


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m cli.undo_import",
        description=(
            "Undo the latest import (tracker or committee report) of a source in the tracker "
            "database (DATABASE_URL, or the built-in database), while nothing has changed "
            "since on what it wrote; or list the recent imports."
        ),
    )
    parser.add_argument("--list", action="store_true", help="list the 20 latest imports")
    parser.add_argument("--source", help="title of the source (any case)")
    parser.add_argument("--source-id", type=int, help="the source's id, when titles repeat")
    parser.add_argument("--by", help="your name, recorded on the import's record as undoing it")
    parser.add_argument(
        "--dry-run", action="store_true", help="say what would be undone; write nothing"
    )
    return parser


def _source_id(conn, title: str | None, source_id: int | None) -> tuple[int | None, str]:
    if source_id is not None:
        found = conn.execute(select(Source.id).where(Source.id == source_id)).scalar()
        return found, "" if found else f"There is no source {source_id}."
    wanted = " ".join((title or "").split()).lower()
    matches = conn.execute(
        select(Source.id, Source.date_issued).where(func.lower(func.trim(Source.title)) == wanted)
    ).all()
    if not matches:
        return None, f'There is no source called "{title}". Use --list to see the imports.'
    if len(matches) > 1:
        which = ", ".join(
            f"--source-id {m.id} (issued {short_date(m.date_issued)})" for m in matches
        )
        return None, f'{len(matches)} sources are called "{title}": choose one with {which}.'
    return matches[0].id, ""


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not args.list and args.source is None and args.source_id is None:
        print("Give --source TITLE (or --source-id ID), or --list.", file=sys.stderr)
        return 2
    engine = open_configured_tracker()
    if engine is None:
        return 2
    try:
        if args.list:
            with engine.connect() as conn:
                for batch in list_batches(conn):
                    undone = f"; undone by {batch.undone_by}" if batch.undone_at else ""
                    print(
                        f"{batch.recorded_at:%Y-%m-%d %H:%M} UTC  {batch.kind_label:7}  "
                        f"{batch.describe}: {batch.new:,} new, {batch.changed:,} changed, "
                        f"{batch.unchanged:,} unchanged, {batch.skipped:,} skipped; "
                        f"sha256 {batch.file_sha256 or '-'}{undone}"
                    )
            return 0
        with engine.begin() as conn:
            source_id, problem = _source_id(conn, args.source, args.source_id)
            if source_id is None:
                print(problem, file=sys.stderr)
                return 2
            if args.dry_run:
                preview = preview_undo(conn, source_id)
                if preview is None:
                    print("There is no import of that source to undo.", file=sys.stderr)
                    return 1
                print(f"Latest import: {preview.batch.describe}.")
                if not preview.can_undo:
                    print("It cannot be undone; changed since:", file=sys.stderr)
                    for line in preview.problems:
                        print(f"  {line}", file=sys.stderr)
                    return 1
                print(
                    f"Undo would remove {plural(preview.updates_removed, 'progress update')} "
                    f"and {plural(preview.recommendations_removed, 'recommendation')}, put back "
                    f"{plural(preview.recommendations_restored, 'recommendation')}"
                    + (", and remove the source it created" if preview.source_removed else "")
                    + ". Dry run: nothing was written."
                )
                return 0
            if not (args.by or "").strip():
                print("Give your name with --by: the import's record says who undid it.",
                      file=sys.stderr)  # fmt: skip
                return 2
            result = undo_latest_batch(conn, source_id, args.by)
    except UndoRefused as refused:
        for line in refused.problems:
            print(line, file=sys.stderr)
        print("Nothing was undone.", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(
        f"Undone: {result.batch.describe}. Removed "
        f"{plural(result.updates_removed, 'progress update')} and "
        f"{plural(result.recommendations_removed, 'recommendation')}; put back "
        f"{plural(result.recommendations_restored, 'recommendation')}"
        + ("; removed the source it created" if result.source_removed else "")
        + "."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
