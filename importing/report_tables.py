"""Recommendations tables in a report's text: a header naming a ref or recommendation column
and response, status, owner and date columns, then one row per recommendation.

Word tables and CSV exports come out of `importing.report_text` as tab-separated rows; web
pages and PDFs flatten the same tables (cells separated by " / ", or one cell per line), and
`unflatten_tables` gives those their tabs back before the reading loop
(`importing.report_parse`) meets them.
"""

from __future__ import annotations

import re

from importing.report_patterns import ANY_REF, END_HEADINGS, LETTER_REF, NUMBER_REF, SEP, SLASH_REF
from importing.report_sentences import with_status
from importing.report_text import CELL_LINE_BREAK
from importing.report_types import ProposedRecommendation, ReportItem

__all__ = ["cell_keys", "table_columns", "table_proposal", "table_row", "unflatten_tables"]

# --- Tables flattened into text ---------------------------------------------------------------

_COLUMN_WORDS = re.compile(
    r"\b(?:no|ref|reference|recommendations?|priority|responsib\w*|agreed|accepted|"
    r"acceptance|comments?|date|status|owner|lead|officer|response|progress|action\w*|"
    r"timescales?|target|update|assessment|rag)\b",
    re.IGNORECASE,
)
_SLASH_CELL = re.compile(r"\s/\s")
_SLASH_ROW = re.compile(r"^\s*(\d{1,3}[a-z]?)\s*/\s")


def _header_cell(text: str) -> str:
    """A header cell as a short name: its text before any bracket, at most 40 characters."""
    return " ".join(text.split("(")[0].split())[:40].strip()


def _slash_table(lines: list[str], start: int) -> tuple[list[str], int] | None:
    """Rows of a table whose cells are separated by " / " (a PDF or web page of a Word
    table), from a header line at `start`; as tab lines, with the index after the table."""
    header = lines[start]
    if len(_SLASH_CELL.findall(header)) < 3 or "recommendation" not in header.lower():
        return None
    records: list[list[str]] = [[header]]
    index = start + 1
    while index < len(lines):
        line = lines[index]
        if _SLASH_ROW.match(line):
            records.append([line])
        elif line.strip() and END_HEADINGS.match(line.strip()):
            break
        elif line.strip():
            records[-1].append(line.strip())
        index += 1
    if len(records) < 2:
        return None
    out = []
    for number, record in enumerate(records):
        joined = (" " if number == 0 else CELL_LINE_BREAK).join(part.strip() for part in record)
        cells = [cell.strip(f" {CELL_LINE_BREAK}") for cell in _SLASH_CELL.split(joined)]
        if number == 0:
            cells = [_header_cell(cell.replace(CELL_LINE_BREAK, " ")) for cell in cells]
        out.append("\t".join(cells))
    return ["", *out, ""], index


def _cell_per_line_table(lines: list[str], start: int) -> tuple[list[str], int] | None:
    """Rows of a table printed one cell per line (an HTML table as text): a header of short
    column names, one a ref column and one "Recommendation", then rows of as many cells,
    each row starting with its reference; as tab lines, with the index after the table."""
    header: list[str] = []
    index = start
    while index < len(lines) and len(header) <= 12:
        cell = lines[index].strip()
        index += 1
        if not cell:
            continue
        if len(cell) > 30 or not _COLUMN_WORDS.search(cell):
            break
        header.append(cell)
    keys = cell_keys(header)
    if len(header) < 4 or not (_REF_HEADERS & set(keys)) or "recommendation" not in keys:
        return None
    cells_at = [(i, line.strip()) for i, line in enumerate(lines[start:], start) if line.strip()]
    width = len(header)
    out = ["", "\t".join(header)]
    position = width
    end = cells_at[position - 1][0] + 1
    while position + width <= len(cells_at):
        row = [cell for _, cell in cells_at[position : position + width]]
        if cell_keys(row) == keys:  # the header again, on a new page
            position += width
            continue
        if not re.fullmatch(rf"{ANY_REF}\.?", row[0]):
            break
        out.append("\t".join(row))
        end = cells_at[position + width - 1][0] + 1
        position += width
    if len(out) < 3:
        return None
    return [*out, ""], end


def unflatten_tables(lines: list[str]) -> list[str]:
    """The report's lines with tables that lost their cells' tabs given them back."""
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        found = None
        if " / " in line:
            found = _slash_table(lines, index)
        elif line.strip() and len(line.strip()) <= 30 and "\t" not in line:
            found = _cell_per_line_table(lines, index)
        if found is None:
            out.append(line)
            index += 1
            continue
        table_lines, index = found
        out.extend(table_lines)
    return out


# --- Tables with their tabs: a header row, then one row per recommendation ------------------

_REF_HEADERS = {
    "ref", "ref no", "reference", "no", "number", "rec", "rec no", "rec ref", "item",
    "recommendation no", "recommendation number", "recommendation ref", "rec number",
}  # fmt: skip
_TABLE_REF = re.compile(rf"^(?:Recommendation\s+|Rec\.?\s*)?({ANY_REF})\.?$")
_REF_AT_END = re.compile(r"\s*\((?:Recommendation|Rec\.?)\s+(\d{1,4}[a-z]?)\)\s*\.?$")


def cell_keys(cells: list[str]) -> list[str]:
    return [" ".join(re.sub(r"[^a-z0-9?]+", " ", cell.lower()).split()) for cell in cells]


def table_columns(cells: list[str]) -> dict[str, int] | None:
    """The meaning of each column if this row is a recommendations table's header."""
    keys = cell_keys(cells)
    if any(len(key) > 40 for key in keys):
        return None
    columns: dict[str, int] = {}
    for index, key in enumerate(keys):
        if not key:
            continue
        if key in _REF_HEADERS or key.rstrip("?") in _REF_HEADERS:
            columns.setdefault("ref", index)
        elif "recommendation" in key and "text" not in columns:
            columns["text"] = index
        elif "status" in key or "assessment" in key:
            columns.setdefault("status", index)
        elif any(word in key for word in ("accepted", "acceptance", "agreed")):
            columns.setdefault("acceptance", index)
        elif any(word in key for word in ("response", "update", "progress", "comment",
                                          "position", "action")):  # fmt: skip
            columns.setdefault("response", index)
        elif any(word in key for word in ("owner", "lead", "responsib", "officer")):
            columns.setdefault("owner", index)
        elif any(word in key for word in ("directorate", "service", "department")):
            columns.setdefault("directorate", index)
        elif any(word in key for word in ("target", "due", "deadline", "timescale")) or (
            "date" in key and not any(word in key for word in ("issued", "publication", "exec"))
        ):
            columns.setdefault("due", index)
    if "text" in columns and ({"ref", "response", "status"} & columns.keys()):
        return columns
    return None


def table_row(
    cells: list[str], columns: dict[str, int], previous: ReportItem | None
) -> ReportItem | None:
    values = {name: cells[index] if index < len(cells) else "" for name, index in columns.items()}
    values = {name: value.replace(CELL_LINE_BREAK, "\n").strip() for name, value in values.items()}
    if "ref" in columns:
        ref_cell = values.pop("ref")
        match = _TABLE_REF.match(ref_cell)
        if not ref_cell:
            if previous is not None and previous.cells is not None:
                for name, value in values.items():  # a row continuing the one above
                    if value:
                        joined = f"{previous.cells.get(name, '')}\n{value}".strip()
                        previous.cells[name] = joined
            return None
        if not match:
            return None
        ref = match[1]
    else:
        match = re.match(rf"^({LETTER_REF}|{SLASH_REF}|{NUMBER_REF})\s*{SEP}?\s+", values["text"])
        at_end = _REF_AT_END.search(values["text"])
        if match:
            ref = match[1]
            values["text"] = values["text"][match.end() :]
        elif at_end:
            ref = at_end[1]
            values["text"] = values["text"][: at_end.start()]
        else:
            return None  # a row with no reference of its own is not proposed
    if not values.get("text"):
        return None
    return ReportItem(ref=ref, cells=values)


def table_proposal(item: ReportItem) -> ProposedRecommendation | None:
    """A table row: a recommendation whatever its wording ("That the Council consider...")."""
    cells = item.cells or {}
    text = " ".join(cells.get("text", "").split())
    if not text:
        return None
    paragraphs = [" ".join(p.split()) for p in cells.get("response", "").split("\n")]
    narrative = "\n\n".join(p for p in paragraphs if p)
    return with_status(item.ref, text, narrative, cells)
