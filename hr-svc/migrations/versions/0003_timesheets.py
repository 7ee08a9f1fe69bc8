"""Timesheets: weekly versions and their daily entries.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from backoffice.shared.db import UTCDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "timesheets",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("employee_id", sa.String(64), sa.ForeignKey("employees.id"), nullable=False),
        sa.Column("week_start", sa.Date, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("supersedes_id", sa.String(64), sa.ForeignKey("timesheets.id"), nullable=True),
        sa.Column("submitted_at", UTCDateTime, nullable=True),
        sa.Column("decided_at", UTCDateTime, nullable=True),
        sa.Column("decision_reason", sa.Text, nullable=True),
        sa.Column("findings", sa.Text, nullable=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=True),
        sa.UniqueConstraint("employee_id", "week_start", "version", name="uq_timesheets_week_version"),
    )
    op.create_index("ix_timesheets_employee_week", "timesheets", ["employee_id", "week_start"])
    op.create_table(
        "timesheet_entries",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("timesheet_id", sa.String(64), sa.ForeignKey("timesheets.id"), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("hours", sa.Numeric(5, 2), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("note", sa.String(500), nullable=True),
    )
    op.create_index("ix_timesheet_entries_sheet", "timesheet_entries", ["timesheet_id"])


def downgrade() -> None:
    op.drop_index("ix_timesheet_entries_sheet", table_name="timesheet_entries")
    op.drop_table("timesheet_entries")
    op.drop_index("ix_timesheets_employee_week", table_name="timesheets")
    op.drop_table("timesheets")
