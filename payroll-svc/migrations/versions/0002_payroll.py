"""Payroll: pay profiles, submitted timesheets and payable hours, pay groups and rule sets,
pay runs, payslips, pay items and year-to-date totals.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from backoffice.shared.db import UTCDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pay_groups",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("frequency", sa.String(length=16), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("code"),
        sa.UniqueConstraint("frequency", "currency", name="uq_pay_groups_frequency_currency"),
    )
    op.create_table(
        "pay_profiles",
        sa.Column("employee_id", sa.String(length=64), nullable=False),
        sa.Column("given_name", sa.String(length=200), nullable=False),
        sa.Column("family_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("department", sa.String(length=200), nullable=True),
        sa.Column("position", sa.String(length=200), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("termination_kind", sa.String(length=32), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("employee_id"),
    )
    op.create_table(
        "timesheets",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("employee_id", sa.String(length=64), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("entries", sa.Text(), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("total_hours", sa.Numeric(precision=7, scale=2), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("automatic", sa.Boolean(), nullable=False),
        sa.Column("source_event_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("timesheets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_timesheets_employee_id"), ["employee_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_timesheets_status"), ["status"], unique=False)

    op.create_table(
        "year_to_date",
        sa.Column("employee_id", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("by_code", sa.Text(), nullable=False),
        sa.Column("totals", sa.Text(), nullable=False),
        sa.Column("last_run_id", sa.String(length=64), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("employee_id", "year"),
    )
    op.create_table(
        "pay_runs",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("pay_group_code", sa.String(length=40), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("pay_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("rule_set_id", sa.String(length=64), nullable=True),
        sa.Column("employee_count", sa.Integer(), nullable=False),
        sa.Column("gross", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("deductions", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("net", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("employer_contributions", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("totals_by_code", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("calculated_at", UTCDateTime(), nullable=True),
        sa.Column("calculated_by", sa.String(length=64), nullable=True),
        sa.Column("approved_at", UTCDateTime(), nullable=True),
        sa.Column("approved_by", sa.String(length=64), nullable=True),
        sa.Column("paid_at", UTCDateTime(), nullable=True),
        sa.Column("paid_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pay_group_code"],
            ["pay_groups.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("pay_runs", schema=None) as batch_op:
        batch_op.create_index("ix_pay_runs_group_period", ["pay_group_code", "period_start"], unique=False)

    op.create_table(
        "pay_terms",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("employee_id", sa.String(length=64), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("pay_type", sa.String(length=16), nullable=False),
        sa.Column("rate", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("frequency", sa.String(length=16), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("source_event_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["pay_profiles.employee_id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("employee_id", "effective_from", name="uq_pay_terms_employee_day"),
    )
    op.create_table(
        "rule_sets",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("pay_group_code", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.Column("standard_hours_per_year", sa.Numeric(precision=7, scale=2), nullable=False),
        sa.Column("rules", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["pay_group_code"],
            ["pay_groups.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("pay_group_code", "effective_from", name="uq_rule_sets_group_from"),
        sa.UniqueConstraint("pay_group_code", "version", name="uq_rule_sets_group_version"),
    )
    op.create_table(
        "timesheet_hours",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("timesheet_id", sa.String(length=64), nullable=False),
        sa.Column("employee_id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("hours", sa.Numeric(precision=7, scale=2), nullable=False),
        sa.Column("paid_in_run_id", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["timesheet_id"],
            ["timesheets.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("timesheet_hours", schema=None) as batch_op:
        batch_op.create_index("ix_timesheet_hours_employee_day", ["employee_id", "day"], unique=False)
        batch_op.create_index("ix_timesheet_hours_run", ["paid_in_run_id"], unique=False)
        batch_op.create_index("ix_timesheet_hours_sheet", ["timesheet_id"], unique=False)

    op.create_table(
        "pay_items",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("employee_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("corrects_run_id", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("paid_in_run_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["corrects_run_id"],
            ["pay_runs.id"],
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["pay_profiles.employee_id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("pay_items", schema=None) as batch_op:
        batch_op.create_index("ix_pay_items_employee_status", ["employee_id", "status"], unique=False)

    op.create_table(
        "payslips",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("employee_id", sa.String(length=64), nullable=False),
        sa.Column("employee_name", sa.String(length=401), nullable=False),
        sa.Column("department", sa.String(length=200), nullable=True),
        sa.Column("pay_type", sa.String(length=16), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("pay_date", sa.Date(), nullable=False),
        sa.Column("hours", sa.Text(), nullable=False),
        sa.Column("lines", sa.Text(), nullable=False),
        sa.Column("gross", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("deductions", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("net", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("employer_contributions", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("ytd", sa.Text(), nullable=False),
        sa.Column("final", sa.Boolean(), nullable=False),
        sa.Column("working_days_employed", sa.Integer(), nullable=False),
        sa.Column("working_days_in_period", sa.Integer(), nullable=False),
        sa.Column("item_ids", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["pay_runs.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("payslips", schema=None) as batch_op:
        batch_op.create_index("ix_payslips_employee", ["employee_id", "pay_date"], unique=False)
        batch_op.create_index("ix_payslips_run", ["run_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("payslips", schema=None) as batch_op:
        batch_op.drop_index("ix_payslips_run")
        batch_op.drop_index("ix_payslips_employee")

    op.drop_table("payslips")
    with op.batch_alter_table("pay_items", schema=None) as batch_op:
        batch_op.drop_index("ix_pay_items_employee_status")

    op.drop_table("pay_items")
    with op.batch_alter_table("timesheet_hours", schema=None) as batch_op:
        batch_op.drop_index("ix_timesheet_hours_sheet")
        batch_op.drop_index("ix_timesheet_hours_run")
        batch_op.drop_index("ix_timesheet_hours_employee_day")

    op.drop_table("timesheet_hours")
    op.drop_table("rule_sets")
    op.drop_table("pay_terms")
    with op.batch_alter_table("pay_runs", schema=None) as batch_op:
        batch_op.drop_index("ix_pay_runs_group_period")

    op.drop_table("pay_runs")
    op.drop_table("year_to_date")
    with op.batch_alter_table("timesheets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_timesheets_status"))
        batch_op.drop_index(batch_op.f("ix_timesheets_employee_id"))

    op.drop_table("timesheets")
    op.drop_table("pay_profiles")
    op.drop_table("pay_groups")
