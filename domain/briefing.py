"""What a committee briefing pack says, as typed values: no SQL, no files, no Streamlit.

The query (`data_access.queries.briefing.briefing_contents`) fills these in; the wording
(`exports.briefing_report`) turns them into one report that the Word and HTML renderers both
draw. Exempt (Part 2) is a typed field on each source and item (`exempt`), never a hidden
column, so every renderer marks the same things.

`ReportDetails` are the fields a clerk fills in once per committee (agenda item number,
report of, author, contact officer, the standard sections' wording); they are remembered in
`committee_report_settings` and a blank field reads as its default.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date

from domain.vocabulary import Rag, Status

__all__ = [
    "NO_DIRECTORATE",
    "REPORT_DETAIL_FIELDS",
    "BriefingContents",
    "BriefingItem",
    "DirectorateOverdue",
    "ExecutiveCounts",
    "ReportDetailField",
    "ReportDetails",
    "SourceGroup",
]

NO_DIRECTORATE = "No directorate recorded"


@dataclass(frozen=True)
class BriefingItem:
    """One item due back, as the paper prints it."""

    ref: str
    wording: str
    owner: str | None
    status: Status
    rag: Rag
    rag_reason: str
    current_target_date: date | None
    reasons: tuple[str, ...]
    latest_update_on: date | None
    latest_update_by: str | None
    latest_update: str | None
    exempt: bool


@dataclass(frozen=True)
class SourceGroup:
    """A source and its items due back, in the order the paper lists them."""

    source_id: int
    title: str
    kind: str
    issued: date | None
    exempt: bool
    items: tuple[BriefingItem, ...]
    accountable_director: str | None = None
    document_url: str | None = None


@dataclass(frozen=True)
class ExecutiveCounts:
    """The summary's numbers, for the committee's items in view."""

    recommendations: int
    open: int
    due_back: int
    by_reason: tuple[tuple[str, int], ...]
    implemented_since_last_meeting: int
    overdue: int
    slipped: int
    awaiting_sign_off: int = 0


@dataclass(frozen=True)
class DirectorateOverdue:
    """One row of the overdue summary: a directorate's overdue items by age."""

    directorate: str
    overdue: int
    by_bucket: tuple[int, ...]  # in AGEING_BUCKET_LABELS order
    longest_days: int


@dataclass(frozen=True)
class BriefingContents:
    """What the briefing pack says, frozen so it can be cached and rendered twice alike."""

    committee_id: int
    committee: str
    as_at: date
    next_meeting: date | None
    previous_meeting: date | None
    counts: ExecutiveCounts
    groups: tuple[SourceGroup, ...]
    # (RAG label, number of items due back), worst first.
    rag_counts: tuple[tuple[str, int], ...]
    # (ageing bucket label, number of overdue items), youngest first.
    overdue_by_bucket: tuple[tuple[str, int], ...]
    overdue_by_directorate: tuple[DirectorateOverdue, ...]
    filter_lines: tuple[tuple[str, str], ...]
    include_exempt: bool
    # Exempt items due back: left out of the pack (include_exempt False) or listed in it.
    exempt_due_back: int

    @property
    def items_listed(self) -> int:
        return sum(len(group.items) for group in self.groups)

    @property
    def is_truncated(self) -> bool:
        return self.counts.due_back > self.items_listed

    @property
    def has_exempt_items(self) -> bool:
        """True when the pack lists any exempt item, so every page must carry the marker."""
        return self.include_exempt and self.exempt_due_back > 0


@dataclass(frozen=True)
class ReportDetailField:
    """One field a clerk fills in: its label, how long it may be, and its default words."""

    name: str
    label: str
    max_chars: int
    default: str = ""
    multiline: bool = False
    help: str = ""


_VERIFIED_HELP = "The officer who checked these implications; left blank, no line is printed."
# In the order the form shows them. A blank value prints the default (or nothing, for the
# fields whose default is blank).
REPORT_DETAIL_FIELDS: tuple[ReportDetailField, ...] = (
    ReportDetailField(
        "item_number",
        "Agenda item number",
        20,
        help="Printed as “ITEM: 8” beside the meeting date; left blank, none is printed.",
    ),
    ReportDetailField(
        "report_of",
        "Report of",
        200,
        "Scrutiny Officer",
        help="Who presents the report, as printed under its title.",
    ),
    ReportDetailField(
        "author",
        "Report author",
        200,
        help="Name and job title; left blank, “Report of” is printed as the author.",
    ),
    ReportDetailField(
        "contact",
        "Contact officer",
        300,
        help="Name, telephone and email, as printed; left blank, no contact line is printed.",
    ),
    ReportDetailField(
        "reasons",
        "5. Reasons for the recommendation",
        4000,
        "The Committee monitors the recommendations made to the Council until they are "
        "implemented. This report brings the recommendations due back to this meeting to "
        "Members, so that they can note progress, agree to close those reported as "
        "implemented and challenge those that are overdue.",
        multiline=True,
    ),
    ReportDetailField(
        "consultation",
        "6. Consultation",
        4000,
        "The officers responsible for each recommendation provided the progress updates "
        "set out in section 3.",
        multiline=True,
    ),
    ReportDetailField(
        "corporate_policies",
        "7. Impact on corporate policies, priorities, performance and community impact",
        4000,
        "Implementing the recommendations the Council has accepted delivers the improvements "
        "that the reviews, audits and inspections identified.",
        multiline=True,
    ),
    ReportDetailField(
        "financial",
        "8.1 Financial implications",
        4000,
        "There are no financial implications arising from this report.",
        multiline=True,
    ),
    ReportDetailField(
        "financial_verified_by", "Financial implications verified by", 200, help=_VERIFIED_HELP
    ),
    ReportDetailField(
        "legal",
        "8.2 Legal implications",
        4000,
        "There are no legal implications arising from this report.",
        multiline=True,
    ),
    ReportDetailField(
        "legal_verified_by", "Legal implications verified by", 200, help=_VERIFIED_HELP
    ),
    ReportDetailField(
        "equality",
        "8.3 Diversity and equality implications",
        4000,
        "There are no diversity and equality implications arising from this report.",
        multiline=True,
    ),
    ReportDetailField(
        "equality_verified_by", "Diversity and equality verified by", 200, help=_VERIFIED_HELP
    ),
    ReportDetailField(
        "other",
        "8.4 Other implications (staff, health, sustainability, crime and disorder)",
        4000,
        "None.",
        multiline=True,
    ),
    ReportDetailField(
        "background_papers",
        "9. Background papers",
        4000,
        "None other than the reports listed below.",
        multiline=True,
        help="The reports the recommendations come from are listed after this text.",
    ),
)


@dataclass(frozen=True)
class ReportDetails:
    """The clerk's fields for one committee's report, as typed (blank means the default)."""

    item_number: str = ""
    report_of: str = ""
    author: str = ""
    contact: str = ""
    reasons: str = ""
    consultation: str = ""
    corporate_policies: str = ""
    financial: str = ""
    financial_verified_by: str = ""
    legal: str = ""
    legal_verified_by: str = ""
    equality: str = ""
    equality_verified_by: str = ""
    other: str = ""
    background_papers: str = ""

    def printed(self, name: str) -> str:
        """What the report prints for field `name`: the typed text, else its default."""
        typed = str(getattr(self, name) or "").strip()
        return typed or _FIELDS[name].default

    def cleaned(self) -> ReportDetails:
        """Every field stripped, and line endings made plain (as a form or file may send)."""
        return replace(
            self,
            **{
                field.name: str(getattr(self, field.name) or "").replace("\r\n", "\n").strip()
                for field in fields(self)
            },
        )

    def problems(self) -> list[str]:
        """What is wrong with these details, in words naming the field and the limit."""
        found = []
        for field in REPORT_DETAIL_FIELDS:
            value = str(getattr(self, field.name) or "")
            if len(value) > field.max_chars:
                found.append(
                    f"“{field.label}” is {len(value):,} characters long; at most "
                    f"{field.max_chars:,} fit. Shorten it and save again."
                )
            if not field.multiline and "\n" in value:
                found.append(f"“{field.label}” must be one line.")
        return found


_FIELDS = {field.name: field for field in REPORT_DETAIL_FIELDS}
assert set(_FIELDS) == {field.name for field in fields(ReportDetails)}
