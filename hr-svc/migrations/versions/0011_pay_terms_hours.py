"""Pay terms may state the contracted weekly hours (a part-timer's) and the collective agreement group, which
payroll uses to check the minimum pay (``pay_terms.weekly_hours``, ``agreement_group``).

Revision ID: 0011_pay_terms_hours
Revises: 0010_categories
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_pay_terms_hours"
down_revision: str | None = "0010_categories"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pay_terms", schema=None) as batch_op:
        batch_op.add_column(sa.Column("weekly_hours", sa.Numeric(precision=6, scale=2), nullable=True))
        batch_op.add_column(sa.Column("agreement_group", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pay_terms", schema=None) as batch_op:
        batch_op.drop_column("agreement_group")
        batch_op.drop_column("weekly_hours")
