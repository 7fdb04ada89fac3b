"""The words of DOMAIN.md as enumerations, with the labels officers read.

Values are stored in the database as these lowercase strings; labels are what the
dashboard shows. Changing a value is a schema change (see docs/decisions.md).
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    IMPLEMENTED = "implemented"
    CLOSED = "closed"
    SUPERSEDED = "superseded"
    NOT_IMPLEMENTED = "not_implemented"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def is_open(self) -> bool:
        return self in OPEN_STATUSES

    @property
    def is_complete(self) -> bool:
        return self in COMPLETE_STATUSES


STATUS_LABELS = {
    Status.NOT_STARTED: "Not started",
    Status.IN_PROGRESS: "In progress",
    Status.IMPLEMENTED: "Implemented (awaiting sign-off)",
    Status.CLOSED: "Closed",
    Status.SUPERSEDED: "Superseded",
    Status.NOT_IMPLEMENTED: "Not implemented",
}
OPEN_STATUSES = frozenset({Status.NOT_STARTED, Status.IN_PROGRESS})
COMPLETE_STATUSES = frozenset({Status.IMPLEMENTED, Status.CLOSED})
NOT_APPLICABLE_STATUSES = frozenset({Status.SUPERSEDED, Status.NOT_IMPLEMENTED})


class Acceptance(StrEnum):
    AWAITING_RESPONSE = "awaiting_response"
    ACCEPTED = "accepted"
    PARTIALLY_ACCEPTED = "partially_accepted"
    NOT_ACCEPTED = "not_accepted"
    NOTED = "noted"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


IN_PRINCIPLE_LABEL = "Accepted in principle"


def acceptance_label(acceptance: Acceptance, in_principle: bool) -> str:
    """How a tracker writes the response: "Accepted in principle" when so flagged (DOMAIN.md
    keeps in principle as a flag beside the acceptance), else the acceptance's own label."""
    return IN_PRINCIPLE_LABEL if in_principle else acceptance.label


class Priority(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class SourceKind(StrEnum):
    SCRUTINY_REVIEW = "scrutiny_review"
    INDEPENDENT_REVIEW = "independent_review"
    INTERNAL_AUDIT = "internal_audit"
    INSPECTION = "inspection"
    PEER_REVIEW = "peer_review"
    SAFEGUARDING_REVIEW = "safeguarding_review"
    OMBUDSMAN = "ombudsman"

    @property
    def label(self) -> str:
        return SOURCE_KIND_LABELS[self]


SOURCE_KIND_LABELS = {
    SourceKind.SCRUTINY_REVIEW: "Scrutiny review",
    SourceKind.INDEPENDENT_REVIEW: "Independent review",
    SourceKind.INTERNAL_AUDIT: "Internal audit",
    SourceKind.INSPECTION: "Inspection",
    SourceKind.PEER_REVIEW: "Peer review",
    SourceKind.SAFEGUARDING_REVIEW: "Safeguarding practice review",
    SourceKind.OMBUDSMAN: "Ombudsman finding",
}


class Confidentiality(StrEnum):
    PUBLIC = "public"
    EXEMPT = "exempt"

    @property
    def label(self) -> str:
        return "Public" if self is Confidentiality.PUBLIC else "Exempt (Part 2)"


class ReportBack(StrEnum):
    """A progress update's word on coming back to committee.

    NEXT_MEETING: "will be reported to the next committee".
    TO_COMMITTEE: "progress will be reported to the committee" (next meeting by default).
    NOT_REQUIRED: the committee released the item from reporting back.
    """

    NEXT_MEETING = "next_meeting"
    TO_COMMITTEE = "to_committee"
    NOT_REQUIRED = "not_required"

    @property
    def label(self) -> str:
        return {
            ReportBack.NEXT_MEETING: "Report to the next committee",
            ReportBack.TO_COMMITTEE: "Progress to be reported to committee",
            ReportBack.NOT_REQUIRED: "No report back required",
        }[self]


REPORT_BACK_COMMITMENTS = frozenset({ReportBack.NEXT_MEETING, ReportBack.TO_COMMITTEE})


class ActionStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


OPEN_ACTION_STATUSES = frozenset({ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS})


class Rag(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    BLUE = "blue"
    GREY = "grey"

    @property
    def label(self) -> str:
        return RAG_LABELS[self]


RAG_LABELS = {
    Rag.RED: "Red",
    Rag.AMBER: "Amber",
    Rag.GREEN: "Green",
    Rag.BLUE: "Blue (complete)",
    Rag.GREY: "Not applicable",
}
# The order RAG is listed and stacked in, worst first: reads in greyscale by position.
RAG_ORDER = (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE, Rag.GREY)
