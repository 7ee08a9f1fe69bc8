"""A payroll clerk's own payslip can be signed off by HR or an admin, so that the clerk may approve the run it is
in (``payslips.signed_off_by``, ``signed_off_at``).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from backoffice.shared.db import UTCDateTime

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("payslips", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signed_off_by", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("signed_off_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("payslips", schema=None) as batch_op:
        batch_op.drop_column("signed_off_at")
        batch_op.drop_column("signed_off_by")
