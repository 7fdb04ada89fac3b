"""Issue 9: people who sign in, the audit trail, edits as change records, update requests.

Revision ID: 0003_people_edits_requests
Revises: 0002_name_keys

Five new tables (users, audit_events, recommendation_changes, committee_request_settings,
update_requests), one nullable column (officers.email) and an index on
progress_updates.recorded_at (the audit trail's newest first). Additive only: no existing row
changes, so every database at 0002 upgrades without a choice to make.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_people_edits_requests"
down_revision = "0002_name_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("person", sa.String(length=320), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index("ix_audit_event_recorded_at", ["recorded_at"], unique=False)

    op.create_table(
        "committee_request_settings",
        sa.Column("committee_id", sa.Integer(), nullable=False),
        sa.Column("days_before_meeting", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["committee_id"],
            ["committees.id"],
        ),
        sa.PrimaryKeyConstraint("committee_id"),
    )
    op.create_table(
        "update_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("committee_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("sent_to", sa.String(length=300), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("sent_by", sa.String(length=200), nullable=False),
        sa.Column("item_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["committee_id"],
            ["committees.id"],
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["officers.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("update_requests", schema=None) as batch_op:
        batch_op.create_index(
            "ix_update_request_meeting", ["committee_id", "meeting_id"], unique=False
        )

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("cleared_for_exempt", sa.Boolean(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("directorate_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=True),
        sa.Column("last_signed_in_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "role IN ('viewer', 'officer', 'scrutiny officer', 'admin')",
            name="ck_user_role_allowed",
        ),
        sa.ForeignKeyConstraint(
            ["directorate_id"],
            ["directorates.id"],
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["officers.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )
    op.create_table(
        "recommendation_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=True),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("changed_by", sa.String(length=200), nullable=False),
        sa.Column("changed_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["actions.id"],
        ),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["recommendations.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("recommendation_changes", schema=None) as batch_op:
        batch_op.create_index("ix_change_effective_on", ["effective_on"], unique=False)
        batch_op.create_index(
            "ix_change_recommendation", ["recommendation_id", "field", "effective_on"], unique=False
        )

    with op.batch_alter_table("officers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=300), nullable=True))

    op.create_index("ix_update_recorded_at", "progress_updates", ["recorded_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_update_recorded_at", table_name="progress_updates")
    with op.batch_alter_table("officers", schema=None) as batch_op:
        batch_op.drop_column("email")

    with op.batch_alter_table("recommendation_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_change_recommendation")
        batch_op.drop_index("ix_change_effective_on")

    op.drop_table("recommendation_changes")
    op.drop_table("users")
    with op.batch_alter_table("update_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_update_request_meeting")

    op.drop_table("update_requests")
    op.drop_table("committee_request_settings")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_recorded_at")

    op.drop_table("audit_events")
