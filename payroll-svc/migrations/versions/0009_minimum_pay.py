"""Minimum pay: hourly minimums by country, region and agreement group as versions (``minimum_pay_rules``), the
overrides of payslips under them (``minimum_pay_overrides``), and the contracted weekly hours and agreement group
of pay terms (``pay_terms.weekly_hours``, ``agreement_group``).

Revision ID: 0009_minimum_pay
Revises: 0008_unpaid_hours
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from backoffice.shared.db import UTCDateTime

revision: str = "0009_minimum_pay"
down_revision: str | None = "0008_unpaid_hours"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "minimum_pay_rules",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("region", sa.String(length=40), nullable=True),
        sa.Column("agreement_group", sa.String(length=40), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("hourly_minimum", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("overtime_premium_percent", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_minimum_pay_rules_country", "minimum_pay_rules", ["country", "effective_from"])
    op.create_table(
        "minimum_pay_overrides",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("payslip_id", sa.String(length=64), nullable=False),
        sa.Column("employee_id", sa.String(length=64), nullable=False),
        sa.Column("employee_name", sa.String(length=401), nullable=False),
        sa.Column("hourly_pay", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("minimum", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["pay_runs.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("payslip_id", name="uq_minimum_pay_overrides_payslip"),
    )
    op.create_index("ix_minimum_pay_overrides_run", "minimum_pay_overrides", ["run_id"])
    with op.batch_alter_table("pay_terms", schema=None) as batch_op:
        batch_op.add_column(sa.Column("weekly_hours", sa.Numeric(precision=7, scale=2), nullable=True))
        batch_op.add_column(sa.Column("agreement_group", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pay_terms", schema=None) as batch_op:
        batch_op.drop_column("agreement_group")
        batch_op.drop_column("weekly_hours")
    op.drop_index("ix_minimum_pay_overrides_run", table_name="minimum_pay_overrides")
    op.drop_table("minimum_pay_overrides")
    op.drop_index("ix_minimum_pay_rules_country", table_name="minimum_pay_rules")
    op.drop_table("minimum_pay_rules")
