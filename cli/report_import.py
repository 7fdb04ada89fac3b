"""`python -m data_access.report_import FILE|- [--json] [--before-meeting]`: propose the
recommendations in a committee report (nothing is saved), as a table or as JSON."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path

from cli import read_input
from data_access.report_import import acceptance_for, read_report
from domain.vocabulary import Acceptance, acceptance_label
from importing.report_text import ReportUnreadable
from importing.report_types import ParsedReport, ProposedRecommendation

__all__ = ["format_table", "main"]


def format_table(parsed: ParsedReport) -> str:
    """The proposal as an officer reads it in a terminal."""
    lines = [f"{len(parsed.recommendations)} recommendation(s) found"]
    if parsed.committee_recommendation:
        lines.append(f"Not tracked (the report's own recommendation): "
                     f"{parsed.committee_recommendation}")  # fmt: skip
    if parsed.signed_off:
        lines.append(
            "Items reported as implemented are proposed as closed: the report asks the "
            "committee to note them (use --before-meeting if it has not met yet)."
        )
    for row in parsed.recommendations:
        lines.append("")
        back = " · report back to committee" if row.report_back else ""
        lines.append(f"{row.ref}  [{row.status}]{back}")
        lines += textwrap.wrap(row.text, 96, initial_indent="    ", subsequent_indent="    ")
        for name, value in (
            ("Owner", row.owner),
            ("Directorate", row.directorate),
            ("Due", row.due),
            ("Acceptance", _acceptance_shown(row)),
            ("Evidence", row.evidence),
        ):
            if value:
                lines.append(f"    {name}: {value}")
    return "\n".join(lines)


def _acceptance_shown(row: ProposedRecommendation) -> str:
    """The acceptance saving would record, saying when it is implied rather than written."""
    reading = acceptance_for(row)
    if reading is None:
        return f"{row.acceptance} (not a word the tracker knows: choose one)"
    label = acceptance_label(reading.acceptance, reading.in_principle)
    if not row.acceptance.strip() and reading.acceptance is Acceptance.ACCEPTED:
        return f"{label} (implied: the report says it was done)"
    return "" if reading.acceptance is Acceptance.AWAITING_RESPONSE else label


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m data_access.report_import",
        description="Propose the recommendations in a committee report (nothing is saved).",
    )
    parser.add_argument(
        "file", help="the report: .txt, .docx, .pdf or .csv, or - for text on stdin"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--before-meeting",
        action="store_true",
        help="the committee has not met yet: keep implemented items awaiting sign-off",
    )
    args = parser.parse_args(argv)
    if args.file == "-":
        data, name = sys.stdin.buffer.read(), "pasted text"
    else:
        path = Path(args.file)
        if not path.is_file():
            print(f"There is no file {path}. Check the name and try again.", file=sys.stderr)
            return 2
        data, name = read_input(path), path.name
        if data is None:
            return 2
    try:
        parsed = read_report(data, name, committee_met=not args.before_meeting)
    except ReportUnreadable as problem:
        print(str(problem), file=sys.stderr)
        return 1
    if args.json:
        payload = {"recommendations": [row.as_json() for row in parsed.recommendations]}
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        print(format_table(parsed))
    return 0
