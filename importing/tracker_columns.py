"""Recognising a tracker's columns from the headers councils actually write.

Every council's tracker names its columns its own way ("Rec. No.", "Lead Officer", "Revised
Target Date", "RAG Status", "Progress / Comments"). Headers are compared after `normalise`:
lower case, '&' as 'and', punctuation and repeated spaces dropped. A header is matched first
against the known names of each field, then by the words in it, in an order that settles the
ambiguous ones ("Recommendation No" is the reference, not the wording; "Update date" is a date,
not the update).

The mapping is a plain `{field: column index}` so the import page can show it and let the
user correct it before anything is read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from importing.words import cell_text, normalise_words

__all__ = [
    "CANONICAL_HEADERS",
    "Field",
    "HeaderMatch",
    "find_header",
    "header_field",
    "map_headers",
    "normalise",
]

normalise = normalise_words


class Field(StrEnum):
    """What a tracker column holds, in the tracker's own terms."""

    REF = "ref"
    WORDING = "wording"
    OWNER = "owner"
    DIRECTORATE = "directorate"
    PRIORITY = "priority"
    ACCEPTED = "accepted"
    TARGET_DATE = "target_date"
    REVISED_TARGET_DATE = "revised_target_date"
    STATUS = "status"
    RAG = "rag"
    UPDATE = "update"
    UPDATE_DATE = "update_date"
    EVIDENCE = "evidence"

    @property
    def label(self) -> str:
        return CANONICAL_HEADERS[self]


# The headers of the template and the export, in their order: also the labels users see.
CANONICAL_HEADERS: dict[Field, str] = {
    Field.REF: "Ref",
    Field.WORDING: "Recommendation",
    Field.OWNER: "Lead officer",
    Field.DIRECTORATE: "Directorate",
    Field.PRIORITY: "Priority",
    Field.ACCEPTED: "Accepted",
    Field.TARGET_DATE: "Target date",
    Field.REVISED_TARGET_DATE: "Revised target date",
    Field.STATUS: "Status",
    Field.RAG: "RAG",
    Field.UPDATE: "Update",
    Field.UPDATE_DATE: "Update date",
    Field.EVIDENCE: "Evidence",
}

_KNOWN_NAMES: dict[Field, tuple[str, ...]] = {
    Field.REF: (
        "ref", "reference", "ref no", "ref number", "rec no", "rec number", "rec ref",
        "recommendation no", "recommendation number", "recommendation ref",
        "recommendation reference", "no", "number", "item", "item no", "id", "rec", "rec id",
    ),
    Field.WORDING: (
        "recommendation", "recommendations", "recommendation text", "recommendation wording",
        "recommendation details", "description", "finding", "recommendation description",
    ),
    Field.OWNER: (
        "lead officer", "responsible officer", "owner", "officer", "lead", "action owner",
        "recommendation owner", "responsible person", "lead officer s", "responsible",
        "accountable officer", "lead responsible officer",
    ),
    Field.DIRECTORATE: (
        "directorate", "service", "service area", "department", "directorate service",
        "service directorate", "team",
    ),
    Field.PRIORITY: ("priority", "priority rating", "risk priority"),
    Field.ACCEPTED: (
        "accepted", "accepted y n", "acceptance", "agreed y n", "accepted agreed",
        "management response accepted", "response accepted", "accept",
    ),
    Field.TARGET_DATE: (
        "target date", "due date", "agreed date", "original target date", "target",
        "deadline", "completion date", "target completion date", "agreed target date",
        "original due date", "implementation date", "agreed implementation date",
        "date due", "timescale",
    ),
    Field.REVISED_TARGET_DATE: (
        "revised date", "revised target date", "revised due date", "new target date",
        "current target date", "revised target", "revised deadline", "revised implementation date",
    ),
    Field.STATUS: (
        "status", "current status", "implementation status", "progress status",
        "recommendation status",
    ),
    Field.RAG: ("rag", "rag status", "rag rating", "r a g", "rag rating status"),
    Field.UPDATE: (
        "update", "progress", "comments", "comment", "progress update", "latest update",
        "update progress", "progress comments", "commentary", "position statement",
        "current position", "progress to date", "notes", "update comments",
    ),
    Field.UPDATE_DATE: (
        "update date", "date of update", "last updated", "date updated", "updated",
        "last update", "date of last update",
    ),
    Field.EVIDENCE: ("evidence", "evidence of implementation", "evidence link"),
}  # fmt: skip

_BY_NAME: dict[str, Field] = {
    normalise(name): field for field, names in _KNOWN_NAMES.items() for name in names
}
for _field, _header in CANONICAL_HEADERS.items():
    _BY_NAME[normalise(_header)] = _field


def _by_words(words: set[str]) -> Field | None:
    """The field a header's words point to, when it is not one of the known names."""
    is_date = bool(words & {"date", "deadline", "timescale", "when"})
    if words & {"ref", "reference", "no", "number", "id"} and not is_date:
        return Field.REF
    if words & {"update", "updated"} and is_date:
        return Field.UPDATE_DATE
    if words & {"revised", "new", "current", "latest"} and (is_date or "target" in words):
        return Field.REVISED_TARGET_DATE
    if "target" in words or is_date and words & {"due", "agreed", "completion", "implementation"}:
        return Field.TARGET_DATE
    if "rag" in words:
        return Field.RAG
    if "status" in words:
        return Field.STATUS
    if words & {"officer", "owner", "lead", "responsible", "accountable"}:
        return Field.OWNER
    if words & {"directorate", "service", "department"}:
        return Field.DIRECTORATE
    if "priority" in words:
        return Field.PRIORITY
    if words & {"accepted", "acceptance"}:
        return Field.ACCEPTED
    if "evidence" in words:
        return Field.EVIDENCE
    if words & {"update", "progress", "comment", "comments", "commentary", "narrative"}:
        return Field.UPDATE
    if words & {"recommendation", "recommendations"}:
        return Field.WORDING
    return None


def header_field(header: object) -> Field | None:
    """The field one header cell names, or None when it names none we know."""
    text = cell_text(header)
    if text is None:
        return None
    if text.strip() in {"#", "No.", "No"}:
        return Field.REF
    words = normalise(text)
    if not words:
        return None
    return _BY_NAME.get(words) or _by_words(set(words.split()))


@dataclass(frozen=True)
class HeaderMatch:
    """The header row found, the mapping chosen, and headers it could not place."""

    row_index: int  # position in the rows given
    headers: tuple[str, ...]  # the header row's cells as text ("" for blank)
    mapping: dict[Field, int]
    ignored: tuple[str, ...]  # headers recognised for no field, or a second one for a field


def map_headers(headers: Sequence[object]) -> tuple[dict[Field, int], tuple[str, ...]]:
    """Each field's column (the first one naming it) and the headers left unmapped."""
    mapping: dict[Field, int] = {}
    ignored: list[str] = []
    for index, header in enumerate(headers):
        text = cell_text(header)
        if text is None:
            continue
        field = header_field(header)
        if field is None or field in mapping:
            ignored.append(text)
            continue
        mapping[field] = index
    return mapping, tuple(ignored)


def _score(mapping: Mapping[Field, int]) -> int:
    if Field.REF not in mapping and Field.WORDING not in mapping:
        return 0
    return len(mapping)


HEADER_SEARCH_ROWS = 30
MINIMUM_HEADER_FIELDS = 2


def find_header(rows: Sequence[Sequence[object]]) -> HeaderMatch | None:
    """The row among the first few that names the most tracker fields (the earliest, if two
    tie), with its mapping; None when no row names at least a reference or wording column and
    one more. Title rows above the header ("Recommendations tracker – March 2024") are passed
    over because they name at most one field."""
    best: HeaderMatch | None = None
    best_score = MINIMUM_HEADER_FIELDS - 1
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        mapping, ignored = map_headers(row)
        score = _score(mapping)
        if score > best_score:
            best_score = score
            headers = tuple(cell_text(cell) or "" for cell in row)
            best = HeaderMatch(index, headers, mapping, ignored)
    return best
