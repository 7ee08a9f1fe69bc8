"""Department and position effective-dated (``pay_placements``), so a payslip shows the department in force
on the days it pays; and a submitted week's total may be unknown: entries that are not numbers, or too large to
add up, are recorded and rejected with their findings instead of failing the consumer.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from backoffice.shared.db import UTCDateTime

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("timesheets", schema=None) as batch_op:
        batch_op.alter_column("total_hours", existing_type=sa.Numeric(precision=7, scale=2), nullable=True)
    op.create_table(
        "pay_placements",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("employee_id", sa.String(length=64), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("department", sa.String(length=200), nullable=True),
        sa.Column("position", sa.String(length=200), nullable=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("source_event_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["employee_id"], ["pay_profiles.employee_id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("employee_id", "effective_from", name="uq_pay_placements_employee_day"),
    )
    # Profiles known before: their department and position as they are, from the start date.
    op.execute(
        "INSERT INTO pay_placements (employee_id, effective_from, department, position, recorded_at, source_event_id)"
        " SELECT employee_id, start_date, department, position, updated_at, 'migration-0004' FROM pay_profiles"
    )


def downgrade() -> None:
    op.drop_table("pay_placements")
    op.execute("UPDATE timesheets SET total_hours = 0 WHERE total_hours IS NULL")
    with op.batch_alter_table("timesheets", schema=None) as batch_op:
        batch_op.alter_column("total_hours", existing_type=sa.Numeric(precision=7, scale=2), nullable=False)
