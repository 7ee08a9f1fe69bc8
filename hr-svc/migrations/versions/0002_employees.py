"""Employees: departments, employees, pay terms (effective-dated), terminations.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
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
        "departments",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=True),
    )
    op.create_table(
        "employees",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("given_name", sa.String(200), nullable=False),
        sa.Column("family_name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(320), nullable=False, unique=True),
        sa.Column("phone", sa.String(50), nullable=True),
        sa.Column("department_id", sa.String(64), sa.ForeignKey("departments.id"), nullable=True),
        sa.Column("position", sa.String(200), nullable=True),
        sa.Column("manager_id", sa.String(64), sa.ForeignKey("employees.id"), nullable=True),
        sa.Column("employment_type", sa.String(16), nullable=False),
        sa.Column("roles", sa.String(255), nullable=False),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("end_date", sa.Date, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=True),
    )
    op.create_index("ix_employees_department", "employees", ["department_id"])
    op.create_index("ix_employees_manager", "employees", ["manager_id"])
    op.create_index("ix_employees_status", "employees", ["status"])
    op.create_index("ix_employees_family_name", "employees", ["family_name"])
    op.create_table(
        "pay_terms",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("employee_id", sa.String(64), sa.ForeignKey("employees.id"), nullable=False),
        sa.Column("effective_from", sa.Date, nullable=False),
        sa.Column("pay_type", sa.String(16), nullable=False),
        sa.Column("rate", sa.Numeric(14, 4), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("frequency", sa.String(16), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=True),
        sa.UniqueConstraint("employee_id", "effective_from", name="uq_pay_terms_employee_date"),
    )
    op.create_table(
        "terminations",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("employee_id", sa.String(64), sa.ForeignKey("employees.id"), nullable=False, unique=True),
        sa.Column("effective_date", sa.Date, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("decided_by", sa.String(64), nullable=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("terminations")
    op.drop_table("pay_terms")
    for index in ("ix_employees_family_name", "ix_employees_status", "ix_employees_manager", "ix_employees_department"):
        op.drop_index(index, table_name="employees")
    op.drop_table("employees")
    op.drop_table("departments")
