"""Text in a spreadsheet cell: shown, never run as a formula, and read back as it was written.

A spreadsheet program runs a CSV cell that begins with "=", "+", "-" or "@" (or a tab or a
carriage return, which some treat the same way) as a formula. Every CSV this project writes
puts an apostrophe before such text (`guard_cell`), and before text that really begins with
an apostrophe, so that the tracker import can remove exactly the one it added
(`unguard_cell`) and an officer's quoted phrase ("'Quick wins' agreed") survives the round
trip. The writer (`exports.table_files`) and the reader (`importing.csv_reader`) share this
one list. In an XLSX file text cells are written as text, so they need no guard.
"""

from __future__ import annotations

__all__ = ["FORMULA_STARTS", "GUARDED_STARTS", "guard_cell", "unguard_cell"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARDED_STARTS = (*FORMULA_STARTS, "'")


def guard_cell(text: str) -> str:
    """The text with a leading apostrophe when a spreadsheet would run it, or when it
    begins with an apostrophe itself."""
    return "'" + text if text.startswith(GUARDED_STARTS) else text


def unguard_cell(cell: str) -> str:
    """The cell without the apostrophe guarding formula-like text: "'=SUM(A1)" reads as
    "=SUM(A1)", "''Quick wins'" as "'Quick wins'"; an apostrophe starting ordinary text
    ("'Quick wins' agreed", typed by hand) is kept."""
    text = cell.strip()
    if text.startswith("'") and text[1:2] and text[1:].startswith(GUARDED_STARTS):
        return text[1:]
    return cell
