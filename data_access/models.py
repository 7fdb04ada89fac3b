"""The tracker's tables, as typed SQLAlchemy models.

Design (hard to undo, so written down; see docs/decisions.md for the long form):

- Progress updates are the history and the audit trail. A target revision is an update that
  sets `new_target_date` (with `target_change_reason`); a status change is an update that sets
  `new_status`. There is no separate revisions table, so the history has one source of truth.
- `recommendations` also holds the *current* state (status, current target, revision count,
  last update, pending report-back, first day implemented) so that views "as at today" need
  no replay. Every write goes through `data_access.writes`, which changes both in one
  transaction. Views as at an earlier date replay the updates (`data_access.state`).
- Enumerations are stored as their lowercase values, with CHECK constraints.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from domain.names import name_key, officer_key
from domain.vocabulary import (
    Acceptance,
    ActionStatus,
    Confidentiality,
    Priority,
    ReportBack,
    SourceKind,
    Status,
)

SCHEMA_VERSION = "1"


def _one_of(column: str, values: type) -> CheckConstraint:
    allowed = ", ".join(f"'{member.value}'" for member in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=f"ck_{column}_allowed")


class Base(DeclarativeBase):
    pass


def _key_of(column: str) -> Callable[[Any], str | None]:
    """An insert default: the normalised key of the row's `column` (domain.names), so every
    writer (imports, forms, the demo's bulk inserts) fills the key column without knowing."""

    def default(context: Any) -> str | None:
        return name_key(context.get_current_parameters().get(column))

    return default


def _officer_key(context: Any) -> str | None:
    params = context.get_current_parameters()
    return officer_key(params.get("name"), params.get("job_title"))


# Keys hold a name lowercased, which can lengthen it (İ becomes two characters): room to spare.
KEY_LENGTH = 1000


class TrackerMeta(Base):
    """Marks a database as a Recommendation Tracker store and records its schema version."""

    __tablename__ = "tracker_meta"
    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class Directorate(Base):
    """A directorate or service. `name_key` (revision 0002) is the name as compared
    (domain.names.name_key), unique, so two imports at once cannot make it twice; NULL only
    on a duplicate an older database already had (docs/decisions.md, "Names are unique")."""

    __tablename__ = "directorates"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    name_key: Mapped[str | None] = mapped_column(String(KEY_LENGTH), default=_key_of("name"))
    __table_args__ = (Index("uq_directorates_name_key", "name_key", unique=True),)


class Officer(Base):
    """An officer. `name_key` (revision 0002) is name and job title as compared
    (domain.names.officer_key), unique: the exact (name, job_title) constraint lets two rows
    with no job title through, which is what two imports at once made."""

    __tablename__ = "officers"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    job_title: Mapped[str | None] = mapped_column(String(200))
    directorate_id: Mapped[int | None] = mapped_column(ForeignKey("directorates.id"))
    # Where requests for updates go (issue 9, item 5); nullable: trackers rarely give one,
    # and an owner without one still gets a request file to send by hand.
    email: Mapped[str | None] = mapped_column(String(300))
    name_key: Mapped[str | None] = mapped_column(String(KEY_LENGTH), default=_officer_key)
    __table_args__ = (
        UniqueConstraint("name", "job_title", name="uq_officer_name_title"),
        Index("uq_officers_name_key", "name_key", unique=True),
    )


class Committee(Base):
    """A committee that monitors recommendations, with its calendar of meetings.

    `retired_on` (nullable, added for the Committees page) marks a committee that no longer
    meets: it keeps its meetings, recommendations and history, but is no longer offered for
    new items or briefed on by default. NULL means current.
    """

    __tablename__ = "committees"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    retired_on: Mapped[date | None] = mapped_column(Date)
    # The name as compared, unique (revision 0002); kept in step by renames (committees.py).
    name_key: Mapped[str | None] = mapped_column(String(KEY_LENGTH), default=_key_of("name"))
    meetings: Mapped[list[Meeting]] = relationship(
        back_populates="committee", order_by="Meeting.meeting_date"
    )
    __table_args__ = (Index("uq_committees_name_key", "name_key", unique=True),)


class Meeting(Base):
    __tablename__ = "meetings"
    id: Mapped[int] = mapped_column(primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id"))
    meeting_date: Mapped[date] = mapped_column(Date)
    committee: Mapped[Committee] = relationship(back_populates="meetings")
    __table_args__ = (
        UniqueConstraint("committee_id", "meeting_date", name="uq_meeting_committee_date"),
    )


class Source(Base):
    """Where recommendations come from: a review, audit, inspection or finding.

    A title may repeat (an annual audit of the same name), so a source is one per title *and*
    issue date: `title_key` (revision 0002, domain.names.name_key of the title) with
    `date_issued` is unique, so two imports naming one new source make it once."""

    __tablename__ = "sources"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(40))
    date_issued: Mapped[date] = mapped_column(Date)
    response_due_on: Mapped[date] = mapped_column(Date)
    author: Mapped[str | None] = mapped_column(String(300))
    accountable_director: Mapped[str | None] = mapped_column(String(300))
    assistant_director: Mapped[str | None] = mapped_column(String(300))
    document_url: Mapped[str | None] = mapped_column(String(1000))
    confidentiality: Mapped[str] = mapped_column(String(20), default=Confidentiality.PUBLIC)
    committee_id: Mapped[int | None] = mapped_column(ForeignKey("committees.id"))
    title_key: Mapped[str | None] = mapped_column(String(KEY_LENGTH), default=_key_of("title"))
    recommendations: Mapped[list[Recommendation]] = relationship(back_populates="source")
    __table_args__ = (
        _one_of("kind", SourceKind),
        _one_of("confidentiality", Confidentiality),
        Index("uq_sources_title_key_issued", "title_key", "date_issued", unique=True),
    )


class Recommendation(Base):
    __tablename__ = "recommendations"
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id"))
    ref: Mapped[str] = mapped_column(String(50))
    wording: Mapped[str] = mapped_column(Text)
    made_on: Mapped[date] = mapped_column(Date)
    acceptance: Mapped[str] = mapped_column(String(30), default=Acceptance.AWAITING_RESPONSE)
    accepted_on: Mapped[date | None] = mapped_column(Date)
    accepted_in_principle: Mapped[bool] = mapped_column(Boolean, default=False)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    directorate_id: Mapped[int | None] = mapped_column(ForeignKey("directorates.id"))
    priority: Mapped[str] = mapped_column(String(10), default=Priority.MEDIUM)
    original_target_date: Mapped[date | None] = mapped_column(Date)
    # Current state, kept in step with the updates by data_access.writes.
    status: Mapped[str] = mapped_column(String(20), default=Status.NOT_STARTED)
    current_target_date: Mapped[date | None] = mapped_column(Date)
    revision_count: Mapped[int] = mapped_column(Integer, default=0)
    last_update_on: Mapped[date | None] = mapped_column(Date)
    report_back_since: Mapped[date | None] = mapped_column(Date)
    first_completed_on: Mapped[date | None] = mapped_column(Date)
    closed_at_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))

    source: Mapped[Source] = relationship(back_populates="recommendations")
    actions: Mapped[list[Action]] = relationship(
        back_populates="recommendation", order_by="Action.id"
    )
    updates: Mapped[list[ProgressUpdate]] = relationship(
        back_populates="recommendation", order_by="ProgressUpdate.update_date"
    )
    __table_args__ = (
        UniqueConstraint("source_id", "ref", name="uq_recommendation_source_ref"),
        _one_of("status", Status),
        _one_of("acceptance", Acceptance),
        _one_of("priority", Priority),
        Index("ix_rec_status_target", "status", "current_target_date"),
        Index("ix_rec_committee", "committee_id"),
        Index("ix_rec_directorate", "directorate_id"),
        Index("ix_rec_owner", "owner_id"),
    )


class Action(Base):
    __tablename__ = "actions"
    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"))
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=ActionStatus.NOT_STARTED)
    completed_on: Mapped[date | None] = mapped_column(Date)
    evidence: Mapped[str | None] = mapped_column(Text)
    recommendation: Mapped[Recommendation] = relationship(back_populates="actions")
    __table_args__ = (
        _one_of("status", ActionStatus),
        Index("ix_action_recommendation", "recommendation_id"),
        Index("ix_action_status_due", "status", "due_date"),
    )


class ProgressUpdate(Base):
    """A dated entry against a recommendation (or one of its actions): the audit trail."""

    __tablename__ = "progress_updates"
    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"))
    action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id"))
    update_date: Mapped[date] = mapped_column(Date)
    author: Mapped[str] = mapped_column(String(200))
    narrative: Mapped[str] = mapped_column(Text)
    new_status: Mapped[str | None] = mapped_column(String(20))
    new_target_date: Mapped[date | None] = mapped_column(Date)
    target_change_reason: Mapped[str | None] = mapped_column(Text)
    report_back: Mapped[str | None] = mapped_column(String(20))
    evidence: Mapped[str | None] = mapped_column(Text)
    # The committee meeting this update was reported to, if any.
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    recommendation: Mapped[Recommendation] = relationship(back_populates="updates")
    __table_args__ = (
        CheckConstraint(
            "new_status IS NULL OR new_status IN ("
            + ", ".join(f"'{s.value}'" for s in Status)
            + ")",
            name="ck_new_status_allowed",
        ),
        CheckConstraint(
            "report_back IS NULL OR report_back IN ("
            + ", ".join(f"'{r.value}'" for r in ReportBack)
            + ")",
            name="ck_report_back_allowed",
        ),
        CheckConstraint(
            "new_target_date IS NULL OR target_change_reason IS NOT NULL",
            name="ck_target_change_has_reason",
        ),
        Index("ix_update_recommendation_date", "recommendation_id", "update_date"),
        Index("ix_update_date", "update_date"),
        # The audit trail's newest changes first (issue 9; revision 0003).
        Index("ix_update_recorded_at", "recorded_at"),
    )


class SourceWordReading(Base):
    """What a word in a source's tracker means, as an officer read it once on import.

    Published trackers use words the tracker does not know ("Undetermined", "Grey Light"); the
    officer reads each once (as a status or priority, or, for a status, "use the row's other
    columns"), and the reading is kept with the source so the next import of the same tracker
    asks nothing. A new table (decision 8: the schema only grows); `word` is the word as
    `importing.words.normalise_words` gives it, `kind` is "status" or "priority", `reading` a
    Status or Priority value, or "other_columns"."""

    __tablename__ = "source_word_readings"
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    kind: Mapped[str] = mapped_column(String(20))
    word: Mapped[str] = mapped_column(String(200))
    reading: Mapped[str] = mapped_column(String(20))
    __table_args__ = (
        UniqueConstraint("source_id", "kind", "word", name="uq_source_word_reading"),
        CheckConstraint("kind IN ('status', 'priority')", name="ck_word_kind_allowed"),
    )


class ImportBatch(Base):
    """One import (a tracker file or a committee report): who, when, which file, what it did.

    Kept after an undo (with `undone_at`/`undone_by`) as the record that it happened; the rows
    it wrote are linked in `import_batch_items`. New in issue 8, additive (see
    docs/decisions.md, "Import batches"): a new table, every column nullable or defaulted."""

    __tablename__ = "import_batches"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "tracker" or "report"
    # The source written to; NULL once an undo removed the source the batch had created.
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    source_title: Mapped[str | None] = mapped_column(String(500))
    source_created: Mapped[bool] = mapped_column(Boolean, default=False)
    file_name: Mapped[str | None] = mapped_column(String(500))
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    # The name the officer typed; becomes the signed-in user with issue 9.
    recorded_by: Mapped[str | None] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    new_count: Mapped[int] = mapped_column(Integer, default=0)
    changed_count: Mapped[int] = mapped_column(Integer, default=0)
    unchanged_count: Mapped[int] = mapped_column(Integer, default=0)
    skipped_count: Mapped[int] = mapped_column(Integer, default=0)
    # The highest id of each table once the batch was written (JSON): anything above it on
    # the rows the batch touched came later, and stops an undo.
    written_up_to: Mapped[str | None] = mapped_column(Text)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime)
    undone_by: Mapped[str | None] = mapped_column(String(200))
    __table_args__ = (
        CheckConstraint("kind IN ('tracker', 'report')", name="ck_import_kind_allowed"),
        Index("ix_import_batch_source", "source_id", "id"),
    )


class ImportBatchItem(Base):
    """A row an import wrote: created (`previous` NULL) or changed (`previous` holds the
    columns it changed, as JSON {column: [before, after]}).

    One link table for every table an import writes (sources, committees, meetings, officers,
    directorates, recommendations, progress updates), rather than a batch column on each, so
    the tables the rest of the app writes are not touched."""

    __tablename__ = "import_batch_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"))
    table_name: Mapped[str] = mapped_column(String(50))
    row_id: Mapped[int] = mapped_column(Integer)
    previous: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (
        Index("ix_import_item_batch", "batch_id", "table_name"),
        Index("ix_import_item_row", "table_name", "row_id"),
    )


class CommitteeReportSettings(Base):
    """The briefing pack's fields a clerk fills in once per committee (decisions.md 14).

    One row per committee, written by `data_access.committee_settings.save_report_details`.
    Every column is nullable: NULL (or blank) prints the standard wording from
    `domain.briefing`, so an older database gains this table empty and every pack still reads
    as before. The agenda
    item number is kept per committee because a progress report is a standing item.
    """

    __tablename__ = "committee_report_settings"
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id"), primary_key=True)
    item_number: Mapped[str | None] = mapped_column(String(20))
    report_of: Mapped[str | None] = mapped_column(String(200))
    author: Mapped[str | None] = mapped_column(String(200))
    contact: Mapped[str | None] = mapped_column(String(300))
    reasons: Mapped[str | None] = mapped_column(Text)
    consultation: Mapped[str | None] = mapped_column(Text)
    corporate_policies: Mapped[str | None] = mapped_column(Text)
    financial: Mapped[str | None] = mapped_column(Text)
    financial_verified_by: Mapped[str | None] = mapped_column(String(200))
    legal: Mapped[str | None] = mapped_column(Text)
    legal_verified_by: Mapped[str | None] = mapped_column(String(200))
    equality: Mapped[str | None] = mapped_column(Text)
    equality_verified_by: Mapped[str | None] = mapped_column(String(200))
    other: Mapped[str | None] = mapped_column(Text)
    background_papers: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime | None] = mapped_column(
        DateTime, server_default=func.now(), onupdate=func.now()
    )


class User(Base):
    """A person who signs in (issue 9), kept by email address, with their role.

    The role and the exempt clearance live here, not in the sign-in provider, so an admin
    manages them on the Users page; the provider's claims only set them on a first sign-in
    (docs/decisions.md, "Sign-in and roles"). `officer_id` links an officer to the items they
    own, `directorate_id` to their directorate's. A new table: additive, nothing else changes.
    """

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)  # stored in lower case
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    cleared_for_exempt: Mapped[bool] = mapped_column(Boolean, default=False)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    directorate_id: Mapped[int | None] = mapped_column(ForeignKey("directorates.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    created_by: Mapped[str | None] = mapped_column(String(320))
    last_signed_in_at: Mapped[datetime | None] = mapped_column(DateTime)
    __table_args__ = (
        CheckConstraint(
            "role IN ('viewer', 'officer', 'scrutiny officer', 'admin')",
            name="ck_user_role_allowed",
        ),
    )


class AuditEvent(Base):
    """A change with no record of its own: committees and calendars, users and roles.

    Progress updates, imports and undos already say who and when (`progress_updates.author`,
    `import_batches.recorded_by`/`undone_by`); the Audit page reads those where they are and
    this table for the rest, so nothing is recorded twice. A new table: additive.
    """

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    person: Mapped[str] = mapped_column(String(320))
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(500))
    detail: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (Index("ix_audit_event_recorded_at", "recorded_at"),)


class RecommendationChange(Base):
    """One field of a recommendation (or of one of its actions) changed in the app: who, when,
    from what, to what (issue 9, item 4; docs/decisions.md "Edits as change records").

    Progress updates carry status and target; everything else an officer corrects (wording,
    owner, directorate, priority, acceptance and its date, source details, actions) is edited
    in place on its row *and* leaves one row here per field, written in the same transaction by
    `data_access.writes`. The *as at* replay reads them: a field's value on a day is the
    `old_value` of its first change effective after that day, or the row's value if none is.
    Values are stored as text in their stored form (ids, ISO dates, enum values, "1"/"0");
    `data_access.queries.changes` renders them for people. A new table: the schema only grows.
    `action_id` is set for an action's changes; `field` then names the action's column
    ("action.due_date"), and "action.added" records the action's creation.
    """

    __tablename__ = "recommendation_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"))
    action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id"))
    field: Mapped[str] = mapped_column(String(60))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    changed_by: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    effective_on: Mapped[date] = mapped_column(Date)
    __table_args__ = (
        Index("ix_change_recommendation", "recommendation_id", "field", "effective_on"),
        Index("ix_change_effective_on", "effective_on"),
    )


class CommitteeRequestSettings(Base):
    """How many days before each meeting a committee wants owners' updates back (issue 9,
    item 5). One row per committee; NULL days means the default in
    `domain.settings.DEFAULT_THRESHOLDS` (`update_request_days`). A new table rather than a
    column on `committees`, like `committee_report_settings`, so the committees table the
    rest of the app writes is untouched."""

    __tablename__ = "committee_request_settings"
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id"), primary_key=True)
    days_before_meeting: Mapped[int | None] = mapped_column(Integer)


class UpdateRequest(Base):
    """One request for updates sent by email to an owner before a meeting: who was asked,
    for which committee and meeting, when, by whom, and how many items it listed (issue 9,
    item 5). Written only when the mail server accepted the message."""

    __tablename__ = "update_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("officers.id"))
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    sent_to: Mapped[str] = mapped_column(String(300))
    sent_at: Mapped[datetime] = mapped_column(DateTime)
    sent_by: Mapped[str] = mapped_column(String(200))
    item_count: Mapped[int] = mapped_column(Integer)
    __table_args__ = (Index("ix_update_request_meeting", "committee_id", "meeting_id"),)
