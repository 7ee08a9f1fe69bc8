"""A submitted week's total may be unknown: entries that are not numbers, or too large to add up, are recorded
and rejected with their findings instead of failing the consumer.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("timesheets", schema=None) as batch_op:
        batch_op.alter_column("total_hours", existing_type=sa.Numeric(precision=7, scale=2), nullable=True)


def downgrade() -> None:
    op.execute("UPDATE timesheets SET total_hours = 0 WHERE total_hours IS NULL")
    with op.batch_alter_table("timesheets", schema=None) as batch_op:
        batch_op.alter_column("total_hours", existing_type=sa.Numeric(precision=7, scale=2), nullable=False)
