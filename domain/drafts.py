"""Writes as their callers propose them, before any database is touched: a progress update,
a new source, a new recommendation, and the checks a proposed update must pass.

Pure data (no SQL), so that planners outside the store (`importing.tracker_plan`, the report
import) can build and check what they would write; `data_access.writes` records them and
re-exports these names, so `from data_access.writes import UpdateDraft` keeps working.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.vocabulary import (
    Acceptance,
    Confidentiality,
    Priority,
    ReportBack,
    SourceKind,
    Status,
)


def blank_to_none(text: str | None) -> str | None:
    """Text trimmed, or None when there is none."""
    return text.strip() if text and text.strip() else None


@dataclass(frozen=True)
class UpdateDraft:
    """One progress update as a writer proposes it, before it is checked and recorded."""

    update_date: date
    author: str
    narrative: str
    new_status: Status | None = None
    new_target_date: date | None = None
    target_change_reason: str | None = None
    report_back: ReportBack | None = None
    evidence: str | None = None
    meeting_id: int | None = None

    def as_row(self) -> dict[str, Any]:
        """The progress_updates column values (text trimmed, enums as their stored values)."""
        return {
            "update_date": self.update_date,
            "author": self.author.strip(),
            "narrative": self.narrative.strip(),
            "new_status": self.new_status.value if self.new_status else None,
            "new_target_date": self.new_target_date,
            "target_change_reason": blank_to_none(self.target_change_reason),
            "report_back": self.report_back.value if self.report_back else None,
            "evidence": blank_to_none(self.evidence),
            "meeting_id": self.meeting_id,
        }


MAX_AUTHOR_LENGTH = 200


def draft_problems(draft: UpdateDraft, current_target_date: date | None) -> list[str]:
    """What stops the draft being recorded against a recommendation with that target.

    A target revision must say why (DOMAIN.md: every revision keeps its reason); an update with
    no words and no change records nothing."""
    problems = []
    if not draft.author.strip():
        problems.append("Enter your name: every update records who made it.")
    elif len(draft.author.strip()) > MAX_AUTHOR_LENGTH:
        problems.append(f"The name is too long (at most {MAX_AUTHOR_LENGTH} characters).")
    if not draft.narrative.strip():
        problems.append("Enter the update itself: what has happened since the last one.")
    changes_target = (
        draft.new_target_date is not None and draft.new_target_date != current_target_date
    )
    if changes_target and not (draft.target_change_reason or "").strip():
        problems.append("Give a reason for changing the target date.")
    return problems


@dataclass(frozen=True)
class NewSource:
    """A report, review or audit whose recommendations are to be tracked."""

    title: str
    kind: SourceKind
    date_issued: date
    committee_id: int | None = None
    confidentiality: Confidentiality = Confidentiality.PUBLIC
    author: str | None = None
    accountable_director: str | None = None
    document_url: str | None = None


@dataclass(frozen=True)
class NewRecommendation:
    """A recommendation as first recorded; its status comes only from its updates."""

    source_id: int
    committee_id: int
    ref: str
    wording: str
    made_on: date
    acceptance: Acceptance = Acceptance.AWAITING_RESPONSE
    accepted_on: date | None = None
    accepted_in_principle: bool = False
    owner_id: int | None = None
    directorate_id: int | None = None
    priority: Priority = Priority.MEDIUM
    original_target_date: date | None = None
