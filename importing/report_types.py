"""What the report reader gives back: the proposed recommendations and the report's details.

Kept apart from the reading (`importing.report_parse`) so that the review screen, the store's
report import and the command line can name these types without the layouts behind them.
`ReportItem` is the layouts' common currency: one recommendation as found in the text, before
its words are read into a `ProposedRecommendation`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

__all__ = [
    "JSON_FIELDS",
    "UNCLEAR",
    "ParsedReport",
    "ProposedRecommendation",
    "ReportItem",
]

UNCLEAR = "unclear"
JSON_FIELDS = (
    "ref", "text", "response", "status", "report_back", "owner", "directorate", "due",
    "acceptance", "evidence",
)  # fmt: skip


@dataclass(frozen=True)
class ProposedRecommendation:
    """One recommendation as the report gives it, before the officer reviews it.

    `status` is a `domain.vocabulary.Status` value or "unclear"; `evidence` quotes the words
    that justified it; `report_back_evidence` the words committing it to come back;
    `acceptance` the report's word on acceptance ("Accepted"), as printed; `owner` and
    `directorate` the lead officer and service the report names."""

    ref: str
    text: str
    response: str = ""
    status: str = UNCLEAR
    report_back: bool = False
    owner: str = ""
    due: str = ""
    evidence: str = ""
    acceptance: str = ""
    report_back_evidence: str = ""
    directorate: str = ""

    def as_json(self) -> dict[str, object]:
        """The fields `python -m data_access.report_import FILE --json` prints."""
        values = asdict(self)
        return {name: values[name] for name in JSON_FIELDS}


@dataclass(frozen=True)
class ParsedReport:
    """What the report says: its recommendations and a few facts for the source's details."""

    recommendations: tuple[ProposedRecommendation, ...]
    committee_recommendation: str = ""  # the report's own recommendation, not tracked
    committee: str = ""
    report_date: date | None = None
    title: str = ""
    signed_off: bool = False  # implemented items proposed as closed (see importing.report_parse)


@dataclass
class ReportItem:
    """One recommendation as a layout found it: under a heading or list item (`head` and
    `lines`), a table row (`cells`) or a numbered paragraph (`numbered`)."""

    ref: str
    head: str = ""  # wording on the heading's own line
    lines: list[str] = field(default_factory=list)
    cells: dict[str, str] | None = None  # a table row
    numbered: bool = False  # a numbered paragraph ("1. We recommend ... (Paragraph 14)")
