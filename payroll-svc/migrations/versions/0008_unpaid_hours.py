"""Deferrals of approved hours left for a later run, and their cancellations (``hours_deferrals``).

Revision ID: 0008_unpaid_hours
Revises: 0007_paygap
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from backoffice.shared.db import UTCDateTime

revision: str = "0008_unpaid_hours"
down_revision: str | None = "0007_paygap"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "hours_deferrals",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("timesheet_id", sa.String(length=64), nullable=False),
        sa.Column("employee_id", sa.String(length=64), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("next_run", sa.Boolean(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("cancels_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["timesheet_id"], ["timesheets.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("cancels_id"),
    )
    op.create_index("ix_hours_deferrals_timesheet", "hours_deferrals", ["timesheet_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_hours_deferrals_timesheet", table_name="hours_deferrals")
    op.drop_table("hours_deferrals")
