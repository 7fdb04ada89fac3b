"""Baseline: the schema as it stood when migrations arrived (schema version "1" and every
addition made under decision 8 up to then).

A database made before migrations has no `alembic_version`; it is upgraded from nothing, so
this revision must accept one at any point of the interim: it creates the tables such a
database lacks and adds the nullable columns its tables lack (what
`data_access.db.add_missing_schema` did on every open until now), and leaves everything it
already has, and every row, alone. An empty database gets every table.

The tables are written out here, frozen, rather than taken from `data_access.models`: the
models move on with later revisions, and this revision must keep meaning what it meant.

Revision ID: 0001_baseline
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_baseline"
down_revision = None
branch_labels = None
depends_on = None

baseline = sa.MetaData()

sa.Table(
    "committees",
    baseline,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("name", sa.String(length=200), nullable=False),
    sa.Column("retired_on", sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("name"),
)
sa.Table(
    "directorates",
    baseline,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("name", sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("name"),
)
sa.Table(
    "tracker_meta",
    baseline,
    sa.Column("key", sa.String(length=50), nullable=False),
    sa.Column("value", sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint("key"),
)
sa.Table(
    "committee_report_settings",
    baseline,
    sa.Column("committee_id", sa.Integer(), nullable=False),
    sa.Column("item_number", sa.String(length=20), nullable=True),
    sa.Column("report_of", sa.String(length=200), nullable=True),
    sa.Column("author", sa.String(length=200), nullable=True),
    sa.Column("contact", sa.String(length=300), nullable=True),
    sa.Column("reasons", sa.Text(), nullable=True),
    sa.Column("consultation", sa.Text(), nullable=True),
    sa.Column("corporate_policies", sa.Text(), nullable=True),
    sa.Column("financial", sa.Text(), nullable=True),
    sa.Column("financial_verified_by", sa.String(length=200), nullable=True),
    sa.Column("legal", sa.Text(), nullable=True),
    sa.Column("legal_verified_by", sa.String(length=200), nullable=True),
    sa.Column("equality", sa.Text(), nullable=True),
    sa.Column("equality_verified_by", sa.String(length=200), nullable=True),
    sa.Column("other", sa.Text(), nullable=True),
    sa.Column("background_papers", sa.Text(), nullable=True),
    sa.Column("updated_at", sa.DateTime(), server_default=sa.func.now(), nullable=True),
    sa.ForeignKeyConstraint(
        ["committee_id"],
        ["committees.id"],
    ),
    sa.PrimaryKeyConstraint("committee_id"),
)
sa.Table(
    "meetings",
    baseline,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("committee_id", sa.Integer(), nullable=False),
    sa.Column("meeting_date", sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(
        ["committee_id"],
        ["committees.id"],
    ),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("committee_id", "meeting_date", name="uq_meeting_committee_date"),
)
sa.Table(
    "officers",
    baseline,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("name", sa.String(length=200), nullable=False),
    sa.Column("job_title", sa.String(length=200), nullable=True),
    sa.Column("directorate_id", sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(
        ["directorate_id"],
        ["directorates.id"],
    ),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("name", "job_title", name="uq_officer_name_title"),
)
sa.Table(
    "sources",
    baseline,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("title", sa.String(length=500), nullable=False),
    sa.Column("kind", sa.String(length=40), nullable=False),
    sa.Column("date_issued", sa.Date(), nullable=False),
    sa.Column("response_due_on", sa.Date(), nullable=False),
    sa.Column("author", sa.String(length=300), nullable=True),
    sa.Column("accountable_director", sa.String(length=300), nullable=True),
    sa.Column("assistant_director", sa.String(length=300), nullable=True),
    sa.Column("document_url", sa.String(length=1000), nullable=True),
    sa.Column("confidentiality", sa.String(length=20), nullable=False),
    sa.Column("committee_id", sa.Integer(), nullable=True),
    sa.CheckConstraint(
        "confidentiality IN ('public', 'exempt')", name="ck_confidentiality_allowed"
    ),
    sa.CheckConstraint(
        "kind IN ('scrutiny_review', 'independent_review', 'internal_audit', 'inspection', 'peer_review', 'safeguarding_review', 'ombudsman')",
        name="ck_kind_allowed",
    ),
    sa.ForeignKeyConstraint(
        ["committee_id"],
        ["committees.id"],
    ),
    sa.PrimaryKeyConstraint("id"),
)
sa.Table(
    "import_batches",
    baseline,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("kind", sa.String(length=20), nullable=False),
    sa.Column("source_id", sa.Integer(), nullable=True),
    sa.Column("source_title", sa.String(length=500), nullable=True),
    sa.Column("source_created", sa.Boolean(), nullable=False),
    sa.Column("file_name", sa.String(length=500), nullable=True),
    sa.Column("file_sha256", sa.String(length=64), nullable=True),
    sa.Column("recorded_by", sa.String(length=200), nullable=True),
    sa.Column("recorded_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
    sa.Column("new_count", sa.Integer(), nullable=False),
    sa.Column("changed_count", sa.Integer(), nullable=False),
    sa.Column("unchanged_count", sa.Integer(), nullable=False),
    sa.Column("skipped_count", sa.Integer(), nullable=False),
    sa.Column("written_up_to", sa.Text(), nullable=True),
    sa.Column("undone_at", sa.DateTime(), nullable=True),
    sa.Column("undone_by", sa.String(length=200), nullable=True),
    sa.CheckConstraint("kind IN ('tracker', 'report')", name="ck_import_kind_allowed"),
    sa.ForeignKeyConstraint(
        ["source_id"],
        ["sources.id"],
    ),
    sa.PrimaryKeyConstraint("id"),
)
sa.Index(
    "ix_import_batch_source",
    baseline.tables["import_batches"].c["source_id"],
    baseline.tables["import_batches"].c["id"],
    unique=False,
)

sa.Table(
    "recommendations",
    baseline,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("source_id", sa.Integer(), nullable=False),
    sa.Column("committee_id", sa.Integer(), nullable=False),
    sa.Column("ref", sa.String(length=50), nullable=False),
    sa.Column("wording", sa.Text(), nullable=False),
    sa.Column("made_on", sa.Date(), nullable=False),
    sa.Column("acceptance", sa.String(length=30), nullable=False),
    sa.Column("accepted_on", sa.Date(), nullable=True),
    sa.Column("accepted_in_principle", sa.Boolean(), nullable=False),
    sa.Column("owner_id", sa.Integer(), nullable=True),
    sa.Column("directorate_id", sa.Integer(), nullable=True),
    sa.Column("priority", sa.String(length=10), nullable=False),
    sa.Column("original_target_date", sa.Date(), nullable=True),
    sa.Column("status", sa.String(length=20), nullable=False),
    sa.Column("current_target_date", sa.Date(), nullable=True),
    sa.Column("revision_count", sa.Integer(), nullable=False),
    sa.Column("last_update_on", sa.Date(), nullable=True),
    sa.Column("report_back_since", sa.Date(), nullable=True),
    sa.Column("first_completed_on", sa.Date(), nullable=True),
    sa.Column("closed_at_meeting_id", sa.Integer(), nullable=True),
    sa.CheckConstraint(
        "acceptance IN ('awaiting_response', 'accepted', 'partially_accepted', 'not_accepted', 'noted')",
        name="ck_acceptance_allowed",
    ),
    sa.CheckConstraint("priority IN ('high', 'medium', 'low')", name="ck_priority_allowed"),
    sa.CheckConstraint(
        "status IN ('not_started', 'in_progress', 'implemented', 'closed', 'superseded', 'not_implemented')",
        name="ck_status_allowed",
    ),
    sa.ForeignKeyConstraint(
        ["closed_at_meeting_id"],
        ["meetings.id"],
    ),
    sa.ForeignKeyConstraint(
        ["committee_id"],
        ["committees.id"],
    ),
    sa.ForeignKeyConstraint(
        ["directorate_id"],
        ["directorates.id"],
    ),
    sa.ForeignKeyConstraint(
        ["owner_id"],
        ["officers.id"],
    ),
    sa.ForeignKeyConstraint(
        ["source_id"],
        ["sources.id"],
    ),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("source_id", "ref", name="uq_recommendation_source_ref"),
)
sa.Index("ix_rec_committee", baseline.tables["recommendations"].c["committee_id"], unique=False)
sa.Index("ix_rec_directorate", baseline.tables["recommendations"].c["directorate_id"], unique=False)
sa.Index("ix_rec_owner", baseline.tables["recommendations"].c["owner_id"], unique=False)
sa.Index(
    "ix_rec_status_target",
    baseline.tables["recommendations"].c["status"],
    baseline.tables["recommendations"].c["current_target_date"],
    unique=False,
)

sa.Table(
    "source_word_readings",
    baseline,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("source_id", sa.Integer(), nullable=False),
    sa.Column("kind", sa.String(length=20), nullable=False),
    sa.Column("word", sa.String(length=200), nullable=False),
    sa.Column("reading", sa.String(length=20), nullable=False),
    sa.CheckConstraint("kind IN ('status', 'priority')", name="ck_word_kind_allowed"),
    sa.ForeignKeyConstraint(
        ["source_id"],
        ["sources.id"],
    ),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("source_id", "kind", "word", name="uq_source_word_reading"),
)
sa.Table(
    "actions",
    baseline,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("recommendation_id", sa.Integer(), nullable=False),
    sa.Column("description", sa.Text(), nullable=False),
    sa.Column("owner_id", sa.Integer(), nullable=True),
    sa.Column("due_date", sa.Date(), nullable=True),
    sa.Column("status", sa.String(length=20), nullable=False),
    sa.Column("completed_on", sa.Date(), nullable=True),
    sa.Column("evidence", sa.Text(), nullable=True),
    sa.CheckConstraint(
        "status IN ('not_started', 'in_progress', 'completed', 'cancelled')",
        name="ck_status_allowed",
    ),
    sa.ForeignKeyConstraint(
        ["owner_id"],
        ["officers.id"],
    ),
    sa.ForeignKeyConstraint(
        ["recommendation_id"],
        ["recommendations.id"],
    ),
    sa.PrimaryKeyConstraint("id"),
)
sa.Index(
    "ix_action_recommendation", baseline.tables["actions"].c["recommendation_id"], unique=False
)
sa.Index(
    "ix_action_status_due",
    baseline.tables["actions"].c["status"],
    baseline.tables["actions"].c["due_date"],
    unique=False,
)

sa.Table(
    "import_batch_items",
    baseline,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("batch_id", sa.Integer(), nullable=False),
    sa.Column("table_name", sa.String(length=50), nullable=False),
    sa.Column("row_id", sa.Integer(), nullable=False),
    sa.Column("previous", sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(
        ["batch_id"],
        ["import_batches.id"],
    ),
    sa.PrimaryKeyConstraint("id"),
)
sa.Index(
    "ix_import_item_batch",
    baseline.tables["import_batch_items"].c["batch_id"],
    baseline.tables["import_batch_items"].c["table_name"],
    unique=False,
)
sa.Index(
    "ix_import_item_row",
    baseline.tables["import_batch_items"].c["table_name"],
    baseline.tables["import_batch_items"].c["row_id"],
    unique=False,
)

sa.Table(
    "progress_updates",
    baseline,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("recommendation_id", sa.Integer(), nullable=False),
    sa.Column("action_id", sa.Integer(), nullable=True),
    sa.Column("update_date", sa.Date(), nullable=False),
    sa.Column("author", sa.String(length=200), nullable=False),
    sa.Column("narrative", sa.Text(), nullable=False),
    sa.Column("new_status", sa.String(length=20), nullable=True),
    sa.Column("new_target_date", sa.Date(), nullable=True),
    sa.Column("target_change_reason", sa.Text(), nullable=True),
    sa.Column("report_back", sa.String(length=20), nullable=True),
    sa.Column("evidence", sa.Text(), nullable=True),
    sa.Column("meeting_id", sa.Integer(), nullable=True),
    sa.Column("recorded_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint(
        "new_status IS NULL OR new_status IN ('not_started', 'in_progress', 'implemented', 'closed', 'superseded', 'not_implemented')",
        name="ck_new_status_allowed",
    ),
    sa.CheckConstraint(
        "report_back IS NULL OR report_back IN ('next_meeting', 'to_committee', 'not_required')",
        name="ck_report_back_allowed",
    ),
    sa.CheckConstraint(
        "new_target_date IS NULL OR target_change_reason IS NOT NULL",
        name="ck_target_change_has_reason",
    ),
    sa.ForeignKeyConstraint(
        ["action_id"],
        ["actions.id"],
    ),
    sa.ForeignKeyConstraint(
        ["meeting_id"],
        ["meetings.id"],
    ),
    sa.ForeignKeyConstraint(
        ["recommendation_id"],
        ["recommendations.id"],
    ),
    sa.PrimaryKeyConstraint("id"),
)
sa.Index("ix_update_date", baseline.tables["progress_updates"].c["update_date"], unique=False)
sa.Index(
    "ix_update_recommendation_date",
    baseline.tables["progress_updates"].c["recommendation_id"],
    baseline.tables["progress_updates"].c["update_date"],
    unique=False,
)


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    existing = set(inspector.get_table_names())
    for table in baseline.sorted_tables:
        if table.name not in existing:
            table.create(bind)
            continue
        present = {column["name"] for column in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name in present:
                continue
            if not column.nullable and column.server_default is None:
                raise RuntimeError(
                    f"The database lacks {table.name}.{column.name}, which cannot be added "
                    "to a table that has rows. It was not made by a version of this app."
                )
            op.add_column(table.name, column._copy())


def downgrade() -> None:
    raise RuntimeError("The baseline cannot be taken back: restore a backup instead.")
