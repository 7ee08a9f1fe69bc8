"""Fair pay: HR's declared sex, job categories and position placements kept by payroll; justifications, joint pay
assessments with follow-ups and information requests; and on each payslip its basic pay, complementary pay and
hours paid (filled at calculation; payslips calculated before show zero and are left out of the pay gap report).

Revision ID: 0007_paygap
Revises: 0006
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from backoffice.shared.db import UTCDateTime

revision: str = "0007_paygap"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("payslips", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("basic_pay", sa.Numeric(precision=18, scale=3), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("complementary_pay", sa.Numeric(precision=18, scale=3), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("hours_paid", sa.Numeric(precision=7, scale=2), server_default="0", nullable=False)
        )
        batch_op.create_index(
            "ix_payslips_pay_gap",
            [
                "pay_date",
                "currency",
                "run_id",
                "employee_id",
                "basic_pay",
                "complementary_pay",
                "hours_paid",
                "period_end",
            ],
            unique=False,
        )
    op.create_table(
        "pay_declared_sex",
        sa.Column("employee_id", sa.String(length=64), nullable=False),
        sa.Column("sex", sa.String(length=16), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("source_event_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("employee_id"),
    )
    op.create_table(
        "pay_job_categories",
        sa.Column("category_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("skills", sa.Integer(), nullable=False),
        sa.Column("effort", sa.Integer(), nullable=False),
        sa.Column("responsibility", sa.Integer(), nullable=False),
        sa.Column("working_conditions", sa.Integer(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("source_event_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("category_id", "version"),
    )
    op.create_table(
        "pay_position_placements",
        sa.Column("placement_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.String(length=200), nullable=False),
        sa.Column("category_id", sa.String(length=64), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("source_event_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("placement_id"),
    )
    op.create_index(
        "ix_pay_position_placements_position", "pay_position_placements", ["position", "effective_from"], unique=False
    )
    op.create_table(
        "pay_gap_justifications",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("category_id", sa.String(length=64), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_pay_gap_justifications_category", "pay_gap_justifications", ["category_id", "created_at"], unique=False
    )
    op.create_table(
        "pay_assessments",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("category_id", sa.String(length=64), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_pay_assessments_category", "pay_assessments", ["category_id", "created_at"], unique=False)
    op.create_table(
        "pay_assessment_follow_ups",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("assessment_id", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("measure_index", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["assessment_id"], ["pay_assessments.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_pay_assessment_follow_ups_assessment",
        "pay_assessment_follow_ups",
        ["assessment_id", "created_at"],
        unique=False,
    )
    op.create_table(
        "pay_information_requests",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("employee_id", sa.String(length=64), nullable=False),
        sa.Column("category_id", sa.String(length=64), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.String(length=64), nullable=False),
        sa.Column("answered_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_pay_information_requests_employee", "pay_information_requests", ["employee_id", "answered_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_pay_information_requests_employee", table_name="pay_information_requests")
    op.drop_table("pay_information_requests")
    op.drop_index("ix_pay_assessment_follow_ups_assessment", table_name="pay_assessment_follow_ups")
    op.drop_table("pay_assessment_follow_ups")
    op.drop_index("ix_pay_assessments_category", table_name="pay_assessments")
    op.drop_table("pay_assessments")
    op.drop_index("ix_pay_gap_justifications_category", table_name="pay_gap_justifications")
    op.drop_table("pay_gap_justifications")
    op.drop_index("ix_pay_position_placements_position", table_name="pay_position_placements")
    op.drop_table("pay_position_placements")
    op.drop_table("pay_job_categories")
    op.drop_table("pay_declared_sex")
    with op.batch_alter_table("payslips", schema=None) as batch_op:
        batch_op.drop_index("ix_payslips_pay_gap")
        batch_op.drop_column("hours_paid")
        batch_op.drop_column("complementary_pay")
        batch_op.drop_column("basic_pay")
